"""Block Kit for areas for improvement and their dot vote: the AFI forms, the list and an AFI
in full, the vote's form, the channel's voting message, each voter's own ephemeral ballot, the
result, and the vote's reminder and Home line.

Long lists split across messages (`_chunks`): besides 50 blocks, Slack refuses a message whose
blocks' text adds up to roughly 12,000 characters (`msg_blocks_too_long`, observed), counted
at its escaped length.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, time
from typing import Annotated, Any, TypeVar
from zoneinfo import ZoneInfo

from pydantic import StringConstraints

from bot.afis._rules import AFI_TEXT_MAX, EVIDENCE_MAX, MAX_BUDGET, ordinal
from bot.core.afis import AfiItem, BallotInfo
from bot.core.calendar import format_datetime
from bot.core.votes import (
    DEFAULT_BUDGET,
    DEFAULT_PER_AFI_CAP,
    DEFAULT_TOP_N,
    CutOffTie,
    RankedAfi,
    VoteOutcome,
)
from bot.slack import ids
from bot.slack.blocks import (
    MESSAGE_BLOCKS_LIMIT,
    PLAIN_TEXT_INPUT_LIMIT,
    Block,
    Message,
    actions,
    button,
    context,
    divider,
    header,
    input_block,
    modal,
    option,
    plain,
    section,
)
from bot.slack.payloads import Metadata, RecordId, ResponseUrl, SlackId
from bot.slack.text import channel_link, escape_mrkdwn, join_words, mention, plural, truncate

# A list page: a header, one section per AFI, the footer and the page buttons (50 at most).
LIST_PAGE_SIZE = 40
LIST_LINE_LIMIT = 150
# The import form: two blocks per candidate and two around them keep it inside 100 blocks.
IMPORT_FORM_MAX = 45
KEEP_VALUE = "add"
UNTICK_OR_WRITE = "Write the area for improvement, or untick it above to leave it out."
NOTHING_TICKED = "Tick at least one area to add, or press Cancel."
WHO_TEAM = "team"
WHO_EVERYONE = "everyone"
HIDE = "hide"
BUDGET_CHOICES = tuple(range(1, MAX_BUDGET + 1))
TOP_N_CHOICES = tuple(range(1, 11))
AUTO_CLOSE_TIME = time(17, 0)
# Page 1 has 5 fixed blocks and each AFI takes 2, so 20 AFIs fill 45 of the 50 allowed.
AFIS_PER_PAGE = 20
VOTE_TEXT_LIMIT = 280
BAR_LIMIT = 20
# A ballot has 3 fixed blocks and one per AFI.
BALLOT_AFIS = MESSAGE_BLOCKS_LIMIT - 4
BALLOT_TEXT_LIMIT = 150
RESULT_LINES_PER_MESSAGE = 100
SECTION_CHARACTERS = 2900
# The AFI texts on one message; headings, tallies and menus take the rest of the ~12,000.
ENTRIES_TEXT_BUDGET = 8_000
LONDON = ZoneInfo("Europe/London")
CLOSED = "Voting has closed, so votes can no longer be changed."
EMPTY_PAGE = "_No areas for improvement on this part of the ballot._"
FORWARD = "Prioritised areas go forward to interviews and focus groups. See `/afi list`."

Entry = TypeVar("Entry")


class AfiFormMetadata(Metadata):
    """Where the command was typed, the AFI changed and the review's checklist."""

    channel_id: SlackId
    response_url: ResponseUrl = ""
    afi_id: RecordId | None = None
    checklist_id: Annotated[str, StringConstraints(max_length=64)] | None = None


def _chunks(
    entries: Sequence[Entry],
    size: Callable[[Entry], int],
    *,
    max_count: int,
    max_chars: int = ENTRIES_TEXT_BUDGET,
) -> list[list[Entry]]:
    """Runs of at most `max_count` entries and `max_chars` in size; at least one (maybe empty).
    Depends only on the entries, so a page's contents stay put while votes change."""
    chunks: list[list[Entry]] = [[]]
    used = 0
    for entry in entries:
        cost = size(entry)
        if chunks[-1] and (len(chunks[-1]) >= max_count or used + cost > max_chars):
            chunks.append([])
            used = 0
        chunks[-1].append(entry)
        used += cost
    return chunks


