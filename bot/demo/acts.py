"""What people do in the scripted review: one function per step of `bot.demo.script`.

Each act works from what the bot showed (the modal's inputs, the message's buttons), as a
person would, and waits for the bot's answer before the next act begins.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from bot.demo import acts_fieldwork, people
from bot.demo.cast import Cast, Person
from bot.demo.session import Demo
from bot.slack import ids
from storage.db import transaction
from storage.repositories.afis import prioritised_afis
from storage.repositories.reviews import latest_review_in_channel

FORM = {
    "host_council": "Fife",
    "focus": "Roads maintenance: how we plan, prioritise and explain repairs",
    "rationale": "Our road condition indicator has fallen behind our family group and "
    "complaints about repairs have doubled in two years.",
    "peer_councils": ["Angus", "Stirling", "Moray"],
    "peer_rationale": "Similar road networks; Angus and Stirling improved their "
    "condition scores fastest.",
    "fieldwork_start": "2027-03-03",
    "fieldwork_end": "2027-03-05",
}
TEAM_AFIS = (
    "Residents are not told when a reported defect will be repaired",
    "Winter maintenance plans are not shared with community councils",
)
VOTE_CLOSE_TOP = 3
INITIAL_MEETING = "2027-01-08"
PARTIAL_SECTIONS = 4  # how far the last stakeholder gets before the self-assessment closes


def open_review(demo: Demo) -> None:
    cast = demo.cast
    view = demo.modal(demo.command(cast.host_lead, "/psif start"))
    form = FORM | {
        "host_lead": cast.host_lead.id,
        "is_lead": cast.is_lead.id,
        "host_team": [cast.host_team.id],
        "is_team": [cast.is_team.id],
    }
    before = len(demo.fake.calls)
    demo.submit(cast.host_lead, view, form)
    demo.wait_for_call("chat.postMessage", before, lambda c: c.args["channel"] == demo.channel)


def add_peer_reviewers(demo: Demo) -> None:
    """The IS lead adds a peer reviewer from each council; each is told by direct message."""
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


def edit_review(demo: Demo) -> None:
    """The host lead records the initial meeting, which took place before the review opened."""
    lead = demo.cast.host_lead
    view = demo.modal(demo.command(lead, "/psif edit"))
    before = len(demo.fake.calls)
    demo.submit(lead, view, {"initial_meeting": INITIAL_MEETING})
    demo.posted(demo.sent_since(before))


def show_status(demo: Demo) -> None:
    demo.reply(demo.command(demo.cast.is_lead, "/psif status"))


def next_stage(demo: Demo) -> None:
    lead = demo.cast.host_lead
    confirmation = demo.reply(demo.command(lead, "/psif stage next"))
    sent = demo.click(lead, confirmation, ids.STAGE_ADVANCE_CONFIRM, ephemeral=True)
    demo.posted(sent)


def invite(demo: Demo) -> None:
    stakeholders = demo.cast.stakeholders
    mentions = " ".join(f"<@{person.id}|{person.name}>" for person in stakeholders)
    sent = demo.command(demo.cast.host_lead, f"/psif invite {mentions}")
    demo.reply(sent)
    for person in stakeholders:
        demo.memory[f"invitation:{person.id}"] = demo.posted(sent, channel=person.id)


def answer_checklist(demo: Demo, person: Person, sections: int | None = None) -> None:
    """Open the self-assessment from the invitation and answer every section (or only the
    first `sections`, then stop without finishing)."""
    invitation = demo.memory[f"invitation:{person.id}"]
    sent = demo.click(person, invitation, ids.CHECKLIST_START, channel=f"D{person.id}")
    view = demo.modal(sent)
    answered = 0
    while view.get("callback_id") == ids.CHECKLIST_SECTION_MODAL:
        if sections is not None and answered == sections:
            demo.note(f"{person.name} saved {sections} sections and stopped there")
            return
        comments = demo.memory.setdefault("comments", people.unused_comments())
        view = demo.submit(person, view, people.answers_for(view, demo.rng, comments))
        answered += 1
    before = len(demo.fake.calls)
    demo.submit(person, view, {})  # the summary screen's Finish
    demo.wait_for_call("chat.postMessage", before, lambda c: c.args["channel"] == person.id)
    demo.home_refreshed(demo.sent_since(before), person)
    demo.note(f"{person.name} finished the self-assessment")


def _answer_in_turn(demo: Demo, group: tuple[Person, ...], shown_in_full: int) -> None:
    for index, person in enumerate(group):
        if index < shown_in_full:
            answer_checklist(demo, person)
        else:
            with demo.transcript.briefly():
                answer_checklist(demo, person)
        demo.later(minutes=demo.rng.randint(20, 90))


def early_answers(demo: Demo) -> None:
    _answer_in_turn(demo, people.early(demo.cast), shown_in_full=1)


def late_answers(demo: Demo) -> None:
    """All but the last of the rest finish; the last gets part of the way."""
    *finishing, last = people.late(demo.cast)
    _answer_in_turn(demo, tuple(finishing), shown_in_full=0)
    answer_checklist(demo, last, sections=PARTIAL_SECTIONS)


def close_self_assessment(demo: Demo) -> None:
    """The host lead closes the self-assessment early, after the bot's confirmation."""
    lead = demo.cast.host_lead
    confirmation = demo.reply(demo.command(lead, "/psif checklist close"))
    sent = demo.click(lead, confirmation, ids.CHECKLIST_CLOSE_CONFIRM, ephemeral=True)
    demo.posted(sent)


