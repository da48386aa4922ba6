"""The modal for a progress update on an action: a note, and its RAG status."""

from __future__ import annotations

from bot.core.actions import RAG_EMOJI, RAG_LABELS, RAG_MEANINGS, ActionItem, RagStatus
from bot.improvement_actions.modal import ActionMetadata
from bot.improvement_actions.rules import NOTE_MAX
from bot.slack import ids
from bot.slack.blocks import Block, context, input_block, modal, option, plain
from bot.slack.text import escape_mrkdwn, truncate

# Green first: the order people read a traffic light's meaning in, best to worst.
RAG_ORDER = (RagStatus.GREEN, RagStatus.AMBER, RagStatus.RED)


def _rag_option(rag: RagStatus) -> Block:
    return option(f"{RAG_EMOJI[rag]} {RAG_LABELS[rag]}: {RAG_MEANINGS[rag]}", rag.value)


def build_progress_modal(*, item: ActionItem, metadata: ActionMetadata) -> Block:
    """Ask for a note and/or a RAG status; the current RAG status is chosen already."""
    rag: Block = {
        "type": "radio_buttons",
        "action_id": ids.ACTION_PROGRESS_RAG,
        "options": [_rag_option(rag) for rag in RAG_ORDER],
    }
    if item.rag is not None:
        rag["initial_option"] = _rag_option(item.rag)
    return modal(
        title=f"Action {item.number} progress",
        callback_id=ids.ACTION_PROGRESS_MODAL,
        submit="Save",
        private_metadata=metadata.dump(),
        blocks=[
            context(f"*{item.number}.* {escape_mrkdwn(truncate(item.key_action, 500))}"),
            input_block(
                block_id=ids.ACTION_PROGRESS_RAG,
                label="RAG status",
                element=rag,
                optional=True,
            ),
            input_block(
                block_id=ids.ACTION_PROGRESS_NOTE,
                label="Progress note",
                element={
                    "type": "plain_text_input",
                    "action_id": ids.ACTION_PROGRESS_NOTE,
                    "multiline": True,
                    "max_length": NOTE_MAX,
                    "placeholder": plain("What has happened since the last update?"),
                },
                optional=True,
                hint="Your name and today's date are kept with the note, and it's shown on "
                "the action's card and in the plan.",
            ),
        ],
    )
