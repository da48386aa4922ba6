"""The scripted review `psif-bot demo` plays: `review.yaml`'s `story`, walked in order. Each
`Step` names its stage and what happens, sets the bot's clock and runs its acts: the simple ones
(a command typed, a confirmation) are the story's data, the rest are the acts here, each working
from what the bot showed, as a person would."""

from __future__ import annotations

import json
import re
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from importlib import resources
from typing import Any

import yaml

from bot.core.checklist import Answer
from bot.core.stages import Stage, stage_heading
from bot.demo.driver import field_name, options_of
from bot.demo.play import Cast, Demo, Person, Sent
from bot.slack import ids
from storage.db import transaction
from storage.models.afis import Afi
from storage.repositories.afis import list_afis, prioritised_afis
from storage.repositories.reviews import latest_review_in_channel

Act = Callable[[Demo], object]


@dataclass(frozen=True)
class Step:
    stage: str  # the review's stage, as people call it
    title: str  # what happens, for the progress line
    run: Act
    day: date | None = None  # the bot's clock moves to this day first (None: carry on)
    at: tuple[int, int] = (10, 0)  # … at this local time


REVIEW: dict[str, Any] = yaml.safe_load(
    resources.files("bot.demo").joinpath("review.yaml").read_text(encoding="utf-8")
)
FORM: dict[str, Any] = REVIEW["review_form"]
SCALE = tuple(Answer)  # in the order the checklist shows them
VOTE_CLOSE_TOP = 3
PARTIAL_SECTIONS = 4  # how far the last stakeholder gets before the self-assessment closes
FINDINGS_PER_AREA = (2, 2, 1)  # the first prioritised areas get most attention


def build_cast(stakeholders: int) -> Cast:
    cast, names = REVIEW["cast"], REVIEW["cast"]["stakeholders"]
    return Cast(
        host_lead=Person(*cast["host_lead"]),
        host_team=Person(*cast["host_team"]),
        is_lead=Person(*cast["is_lead"]),
        is_team=Person(*cast["is_team"]),
        peers=tuple(Person(*peer) for peer in cast["peers"]),
        host_participants=tuple(Person(*officer) for officer in cast["host_participants"]),
        stakeholders=tuple(
            Person(
                f"U1{i:02d}STAKE",
                names[i] if i < len(names) else f"Stakeholder {i + 1}",
                "stakeholder",
            )
            for i in range(stakeholders)
        ),
    )


# ---- the story's verbs: what review.yaml's `do` names ------------------------------------

ACTS: dict[str, Callable[..., None]] = {}


def act(run: Callable[..., None]) -> Callable[..., None]:
    ACTS[run.__name__] = run
    return run


def member(demo: Demo, role: str) -> Person:
    """A role in the cast; `peers.0` is the first peer reviewer."""
    name, _, index = role.partition(".")
    found = getattr(demo.cast, name)
    return found[int(index)] if index else found  # type: ignore[no-any-return]


@act
def say(demo: Demo, role: str, line: str) -> None:
    demo.reply(demo.command(member(demo, role), line))


@act
def post(demo: Demo, role: str, line: str) -> None:
    demo.posted(demo.command(member(demo, role), line))


@act
def file(demo: Demo, role: str, line: str) -> None:
    with_file(demo, member(demo, role), line)


@act
def upload(demo: Demo, role: str, line: str) -> None:
    with_file(demo, member(demo, role), line, answered=False)


@act
def confirm(demo: Demo, role: str, line: str, button: str) -> None:
    """`role` types `line` and confirms with the bot's `button`; the channel is told."""
    who = member(demo, role)
    confirmation = demo.reply(demo.command(who, line))
    demo.posted(demo.click(who, confirmation, getattr(ids, button), ephemeral=True))


@act
def form(demo: Demo, role: str, line: str, fields: dict[str, Any]) -> None:
    who = member(demo, role)
    demo.posted(submitted(demo, who, demo.modal(demo.command(who, line)), fields))


@act
def later(demo: Demo, **delta: float) -> None:
    demo.later(**delta)


@act
def open_home(demo: Demo, role: str) -> None:
    demo.open_home(member(demo, role))


