"""A lead's Home tab: how each review they lead is going (counts only, never who), and
buttons doing what `/psif invite`, `/psif results`, `/afi vote` and `/action plan` do."""

from __future__ import annotations

from typing import Any

from bot.core.checklist import Answer
from bot.core.roles import Role
from bot.demo.driver import SlackDriver
from bot.demo.fake_slack import FakeSlack, validate_view
from bot.deps import Deps
from bot.review_access import get_review
from bot.slack import ids
from storage.db import transaction
from storage.repositories.team import set_lead

from action_helpers import log_action, seed_review_with_afis, wait_until
from checklist_helpers import (
    CHANNEL,
    answer_everything,
    close_early,
    dm_to,
    invite,
    mark_finished,
    seed_checklist_review,
)
from conftest import SettableClock


def home_of(slack: SlackDriver, fake: FakeSlack, user: str) -> dict[str, Any]:
    before = len(fake.calls_to("views.publish"))
    slack.open_home(user)
    fake.wait_for("views.publish", before + 1)
    wait_until(lambda: user in fake.home_tabs, f"{user}'s Home tab")
    home = fake.home_tabs[user]
    assert validate_view({k: home[k] for k in ("type", "blocks")}, "home") == []
    return home


def dms_to(fake: FakeSlack, user: str) -> list[str]:
    return [
        str(call.args.get("text"))
        for call in fake.calls_to("chat.postMessage")
        if call.args.get("channel") == user and call.ok
    ]


def wait_for_dm(fake: FakeSlack, user: str, count: int) -> list[str]:
    wait_until(lambda: len(dms_to(fake, user)) >= count, f"direct message {count} to {user}")
    return dms_to(fake, user)


def test_a_lead_sees_completion_vote_actions_and_whats_next_in_counts_only(
    slack: SlackDriver, fake_slack: FakeSlack, deps: Deps
) -> None:
    review_id = seed_checklist_review(deps)
    invite(slack, fake_slack, "USTAKE", "UOTHER")
    with transaction(deps.sessions) as session:
        mark_finished(session, deps, review_id=review_id, user_id="USTAKE")

    for lead in ("UHOST", "UIS"):
        shown = str(home_of(slack, fake_slack, lead)["blocks"])
        assert "You lead this review" in shown
        assert "1 of 2 invited have finished (50%)" in shown
        assert "Vote: not started · 0 areas for improvement so far" in shown
        assert "Actions: none open" in shown
        assert "Next: Papers circulated, 16 February 2027" in shown
        for action_id in (ids.HOME_INVITE, ids.HOME_RESULTS, ids.HOME_VOTE, ids.HOME_PLAN):
            assert action_id in shown
        # Counts only: nothing says who has finished.
        assert "USTAKE" not in shown and "UOTHER" not in shown

    team_member = str(home_of(slack, fake_slack, "UH2")["blocks"])
    assert "Fife: Roads maintenance" in team_member
    assert "You lead this review" not in team_member and ids.HOME_PLAN not in team_member


def test_a_lead_sees_overdue_actions_and_a_vote_in_progress(
    slack: SlackDriver, fake_slack: FakeSlack, deps: Deps, clock: SettableClock
) -> None:
    seed_review_with_afis(deps.sessions)
    log_action(slack, fake_slack, action_key="Soon step", action_due="2026-12-01")
    log_action(slack, fake_slack, action_key="Later step", action_due="2027-03-01")
    clock.advance(days=10)
    opened = len(fake_slack.calls_to("views.open"))
    slack.command("/afi", "vote", user="UHOST", channel=CHANNEL)
    modal = fake_slack.wait_for("views.open", opened + 1)[-1].response["view"]
    assert slack.submit_view(modal, {}, user="UHOST").status == 200

    wait_until(
        lambda: "Vote open" in str(home_of(slack, fake_slack, "UHOST")["blocks"]),
        "the vote on the lead's Home",
    )
    shown = str(home_of(slack, fake_slack, "UHOST")["blocks"])
    assert "Vote open: 0 votes from 0 people so far" in shown
    assert "Actions: 2 open · ⚠️ 1 overdue" in shown


