"""The modals for logging, editing and dropping an improvement action."""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.actions import ActionItem, AfiRef
from bot.core.findings import OptionChoice
from bot.improvement_actions.action_form import NOT_LINKED
from bot.improvement_actions.rules import DETAIL_MAX, DROP_REASON_MAX, KEY_ACTION_MAX
from bot.slack import ids
from bot.slack.blocks import (
    OPTION_TEXT_LIMIT,
    Block,
    context,
    input_block,
    modal,
    option,
    plain,
)
from bot.slack.payloads import (
    Metadata,
    RecordId,
    ResponseUrl,
)
from bot.slack.text import escape_mrkdwn, truncate

AFI_OPTIONS_LIMIT = 100


class ActionMetadata(Metadata):
    """What the log, edit and drop modals carry."""

    review_id: RecordId
    action_id: RecordId | None = None
    response_url: ResponseUrl | None = None


def _afi_option(afi: AfiRef) -> Block:
    return option(truncate(afi.label, OPTION_TEXT_LIMIT), str(afi.id))


def afi_select(
    prioritised: list[AfiRef],
    others: list[AfiRef],
    *,
    initial: AfiRef | None,
    preselect_not_linked: bool,
) -> Block:
    """Prioritised AFIs first, then the others, then "not linked"; at most 100 options."""
    not_linked = option("Not linked to an AFI", NOT_LINKED)
    room = AFI_OPTIONS_LIMIT - 1
    first = prioritised[:room]
    rest = others[: room - len(first)]
    groups: list[Block] = []
    if first:
        groups.append({"label": plain("Prioritised areas"), "options": [*map(_afi_option, first)]})
    if rest:
        label = "Other areas" if first else "Areas for improvement"
        groups.append({"label": plain(label), "options": [*map(_afi_option, rest)]})
    groups.append({"label": plain("None"), "options": [not_linked]})
    element: Block = {
        "type": "static_select",
        "action_id": ids.ACTION_AFI,
        "placeholder": plain("Choose an area for improvement"),
        "option_groups": groups,
    }
    chosen = [afi for afi in [*first, *rest] if initial and afi.id == initial.id]
    if chosen:
        element["initial_option"] = _afi_option(chosen[0])
    elif preselect_not_linked:
        element["initial_option"] = not_linked
    return element


def option_select(options: Sequence[OptionChoice], chosen: int | None) -> Block:
    """The options for improvement found in fieldwork, grouped by AFI (at most 100)."""
    groups: dict[int, list[Block]] = {}
    shown = [*options][:AFI_OPTIONS_LIMIT]
    for choice in shown:
        text = truncate(f"Option {choice.number}: {choice.text}", OPTION_TEXT_LIMIT)
        groups.setdefault(choice.afi_number, []).append(option(text, str(choice.id)))
    element: Block = {
        "type": "static_select",
        "action_id": ids.ACTION_OPTION,
        "placeholder": plain("Choose the option it carries out"),
        "option_groups": [
            {"label": plain(f"AFI {number}"), "options": items} for number, items in groups.items()
        ],
    }
    initial = next((choice for choice in shown if choice.id == chosen), None)
    if initial is not None:
        element["initial_option"] = option(
            truncate(f"Option {initial.number}: {initial.text}", OPTION_TEXT_LIMIT), str(initial.id)
        )
    return element


def _text_input(action_id: str, initial: str, max_length: int, placeholder: str) -> Block:
    element: Block = {
        "type": "plain_text_input",
        "action_id": action_id,
        "multiline": True,
        "max_length": max_length,
        "placeholder": plain(placeholder, 150),
    }
    if initial:
        element["initial_value"] = initial
    return element