@act
def next_stage(demo: Demo) -> None:
    confirm(demo, "host_lead", "/psif stage next", "STAGE_ADVANCE_CONFIRM")


@act
def mornings(demo: Demo, last: date) -> None:
    """The scheduler's 09:00 pass on each day up to `last`."""
    now = demo.local_now()
    day = now.date() + timedelta(days=0 if now.hour < 9 else 1)
    first = True
    while day <= last:
        demo.move_to(day, 9, 0, settle=first)
        report = demo.scheduler_pass()
        if report.failed:
            demo.note(f"the scheduler could not send {report.failed} nudges")
        day += timedelta(days=1)
        first = False


def submitted(demo: Demo, who: Person, view: dict[str, Any], inputs: dict[str, Any]) -> Sent:
    """Submit a modal; for waiting on what the bot does after."""
    before = len(demo.fake.calls)
    demo.submit(who, view, inputs)
    return demo.sent_since(before)


def with_file(demo: Demo, who: Person, line: str, answered: bool = True) -> Sent:
    """`who` types a command whose answer is a file shared in Slack."""
    sent = demo.command(who, line)
    if answered:
        demo.reply(sent)
    demo.wait_for_call("files.completeUploadExternal", sent.calls_before)
    return sent


def mentions(people: tuple[Person, ...]) -> str:
    return " ".join(f"<@{person.id}|{person.name}>" for person in people)


@act
def action_done(demo: Demo, number: int) -> None:
    """The owner of action `number` marks it done."""
    owner: Person = demo.memory["action_owners"][number - 1]
    sent = demo.command(owner, f"/action done {number}")
    demo.reply(sent)
    demo.wait_for_call("chat.update", sent.calls_before)  # its card in the channel
    demo.home_refreshed(sent, owner)


@act
def rag_from_reminder(demo: Demo, number: int, rag: str) -> None:
    """The owner of action `number` answers their reminder with a RAG status."""
    owner: Person = demo.memory["action_owners"][number - 1]
    reminder = next(
        message
        for message in reversed(demo.fake.messages_in(owner.id))
        if message.get("text", "").startswith(f"Action {number} ")
    )
    (value,) = [
        element["value"]
        for block in reminder["blocks"]
        for element in block.get("elements", [])
        if element.get("action_id") == ids.ACTION_SET_RAG and element["value"].startswith(f"{rag}:")
    ]
    sent = demo.click(owner, reminder, ids.ACTION_SET_RAG, value=value, channel=owner.id)
    demo.reply(sent)
    demo.wait_for_call("chat.update", sent.calls_before)  # its card in the channel


# ---- getting ready ---------------------------------------------------------------------------


@act
def open_review(demo: Demo) -> None:
    cast = demo.cast
    view = demo.modal(demo.command(cast.host_lead, "/psif start"))
    people = {"host_lead": cast.host_lead.id, "is_lead": cast.is_lead.id}
    teams = {"host_team": [cast.host_team.id], "is_team": [cast.is_team.id]}
    demo.posted(submitted(demo, cast.host_lead, view, FORM | people | teams))


@act
def add_peer_reviewers(demo: Demo) -> None:
    cast = demo.cast
    for peer, council in zip(cast.peers, FORM["peer_councils"], strict=False):
        sent = demo.command(
            cast.is_lead, f"/psif team add <@{peer.id}|{peer.name}> as peer {council}"
        )
        demo.reply(sent)
        demo.posted(sent)  # the channel's line
        demo.posted(sent, channel=peer.id)
        if peer.team_id:
            where = peer.role.partition(", ")[2]
            demo.note(
                f"{peer.name} works in {where}'s own Slack workspace and takes part through "
                "Slack Connect: their commands come from that workspace"
            )
        demo.later(minutes=5)
    demo.reply(demo.command(cast.peers[-1], "/psif team"))