def test_the_plan_and_vote_buttons_do_what_the_commands_do(
    slack: SlackDriver, fake_slack: FakeSlack, deps: Deps
) -> None:
    seed_review_with_afis(deps.sessions)
    log_action(slack, fake_slack, action_key="Publish a dashboard")
    slack.command("/action", "plan", user="UHOST", channel=CHANNEL)
    wait_until(lambda: "Improvement plan" in str(fake_slack.messages_in(CHANNEL)[-1]), "plan")
    typed_plan = fake_slack.messages_in(CHANNEL)[-1]
    before = len(fake_slack.messages_in(CHANNEL))

    home_of(slack, fake_slack, "UHOST")
    slack.click_in_home(ids.HOME_PLAN, user="UHOST")
    wait_until(lambda: len(fake_slack.messages_in(CHANNEL)) > before, "the plan from Home")
    pressed_plan = fake_slack.messages_in(CHANNEL)[-1]
    assert pressed_plan["text"] == typed_plan["text"]
    assert "Publish a dashboard" in str(pressed_plan["blocks"])
    assert wait_for_dm(fake_slack, "UHOST", 1)[-1] == f"The plan is on its way to <#{CHANNEL}>."

    opened = len(fake_slack.calls_to("views.open"))
    slack.click_in_home(ids.HOME_VOTE, user="UHOST")
    call = fake_slack.wait_for("views.open", opened + 1)[-1]
    assert call.ok and call.response["view"]["callback_id"] == ids.AFI_VOTE_MODAL


def test_the_results_button_answers_as_the_command_does(
    slack: SlackDriver, fake_slack: FakeSlack, deps: Deps
) -> None:
    seed_checklist_review(deps)
    invite(slack, fake_slack, "USTAKE")
    before = len(fake_slack.responses)
    slack.command("/psif", "results", user="UHOST", channel=CHANNEL)
    typed = str(fake_slack.wait_for_responses(before + 1)[-1].body["text"])
    assert "Results are shown once it closes" in typed

    home_of(slack, fake_slack, "UHOST")
    dms = len(dms_to(fake_slack, "UHOST"))
    slack.click_in_home(ids.HOME_RESULTS, user="UHOST")
    assert wait_for_dm(fake_slack, "UHOST", dms + 1)[-1] == f"In <#{CHANNEL}>: {typed}"
    assert not any("results" in str(m.get("text")).lower() for m in fake_slack.messages_in(CHANNEL))


def test_invite_opens_a_form_whose_people_get_the_same_invitations(
    slack: SlackDriver, fake_slack: FakeSlack, deps: Deps
) -> None:
    seed_checklist_review(deps)
    home_of(slack, fake_slack, "UHOST")
    opened = len(fake_slack.calls_to("views.open"))
    slack.click_in_home(ids.HOME_INVITE, user="UHOST")
    view = fake_slack.wait_for("views.open", opened + 1)[-1].response["view"]
    assert view["callback_id"] == ids.HOME_INVITE_MODAL
    assert "/psif invite @group-name" in str(view["blocks"])

    reply = slack.submit_view(view, {ids.HOME_INVITE_PEOPLE: ["UANN", "UBOB"]}, user="UHOST")
    assert reply.status == 200 and reply.body in (b"", b"{}")
    for person in ("UANN", "UBOB"):
        assert ids.CHECKLIST_START in str(dm_to(fake_slack, person)["blocks"])
    told = wait_for_dm(fake_slack, "UHOST", 1)[-1]
    assert told.startswith(f"In <#{CHANNEL}>: Invited <@UANN> and <@UBOB>")
    assert "1 of 2" not in told and "0 of 2 invited have finished" in str(
        home_of(slack, fake_slack, "UHOST")["blocks"]
    )


def test_a_former_lead_pressing_an_old_button_is_refused_and_the_button_goes(
    slack: SlackDriver, fake_slack: FakeSlack, deps: Deps
) -> None:
    review_id = seed_checklist_review(deps)
    home_of(slack, fake_slack, "UHOST")  # the tab with the lead's buttons, kept open
    with transaction(deps.sessions) as session:
        review = get_review(session=session, review_id=review_id)
        assert review is not None
        set_lead(
            session=session,
            review=review,
            role=Role.HOST_LEAD,
            user_id="UH2",
            previous_becomes=Role.HOST_TEAM,
            actor_id="UIS",
            now=deps.now(),
        )
    published = len(fake_slack.calls_to("views.publish"))
    opened = len(fake_slack.calls_to("views.open"))
    stale = fake_slack.home_tabs["UHOST"]
    for action_id in (ids.HOME_PLAN, ids.HOME_INVITE):
        # Pressed in the tab as kept open, even if the first refusal republished it already.
        fake_slack.home_tabs["UHOST"] = stale
        slack.click_in_home(action_id, user="UHOST")
    told = wait_for_dm(fake_slack, "UHOST", 2)
    assert all(f"You're no longer a lead of the Fife review in <#{CHANNEL}>" in t for t in told)
    assert all("nothing was changed. Ask <@UH2> or <@UIS> if you should" in t for t in told), told
    assert len(fake_slack.calls_to("views.open")) == opened  # no invite form
    assert fake_slack.messages_in(CHANNEL) == []  # no plan
    fake_slack.wait_for("views.publish", published + 1)
    wait_until(
        lambda: ids.HOME_PLAN not in str(fake_slack.home_tabs["UHOST"]["blocks"]),
        "the refreshed Home without lead buttons",
    )


