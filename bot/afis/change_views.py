"""The forms `/afi list`'s menu opens to merge or withdraw an AFI, and the notice that
replaces a form whose change could not be made."""

from __future__ import annotations

from bot.afis.views import AfiFormMetadata
from bot.core.afis import AfiItem
from bot.slack import ids
from bot.slack.blocks import Block, context, input_block, modal, option, plain, section
from bot.slack.text import escape_mrkdwn, truncate


def build_merge_modal(source: AfiItem, targets: list[AfiItem], metadata: AfiFormMetadata) -> Block:
    blocks: list[Block] = [
        section(f"*{source.number}.* {escape_mrkdwn(truncate(source.text, 1500))}"),
        input_block(
            block_id=ids.AFI_MERGE_TARGET,
            label="Merge it into",
            element={
                "type": "static_select",
                "action_id": ids.AFI_MERGE_TARGET,
                "placeholder": plain("Choose the area that says the same thing"),
                "options": [
                    option(f"{target.number}. {target.text}", str(target.id))
                    for target in targets[:100]
                ],
            },
        ),
        context(
            "Votes on this area move to the one you choose. Anyone who already has the most "
            "votes allowed on that area gets the extra vote back to use elsewhere."
        ),
    ]
    return modal(
        title=f"Merge AFI {source.number}",
        blocks=blocks,
        callback_id=ids.AFI_MERGE_MODAL,
        submit="Merge",
        private_metadata=metadata.dump(),
    )


def build_withdraw_modal(item: AfiItem, metadata: AfiFormMetadata) -> Block:
    return modal(
        title=f"Withdraw AFI {item.number}",
        blocks=[
            section(f"*{item.number}.* {escape_mrkdwn(truncate(item.text, 1500))}"),
            context(
                "It leaves the list and the vote; any votes on it go back to the voters. "
                "The record of it is kept."
            ),
        ],
        callback_id=ids.AFI_WITHDRAW_MODAL,
        submit="Withdraw",
        private_metadata=metadata.dump(),
    )


def build_notice_modal(text: str) -> Block:
    """Replaces a modal whose action could not be done, saying why."""
    return modal(
        title="Nothing changed",
        blocks=[section(text)],
        callback_id=ids.AFI_NOTICE_MODAL,
        close="Close",
    )