def mornings_until(last: date) -> Callable[[Demo], None]:
    """A step running the scheduler's 09:00 pass on each day up to `last`."""

    def run(demo: Demo) -> None:
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

    return run


def results(demo: Demo) -> None:
    cast = demo.cast
    sent = demo.command(cast.host_lead, "/psif results")
    demo.wait_for_call("files.completeUploadExternal", sent.calls_before)
    demo.later(minutes=20)
    sent = demo.command(cast.is_lead, "/psif results export")
    demo.wait_for_call("files.completeUploadExternal", sent.calls_before)


def areas_for_improvement(demo: Demo) -> None:
    cast = demo.cast
    sent = demo.command(cast.host_lead, "/afi import")
    # The form offers each candidate worded as a gap; the lead adds them as offered.
    demo.submit(cast.host_lead, demo.modal(sent), {})
    demo.posted(sent)  # the imported areas, listed in the channel
    for person, text in zip((cast.host_team, cast.is_team), TEAM_AFIS, strict=True):
        demo.later(minutes=15)
        demo.reply(demo.command(person, f"/afi add {text}"))
    demo.reply(demo.command(cast.is_lead, "/afi list"))


def vote(demo: Demo) -> None:
    cast = demo.cast
    view = demo.modal(demo.command(cast.host_lead, "/afi vote"))
    before = len(demo.fake.calls)
    demo.submit(cast.host_lead, view, {})
    ballot = demo.posted(demo.sent_since(before))
    buttons = people.vote_buttons(ballot)
    demo.memory["afi_texts"] = people.afi_texts(ballot)
    for voter in cast.team:
        for number in people.choose_votes(buttons, demo.rng):
            demo.reply(
                demo.click(
                    voter, ballot, ids.AFI_VOTE_ADD, value=buttons[number], label=f"on AFI {number}"
                )
            )
    everyone = f"{len(cast.team)} people have voted"
    demo.wait_until(
        lambda: everyone in demo.fake.messages_in(demo.channel)[-1]["text"], "counted every vote"
    )
    # The result in the channel names the closer: no separate answer to them.
    sent = demo.command(cast.host_lead, f"/afi close {VOTE_CLOSE_TOP}")
    with transaction(demo.deps.sessions) as session:
        review = latest_review_in_channel(session=session, channel_id=demo.channel)
        assert review is not None
        demo.memory["prioritised"] = [
            afi.number for afi in prioritised_afis(session=session, review_id=review.id)
        ]
    demo.posted(sent)


def log_actions(demo: Demo) -> None:
    cast = demo.cast
    loggers = (cast.host_lead, cast.is_lead)
    view = demo.modal(demo.command(cast.host_lead, "/action log"))
    prioritised = people.prioritised_options(view)
    for index, (afi_value, afi_label) in enumerate(prioritised):
        if index:
            demo.later(minutes=25)
            view = demo.modal(demo.command(loggers[index % 2], "/action log"))
        # Owners come from the host council: peer reviewers go home after the review.
        owners = [cast.host_team, cast.is_team, *cast.stakeholders]
        owner = owners[(index * 3) % len(owners)]
        action = people.action_for(demo, afi_label)
        option = people.option_for(view, afi_label)
        if option is not None:  # the action carries out what fieldwork suggested
            shown = option[1].partition(": ")[2].removesuffix("…")
            heard = (text for _, text in demo.memory.get("findings_heard", ()))
            key = next((t for t in heard if t.startswith(shown)), shown)
            action = (key, *acts_fieldwork.OPTION_PLANS.get(key, action[1:]))
        form = people.action_form(index, afi_value, action, owner)
        if option is not None:
            form[ids.ACTION_OPTION] = option[0]
        before = len(demo.fake.calls)
        demo.submit(loggers[index % 2], view, form)
        sent = demo.sent_since(before)
        demo.posted(sent)
        demo.posted(sent, channel=owner.id)  # the owner is told
        demo.home_refreshed(sent, owner)
        demo.memory.setdefault("action_owners", []).append(owner)


def plan(demo: Demo) -> None:
    cast = demo.cast
    demo.posted(demo.command(cast.is_lead, "/action plan"))
    sent = demo.command(cast.host_lead, "/action export")
    demo.wait_for_call("files.completeUploadExternal", sent.calls_before)


def action_done(number: int) -> Callable[[Demo], None]:
    """A step in which the owner of action `number` marks it done."""

    def run(demo: Demo) -> None:
        owner: Person = demo.memory["action_owners"][number - 1]
        sent = demo.command(owner, f"/action done {number}")
        demo.reply(sent)
        demo.wait_for_call("chat.update", sent.calls_before)  # its card in the channel
        demo.home_refreshed(sent, owner)

    return run


def milestone_done(milestone: str, who: Callable[[Cast], Person]) -> Callable[[Demo], None]:
    """A step in which someone records a timeline milestone done (`/psif done …`)."""

    def run(demo: Demo) -> None:
        demo.reply(demo.command(who(demo.cast), f"/psif done {milestone}"))

    return run


def home(demo: Demo) -> None:
    demo.open_home(demo.cast.host_lead)