def _part(index: int, count: int) -> str:
    return f" (part {index} of {count})" if count > 1 else ""


def _element(kind: str, action_id: str, options: list[Block], **extra: Any) -> Block:
    """A menu, radio buttons or checkboxes."""
    return {"type": kind, "action_id": action_id, "options": options, **extra}


def _text_input(action_id: str, text: str, max_length: int) -> Block:
    """Slack refuses an initial value longer than `max_length`, so longer stored text widens
    the box and the check on saving asks for it to be shortened."""
    element: Block = {"type": "plain_text_input", "action_id": action_id, "multiline": True}
    element["max_length"] = min(max(max_length, len(text)), PLAIN_TEXT_INPUT_LIMIT)
    if text:
        element["initial_value"] = text[:PLAIN_TEXT_INPUT_LIMIT]
    return element


def build_afi_modal(
    sections: dict[int, str], metadata: AfiFormMetadata, *, editing: AfiItem | None = None
) -> Block:
    text_element = _text_input(ids.AFI_TEXT, editing.text if editing else "", AFI_TEXT_MAX)
    text_element["placeholder"] = plain(
        "For example: staff don't get regular feedback on performance"
    )
    evidence = editing.evidence if editing else ""
    section_options = [option(f"{n}. {title}", str(n)) for n, title in sections.items()]
    choose = plain("Choose a section")
    section_element = _element(
        "static_select", ids.AFI_SECTION, section_options, placeholder=choose
    )
    if editing is not None and editing.section_number in sections:
        initial = section_options[list(sections).index(editing.section_number)]
        section_element["initial_option"] = initial
    blocks = [
        input_block(
            block_id=ids.AFI_TEXT,
            label="Area for improvement",
            element=text_element,
            hint="One area per entry, in a sentence or two.",
        ),
        input_block(
            block_id=ids.AFI_SECTION,
            label="PSIF section it relates to",
            element=section_element,
            optional=True,
        ),
        input_block(
            block_id=ids.AFI_EVIDENCE,
            label="Evidence or source",
            element=_text_input(ids.AFI_EVIDENCE, evidence, EVIDENCE_MAX),
            optional=True,
            hint="Where this comes from: the self-assessment, a report, a data set, a meeting.",
        ),
    ]
    return modal(
        title="Add an area" if editing is None else f"Edit AFI {editing.number}",
        blocks=blocks,
        callback_id=ids.AFI_ADD_MODAL if editing is None else ids.AFI_EDIT_MODAL,
        submit="Add" if editing is None else "Save",
        private_metadata=metadata.dump(),
    )


def afi_added_text(item: AfiItem) -> str:
    return (
        f"Added as AFI {item.number}: {escape_mrkdwn(truncate(item.text, 300))}\n"
        "See them all with `/afi list`."
    )


def build_looks_like(number: int, existing_text: str, text: str) -> tuple[str, list[Block]]:
    """The typed text rides in the button's value (at most 500 characters; Slack allows 2000)."""
    existing = escape_mrkdwn(truncate(existing_text, 300))
    blocks: list[Block] = [
        section(f"This looks like *AFI {number}*: “{existing}”\nAdd yours anyway?"),
        context(f"You typed: {escape_mrkdwn(truncate(text, 300))}"),
        actions(
            button("Add anyway", ids.AFI_ADD_ANYWAY, text, style="primary"),
            button("Cancel", ids.AFI_ADD_CANCEL, "cancel"),
        ),
    ]
    return f"This looks like AFI {number} — add anyway?", blocks


def looks_like_error(number: int, existing_text: str) -> str:
    return (
        f"This looks like AFI {number}: “{truncate(existing_text, 80)}”. "
        "Press Add again to add it anyway, or change the text."
    )


