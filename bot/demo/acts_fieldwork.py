"""What people do from the papers to the end of fieldwork: the pack for the team, the
fieldwork plan, and the findings recorded in interviews and focus groups."""

from __future__ import annotations

from typing import Any

from bot.demo.cast import Person
from bot.demo.people import section_of
from bot.demo.session import Demo
from bot.slack import ids

HOST_PAPER = "<https://www.fife.gov.uk/psif/roads-what-we-want-from-fieldwork>"
EVIDENCE = (
    "Roads asset management plan 2026–2031 <https://www.fife.gov.uk/psif/roads-amp>",
    "LGBF roads indicators, family group 2 <https://www.improvementservice.org.uk/lgbf/roads>",
)
# (kind, day, start minute, length, which AFIs by position in the list, runners by index in
# the team, who takes part, how many, mode)
SESSIONS: tuple[tuple[str, str, int, str, tuple[int, ...], tuple[int, ...], str, str, str], ...] = (
    (
        "focus_group",
        "2027-03-04",
        10 * 60,
        "90",
        (0, 1),
        (4, 1),
        "Depot supervisors and crew leaders from the three areas",
        "8",
        "in_person",
    ),
    (
        "interview",
        "2027-03-04",
        14 * 60,
        "60",
        (0, -1),
        (5, 6),
        "The customer contact centre team leader",
        "1",
        "remote",
    ),
)
# What the peer reviewers heard about an area, by its checklist section (0: added by the
# team): a concern, an option for improvement and a strength, each heard once.
FINDINGS: dict[int, tuple[tuple[str, str], ...]] = {
    0: (
        ("concern", "Residents who report a defect hear nothing until the repair is done."),
        ("option", "Text residents the expected repair date with their report reference."),
        ("strength", "The contact centre already gives every report a reference number."),
    ),
    1: (
        ("concern", "Crews have not seen the service plan; supervisors gave different priorities."),
        ("option", "Brief every depot on a one-page plan at the start of each year."),
        ("strength", "Supervisors know the council plan's priorities for roads well."),
    ),
    2: (
        ("concern", "Crew suggestions go to supervisors and are not recorded anywhere."),
        ("option", "A monthly ideas slot at depot meetings, logging what happened to each idea."),
        ("strength", "Crews are proud of their patch and know its problems first-hand."),
    ),
    3: (
        ("concern", "Depots keep their own repair logs, so nobody sees the whole backlog."),
        ("option", "One repair log for all depots, open to supervisors and the contact centre."),
        ("strength", "The asset management system holds good condition data for every road."),
    ),
    4: (
        ("concern", "Complaint outcomes are not passed back to the crews who did the work."),
        ("option", "Close each complaint with a note to the depot that handled it."),
        ("strength", "Online defect reporting is quick and residents use it."),
    ),
    5: (
        ("concern", "Staff hear about decisions only after they are made."),
        ("option", "Senior managers explain major decisions at depot briefings the same week."),
        ("strength", "The head of service is visible at depots and is trusted by the crews."),
    ),
    6: (
        ("concern", "Satisfaction is asked about only in the council-wide survey every 3 years."),
        ("option", "Ask residents two questions by text when their repair is completed."),
        ("strength", "Condition surveys are done every year and the data is sound."),
    ),
}
# An action carrying out an option: (risks or costs, how we will know, overall outcome).
OPTION_PLANS: dict[str, tuple[str, str, str]] = {
    FINDINGS[0][1][1]: (
        "Changes to the reporting system; about £8,000",
        "Share of reports given a date; complaints about repairs",
        "Residents know what will happen and when",
    ),
    FINDINGS[1][1][1]: (
        "A day of each supervisor's time",
        "Every depot briefed by the end of April",
        "Everyone works to the same priorities",
    ),
    FINDINGS[2][1][1]: (
        "Half an hour of each depot meeting",
        "Ideas logged and answered each month",
        "Crews see their ideas acted on",
    ),
    FINDINGS[3][1][1]: (
        "Setting up the shared log; training for supervisors",
        "All depots using the one log; backlog reported monthly",
        "The whole repair backlog is visible and managed",
    ),
    FINDINGS[4][1][1]: (
        "Contact centre time for each closed complaint",
        "Share of complaints closed with a note to the depot",
        "Crews learn from complaints",
    ),
    FINDINGS[5][1][1]: (
        "An hour of senior managers' time each week",
        "Staff survey: decisions explained",
        "Decisions are understood and trusted",
    ),
    FINDINGS[6][1][1]: (
        "Text messaging costs; about £2,000 a year",
        "Response rate and satisfaction reported each quarter",
        "The service knows what residents think of repairs",
    ),
}
FINDINGS_PER_AREA = (2, 2, 1)  # the first prioritised areas get most attention


