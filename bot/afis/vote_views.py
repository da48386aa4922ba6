"""Block Kit for dot voting: the opening modal, the channel's voting message and the result."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from bot.afis.items import AfiItem, BallotInfo
from bot.afis.pages import chunk_by_size
from bot.afis.ranking import RankedAfi, ordinal
from bot.afis.rules import (
    DEFAULT_BUDGET,
    DEFAULT_PER_AFI_CAP,
    MAX_BUDGET,
    VoteOutcome,
    VoteSettings,
)
from bot.slack import ids
from bot.slack.blocks import (
    MESSAGE_BLOCKS_LIMIT,
    Block,
    actions,
    button,
    context,
    divider,
    header,
    input_block,
    modal,
    option,
    section,
)
from bot.slack.payloads import Metadata, ResponseUrl, SlackId, UnreadablePayload, reading
from bot.slack.text import escape_mrkdwn, join_words, mention, plural, truncate

# Page 1 has 4 fixed blocks and each AFI takes 2, so 20 AFIs fill 44 of the 50 allowed.
AFIS_PER_PAGE = 20
VOTE_TEXT_LIMIT = 280
BAR_LIMIT = 20
RESULT_LINES_PER_MESSAGE = 100


class VoteFormMetadata(Metadata):
    """What the `/afi vote` modal carries."""

    channel_id: SlackId
    response_url: ResponseUrl = ""


WHO_TEAM = "team"
WHO_EVERYONE = "everyone"


def build_vote_modal(afi_count: int, metadata: VoteFormMetadata) -> Block:
    """`/afi vote`: choose each person's votes, the most on one area, and who votes."""
    budgets = [option(plural(n, "vote"), str(n)) for n in range(1, MAX_BUDGET + 1)]
    caps = [option(plural(n, "vote"), str(n)) for n in range(1, MAX_BUDGET + 1)]
    who = [
        option("The review team (host team, Improvement Service, peers)", WHO_TEAM),
        option("Everyone in this channel", WHO_EVERYONE),
    ]
    blocks = [
        section(
            f"Everyone taking part spreads their votes over the {plural(afi_count, 'area')} "
            "for improvement. The channel gets one voting message with a live tally."
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
    ]
    return modal(
        title="Start a vote",
        blocks=blocks,
        callback_id=ids.AFI_VOTE_MODAL,
        submit="Start voting",
        private_metadata=metadata.dump(),
    )


def _bar(votes: int) -> str:
    return "🟦" * min(votes, BAR_LIMIT) + ("…" if votes > BAR_LIMIT else "")


def _rules_text(ballot: BallotInfo) -> str:
    if not ballot.is_open:
        return "Voting has closed; the ranking is posted below. `/afi list` shows the result."
    who = "Everyone in the channel" if ballot.everyone_can_vote else "The review team"
    return (
        f"{who} can vote. Each person has *{plural(ballot.budget, 'vote')}* and can put "
        f"at most *{ballot.per_afi_cap}* on any one area. Press *Vote* to add one and "
        "*Remove* to take it back; only you see your own votes."
    )


def _status_text(ballot: BallotInfo) -> str:
    state = "Voting is open" if ballot.is_open else "Voting is closed"
    return (
        f"{state} · *{plural(ballot.voters, 'person', 'people')}* "
        f"{'has' if ballot.voters == 1 else 'have'} voted · {plural(ballot.votes, 'vote')} cast"
    )


def _ballot_line(item: AfiItem) -> str:
    return f"*{item.number}.* {escape_mrkdwn(truncate(item.text, VOTE_TEXT_LIMIT))}"


def _afi_blocks(item: AfiItem, ballot: BallotInfo) -> list[Block]:
    tally = f"*{plural(item.votes, 'vote')}*"
    if item.votes:
        tally += f"  {_bar(item.votes)}"
    text = f"{_ballot_line(item)}\n{tally}"
    blocks: list[Block] = [section(text, block_id=f"tally:{item.id}")]
    if ballot.is_open:
        value = f"{ballot.round_id}:{item.id}"
        blocks.append(
            actions(
                button("Vote", ids.AFI_VOTE_ADD, value, style="primary"),
                button("Remove", ids.AFI_VOTE_REMOVE, value),
                block_id=f"vote:{item.id}",
            )
        )
    return blocks


def build_vote_pages(ballot: BallotInfo, items: list[AfiItem]) -> list[tuple[str, list[Block]]]:
    """The channel's voting message, split into pages Slack accepts (see `afi_pages`).

    Page 1 carries the rules and the running count of voters; further pages continue
    the list. Always at least one page, even with no AFIs.
    """
    chunks = chunk_by_size(items, lambda item: len(_ballot_line(item)), max_count=AFIS_PER_PAGE)
    pages: list[tuple[str, list[Block]]] = []
    for index, chunk in enumerate(chunks, start=1):
        part = f" (part {index} of {len(chunks)})" if len(chunks) > 1 else ""
        blocks: list[Block] = []
        if index == 1:
            blocks += [
                header(f"Vote on the areas for improvement{part}"),
                section(_rules_text(ballot)),
                context(_status_text(ballot)),
                divider(),
            ]
        else:
            blocks.append(context(f"*Areas for improvement{part}*, continued"))
        if not chunk:
            blocks.append(section("_No areas for improvement on this part of the ballot._"))
        for item in chunk:
            blocks += _afi_blocks(item, ballot)
        assert len(blocks) <= MESSAGE_BLOCKS_LIMIT
        text = f"Vote on the areas for improvement{part}: {_status_text(ballot)}".replace("*", "")
        pages.append((text, blocks))
    return pages


def build_vote_result(
    ranked: list[RankedAfi], items: dict[int, AfiItem], *, top_n: int, closed_by: str
) -> list[tuple[str, list[Block]]]:
    """The ranked result posted when a vote closes, as one message or, for a long list,
    several in order; ties are shown as ties."""
    prioritised = [entry for entry in ranked if entry.prioritised]
    if prioritised:
        names = join_words([str(entry.number) for entry in prioritised])
        label = "AFI" if len(prioritised) == 1 else "AFIs"
        text = f"Voting closed. Prioritised: {label} {names}."
    else:
        text = "Voting closed. No areas for improvement were prioritised."
    voted = [entry for entry in ranked if entry.votes]
    lines = [_ranked_line(entry, items[entry.number]) for entry in voted]
    unvoted = [entry for entry in ranked if not entry.votes]
    if unvoted and voted:
        # One line says it, instead of a "=6th · 0 votes" rank on each.
        lines.append(f"*{plural(len(unvoted), 'other')} had no votes:*")
    lines += [_unvoted_line(items[entry.number]) for entry in unvoted]
    chunks = chunk_by_size(lines, len, max_count=RESULT_LINES_PER_MESSAGE)
    messages: list[tuple[str, list[Block]]] = []
    for index, chunk in enumerate(chunks, start=1):
        part = f" (part {index} of {len(chunks)})" if len(chunks) > 1 else ""
        if index == 1:
            blocks: list[Block] = [
                header(f"Prioritised areas for improvement{part}"),
                section(_result_summary(ranked, prioritised, top_n=top_n, closed_by=closed_by)),
            ]
        else:
            blocks = [context(f"*Ranked areas for improvement{part}*, continued")]
        blocks += [section("\n".join(group)) for group in _chunks_by_length(chunk, 2900)]
        if index == len(chunks):
            blocks.append(
                context(
                    "Prioritised areas go forward to interviews and focus groups. See `/afi list`."
                )
            )
        fallback = text + part if index == 1 else f"Ranked areas for improvement{part}"
        messages.append((fallback, blocks))
    return messages


def _result_summary(
    ranked: list[RankedAfi], prioritised: list[RankedAfi], *, top_n: int, closed_by: str
) -> str:
    intro = f"{mention(closed_by)} closed the vote."
    if not ranked:
        return f"{intro} There were no areas for improvement to rank."
    if not prioritised:
        return f"{intro} Nobody voted, so no areas were prioritised."
    if len(prioritised) > top_n:
        return (
            f"{intro} *{len(prioritised)} prioritised* – a tie for "
            f"{ordinal(prioritised[-1].rank)} place (the top {top_n} were asked for)."
        )
    if len(prioritised) < top_n:
        return (
            f"{intro} *{len(prioritised)} prioritised* – only "
            f"{plural(len(prioritised), 'area')} received votes."
        )
    return f"{intro} *{len(prioritised)} prioritised* – the top {top_n} by votes."


def _ranked_line(entry: RankedAfi, item: AfiItem) -> str:
    place = f"={ordinal(entry.rank)}" if entry.tied else ordinal(entry.rank)
    marker = "⭐" if entry.prioritised else "▫️"
    return (
        f"{marker} *{place}* · {plural(entry.votes, 'vote')} · *{item.number}.* "
        f"{escape_mrkdwn(truncate(item.text, 200))}"
    )


def _unvoted_line(item: AfiItem) -> str:
    return f"▫️ *{item.number}.* {escape_mrkdwn(truncate(item.text, 200))}"


def _chunks_by_length(lines: list[str], limit: int) -> list[list[str]]:
    chunks: list[list[str]] = [[]]
    size = 0
    for line in lines:
        if chunks[-1] and size + len(line) + 1 > limit:
            chunks.append([])
            size = 0
        chunks[-1].append(line)
        size += len(line) + 1
    return [chunk for chunk in chunks if chunk]


def describe_vote_answer(
    outcome: VoteOutcome, *, afi_number: int, used: int, budget: int, on_afi: int, cap: int
) -> str:
    """The ephemeral answer to a vote click, always with the remaining budget."""
    left = budget - used
    remaining = (
        f"You have {plural(left, 'vote')} left of {budget}."
        if left
        else f"You've used all {plural(budget, 'vote')}."
    )
    if outcome is VoteOutcome.ADDED:
        return f"Vote added to AFI {afi_number} (you have {on_afi} on it). {remaining}"
    if outcome is VoteOutcome.REMOVED:
        return f"Vote taken off AFI {afi_number}. {remaining}"
    if outcome is VoteOutcome.REPEATED_CLICK:
        return f"That click was already counted. {remaining}"
    if outcome is VoteOutcome.BUDGET_SPENT:
        return (
            f"You've already used all {plural(budget, 'vote')}. To move one, press *Remove* "
            "on an area you voted for, then vote again."
        )
    if outcome is VoteOutcome.CAP_REACHED:
        return (
            f"You already have {plural(on_afi, 'vote')} on AFI {afi_number}, the most one "
            f"person can put on one area ({cap}). {remaining}"
        )
    if outcome is VoteOutcome.NOTHING_TO_REMOVE:
        return f"You have no vote on AFI {afi_number} to remove. {remaining}"
    if outcome is VoteOutcome.VOTE_CLOSED:
        return (
            "Voting has closed, so votes can no longer be changed. See the result in the channel."
        )
    return f"AFI {afi_number} is no longer on the ballot (it was merged or withdrawn). {remaining}"


def parse_vote_form(values: dict[str, Any]) -> VoteSettings:
    """The `/afi vote` modal's `view.state.values` as vote settings."""

    def chosen(block_id: str, offered: Collection[str]) -> str:
        picked = values.get(block_id, {}).get(block_id, {}).get("selected_option") or {}
        value = str(picked.get("value", ""))
        if value and value not in offered:
            raise UnreadablePayload(f"{block_id}: not an option we offered")
        return value

    numbers = [str(n) for n in range(1, MAX_BUDGET + 1)]
    with reading("the vote form"):
        return VoteSettings(
            budget=int(chosen(ids.AFI_VOTE_BUDGET, numbers) or DEFAULT_BUDGET),
            per_afi_cap=int(chosen(ids.AFI_VOTE_CAP, numbers) or DEFAULT_PER_AFI_CAP),
            everyone_can_vote=chosen(ids.AFI_VOTE_WHO, (WHO_TEAM, WHO_EVERYONE)) == WHO_EVERYONE,
        )