def _facts(item: AfiItem, sections: dict[int, str], ballot: BallotInfo | None) -> str:
    if item.section_number is None:
        details = ["No section"]
    else:
        title = sections.get(item.section_number)
        details = [f"Section {item.section_number}" + (f": {title}" if title else "")]
    by = f"added by {mention(item.author_id)}"
    details.append("from the self-assessment" if item.source == "checklist" else by)
    if ballot is not None and not ballot.tally_hidden:
        details.append(plural(item.votes, "vote"))
    if item.prioritised and item.rank is not None:
        details.append(f"prioritised, ranked {item.rank}")
    return " · ".join(details)


def _list_line(item: AfiItem, ballot: BallotInfo | None) -> str:
    line = f"*{item.number}.* {escape_mrkdwn(truncate(item.text, LIST_LINE_LIMIT))}"
    if ballot is not None and not ballot.tally_hidden:
        line += f" · {plural(item.votes, 'vote')}"
    return line + (" · ⭐ prioritised" if item.prioritised else "")


def list_pages_hold_a_full_page(
    ballot: BallotInfo | None, *, highest_number: int, most_escaped: int
) -> bool:
    """Whether every page of the list holds `LIST_PAGE_SIZE` areas (none is cut short by the
    text budget), so a page can be read alone: true when even the longest line AFIs with
    these numbers, votes and escaped characters could make fits a full page."""
    longest = AfiItem(
        id=0,
        number=highest_number,
        text="&" * most_escaped + "x" * LIST_LINE_LIMIT,
        section_number=None,
        evidence="",
        source="",
        author_id="",
        votes=ballot.votes if ballot is not None else 0,
        prioritised=True,
    )
    return LIST_PAGE_SIZE * len(_list_line(longest, ballot)) <= ENTRIES_TEXT_BUDGET


def build_afi_list(
    items: list[AfiItem], *, ballot: BallotInfo | None, page: int = 1
) -> tuple[str, list[Block]]:
    if not items:
        return build_afi_list_page([], ballot=ballot, page=1, pages=1, total=0)
    lines = {item.id: _list_line(item, ballot) for item in items}
    pages = _chunks(items, lambda item: len(lines[item.id]), max_count=LIST_PAGE_SIZE)
    page = min(max(page, 1), len(pages))
    shown = pages[page - 1]
    return build_afi_list_page(shown, ballot=ballot, page=page, pages=len(pages), total=len(items))


def build_afi_list_page(
    shown: list[AfiItem], *, ballot: BallotInfo | None, page: int, pages: int, total: int
) -> tuple[str, list[Block]]:
    """Page `page` of `pages` of the list of `total` areas, showing `shown`."""
    if not total:
        text = "No areas for improvement yet. Add one with `/afi add`."
        return text, [section(text)]
    blocks: list[Block] = [header(f"Areas for improvement ({total})")]
    for item in shown:
        show = button("Show", ids.AFI_SHOW, str(item.id))
        blocks.append(section(_list_line(item, ballot), block_id=f"afi:{item.id}", accessory=show))
    footer = (
        "No vote has been held yet."
        if ballot is None
        else "Votes are hidden until the vote closes."
        if ballot.tally_hidden
        else "Votes so far in the open vote."
        if ballot.is_open
        else "Votes from the last vote."
    )
    blocks.append(context(f"{footer} *Show* gives an area in full. Add another with `/afi add`."))
    if pages > 1:
        navigation = [button("Previous", ids.AFI_LIST_PAGE, str(page - 1))] if page > 1 else []
        if page < pages:
            navigation.append(button("Next", ids.AFI_LIST_PAGE, str(page + 1)))
        blocks += [context(f"Page {page} of {pages}"), actions(*navigation)]
    assert len(blocks) <= MESSAGE_BLOCKS_LIMIT
    return plural(total, "area") + " for improvement", blocks


