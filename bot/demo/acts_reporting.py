"""What people do from the draft report to closing the review: drafts with the team's
comments, the final version, the LGBF summary, and the close with the plan still live."""

from __future__ import annotations

from bot.demo.session import Demo
from bot.slack import ids

COMMENTS = (
    "Section 4 should say the depot logs were the teams' own idea: they want to keep that "
    "ownership in the single log.",
    "Could the next steps give a date for the repair-date texts pilot?",
)


def draft_report(demo: Demo) -> None:
    """A lead builds the next numbered draft: a post with the Word and Markdown files."""
    sent = demo.command(demo.cast.host_lead, "/psif report")
    demo.reply(sent)
    demo.wait_for_call("files.completeUploadExternal", sent.calls_before)
    demo.memory["draft"] = demo.posted(sent)


def comment_on_draft(demo: Demo) -> None:
    """Two peer reviewers comment through the draft's button; the comments go to its thread."""
    draft = demo.memory["draft"]
    for peer, text in zip(demo.cast.peers, COMMENTS, strict=False):
        demo.later(hours=3)
        sent = demo.click(peer, draft, ids.REPORT_COMMENT)
        view = demo.modal(sent)
        before = len(demo.fake.calls)
        demo.submit(peer, view, {ids.REPORT_COMMENT_TEXT: text})
        demo.wait_for_call("chat.postMessage", before, lambda c: bool(c.args.get("thread_ts")))
    demo.later(hours=1)
    demo.memory["open_comments"] = demo.reply(
        demo.command(demo.cast.host_lead, "/psif report comments")
    )


def redraft(demo: Demo) -> None:
    """The host lead resolves the comments, having made the changes, and builds the next draft."""
    lead, listing = demo.cast.host_lead, demo.memory["open_comments"]
    resolve_buttons = [
        element["value"]
        for block in listing.get("blocks", [])
        for element in [*block.get("elements", []), block.get("accessory", {})]
        if element.get("action_id") == ids.REPORT_RESOLVE
    ]
    for value in resolve_buttons:
        demo.reply(demo.click(lead, listing, ids.REPORT_RESOLVE, value=value, ephemeral=True))
    demo.later(minutes=30)
    draft_report(demo)


def final_report(demo: Demo) -> None:
    sent = demo.command(demo.cast.host_lead, "/psif report final")
    demo.reply(sent)
    demo.posted(sent)


def summary(demo: Demo) -> None:
    sent = demo.command(demo.cast.is_lead, "/psif report summary")
    demo.reply(sent)
    demo.wait_for_call("files.completeUploadExternal", sent.calls_before)


def close_review(demo: Demo) -> None:
    """The host lead closes the review after the confirmation; the plan stays readable."""
    cast = demo.cast
    confirmation = demo.reply(demo.command(cast.host_lead, "/psif close"))
    sent = demo.click(cast.host_lead, confirmation, ids.CLOSE_CONFIRM, ephemeral=True)
    demo.posted(sent)
    demo.later(minutes=30)
    demo.posted(demo.command(cast.is_lead, "/action plan"))