@act
def peers_agreed(demo: Demo) -> None:
    """Each council with a peer reviewer agreed; the last one asked declined, so the documents
    name only the others."""
    lead, peers = demo.cast.is_lead, demo.cast.peers
    view = demo.modal(demo.command(lead, "/psif peers edit"))
    entries = [  # each council's entry, in the order named: its id
        field_name(block).removeprefix(ids.PEER_STATE)
        for block in view["blocks"]
        if field_name(block).startswith(ids.PEER_STATE)
    ]
    agreed: dict[str, Any] = {}
    for entry, peer in zip(entries, peers, strict=False):
        agreed[f"{ids.PEER_STATE}{entry}"] = "agreed"
        agreed[f"{ids.PEER_NOMINEES}{entry}"] = f"{peer.name}, {peer.role.partition(', ')[0]}"
    for entry in entries[len(peers) :]:
        agreed[f"{ids.PEER_STATE}{entry}"] = "declined"
        agreed[f"{ids.PEER_REASON}{entry}"] = REVIEW["peer_declined"]
    demo.posted(submitted(demo, lead, view, agreed))  # the channel's line: who agreed


# ---- pre-work ----------------------------------------------------------------------------------


@act
def invite(demo: Demo) -> None:
    stakeholders = demo.cast.stakeholders
    sent = demo.command(demo.cast.host_lead, f"/psif invite {mentions(stakeholders)}")
    demo.reply(sent)
    for person in stakeholders:
        demo.memory[f"invitation:{person.id}"] = demo.posted(sent, channel=person.id)


@act
def survey_links(demo: Demo) -> None:
    """The gritting crews have no Slack: the host lead gets two links to pass on."""
    sent = with_file(demo, demo.cast.host_lead, "/psif links 2")
    upload = demo.wait_for_call("files.completeUploadExternal", sent.calls_before)
    shared = demo.fake.files[upload.args["files"][0]["id"]]
    rows = (shared.content or b"").decode().split()[1:]
    demo.memory["survey_links"] = [urllib.parse.urlsplit(row).path for row in rows]


def answer_checklist(demo: Demo, person: Person, sections: int | None = None) -> None:
    """Answer the self-assessment from the invitation (only the first `sections`, if given)."""
    invitation = demo.memory[f"invitation:{person.id}"]
    view = demo.modal(demo.click(person, invitation, ids.CHECKLIST_START, channel=f"D{person.id}"))
    answered = 0
    while view.get("callback_id") == ids.CHECKLIST_SECTION_MODAL:
        if sections is not None and answered == sections:
            demo.note(f"{person.name} saved {sections} sections and stopped there")
            return
        view = demo.submit(person, view, section_answers(demo, view))
        answered += 1
    finished = submitted(demo, person, view, {})  # the summary screen's Finish
    demo.posted(finished, channel=person.id)
    demo.home_refreshed(finished, person)
    demo.note(f"{person.name} finished the self-assessment")


def weights(section: int) -> list[float]:
    climate = REVIEW["section_climate"]
    return list(climate.get(section, climate[1]))


def comment(demo: Demo, section: int) -> tuple[str, str] | None:
    """Now and then, a (strength, improvement) on `section` that no one has written yet."""
    unused = {key: list(pairs) for key, pairs in REVIEW["checklist_comments"].items()}
    left = demo.memory.setdefault("comments", unused).get(section, [])
    if left and demo.rng.random() < 0.3:
        strength, improvement = left.pop(demo.rng.randrange(len(left)))
        return strength, improvement
    return None


def section_answers(demo: Demo, view: dict[str, Any]) -> dict[str, Any]:
    """One section's answers, varied from the seed, with a blank now and then."""
    section = int(json.loads(view["private_metadata"])["section"])
    weighted = weights(section)
    inputs: dict[str, Any] = {}
    for name in map(field_name, view["blocks"]):
        if name.startswith(ids.CHECKLIST_STATEMENT):
            tilt = demo.rng.uniform(-0.5, 0.5)
            tilted = [w * (1 + tilt) for w in weighted[:2]] + [
                w * (1 - tilt) for w in weighted[2:4]
            ]
            answer = demo.rng.choices(SCALE, [*tilted, weighted[4]])[0]
            inputs[name] = None if demo.rng.random() < 0.02 else answer.value
    if said := comment(demo, section):
        strengths, improvements = (
            f"{ids.CHECKLIST_STRENGTHS}{section}",
            f"{ids.CHECKLIST_IMPROVEMENTS}{section}",
        )
        inputs[strengths], inputs[improvements] = said
    return inputs