def send_papers(demo: Demo) -> None:
    """The host adds its paper and evidence; a peer looks at the pack; the host lead sends it."""
    cast = demo.cast
    demo.reply(demo.command(cast.host_lead, f"/psif papers paper {HOST_PAPER}"))
    for text in EVIDENCE:
        demo.later(minutes=10)
        demo.reply(demo.command(cast.host_team, f"/psif papers add {text}"))
    demo.later(minutes=30)
    demo.reply(demo.command(cast.peers[0], "/psif papers"))
    demo.later(minutes=30)
    sent = demo.command(cast.host_lead, "/psif papers send")
    demo.reply(sent)
    demo.wait_for_call("files.completeUploadExternal", sent.calls_before)  # the report
    demo.posted(sent, channel=cast.peers[-1].id)  # the Slack Connect peer has it too


def plan_fieldwork(demo: Demo) -> None:
    """The host lead plans the interviews and focus groups; runners are told by DM."""
    lead = demo.cast.host_lead
    for kind, day, start, length, afis, runners, who, count, mode in SESSIONS:
        view = demo.modal(demo.command(lead, "/psif fieldwork plan"))
        choices = list(_labels(view, ids.FIELDWORK_AFIS))
        team = demo.cast.team
        people: list[Person] = [team[index] for index in runners]
        form: dict[str, Any] = {
            ids.FIELDWORK_KIND: kind,
            ids.FIELDWORK_DAY: day,
            ids.FIELDWORK_START: str(start),
            ids.FIELDWORK_LENGTH: length,
            ids.FIELDWORK_AFIS: sorted({choices[index] for index in afis}),
            ids.FIELDWORK_RUNNERS: [person.id for person in people],
            ids.FIELDWORK_PARTICIPANTS: who,
            ids.FIELDWORK_COUNT: count,
            ids.FIELDWORK_MODE: mode,
        }
        before = len(demo.fake.calls)
        demo.submit(lead, view, form)
        demo.posted(demo.sent_since(before), channel=people[0].id)
        demo.wait_for_call(  # the schedule in the channel, posted or brought up to date
            "chat.update" if demo.memory.get("session_afis") else "chat.postMessage",
            before,
            lambda c: c.args["channel"] == demo.channel,
        )
        labels = _labels(view, ids.FIELDWORK_AFIS)
        probed = {_afi_number(labels[value]) for value in form[ids.FIELDWORK_AFIS]}
        demo.memory.setdefault("session_afis", []).append(probed)
        demo.later(minutes=20)
    demo.reply(demo.command(demo.cast.peers[1], "/psif fieldwork"))


def record_findings(demo: Demo) -> None:
    """After the sessions, the peer reviewers note what they heard against the prioritised
    areas (from the session that probed it, else from the data); the host lead looks at the
    first of them."""
    peers = demo.cast.peers
    prioritised: list[int] = demo.memory["prioritised"]
    sessions: list[set[int]] = demo.memory["session_afis"]
    count = 0
    for number, how_many in zip(prioritised, FINDINGS_PER_AREA, strict=False):
        for kind, text in _findings_for(demo, number)[:how_many]:
            demo.memory["findings_heard"].add((kind, text))
            peer = peers[count % len(peers)]
            sent = demo.command(peer, f"/afi note {number}")
            view = demo.modal(sent)
            session = next((i + 1 for i, afis in enumerate(sessions) if number in afis), None)
            source = next(
                (
                    value
                    for value, label in _labels(view, ids.FINDING_SOURCE).items()
                    if session and label.startswith(f"Session {session}:")
                ),
                "data",
            )
            inputs = {ids.FINDING_KIND: kind, ids.FINDING_SOURCE: source, ids.FINDING_TEXT: text}
            demo.submit(peer, view, inputs)
            demo.reply(sent)  # "Recorded finding …"
            demo.later(minutes=7)
            count += 1
    demo.reply(demo.command(demo.cast.host_lead, f"/afi show {prioritised[0]}"))


def _findings_for(demo: Demo, number: int) -> tuple[tuple[str, str], ...]:
    """What could still be heard about AFI `number`, by the section its statement is from."""
    afi_text = demo.memory["afi_texts"].get(number, "")
    heard = demo.memory.setdefault("findings_heard", set())
    return tuple(f for f in FINDINGS.get(section_of(demo, afi_text), FINDINGS[0]) if f not in heard)


def _afi_number(label: str) -> int:
    """ "AFI 3: …" → 3."""
    return int(label.partition(":")[0].removeprefix("AFI "))


def _labels(view: dict[str, Any], block: str) -> dict[str, str]:
    """What a modal's select offers, value → label, in order."""
    for each in view["blocks"]:
        if str(each.get("block_id", "")).split(":")[0] == block:
            element = each["element"]
            options = list(element.get("options", []))
            for group in element.get("option_groups", []):
                options += group["options"]
            return {o["value"]: o["text"]["text"] for o in options}
    raise AssertionError(f"the modal has no {block} input")
