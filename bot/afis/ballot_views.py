"""Block Kit for voting: the channel's voting message and each voter's own ballot.

The channel message is one message for everyone, so it shows one Vote button per area and
the tally (or, if hidden, only how many have voted); what a person has voted for is theirs
alone, in an ephemeral ballot (`build_my_ballot`) with the same buttons marked with their
votes. See bot/afis/vote_service.py for why a ballot is replaced in place but a click on the
channel message brings a new one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.afis.pages import chunk_by_size
from bot.core.afis import AfiItem, BallotInfo
from bot.core.calendar import format_datetime
from bot.core.votes import VoteOutcome
from bot.slack import ids
from bot.slack.blocks import (
    MESSAGE_BLOCKS_LIMIT,
    Block,
    actions,
    button,
    context,
    divider,
    header,
    section,
)
from bot.slack.text import escape_mrkdwn, join_words, plural, truncate

# Page 1 has 5 fixed blocks and each AFI takes 2, so 20 AFIs fill 45 of the 50 allowed.
AFIS_PER_PAGE = 20
VOTE_TEXT_LIMIT = 280
BAR_LIMIT = 20
# A ballot has 3 fixed blocks and one per AFI.
BALLOT_AFIS = MESSAGE_BLOCKS_LIMIT - 4
BALLOT_TEXT_LIMIT = 150
LONDON = ZoneInfo("Europe/London")


def _bar(votes: int) -> str:
    return "🟦" * min(votes, BAR_LIMIT) + ("…" if votes > BAR_LIMIT else "")


def _closing_time(moment: datetime) -> str:
    """In the reader's own time zone, with UK time as the fallback."""
    return (
        f"<!date^{int(moment.timestamp())}^{{date_long}} at {{time}}|"
        f"{format_datetime(moment, LONDON)}>"
    )


def _how_to_press(ballot: BallotInfo) -> str:
    if ballot.per_afi_cap == 1:
        return "Press an area's *Vote* to give it your vote; press it again to take it back."
    return (
        f"Press an area's *Vote* to give it a vote, again for another (up to "
        f"{ballot.per_afi_cap}); once you can't add more there, pressing takes them back."
    )


def _rules_text(ballot: BallotInfo) -> str:
    if not ballot.is_open:
        return "Voting has closed; the result is posted below. `/afi list` shows it any time."
    who = "Everyone in the channel" if ballot.everyone_can_vote else "The review team"
    if ballot.tie_places is not None:
        limits = (
            f"Only {plural(ballot.tie_places, 'place')} in the prioritised list "
            f"{'is' if ballot.tie_places == 1 else 'are'} left for these tied areas. "
            f"Each person has *{plural(ballot.budget, 'vote')}*, one per area."
        )
    elif ballot.per_afi_cap == 1:
        limits = f"Each person has *{plural(ballot.budget, 'vote')}*, one per area."
    else:
        limits = (
            f"Each person has *{plural(ballot.budget, 'vote')}* and can put at most "
            f"*{ballot.per_afi_cap}* on any one area."
        )
    lines = [
        f"{who} can vote. {limits} {_how_to_press(ballot)} *My votes* shows yours "
        "and what you have left; only you see them."
    ]
    if ballot.tally_hidden:
        lines.append("The tally is hidden until the vote closes, so early votes sway nobody.")
    if ballot.closes_at is not None:
        lines.append(f"The vote closes automatically on {_closing_time(ballot.closes_at)}.")
    return "\n".join(lines)


def _status_text(ballot: BallotInfo) -> str:
    state = "Voting is open" if ballot.is_open else "Voting is closed"
    cast = "" if ballot.tally_hidden else f" · {plural(ballot.votes, 'vote')} cast"
    return (
        f"{state} · *{plural(ballot.voters, 'person', 'people')}* "
        f"{'has' if ballot.voters == 1 else 'have'} voted{cast}"
    )


def _ballot_line(item: AfiItem, limit: int = VOTE_TEXT_LIMIT) -> str:
    return f"*{item.number}.* {escape_mrkdwn(truncate(item.text, limit))}"


def _afi_blocks(item: AfiItem, ballot: BallotInfo) -> list[Block]:
    text = _ballot_line(item)
    if not ballot.tally_hidden:
        tally = f"*{plural(item.votes, 'vote')}*"
        text += f"\n{tally}  {_bar(item.votes)}" if item.votes else f"\n{tally}"
    blocks: list[Block] = [section(text, block_id=f"tally:{item.id}")]
    if ballot.is_open:
        value = f"{ballot.round_id}:{item.id}"
        blocks.append(actions(button("Vote", ids.AFI_VOTE_ADD, value), block_id=f"vote:{item.id}"))
    return blocks


def _title(ballot: BallotInfo) -> str:
    if ballot.tie_places is not None:
        return "Tie-break: the areas tied at the cut-off"
    return "Vote on the areas for improvement"


