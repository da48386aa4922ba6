"""Block Kit for starting a dot vote: the `/afi vote` modal and reading its answers.

The channel's voting message and each voter's own ballot are in ballot_views.py, the
result in result_views.py."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from bot.afis.rules import MAX_BUDGET
from bot.core.votes import DEFAULT_BUDGET, DEFAULT_PER_AFI_CAP, DEFAULT_TOP_N, VoteSettings
from bot.slack import ids
from bot.slack.blocks import Block, input_block, modal, option, section
from bot.slack.payloads import Metadata, ResponseUrl, SlackId, UnreadablePayload, reading
from bot.slack.text import plural


class VoteFormMetadata(Metadata):
    """What the `/afi vote` modal carries."""

    channel_id: SlackId
    response_url: ResponseUrl = ""


WHO_TEAM = "team"
WHO_EVERYONE = "everyone"
HIDE = "hide"
TOP_N_CHOICES = 10
AUTO_CLOSE_TIME = time(17, 0)


def build_vote_modal(afi_count: int, metadata: VoteFormMetadata) -> Block:
    """`/afi vote`: choose each person's votes, the most on one area, and who votes."""
    budgets = [option(plural(n, "vote"), str(n)) for n in range(1, MAX_BUDGET + 1)]
    caps = [option(plural(n, "vote"), str(n)) for n in range(1, MAX_BUDGET + 1)]
    tops = [option(f"The top {n}", str(n)) for n in range(1, TOP_N_CHOICES + 1)]
    who = [
        option("The review team (host team, Improvement Service, peers)", WHO_TEAM),
        option("Everyone in this channel", WHO_EVERYONE),
    ]
    blocks = [
        section(
            f"Everyone taking part spreads their votes over the {plural(afi_count, 'area')} "
            "for improvement. The channel gets one voting message with a tally."
        ),
        input_block(
            block_id=ids.AFI_VOTE_BUDGET,
            label="Votes for each person",
            element={
                "type": "static_select",
                "action_id": ids.AFI_VOTE_BUDGET,
                "options": budgets,
                "initial_option": budgets[DEFAULT_BUDGET - 1],
            },
        ),
        input_block(
            block_id=ids.AFI_VOTE_CAP,
            label="Most votes one person can put on one area",
            element={
                "type": "static_select",
                "action_id": ids.AFI_VOTE_CAP,
                "options": caps,
                "initial_option": caps[DEFAULT_PER_AFI_CAP - 1],
            },
        ),
        input_block(
            block_id=ids.AFI_VOTE_WHO,
            label="Who can vote",
            element={
                "type": "radio_buttons",
                "action_id": ids.AFI_VOTE_WHO,
                "options": who,
                "initial_option": who[0],
            },
        ),
        input_block(
            block_id=ids.AFI_VOTE_HIDE,
            label="Tally",
            optional=True,
            element={
                "type": "checkboxes",
                "action_id": ids.AFI_VOTE_HIDE,
                "options": [option("Hide the tally until the vote closes", HIDE)],
            },
            hint="So nobody is swayed by the early votes; the channel still sees how many "
            "people have voted.",
        ),
        input_block(
            block_id=ids.AFI_VOTE_CLOSES,
            label="Close automatically on",
            optional=True,
            element={"type": "datepicker", "action_id": ids.AFI_VOTE_CLOSES},
            hint=f"It closes at {AUTO_CLOSE_TIME:%H:%M} that day. Leave it empty to close "
            "the vote yourself with /afi close.",
        ),
        input_block(
            block_id=ids.AFI_VOTE_TOP_N,
            label="Areas to prioritise",
            element={
                "type": "static_select",
                "action_id": ids.AFI_VOTE_TOP_N,
                "options": tops,
                "initial_option": tops[DEFAULT_TOP_N - 1],
            },
            hint="When the vote closes, this many of the most voted areas are prioritised.",
        ),
    ]
    return modal(
        title="Start a vote",
        blocks=blocks,
        callback_id=ids.AFI_VOTE_MODAL,
        submit="Start voting",
        private_metadata=metadata.dump(),
    )


def parse_vote_form(values: dict[str, Any], zone: ZoneInfo) -> VoteSettings:
    """The `/afi vote` modal's `view.state.values` as vote settings (a closing day means
    AUTO_CLOSE_TIME that day in `zone`)."""

    def chosen(block_id: str, offered: Collection[str]) -> str:
        picked = values.get(block_id, {}).get(block_id, {}).get("selected_option") or {}
        value = str(picked.get("value", ""))
        if value and value not in offered:
            raise UnreadablePayload(f"{block_id}: not an option we offered")
        return value

    def state(block_id: str) -> dict[str, Any]:
        found = values.get(block_id, {}).get(block_id, {})
        return found if isinstance(found, dict) else {}

    numbers = [str(n) for n in range(1, MAX_BUDGET + 1)]
    with reading("the vote form"):
        hidden = [
            str(picked.get("value"))
            for picked in state(ids.AFI_VOTE_HIDE).get("selected_options") or []
        ]
        day = state(ids.AFI_VOTE_CLOSES).get("selected_date")
        closes_at = (
            datetime.combine(date.fromisoformat(str(day)), AUTO_CLOSE_TIME, zone) if day else None
        )
        tops = [str(n) for n in range(1, TOP_N_CHOICES + 1)]
        return VoteSettings(
            budget=int(chosen(ids.AFI_VOTE_BUDGET, numbers) or DEFAULT_BUDGET),
            per_afi_cap=int(chosen(ids.AFI_VOTE_CAP, numbers) or DEFAULT_PER_AFI_CAP),
            everyone_can_vote=chosen(ids.AFI_VOTE_WHO, (WHO_TEAM, WHO_EVERYONE)) == WHO_EVERYONE,
            hide_tally=HIDE in hidden,
            closes_at=closes_at,
            top_n=int(chosen(ids.AFI_VOTE_TOP_N, tops) or DEFAULT_TOP_N),
        )


def closing_problem(settings: VoteSettings, now: datetime) -> str | None:
    """A closing time must leave people time to vote."""
    if settings.closes_at is not None and settings.closes_at <= now:
        return f"Choose a day whose {AUTO_CLOSE_TIME:%H:%M} is still to come, or leave it empty."
    return None
