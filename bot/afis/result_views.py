"""Block Kit for a vote's result: the ranking posted when a vote (or a tie-break) closes."""

from __future__ import annotations

from bot.afis.pages import chunk_by_size
from bot.afis.ranking import ordinal
from bot.core.afis import AfiItem
from bot.core.votes import CutOffTie, RankedAfi
from bot.slack import ids
from bot.slack.blocks import Block, actions, button, context, header, section
from bot.slack.text import escape_mrkdwn, join_words, mention, plural, truncate

RESULT_LINES_PER_MESSAGE = 100
SECTION_CHARACTERS = 2900


def _afis(numbers: list[int]) -> str:
    return ("AFI " if len(numbers) == 1 else "AFIs ") + join_words([str(n) for n in numbers])


def _closed_by(closer: str | None) -> str:
    return f"{mention(closer)} closed the vote." if closer else "The vote closed at its set time."


def build_vote_result(
    ranked: list[RankedAfi],
    items: dict[int, AfiItem],
    *,
    top_n: int,
    closed_by: str | None,
    round_id: int,
    tie: CutOffTie | None,
) -> list[tuple[str, list[Block]]]:
    """The ranked result, as one message or, for a long list, several in order. Ties are
    shown as ties; a tie across the cut-off offers a tie-break; areas nobody voted for are
    one line, not a rank each."""
    prioritised = [entry.number for entry in ranked if entry.prioritised]
    tied = f" — a tie for {ordinal(tie.rank)}" if tie is not None else ""
    text = (
        f"Voting closed. Prioritised: {_afis(prioritised)}{tied}."
        if prioritised
        else "Voting closed. No areas for improvement were prioritised."
    )
    voted = [entry for entry in ranked if entry.votes]
    lines = [_ranked_line(entry, items[entry.number]) for entry in voted]
    unvoted = sorted(entry.number for entry in ranked if not entry.votes)
    if unvoted and voted:
        lines.append(f"▫️ {plural(len(unvoted), 'other')} had no votes: {_afis(unvoted)}.")
    elif unvoted:
        lines.append(f"▫️ Nobody voted for {_afis(unvoted)}.")
    summary = f"{_closed_by(closed_by)} {_summary(ranked, prioritised, top_n=top_n, tie=tie)}"
    opening: list[Block] = [section(summary)]
    if tie is not None:
        opening.append(
            actions(
                button("Run a tie-break", ids.AFI_TIE_BREAK, str(round_id), style="primary"),
                block_id="tie_break",
            )
        )
    return _messages("Prioritised areas for improvement", text, opening, lines)


def _summary(
    ranked: list[RankedAfi], prioritised: list[int], *, top_n: int, tie: CutOffTie | None
) -> str:
    if not ranked:
        return "There were no areas for improvement to rank."
    if not prioritised:
        return "Nobody voted, so no areas were prioritised."
    if tie is not None:
        return (
            f"*{len(prioritised)} prioritised* — a tie for {ordinal(tie.rank)}: "
            f"{plural(tie.places, 'place')} in the top {top_n} for {_afis(list(tie.numbers))}. "
            "A host lead or the Improvement Service can run a tie-break on just those, "
            "or keep them all."
        )
    if len(prioritised) < top_n:
        return (
            f"*{len(prioritised)} prioritised* — only {plural(len(prioritised), 'area')} "
            f"had votes (the top {top_n} were asked for)."
        )
    return f"*{len(prioritised)} prioritised* — the top {top_n} by votes."


def build_tie_break_result(
    settled: list[RankedAfi], *, prioritised: list[int], closed_by: str | None
) -> list[tuple[str, list[Block]]]:
    """The tie-break's outcome: which of the tied areas go forward, and the list now."""
    forward = sorted(entry.number for entry in settled if entry.prioritised)
    left_out = sorted(entry.number for entry in settled if not entry.prioritised)
    if not left_out:
        outcome = f"Still tied, so {_afis(forward)} all stay prioritised."
    else:
        outcome = f"{_afis(forward)} go{'es' if len(forward) == 1 else ''} forward; "
        outcome += (
            f"{_afis(left_out)} {'is' if len(left_out) == 1 else 'are'} no longer prioritised."
        )
    text = f"Tie-break closed. {outcome} Prioritised now: {_afis(prioritised)}."
    summary = f"{_closed_by(closed_by).replace('vote', 'tie-break')} {outcome}"
    lines = [
        f"{'⭐' if entry.prioritised else '▫️'} *AFI {entry.number}* · "
        f"{plural(entry.votes, 'vote')} in the tie-break"
        for entry in settled
    ]
    lines.append(f"*Prioritised now:* {_afis(prioritised)}.")
    return _messages("Tie-break result", text, [section(summary)], lines)


def _messages(
    title: str, text: str, opening: list[Block], lines: list[str]
) -> list[tuple[str, list[Block]]]:
    chunks = chunk_by_size(lines, len, max_count=RESULT_LINES_PER_MESSAGE)
    messages: list[tuple[str, list[Block]]] = []
    for index, chunk in enumerate(chunks, start=1):
        part = f" (part {index} of {len(chunks)})" if len(chunks) > 1 else ""
        if index == 1:
            blocks: list[Block] = [header(f"{title}{part}"), *opening]
        else:
            blocks = [context(f"*{title}{part}*, continued")]
        blocks += [section("\n".join(group)) for group in _by_length(chunk, SECTION_CHARACTERS)]
        if index == len(chunks):
            blocks.append(
                context(
                    "Prioritised areas go forward to interviews and focus groups. See `/afi list`."
                )
            )
        messages.append((text + part if index == 1 else f"{title}{part}", blocks))
    return messages


def _ranked_line(entry: RankedAfi, item: AfiItem) -> str:
    place = f"={ordinal(entry.rank)}" if entry.tied else ordinal(entry.rank)
    marker = "⭐" if entry.prioritised else "▫️"
    return (
        f"{marker} *{place}* · {plural(entry.votes, 'vote')} · *{item.number}.* "
        f"{escape_mrkdwn(truncate(item.text, 200))}"
    )


def _by_length(lines: list[str], limit: int) -> list[list[str]]:
    chunks: list[list[str]] = [[]]
    size = 0
    for line in lines:
        if chunks[-1] and size + len(line) + 1 > limit:
            chunks.append([])
            size = 0
        chunks[-1].append(line)
        size += len(line) + 1
    return [chunk for chunk in chunks if chunk]