def build_vote_pages(ballot: BallotInfo, items: list[AfiItem]) -> list[tuple[str, list[Block]]]:
    """The channel's voting message, split into pages Slack accepts (see `afi_pages`).

    Page 1 carries the rules, the running count of voters and the My votes button; further
    pages continue the list. Always at least one page, even with no AFIs.
    """
    chunks = chunk_by_size(items, lambda item: len(_ballot_line(item)), max_count=AFIS_PER_PAGE)
    pages: list[tuple[str, list[Block]]] = []
    for index, chunk in enumerate(chunks, start=1):
        part = f" (part {index} of {len(chunks)})" if len(chunks) > 1 else ""
        blocks: list[Block] = []
        if index == 1:
            blocks += [header(f"{_title(ballot)}{part}"), section(_rules_text(ballot))]
            if ballot.is_open:
                blocks.append(
                    actions(
                        button("My votes", ids.AFI_MY_VOTES, str(ballot.round_id)),
                        block_id="my_votes",
                    )
                )
            blocks += [context(_status_text(ballot)), divider()]
        else:
            blocks.append(context(f"*Areas for improvement{part}*, continued"))
        if not chunk:
            blocks.append(section("_No areas for improvement on this part of the ballot._"))
        for item in chunk:
            blocks += _afi_blocks(item, ballot)
        assert len(blocks) <= MESSAGE_BLOCKS_LIMIT
        text = f"{_title(ballot)}{part}: {_status_text(ballot)}".replace("*", "")
        pages.append((text, blocks))
    return pages


@dataclass(frozen=True)
class MyVotes:
    """One voter's votes in a round, by AFI id."""

    by_afi: dict[int, int]

    @property
    def used(self) -> int:
        return sum(self.by_afi.values())


def _my_summary(ballot: BallotInfo, items: list[AfiItem], mine: MyVotes) -> str:
    numbers = {item.id: item.number for item in items}
    chosen = sorted(
        (numbers[afi_id], count) for afi_id, count in mine.by_afi.items() if afi_id in numbers
    )
    listed = join_words(
        [f"AFI {number}" + (f" ({count})" if count > 1 else "") for number, count in chosen]
    )
    left = ballot.budget - mine.used
    spent = (
        f"*{plural(left, 'vote')} left* of {ballot.budget}"
        if left
        else f"all *{plural(ballot.budget, 'vote')}* used"
    )
    if not chosen:
        return f"*Your votes:* none yet · {spent}."
    return f"*Your votes:* {listed} · {spent}."


def _my_button(item: AfiItem, ballot: BallotInfo, count: int) -> Block:
    value = f"{ballot.round_id}:{item.id}"
    if not count:
        return button("Vote", ids.AFI_BALLOT_TOGGLE, value)
    label = "✓ Voted" if count == 1 else f"✓ {count} votes"
    return button(label, ids.AFI_BALLOT_TOGGLE, value, style="primary")


def build_my_ballot(
    ballot: BallotInfo, items: list[AfiItem], mine: MyVotes, headline: str = ""
) -> tuple[str, list[Block]]:
    """The voter's own ballot: what just happened, their votes and what they have left, and
    a button per area marked with their votes (pressing one changes this ballot in place)."""
    summary = _my_summary(ballot, items, mine)
    text = f"{headline} {summary}".strip().replace("*", "")
    blocks: list[Block] = []
    if headline:
        blocks.append(section(headline))
    blocks.append(section(summary))
    if not ballot.is_open:
        blocks.append(context("Voting has closed, so votes can no longer be changed."))
        return text, blocks
    # In number order, so a button stays put when pressed; if not all fit, the voter's own
    # choices come first, so they can always take a vote back here.
    ordered = (
        items
        if len(items) <= BALLOT_AFIS
        else sorted(items, key=lambda item: (not mine.by_afi.get(item.id), item.number))
    )
    for item in ordered[:BALLOT_AFIS]:
        blocks.append(
            section(
                _ballot_line(item, BALLOT_TEXT_LIMIT),
                block_id=f"mine:{item.id}",
                accessory=_my_button(item, ballot, mine.by_afi.get(item.id, 0)),
            )
        )
    more = len(items) - BALLOT_AFIS
    footer = "Only you can see this."
    if more > 0:
        footer += f" {plural(more, 'more area')}: vote on them in the channel's voting message."
    blocks.append(context(footer))
    return text, blocks


def describe_vote_answer(
    outcome: VoteOutcome, *, afi_number: int, on_afi: int, budget: int, cap: int
) -> str:
    """What a press did, as the headline of the voter's ballot."""
    if outcome is VoteOutcome.ADDED:
        extra = f" (you have {on_afi} on it)" if cap > 1 else ""
        return f"Vote added to AFI {afi_number}{extra}."
    if outcome is VoteOutcome.REMOVED:
        if cap > 1:
            return f"Your votes on AFI {afi_number} are taken back."
        return f"Vote taken off AFI {afi_number}."
    if outcome is VoteOutcome.REPEATED_CLICK:
        return "That click was already counted."
    if outcome is VoteOutcome.BUDGET_SPENT:
        return (
            f"You've already used all {plural(budget, 'vote')}. To move one, press an area "
            "you voted for to take its vote back, then vote again."
        )
    if outcome is VoteOutcome.CAP_REACHED:
        return (
            f"You already have {plural(on_afi, 'vote')} on AFI {afi_number}, the most one "
            f"person can put on one area ({cap})."
        )
    if outcome is VoteOutcome.NOTHING_TO_REMOVE:
        return f"You have no vote on AFI {afi_number} to take back."
    if outcome is VoteOutcome.VOTE_CLOSED:
        return (
            "Voting has closed, so votes can no longer be changed. See the result in the channel."
        )
    return f"AFI {afi_number} is no longer on the ballot (it was merged or withdrawn)."