def build_action_modal(
    *,
    metadata: ActionMetadata,
    prioritised: list[AfiRef],
    others: list[AfiRef],
    existing: ActionItem | None = None,
    key_action: str = "",
    options: Sequence[OptionChoice] = (),
    chosen_option: int | None = None,
) -> Block:
    """The log modal, or with `existing` the edit modal filled in with its values."""
    owner: Block = {
        "type": "users_select",
        "action_id": ids.ACTION_OWNER,
        "placeholder": plain("Choose a person"),
    }
    due: Block = {
        "type": "datepicker",
        "action_id": ids.ACTION_DUE,
        "placeholder": plain("Choose a date"),
    }
    if existing:
        owner["initial_user"] = existing.owner_id
        due["initial_date"] = existing.due.isoformat()
        key_action = existing.key_action
    afi = existing.afi if existing else None
    linked_afis = [*prioritised, *others]
    if afi and all(candidate.id != afi.id for candidate in linked_afis):
        others = [afi, *others]  # an AFI since withdrawn stays choosable for its actions
    blocks: list[Block] = [
        input_block(
            block_id=ids.ACTION_AFI,
            label="Area for improvement",
            element=afi_select(
                prioritised,
                others,
                initial=afi,
                preselect_not_linked=(existing is not None and afi is None) or not linked_afis,
            ),
            hint=None if linked_afis else "No areas for improvement are recorded yet.",
        ),
        *(
            [
                input_block(
                    block_id=ids.ACTION_OPTION,
                    label="Option for improvement it carries out",
                    element=option_select(options, chosen_option),
                    optional=True,
                    hint="Options noted in fieldwork against the chosen area (`/afi show`).",
                )
            ]
            if options
            else []
        ),
        input_block(
            block_id=ids.ACTION_KEY,
            label="Key action",
            element=_text_input(
                ids.ACTION_KEY,
                key_action[:KEY_ACTION_MAX],
                KEY_ACTION_MAX,
                "What needs to happen?",
            ),
        ),
        input_block(
            block_id=ids.ACTION_OWNER,
            label="Owner",
            element=owner,
            hint="The person who will make sure it happens. They needn't be in this channel.",
        ),
        input_block(block_id=ids.ACTION_DUE, label="Due date", element=due),
        input_block(
            block_id=ids.ACTION_RISKS,
            label="Risks or costs",
            element=_text_input(
                ids.ACTION_RISKS,
                existing.risks if existing else "",
                DETAIL_MAX,
                "Financial or resource costs, and what could get in the way",
            ),
            optional=True,
        ),
        input_block(
            block_id=ids.ACTION_MEASURE,
            label="How we will know it's done",
            element=_text_input(
                ids.ACTION_MEASURE,
                existing.measure if existing else "",
                DETAIL_MAX,
                "The measure or evidence that shows it was implemented",
            ),
            optional=True,
        ),
        input_block(
            block_id=ids.ACTION_OUTCOME,
            label="Overall outcome",
            element=_text_input(
                ids.ACTION_OUTCOME,
                existing.outcome if existing else "",
                DETAIL_MAX,
                "What will be better for people when this is done?",
            ),
            optional=True,
        ),
    ]
    if existing is None:
        blocks.append(context("The owner gets a direct message, and a card is posted here."))
    title = f"Edit action {existing.number}" if existing else "Log an action"
    return modal(
        title=title,
        blocks=blocks,
        callback_id=ids.ACTION_MODAL,
        submit="Save changes" if existing else "Log action",
        private_metadata=metadata.dump(),
    )


def build_drop_modal(*, item: ActionItem, metadata: ActionMetadata) -> Block:
    return modal(
        title=f"Drop action {item.number}",
        callback_id=ids.ACTION_DROP_MODAL,
        submit="Drop action",
        private_metadata=metadata.dump(),
        blocks=[
            context(f"*{item.number}.* {escape_mrkdwn(truncate(item.key_action, 500))}"),
            input_block(
                block_id=ids.ACTION_DROP_REASON,
                label="Why is it being dropped?",
                element=_text_input(
                    ids.ACTION_DROP_REASON,
                    "",
                    DROP_REASON_MAX,
                    "For example: overtaken by the new service plan",
                ),
                hint="The reason is shown on the action's card and kept in the plan.",
            ),
        ],
    )