def build_afi_card(
    item: AfiItem,
    sections: dict[int, str],
    *,
    ballot: BallotInfo | None,
    figures: str | None,
    manageable: bool,
    reads_findings: bool,
) -> tuple[str, list[Block]]:
    verbs = (("Edit", "edit"), ("Merge into another", "merge"), ("Withdraw", "withdraw"))
    choices = [option(label, f"{verb}:{item.id}") for label, verb in verbs]
    menu = {"type": "overflow", "action_id": ids.AFI_MANAGE, "options": choices}
    wording = f"*AFI {item.number}.* {escape_mrkdwn(truncate(item.text, SECTION_CHARACTERS))}"
    blocks: list[Block] = [
        section(wording, block_id=f"afi:{item.id}", accessory=menu if manageable else None),
        context(_facts(item, sections, ballot)),
    ]
    if figures:
        blocks.append(context(escape_mrkdwn(figures)))
    if item.evidence:
        evidence = escape_mrkdwn(truncate(item.evidence, EVIDENCE_MAX))
        blocks.append(section(f"*Evidence*\n{evidence}"))
    if reads_findings:
        blocks.append(
            context(f"What fieldwork found about it, and its actions: `/afi show {item.number}`.")
        )
    return f"AFI {item.number}: {escape_mrkdwn(truncate(item.text, 200))}", blocks