def test_a_lead_of_many_reviews_gets_a_home_within_slacks_limits(
    slack: SlackDriver, fake_slack: FakeSlack, deps: Deps
) -> None:
    for number in range(45):
        seed_checklist_review(deps, channel=f"CREV{number:03d}", host_council=f"Council {number}")
    home = home_of(slack, fake_slack, "UIS")
    assert len(home["blocks"]) <= 100
    shown = str(home["blocks"])
    assert "Council 44" in shown and "You lead this review" in shown  # newest first
    assert "more reviews that don't fit here" in shown and "<#CREV000>" in shown
    # Every review that fits has its lead's summary and buttons.
    button_rows = [
        b for b in home["blocks"] if b.get("block_id", "").startswith(ids.HOME_LEAD_BUTTONS)
    ]
    assert len(button_rows) == shown.count("Your role: Improvement Service lead") > 10


def test_a_button_of_a_review_closed_since_says_so(
    slack: SlackDriver, fake_slack: FakeSlack, deps: Deps
) -> None:
    review_id = seed_checklist_review(deps)
    home_of(slack, fake_slack, "UHOST")
    with transaction(deps.sessions) as session:
        review = get_review(session=session, review_id=review_id)
        assert review is not None
        review.closed_at = deps.now()
    slack.click_in_home(ids.HOME_RESULTS, user="UHOST")
    told = wait_for_dm(fake_slack, "UHOST", 1)[-1]
    assert told == f"The Fife review in <#{CHANNEL}> has closed, so its buttons no longer work."
    assert fake_slack.messages_in(CHANNEL) == []


def test_the_results_button_posts_the_results_once_the_self_assessment_closes(
    slack: SlackDriver, fake_slack: FakeSlack, deps: Deps
) -> None:
    seed_checklist_review(deps)
    invite(slack, fake_slack, "UA", "UB", "UC", "UD", "UE")
    for user in ("UA", "UB", "UC", "UD", "UE"):
        answer_everything(slack, fake_slack, user, lambda _: Answer.AGREE)
    close_early(slack, fake_slack)  # everyone finishing leaves it open to its date
    shown = str(home_of(slack, fake_slack, "UHOST")["blocks"])
    assert "Self-assessment closed: 5 of 5 invited have finished (100%)" in shown
    assert "Results not posted yet" in shown

    dms = len(dms_to(fake_slack, "UHOST"))
    slack.click_in_home(ids.HOME_RESULTS, user="UHOST")
    fake_slack.wait_for("files.completeUploadExternal")
    posted = [str(m.get("text")) for m in fake_slack.messages_in(CHANNEL)]
    assert any("self-assessment results" in text.lower() for text in posted), posted
    told = wait_for_dm(fake_slack, "UHOST", dms + 1)[-1]
    assert told == f"The results are on their way to <#{CHANNEL}>."
    assert "Results posted" in str(home_of(slack, fake_slack, "UHOST")["blocks"])


def test_a_team_members_home_skips_what_was_recorded_done(
    slack: SlackDriver, fake_slack: FakeSlack, deps: Deps
) -> None:
    seed_checklist_review(deps)
    assert "Next: Papers circulated, 16 February 2027" in str(
        home_of(slack, fake_slack, "UH2")["blocks"]
    )
    slack.command("/psif", "done papers", user="UHOST")
    wait_until(
        lambda: "Next: Team pre-meeting" in str(home_of(slack, fake_slack, "UH2")["blocks"]),
        "the host team member's Home to move past the recorded papers",
    )