def answer_in_turn(demo: Demo, group: tuple[Person, ...], shown_in_full: int) -> None:
    for index, person in enumerate(group):
        if index < shown_in_full:
            answer_checklist(demo, person)
        else:
            with demo.transcript.briefly():
                answer_checklist(demo, person)
        demo.later(minutes=demo.rng.randint(20, 90))


def late_ones(cast: Cast) -> int:
    """How many answer only after the reminders: about a quarter, at least one."""
    return max(1, len(cast.stakeholders) // 4)


@act
def early_answers(demo: Demo) -> None:
    answer_in_turn(demo, demo.cast.stakeholders[: -late_ones(demo.cast)], shown_in_full=1)


WEB_RESPONDENTS = ("A gritter driver", "A road worker")
_STATEMENT_FIELD = re.compile(r'name="(s\d+_\d+)" value="')
_CSRF = re.compile(r'name="csrf" value="([0-9a-f]+)"')
_SECTION = re.compile(r'name="section" value="(\d+)"')


def web_section_form(demo: Demo, page: str) -> dict[str, str]:
    """A section page's form filled in as `section_answers` fills a modal."""
    section = int(_SECTION.findall(page)[0])
    form = {"csrf": _CSRF.findall(page)[0], "section": str(section)}
    for field in dict.fromkeys(_STATEMENT_FIELD.findall(page)):
        form[field] = demo.rng.choices(SCALE, weights(section))[0].value
    if said := comment(demo, section):
        form["strengths"], form["improvements"] = said
    form["go"] = "next" if "Save and go to the next section" in page else "check"
    return form


def answer_in_browser(demo: Demo, who: str, path: str, stop_after: int | None = None) -> None:
    """Answer the sections on the link's page (or `stop_after` some), then send the answers."""
    page = demo.browse(who, path)
    saved = 0
    while 'name="section"' in page:
        if stop_after is not None and saved == stop_after:
            demo.note(f"{who} saved {saved} sections and closed the page")
            return
        doing = "answers the section and presses the button to save it"
        page = demo.browse(who, path, form=web_section_form(demo, page), doing=doing)
        saved += 1
    sending = {"csrf": _CSRF.findall(page)[0], "go": "finish"}
    demo.browse(who, path, form=sending, doing="checks the answers and presses [Send my answers]")
    demo.note(f"{who} sent their answers from the web page")


@act
def web_answers(demo: Demo) -> None:
    first, second = demo.memory["survey_links"]
    answer_in_browser(demo, WEB_RESPONDENTS[0], first, stop_after=3)
    demo.later(hours=1)
    demo.note(f"{WEB_RESPONDENTS[0]} opens the same link again: it carries on where they left off")
    answer_in_browser(demo, WEB_RESPONDENTS[0], first)
    with demo.transcript.briefly():
        answer_in_browser(demo, WEB_RESPONDENTS[1], second)


@act
def late_answers(demo: Demo) -> None:
    """All but the last of the rest finish; the last gets part of the way."""
    *finishing, last = demo.cast.stakeholders[-late_ones(demo.cast) :]
    answer_in_turn(demo, tuple(finishing), shown_in_full=0)
    answer_checklist(demo, last, sections=PARTIAL_SECTIONS)


@act
def show_first_afi(demo: Demo) -> None:
    """One line per area; Show gives the first in full, its figures under its wording."""
    lead = demo.cast.is_lead
    listing = demo.reply(demo.command(lead, "/afi list"))
    demo.reply(demo.click(lead, listing, ids.AFI_SHOW, label="on AFI 1", ephemeral=True))


@act
def add_participants(demo: Demo) -> None:
    """The host lead names the host's officers taking part in fieldwork; they are welcomed."""
    officers = demo.cast.host_participants
    added = demo.command(demo.cast.host_lead, f"/psif participants add {mentions(officers)}")
    demo.reply(added)
    demo.posted(added, channel=officers[0].id)  # their welcome


@act
def send_papers(demo: Demo) -> None:
    sent = with_file(demo, demo.cast.host_lead, "/psif papers send")  # the report
    demo.posted(sent, channel=demo.cast.peers[-1].id)  # the Slack Connect peer has it too
    demo.wait_for_call(  # each host participant has it, the report in its thread
        "files.completeUploadExternal",
        sent.calls_before,
        lambda call: call.args.get("channel_id") in demo.fake.dm_ids.values(),
    )


@act
def plan_fieldwork(demo: Demo) -> None:
    """Runners are told by DM; the schedule in the channel is posted, then brought up to date;
    the host's officers taking part, who aren't in the channel, are sent it."""
    lead, team = demo.cast.host_lead, demo.cast.team
    for session in REVIEW["fieldwork_sessions"]:
        view = demo.modal(demo.command(lead, "/psif fieldwork plan"))
        labels = labels_of(view, ids.FIELDWORK_AFIS)
        choices = list(labels)
        runners = [team[index] for index in session["runners"]]
        form: dict[str, Any] = {  # each field as review.yaml has it, by its ids name
            getattr(ids, f"FIELDWORK_{key.upper()}"): value for key, value in session.items()
        }
        form[ids.FIELDWORK_AFIS] = sorted({choices[index] for index in session["afis"]})
        form[ids.FIELDWORK_RUNNERS] = [person.id for person in runners]
        sent = submitted(demo, lead, view, form)
        demo.posted(sent, channel=runners[0].id)
        demo.wait_for_call(
            "chat.update" if demo.memory.get("session_afis") else "chat.postMessage",
            sent.calls_before,
            lambda c: c.args["channel"] == demo.channel,
        )
        probed = {afi_number(labels[value]) for value in form[ids.FIELDWORK_AFIS]}
        demo.memory.setdefault("session_afis", []).append(probed)
        demo.later(minutes=20)
    demo.reply(demo.command(demo.cast.peers[1], "/psif fieldwork"))
    sent = demo.command(lead, "/psif participants send")
    demo.reply(sent)
    demo.posted(sent, channel=demo.cast.host_participants[0].id)


# ---- fieldwork -------------------------------------------------------------------------------


@act
def vote(demo: Demo) -> None:
    """Each of the team votes for three areas, favouring the self-assessment's weakest; the host
    lead closes the vote, keeping the top three. Areas tied for the last place go to a
    tie-break: one vote each."""
    lead = demo.cast.host_lead
    view = demo.modal(demo.command(lead, "/afi vote"))
    cast_votes(demo, demo.posted(submitted(demo, lead, view, {})), per_voter=3)
    # The result in the channel names the closer: no separate answer to them.
    result = demo.posted(demo.command(lead, f"/afi close {VOTE_CLOSE_TOP}"))
    if any(
        element.get("action_id") == ids.AFI_TIE_BREAK
        for block in result.get("blocks", [])
        for element in block.get("elements", [])
    ):
        demo.later(minutes=10)
        clicked = demo.click(lead, result, ids.AFI_TIE_BREAK)
        demo.reply(clicked)
        cast_votes(demo, demo.posted(clicked), per_voter=1)
        demo.posted(demo.command(lead, "/afi close"))
    demo.memory["prioritised"] = [afi.number for afi in review_afis(demo, prioritised_afis)]


def cast_votes(demo: Demo, ballot: dict[str, Any], per_voter: int) -> None:
    """Each of the team votes from `ballot` for `per_voter` areas, favouring those listed first."""
    buttons: dict[int, str] = {}  # AFI number → its Vote button's value
    number = 0
    for block in ballot["blocks"]:
        text = block.get("text", {}).get("text", "") if block["type"] == "section" else ""
        if text.startswith("*") and ".*" in text:
            number = int(text[1 : text.index(".*")])
        for element in block.get("elements", []):
            if element.get("action_id") == ids.AFI_VOTE_ADD:
                buttons[number] = element["value"]
    numbers = sorted(buttons)
    weighted = [len(numbers) - position for position in range(len(numbers))]
    for voter in demo.cast.team:
        chosen: list[int] = []
        while len(chosen) < min(per_voter, len(numbers)):
            pick = demo.rng.choices(numbers, weighted)[0]
            if pick not in chosen:
                chosen.append(pick)
        for number in chosen:
            label = f"on AFI {number}"
            demo.reply(
                demo.click(voter, ballot, ids.AFI_VOTE_ADD, value=buttons[number], label=label)
            )
    everyone = f"{len(demo.cast.team)} people have voted"
    demo.wait_until(
        lambda: everyone in demo.fake.messages_in(demo.channel)[-1]["text"], "counted every vote"
    )


def who_heard(demo: Demo, number: int) -> tuple[int | None, list[Person]]:
    """The first session that probed AFI `number` (its index; None when none did) and the peer
    reviewers who record what was heard about it: those who ran that session, else any."""
    sessions: list[set[int]] = demo.memory["session_afis"]
    session = next((i for i, afis in enumerate(sessions) if number in afis), None)
    ran = REVIEW["fieldwork_sessions"][session]["runners"] if session is not None else []
    peers = demo.cast.peers
    return session, [p for p in (demo.cast.team[i] for i in ran) if p in peers] or list(peers)


def finding_form(view: dict[str, Any], kind: str, session: int | None, text: str) -> dict[str, str]:
    """The finding form filled in: its Source is the session at index `session`, else the data."""
    source = next(
        (
            value
            for value, label in labels_of(view, ids.FINDING_SOURCE).items()
            if session is not None and label.startswith(f"Session {session + 1}:")
        ),
        "data",
    )
    return {ids.FINDING_KIND: kind, ids.FINDING_SOURCE: source, ids.FINDING_TEXT: text}


@act
def early_finding(demo: Demo) -> None:
    """The guidance records what a session found after it: a peer reviewer noting a point from
    tomorrow's session is asked first, and cancels."""
    probed = [  # prioritised areas a session probes, with what it will hear
        (number, *who_heard(demo, number), area_of(demo, number))
        for number in demo.memory["prioritised"]
    ]
    chosen = next((p for p in probed if p[1] is not None and p[3]), None)
    if chosen is None:  # no session probes a prioritised area this time
        return
    number, session, recorders, heard = chosen
    peer = recorders[0]
    view = demo.modal(demo.command(peer, f"/afi note {number}"))
    question = demo.submit(peer, view, finding_form(view, "concern", session, heard["concern"]))
    if question.get("callback_id") != ids.FINDING_EARLY_MODAL:
        raise AssertionError("the bot recorded a finding before its session without asking")
    demo.note(f"{peer.name} cancels, to record it after the session")


@act
def record_findings(demo: Demo) -> None:
    """What was heard about a prioritised area is noted by a peer reviewer who ran the session
    that probed it, else from the data."""
    prioritised: list[int] = demo.memory["prioritised"]
    count = 0
    for number, how_many in zip(prioritised, FINDINGS_PER_AREA, strict=False):
        heard = [(kind, text) for kind, text in area_of(demo, number).items() if kind != "plan"]
        session, recorders = who_heard(demo, number)
        for kind, text in heard[:how_many]:
            peer = recorders[count % len(recorders)]
            sent = demo.command(peer, f"/afi note {number}")
            view = demo.modal(sent)
            demo.submit(peer, view, finding_form(view, kind, session, text))
            demo.reply(sent)  # "Recorded finding …"
            demo.later(minutes=7)
            count += 1
            demo.memory.setdefault("finding_kinds", {})[count] = kind  # numbered from 1
    demo.reply(demo.command(demo.cast.host_lead, f"/afi show {prioritised[0]}"))


@act
def log_actions(demo: Demo) -> None:
    """One action per prioritised area, carrying out fieldwork's option for it if there is one;
    owners come from the host council (peer reviewers go home after the review)."""
    cast = demo.cast
    loggers = (cast.host_lead, cast.is_lead)
    owners = [cast.host_team, cast.is_team, *cast.stakeholders]
    view = demo.modal(demo.command(cast.host_lead, "/action log"))
    prioritised = first_options(view, "Prioritised areas", count=None)
    for index, (afi_value, afi_label) in enumerate(prioritised):
        if index:
            demo.later(minutes=25)
            view = demo.modal(demo.command(loggers[index % 2], "/action log"))
        owner = owners[(index * 3) % len(owners)]
        number = afi_number(afi_label)  # the label is "AFI 3: <text, maybe cut short>"
        area = area_of(demo, number)
        if area:
            key, plan = area["option"], area["plan"]
        else:
            prefix, *plan = REVIEW["plain_action"]
            wording = afi_of(demo, number)[1]
            key = f"{prefix} {wording[:1].lower()}{wording[1:]}"
        risks, measure, outcome = plan
        due = REVIEW["action_due"][index % len(REVIEW["action_due"])]
        form = {
            ids.ACTION_AFI: afi_value,
            ids.ACTION_OWNER: owner.id,
            ids.ACTION_DUE: due,
            ids.ACTION_KEY: key,
            ids.ACTION_RISKS: risks,
            ids.ACTION_MEASURE: measure,
            ids.ACTION_OUTCOME: outcome,
        }
        # The option for improvement fieldwork found for this AFI, if the form offers it.
        options = first_options(view, afi_label.partition(":")[0], block=ids.ACTION_OPTION)
        if options:
            form[ids.ACTION_OPTION] = options[0][0]
        sent = submitted(demo, loggers[index % 2], view, form)
        demo.posted(sent)
        demo.posted(sent, channel=owner.id)  # the owner is told
        demo.home_refreshed(sent, owner)
        demo.memory.setdefault("action_owners", []).append(owner)
        logged = {"number": index + 1, "key": key, "measure": measure, "due": due}
        demo.memory.setdefault("actions", []).append(logged)


# ---- reporting, sharing and follow-up ------------------------------------------------------


@act
def draft_report(demo: Demo) -> None:
    """A lead builds the next numbered draft: a post with the Word and Markdown files."""
    demo.memory["draft"] = demo.posted(with_file(demo, demo.cast.host_lead, "/psif report"))


@act
def comment_on_draft(demo: Demo) -> None:
    """Two peer reviewers comment on actions in the draft's plan; the comments go to its thread."""
    draft = demo.memory["draft"]
    for peer, comment in zip(demo.cast.peers, REVIEW["draft_comments"], strict=False):
        demo.later(hours=3)
        view = demo.modal(demo.click(peer, draft, ids.REPORT_COMMENT))
        text = comment["comment"].format(**commented_action(demo, comment))
        sent = submitted(demo, peer, view, {ids.REPORT_COMMENT_TEXT: text})
        demo.wait_for_call(
            "chat.postMessage", sent.calls_before, lambda c: bool(c.args.get("thread_ts"))
        )
    demo.later(hours=1)
    demo.memory["open_comments"] = demo.reply(
        demo.command(demo.cast.host_lead, "/psif report comments")
    )


def commented_action(demo: Demo, comment: dict[str, Any]) -> dict[str, str]:
    """The action a draft comment is about, as the report shows it."""
    action = demo.memory["actions"][comment["action"] - 1]
    due = date.fromisoformat(action["due"])
    return {
        "number": str(action["number"]),
        "key": action["key"].rstrip("."),
        "due": f"{due.day} {due:%B %Y}",
        "measure": action["measure"],
    }


@act
def redraft(demo: Demo) -> None:
    """The host lead makes the change each comment asks for and resolves it; draft 2 shows them."""
    lead, listing = demo.cast.host_lead, demo.memory["open_comments"]
    fields = {"due": ids.ACTION_DUE, "measure": ids.ACTION_MEASURE}
    for comment in REVIEW["draft_comments"]:
        action = commented_action(demo, comment)
        view = demo.modal(demo.command(lead, f"/action edit {action['number']}"))
        change = {fields[name]: value.format(**action) for name, value in comment["change"].items()}
        sent = submitted(demo, lead, view, change)
        demo.wait_for_call("chat.update", sent.calls_before)  # the action's card in the channel
        demo.later(minutes=10)
    resolve_buttons = [
        element["value"]
        for block in listing.get("blocks", [])
        for element in [*block.get("elements", []), block.get("accessory", {})]
        if element.get("action_id") == ids.REPORT_RESOLVE
    ]
    for value, comment in zip(resolve_buttons, REVIEW["draft_comments"], strict=True):
        demo.reply(demo.click(lead, listing, ids.REPORT_RESOLVE, value=value, ephemeral=True))
        # Resolving takes no note: what changed is said here.
        demo.note(comment["changed"].format(**commented_action(demo, comment)))
    demo.later(minutes=30)
    draft_report(demo)


@act
def learning_to_share(demo: Demo) -> None:
    """The host lead marks the strengths and options fieldwork found as worth sharing across
    Scottish local government; the IS lead looks at the first area."""
    kinds: dict[int, str] = demo.memory.get("finding_kinds", {})
    for number, kind in kinds.items():
        if kind in ("strength", "option"):
            demo.reply(demo.command(demo.cast.host_lead, f"/afi share {number}"))
            demo.later(minutes=3)
    demo.reply(demo.command(demo.cast.is_lead, f"/afi show {demo.memory['prioritised'][0]}"))


# ---- reading what the bot showed -----------------------------------------------------------


def labels_of(view: dict[str, Any], block: str) -> dict[str, str]:
    """What a modal's select offers, value → label, in order."""
    for each in view["blocks"]:
        if field_name(each) == block:
            return {o["value"]: o["text"]["text"] for o in options_of(each["element"])}
    raise AssertionError(f"the modal has no {block} input")


def first_options(
    view: dict[str, Any], group: str, *, block: str | None = None, count: int | None = 1
) -> list[tuple[str, str]]:
    """The first `count` (value, label) of the option group `group` (in input `block`, if given)."""
    for each in view["blocks"]:
        if block is not None and field_name(each) != block:
            continue
        for found in each.get("element", {}).get("option_groups", []):
            if found["label"]["text"] == group:
                return [(o["value"], o["text"]["text"]) for o in found["options"][:count]]
    return []


def afi_number(label: str) -> int:
    """ "AFI 3: …" → 3."""
    return int(label.partition(":")[0].removeprefix("AFI "))


def area_of(demo: Demo, number: int) -> dict[str, Any]:
    """What review.yaml says was heard about AFI `number`, by its statement or else its wording."""
    statement, text = afi_of(demo, number)
    found: dict[str, Any] = REVIEW["areas"].get(statement or text, {})
    return found


def afi_of(demo: Demo, number: int) -> tuple[str | None, str]:
    """AFI `number`'s checklist statement (None when the team added it) and wording."""
    afis = review_afis(demo, list_afis)
    return next((afi.statement_id, afi.text) for afi in afis if afi.number == number)


def review_afis(demo: Demo, query: Callable[..., list[Afi]]) -> list[Afi]:
    """The review's AFIs that the repository's `query` finds."""
    with transaction(demo.deps.sessions) as session:
        review = latest_review_in_channel(session=session, channel_id=demo.channel)
        assert review is not None
        return query(session=session, review_id=review.id)


def _steps() -> list[Step]:
    """review.yaml's story as steps; an act it names that isn't here fails at once."""
    steps: list[Step] = []
    for stage, entries in REVIEW["story"].items():
        for entry in entries:
            names = [each if isinstance(each, str) else next(iter(each)) for each in entry["do"]]
            if unknown := [name for name in names if name not in ACTS]:
                raise ValueError(f"review.yaml: {entry['title']!r} names no act {unknown}")
            hour, _, minute = str(entry.get("at", "10:00")).partition(":")
            heading, run = stage_heading(Stage(stage)), _performing(entry["do"])
            steps.append(
                Step(heading, entry["title"], run, entry.get("day"), (int(hour), int(minute)))
            )
    return steps


def _performing(entries: list[Any]) -> Act:
    """A step's `do`: each entry an act's name, or {name: its argument, arguments or keywords}."""

    def run(demo: Demo) -> None:
        for entry in entries:
            if isinstance(entry, str):
                ACTS[entry](demo)
                continue
            ((name, given),) = entry.items()
            if isinstance(given, dict):
                ACTS[name](demo, **given)
            else:
                ACTS[name](demo, *(given if isinstance(given, list) else [given]))

    return run


SCRIPT: list[Step] = _steps()