def build_merge_modal(source: AfiItem, targets: list[AfiItem], metadata: AfiFormMetadata) -> Block:
    blocks: list[Block] = [
        section(f"*{source.number}.* {escape_mrkdwn(truncate(source.text, 1500))}"),
        input_block(
            block_id=ids.AFI_MERGE_TARGET,
            label="Merge it into",
            element=_element(
                "static_select",
                ids.AFI_MERGE_TARGET,
                [
                    option(f"{target.number}. {target.text}", str(target.id))
                    for target in targets[:100]
                ],
                placeholder=plain("Choose the area that says the same thing"),
            ),
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
    return modal(
        title="Nothing changed",
        blocks=[section(text)],
        callback_id=ids.AFI_NOTICE_MODAL,
        close="Close",
    )


@dataclass(frozen=True, slots=True)
class Offered:
    statement_id: str
    statement: str
    why: str  # "0% agree of 7; flagged for low agreement"
    wording: str  # the gap, as it would be added


def keep_block_id(statement_id: str) -> str:
    return f"{ids.AFI_IMPORT_KEEP}/{statement_id}"


def text_block_id(statement_id: str) -> str:
    return f"{ids.AFI_IMPORT_TEXT}/{statement_id}"


def build_import_modal(
    offered: Sequence[Offered], metadata: AfiFormMetadata, *, more: int, earlier: int
) -> Block:
    """`more` candidates wait for a later form, `earlier` were imported already."""
    intro = (
        f"The self-assessment flagged {plural(len(offered), 'statement')} as candidate areas "
        "for improvement. Each is worded below as the gap it names, its figures under it. Edit the "
        "wording as you like, and untick any you don't want. Nothing is added until you press "
        "*Add the ticked areas*."
    )
    keep = {"text": {"type": "plain_text", "text": "Add this area"}, "value": KEEP_VALUE}
    blocks: list[Block] = [section(intro)]
    ticked = _element("checkboxes", ids.AFI_IMPORT_KEEP, [keep], initial_options=[keep])
    for item in offered[:IMPORT_FORM_MAX]:
        blocks += [
            input_block(
                block_id=keep_block_id(item.statement_id),
                label=truncate(f"{item.statement_id}: {item.statement}", 2000),
                element=ticked,
                optional=True,
            ),
            input_block(
                block_id=text_block_id(item.statement_id),
                label="Worded as a gap",
                element=_text_input(ids.AFI_IMPORT_TEXT, item.wording, AFI_TEXT_MAX),
                optional=True,
                hint=truncate(item.why, 2000),
            ),
        ]
    notes = []
    if earlier:
        notes.append(f"{plural(earlier, 'candidate')} imported earlier not shown.")
    if more:
        notes.append(f"{more} more after these: type `/afi import` again once these are added.")
    if notes:
        blocks.append(context(" ".join(notes)))
    return modal(
        title="Import areas",
        blocks=blocks,
        callback_id=ids.AFI_IMPORT_MODAL,
        submit="Add the ticked areas",
        private_metadata=metadata.dump(),
    )


def _select(
    block_id: str, label: str, options: list[Block], initial: int, hint: str | None = None
) -> Block:
    element = _element("static_select", block_id, options, initial_option=options[initial])
    return input_block(block_id=block_id, label=label, element=element, hint=hint)


def build_vote_modal(afi_count: int, metadata: AfiFormMetadata) -> Block:
    votes = [option(plural(n, "vote"), str(n)) for n in BUDGET_CHOICES]
    tops = [option(f"The top {n}", str(n)) for n in TOP_N_CHOICES]
    who = [
        option("The review team (host team, Improvement Service, peers)", WHO_TEAM),
        option("Everyone in this channel", WHO_EVERYONE),
    ]
    hide = option("Hide the tally until the vote closes", HIDE)
    most_on_one = "Most votes one person can put on one area"
    blocks = [
        section(
            f"Everyone taking part spreads their votes over the {plural(afi_count, 'area')} "
            "for improvement. The channel gets one voting message with a tally."
        ),
        _select(ids.AFI_VOTE_BUDGET, "Votes for each person", votes, DEFAULT_BUDGET - 1),
        _select(ids.AFI_VOTE_CAP, most_on_one, votes, DEFAULT_PER_AFI_CAP - 1),
        input_block(
            block_id=ids.AFI_VOTE_WHO,
            label="Who can vote",
            element=_element("radio_buttons", ids.AFI_VOTE_WHO, who, initial_option=who[0]),
        ),
        input_block(
            block_id=ids.AFI_VOTE_HIDE,
            label="Tally",
            optional=True,
            element=_element("checkboxes", ids.AFI_VOTE_HIDE, [hide]),
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
        _select(
            ids.AFI_VOTE_TOP_N,
            "Areas to prioritise",
            tops,
            DEFAULT_TOP_N - 1,
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


def _rules_text(ballot: BallotInfo) -> str:
    if not ballot.is_open:
        return "Voting has closed; the result is posted below. `/afi list` shows it any time."
    who = "Everyone in the channel" if ballot.everyone_can_vote else "The review team"
    votes = f"Each person has *{plural(ballot.budget, 'vote')}*"
    if ballot.tie_places is not None:
        limits = (
            f"Only {plural(ballot.tie_places, 'place')} in the prioritised list "
            f"{'is' if ballot.tie_places == 1 else 'are'} left for these tied areas. "
            f"{votes}, one per area."
        )
    elif ballot.per_afi_cap == 1:
        limits = f"{votes}, one per area."
    else:
        limits = f"{votes} and can put at most *{ballot.per_afi_cap}* on any one area."
    if ballot.per_afi_cap == 1:
        press = "Press an area's *Vote* to give it your vote; press it again to take it back."
    else:
        press = (
            f"Press an area's *Vote* to give it a vote, again for another (up to "
            f"{ballot.per_afi_cap}); once you can't add more there, pressing takes them back."
        )
    lines = [
        f"{who} can vote. {limits} {press} *My votes* shows yours "
        "and what you have left; only you see them."
    ]
    if ballot.tally_hidden:
        lines.append("The tally is hidden until the vote closes, so early votes sway nobody.")
    if (moment := ballot.closes_at) is not None:
        # In the reader's own time zone, with UK time as the fallback.
        local = f"<!date^{int(moment.timestamp())}^{{date_long}} at {{time}}|"
        local += f"{format_datetime(moment, LONDON)}>"
        lines.append(f"The vote closes automatically on {local}.")
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
        bar = "🟦" * min(item.votes, BAR_LIMIT) + ("…" if item.votes > BAR_LIMIT else "")
        text += f"\n*{plural(item.votes, 'vote')}*" + (f"  {bar}" if item.votes else "")
    blocks: list[Block] = [section(text, block_id=f"tally:{item.id}")]
    if ballot.is_open:
        value = f"{ballot.round_id}:{item.id}"
        blocks.append(actions(button("Vote", ids.AFI_VOTE_ADD, value), block_id=f"vote:{item.id}"))
    return blocks


def build_vote_pages(ballot: BallotInfo, items: list[AfiItem]) -> list[tuple[str, list[Block]]]:
    """The channel's voting message: page 1 carries the rules, the count of voters and My
    votes; further pages continue the list. Always at least one page."""
    title = "Vote on the areas for improvement"
    if ballot.tie_places is not None:
        title = "Tie-break: the areas tied at the cut-off"
    chunks = _chunks(items, lambda item: len(_ballot_line(item)), max_count=AFIS_PER_PAGE)
    pages: list[tuple[str, list[Block]]] = []
    for index, chunk in enumerate(chunks, start=1):
        part = _part(index, len(chunks))
        blocks: list[Block] = []
        if index == 1:
            blocks += [header(f"{title}{part}"), section(_rules_text(ballot))]
            if ballot.is_open:
                my_votes = button("My votes", ids.AFI_MY_VOTES, str(ballot.round_id))
                blocks.append(actions(my_votes, block_id="my_votes"))
            blocks += [context(_status_text(ballot)), divider()]
        else:
            blocks.append(context(f"*Areas for improvement{part}*, continued"))
        if not chunk:
            blocks.append(section(EMPTY_PAGE))
        for item in chunk:
            blocks += _afi_blocks(item, ballot)
        assert len(blocks) <= MESSAGE_BLOCKS_LIMIT
        pages.append((f"{title}{part}: {_status_text(ballot)}".replace("*", ""), blocks))
    return pages


def _my_summary(ballot: BallotInfo, items: list[AfiItem], mine: dict[int, int]) -> str:
    numbers = {item.id: item.number for item in items}
    chosen = sorted((numbers[afi_id], n) for afi_id, n in mine.items() if afi_id in numbers)
    listed = join_words([f"AFI {number}" + (f" ({n})" if n > 1 else "") for number, n in chosen])
    left = ballot.budget - sum(mine.values())
    spent = f"*{plural(left, 'vote')} left* of {ballot.budget}"
    if not left:
        spent = f"all *{plural(ballot.budget, 'vote')}* used"
    return f"*Your votes:* {listed if chosen else 'none yet'} · {spent}."


def build_my_ballot(
    ballot: BallotInfo,
    items: list[AfiItem],
    mine: dict[int, int],
    headline: str = "",
    *,
    total: int | None = None,
) -> tuple[str, list[Block]]:
    """The voter's own ballot (`mine`: their votes by AFI id), a button per area marked with
    their votes. `total`: how many areas the ballot has, when `items` are only the first
    `BALLOT_AFIS` of them (the voter's own among them) in number order."""
    total = len(items) if total is None else total
    summary = _my_summary(ballot, items, mine)
    text = f"{headline} {summary}".strip().replace("*", "")
    blocks: list[Block] = [section(headline)] if headline else []
    blocks.append(section(summary))
    if not ballot.is_open:
        blocks.append(context(CLOSED))
        return text, blocks
    # In number order, so a button stays put when pressed; if not all fit, the voter's own
    # choices come first, so they can always take a vote back here.
    ordered = items
    if total > BALLOT_AFIS:
        ordered = sorted(items, key=lambda item: (not mine.get(item.id), item.number))
    for item in ordered[:BALLOT_AFIS]:
        count = mine.get(item.id, 0)
        value = f"{ballot.round_id}:{item.id}"
        label = "Vote" if not count else "✓ Voted" if count == 1 else f"✓ {count} votes"
        style = "primary" if count else None
        mark = button(label, ids.AFI_BALLOT_TOGGLE, value, style=style)
        line = _ballot_line(item, BALLOT_TEXT_LIMIT)
        blocks.append(section(line, block_id=f"mine:{item.id}", accessory=mark))
    more = total - BALLOT_AFIS
    footer = "Only you can see this."
    if more > 0:
        footer += f" {plural(more, 'more area')}: vote on them in the channel's voting message."
    blocks.append(context(footer))
    return text, blocks


def describe_vote_answer(
    outcome: VoteOutcome, *, afi_number: int, on_afi: int, budget: int, cap: int
) -> str:
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
        return f"{CLOSED} See the result in the channel."
    return f"AFI {afi_number} is no longer on the ballot (it was merged or withdrawn)."


def _afis(numbers: list[int]) -> str:
    return ("AFI " if len(numbers) == 1 else "AFIs ") + join_words([str(n) for n in numbers])


def _is(numbers: list[int]) -> str:
    return "is" if len(numbers) == 1 else "are"


def _tie_for(tie: CutOffTie, *, clear: bool) -> str:
    """ "tie for the last place", "tie for the last 2 places"; with no area clearly ahead,
    "tie for the 3 places"."""
    places = "place" if tie.places == 1 else f"{tie.places} places"
    if clear:
        return f"tie for the last {places}"
    return f"tie for the {'one place' if tie.places == 1 else places}"


def _closed_by(closer: str | None, what: str = "vote") -> str:
    return (
        f"{mention(closer)} closed the {what}." if closer else f"The {what} closed at its set time."
    )


def build_vote_result(
    ranked: list[RankedAfi],
    items: dict[int, AfiItem],
    *,
    top_n: int,
    closed_by: str | None,
    round_id: int,
    tie: CutOffTie | None,
) -> list[tuple[str, list[Block]]]:
    """The ranked result, in one message or several; a tie across the cut-off offers a
    tie-break; areas nobody voted for are one line."""
    # In number order: the ranking follows, line by line.
    prioritised = sorted(entry.number for entry in ranked if entry.prioritised)
    tied = sorted(tie.numbers) if tie is not None else []
    clear = [number for number in prioritised if number not in tied]
    if tie is not None:
        ahead = f"Prioritised: {_afis(clear)}; " if clear else ""
        text = f"Voting closed. {ahead}{_afis(tied)} {_tie_for(tie, clear=bool(clear))}."
    elif prioritised:
        text = f"Voting closed. Prioritised: {_afis(prioritised)}."
    else:
        text = "Voting closed. No areas for improvement were prioritised."
    lines = []
    for entry in ranked:
        if entry.votes:
            place = f"={ordinal(entry.rank)}" if entry.tied else ordinal(entry.rank)
            lines.append(
                f"{'⭐' if entry.prioritised else '▫️'} *{place}* · "
                f"{plural(entry.votes, 'vote')} · *{entry.number}.* "
                f"{escape_mrkdwn(truncate(items[entry.number].text, 200))}"
            )
    unvoted = sorted(entry.number for entry in ranked if not entry.votes)
    if unvoted and lines:
        lines.append(f"▫️ {plural(len(unvoted), 'other')} had no votes: {_afis(unvoted)}.")
    elif unvoted:
        lines.append(f"▫️ Nobody voted for {_afis(unvoted)}.")
    if not ranked:
        summary = "There were no areas for improvement to rank."
    elif not prioritised:
        summary = "Nobody voted, so no areas were prioritised."
    elif tie is not None:
        ahead = f"{_afis(clear)} {_is(clear)} prioritised; " if clear else ""
        summary = (
            f"{ahead}{_afis(tied)} {_tie_for(tie, clear=bool(clear))}. A host lead or the "
            "Improvement Service can run a tie-break, or keep them all."
        )
    elif len(prioritised) < top_n:
        only = "it" if len(prioritised) == 1 else "they"
        summary = (
            f"{_afis(prioritised)} {_is(prioritised)} prioritised: only {only} had votes "
            f"(the top {top_n} were asked for)."
        )
    else:
        best = "the most votes" if top_n == 1 else f"the top {top_n} by votes"
        summary = f"{_afis(prioritised)} {_is(prioritised)} prioritised: {best}."
    opening: list[Block] = [section(f"{_closed_by(closed_by)} {summary}")]
    if tie is not None:
        tie_break = button("Run a tie-break", ids.AFI_TIE_BREAK, str(round_id), style="primary")
        opening.append(actions(tie_break, block_id="tie_break"))
    return _result_messages("Prioritised areas for improvement", text, opening, lines)


def build_tie_break_result(
    settled: list[RankedAfi], *, prioritised: list[int], closed_by: str | None
) -> list[tuple[str, list[Block]]]:
    forward = sorted(entry.number for entry in settled if entry.prioritised)
    left_out = sorted(entry.number for entry in settled if not entry.prioritised)
    if not left_out:
        outcome = f"Still tied, so {_afis(forward)} all stay prioritised."
    else:
        outcome = f"{_afis(forward)} go{'es' if len(forward) == 1 else ''} forward; "
        outcome += f"{_afis(left_out)} {_is(left_out)} no longer prioritised."
    text = f"Tie-break closed. {outcome} Prioritised now: {_afis(prioritised)}."
    summary = f"{_closed_by(closed_by, 'tie-break')} {outcome}"
    lines = [
        f"{'⭐' if entry.prioritised else '▫️'} *AFI {entry.number}* · "
        f"{plural(entry.votes, 'vote')} in the tie-break"
        for entry in settled
    ]
    lines.append(f"*Prioritised now:* {_afis(prioritised)}.")
    return _result_messages("Tie-break result", text, [section(summary)], lines)


def _result_messages(
    title: str, text: str, opening: list[Block], lines: list[str]
) -> list[tuple[str, list[Block]]]:
    chunks = _chunks(lines, len, max_count=RESULT_LINES_PER_MESSAGE)
    messages: list[tuple[str, list[Block]]] = []
    for index, chunk in enumerate(chunks, start=1):
        part = _part(index, len(chunks))
        if index == 1:
            blocks: list[Block] = [header(f"{title}{part}"), *opening]
        else:
            blocks = [context(f"*{title}{part}*, continued")]
        size, most = (lambda line: len(line) + 1), len(chunk) or 1
        groups = _chunks(chunk, size, max_count=most, max_chars=SECTION_CHARACTERS)
        blocks += [section("\n".join(group)) for group in groups if group]
        if index == len(chunks):
            blocks.append(context(FORWARD))
        messages.append((text + part if index == 1 else f"{title}{part}", blocks))
    return messages


def build_vote_nudge(
    *,
    round_id: int,
    channel_id: str,
    host_council: str,
    budget: int,
    closes_at: datetime | None,
    zone: ZoneInfo,
    voters: int,
) -> Message:
    """The DM to a team member who hasn't voted yet; it names no one."""
    when = " It's open until a lead closes it."
    if closes_at is not None:
        when = f" It closes on {format_datetime(closes_at, zone)}."
    text = (
        f"You haven't voted yet on the areas for improvement for the {host_council} review "
        f"({plural(voters, 'person has', 'people have')} so far). You have "
        f"{plural(budget, 'vote')} to give.{when}"
    )
    blocks = [
        section(text),
        actions(button("Vote", ids.AFI_MY_VOTES, str(round_id), style="primary")),
        context(f"The voting message is in {channel_link(channel_id)}."),
    ]
    return Message(text=text, blocks=blocks)


def build_vote_home(*, channel_id: str, budget: int, used: int) -> Block | None:
    """None once the user's votes are spent."""
    left = budget - used
    if left <= 0:
        return None
    return section(
        f"🗳️ The prioritisation vote is open: you have {plural(left, 'vote')} of {budget} "
        f"left. Vote on the voting message in {channel_link(channel_id)}."
    )
