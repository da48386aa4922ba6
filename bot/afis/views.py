"""Block Kit for areas for improvement: the add/edit modal, the list, merge and withdraw."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import StringConstraints

from bot.afis.pages import chunk_by_size
from bot.afis.rules import AFI_TEXT_MAX, EVIDENCE_MAX
from bot.core.afis import AfiItem, BallotInfo
from bot.slack import ids
from bot.slack.blocks import (
    PLAIN_TEXT_INPUT_LIMIT,
    Block,
    actions,
    button,
    context,
    header,
    input_block,
    modal,
    option,
    plain,
    section,
)
from bot.slack.payloads import (
    Metadata,
    RecordId,
    ResponseUrl,
    SlackId,
    UnreadablePayload,
    reading,
    record_id,
)
from bot.slack.text import escape_mrkdwn, mention, plural, truncate

LIST_PAGE_SIZE = 40


class AfiFormMetadata(Metadata):
    """What the add, edit, merge and withdraw modals carry."""

    channel_id: SlackId
    response_url: ResponseUrl = ""
    afi_id: RecordId | None = None
    # The review's checklist, whose section titles the form offers.
    checklist_id: Annotated[str, StringConstraints(max_length=64)] | None = None


def _section_options(sections: dict[int, str]) -> list[Block]:
    return [option(f"{number}. {title}", str(number)) for number, title in sections.items()]


def _prefill(element: Block, text: str) -> None:
    """Start the input at `text`; Slack refuses an initial value longer than `max_length`, so
    text stored before the limit (or imported) widens the box and the check on saving asks
    for it to be shortened."""
    limit = min(max(element["max_length"], len(text)), PLAIN_TEXT_INPUT_LIMIT)
    element["max_length"] = limit
    element["initial_value"] = text[:limit]


def build_afi_modal(
    sections: dict[int, str], metadata: AfiFormMetadata, *, editing: AfiItem | None = None
) -> Block:
    """The modal for `/afi add` with no text, and for editing an AFI from the list."""
    text_element: Block = {
        "type": "plain_text_input",
        "action_id": ids.AFI_TEXT,
        "multiline": True,
        "max_length": AFI_TEXT_MAX,
        "placeholder": plain("For example: staff don't get regular feedback on performance"),
    }
    evidence_element: Block = {
        "type": "plain_text_input",
        "action_id": ids.AFI_EVIDENCE,
        "multiline": True,
        "max_length": EVIDENCE_MAX,
    }
    section_element: Block = {
        "type": "static_select",
        "action_id": ids.AFI_SECTION,
        "placeholder": plain("Choose a section"),
        "options": _section_options(sections),
    }
    if editing is not None:
        _prefill(text_element, editing.text)
        if editing.evidence:
            _prefill(evidence_element, editing.evidence)
        if editing.section_number in sections:
            number = editing.section_number
            section_element["initial_option"] = option(f"{number}. {sections[number]}", str(number))
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
            element=evidence_element,
            optional=True,
            hint="Where this comes from: the self-assessment, a report, a data set, a meeting.",
        ),
    ]
    if editing is None:
        return modal(
            title="Add an area",
            blocks=blocks,
            callback_id=ids.AFI_ADD_MODAL,
            submit="Add",
            private_metadata=metadata.dump(),
        )
    return modal(
        title=f"Edit AFI {editing.number}",
        blocks=blocks,
        callback_id=ids.AFI_EDIT_MODAL,
        submit="Save",
        private_metadata=metadata.dump(),
    )


def _source(item: AfiItem) -> str:
    if item.source == "checklist":
        return "from the self-assessment"
    return f"added by {mention(item.author_id)}"


def _section_label(item: AfiItem, sections: dict[int, str]) -> str:
    if item.section_number is None:
        return "No section"
    title = sections.get(item.section_number)
    return f"Section {item.section_number}" + (f": {title}" if title else "")


def build_afi_list(
    items: list[AfiItem],
    sections: dict[int, str],
    *,
    ballot: BallotInfo | None,
    manageable: set[int],
    page: int = 1,
) -> tuple[str, list[Block]]:
    """The ephemeral `/afi list`: one section per AFI, with a manage menu where allowed."""
    if not items:
        text = "No areas for improvement yet. Add one with `/afi add`."
        return text, [section(text)]
    texts = {item.id: _list_text(item, sections, ballot) for item in items}
    pages = chunk_by_size(items, lambda item: len(texts[item.id]), max_count=LIST_PAGE_SIZE)
    page_count = len(pages)
    page = min(max(page, 1), page_count)
    blocks: list[Block] = [header(f"Areas for improvement ({len(items)})")]
    for item in pages[page - 1]:
        blocks.append(
            section(
                texts[item.id],
                block_id=f"afi:{item.id}",
                accessory=_manage_menu(item) if item.id in manageable else None,
            )
        )
    footer = (
        "No vote has been held yet."
        if ballot is None
        else "Votes are hidden until the vote closes."
        if ballot.tally_hidden
        else "Votes so far in the open vote."
        if ballot.is_open
        else "Votes from the last vote."
    )
    blocks.append(context(f"{footer} Add another with `/afi add`."))
    if page_count > 1:
        navigation = []
        if page > 1:
            navigation.append(button("Previous", ids.AFI_LIST_PAGE, str(page - 1)))
        if page < page_count:
            navigation.append(button("Next", ids.AFI_LIST_PAGE, str(page + 1)))
        blocks.append(context(f"Page {page} of {page_count}"))
        blocks.append(actions(*navigation))
    return plural(len(items), "area") + " for improvement", blocks


def _list_text(item: AfiItem, sections: dict[int, str], ballot: BallotInfo | None) -> str:
    details = [_section_label(item, sections), _source(item)]
    if ballot is not None and not ballot.tally_hidden:
        details.append(plural(item.votes, "vote"))
    if item.prioritised and item.rank is not None:
        details.append(f"prioritised, ranked {item.rank}")
    text = f"*{item.number}.* {escape_mrkdwn(truncate(item.text, 1200))}\n_{' · '.join(details)}_"
    if item.evidence:
        text += f"\n>{escape_mrkdwn(truncate(item.evidence, 600))}"
    return text


def _manage_menu(item: AfiItem) -> Block:
    return {
        "type": "overflow",
        "action_id": ids.AFI_MANAGE,
        "options": [
            option("Edit", f"edit:{item.id}"),
            option("Merge into another", f"merge:{item.id}"),
            option("Withdraw", f"withdraw:{item.id}"),
        ],
    }


def afi_added_text(item: AfiItem) -> str:
    return (
        f"Added as AFI {item.number}: {escape_mrkdwn(truncate(item.text, 300))}\n"
        "See them all with `/afi list`."
    )


@dataclass(frozen=True)
class AfiForm:
    text: str
    section_number: int | None
    evidence: str


def _value(values: dict[str, Any], block_id: str) -> dict[str, Any]:
    return dict(values.get(block_id, {}).get(block_id, {}))


def parse_afi_form(values: dict[str, Any], sections: Collection[int]) -> AfiForm:
    """The add/edit modal's `view.state.values` as a form; UnreadablePayload for a
    section the modal didn't offer."""
    with reading("the AFI form"):
        chosen = _value(values, ids.AFI_SECTION).get("selected_option") or {}
        section_number = record_id(chosen["value"]) if chosen.get("value") else None
        if section_number is not None and section_number not in sections:
            raise UnreadablePayload(f"no section {section_number}")
        return AfiForm(
            text=(_value(values, ids.AFI_TEXT).get("value") or "").strip(),
            section_number=section_number,
            evidence=(_value(values, ids.AFI_EVIDENCE).get("value") or "").strip(),
        )


def parse_merge_target(values: dict[str, Any]) -> int | None:
    with reading("the merge form"):
        chosen = _value(values, ids.AFI_MERGE_TARGET).get("selected_option") or {}
        return record_id(chosen["value"]) if chosen.get("value") else None
