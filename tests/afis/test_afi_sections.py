"""AFI section names come from the review's own checklist, not the bundled one."""

from __future__ import annotations

from bot.core.checklist_loader import load_default_checklist
from bot.demo.driver import SlackDriver
from bot.demo.fake_slack import FakeSlack
from bot.review_access import get_review
from storage.db import transaction

from afi_helpers import show_from_list
from checklist_helpers import seed_checklist_review
from conftest import RunningBot


def test_the_afi_form_and_list_use_the_reviews_checklist_sections(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    bundled = load_default_checklist()
    renamed = tuple(
        section.model_copy(update={"title": f"Leadership first {section.number}"})
        for section in bundled.sections
    )
    ours = bundled.model_copy(update={"id": "leadership-first", "sections": renamed})
    bot.deps.checklists[ours.id] = ours
    review_id = seed_checklist_review(bot.deps)
    with transaction(bot.deps.sessions) as session:
        review = get_review(session=session, review_id=review_id)
        assert review is not None
        review.checklist_id = ours.id

    slack.command("/afi", "add", user="UHOST")
    view = fake_slack.wait_for("views.open")[-1].response["view"]
    assert "1. Leadership first 1" in str(view["blocks"])
    assert "Service Planning" not in str(view["blocks"])
    reply = slack.submit_view(
        view, {"afi_text": "Plans are not shared", "afi_section": "1"}, user="UHOST"
    )
    assert reply.status == 200 and not reply.body.strip(b"{}"), reply.body
    before = len(fake_slack.responses)
    slack.command("/afi", "list", user="UHOST")
    listing = fake_slack.wait_for_responses(before + 1)[-1].body
    (afi_id,) = [
        int(b["block_id"][4:]) for b in listing["blocks"] if b.get("block_id", "")[:4] == "afi:"
    ]
    shown = str(show_from_list(slack, fake_slack, listing, afi_id, "UHOST")["blocks"])
    assert "Leadership first 1" in shown and "Service Planning" not in shown
