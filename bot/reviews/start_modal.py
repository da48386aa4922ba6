"""The `/psif start` modal: the guidance's Appendix 1 form as Block Kit (see bot/review_form.py
for the form's data and why suggested dates carry a revision in their block_id)."""

from __future__ import annotations

from datetime import date

from bot.core.calendar import format_date
from bot.core.timeline import Timeline, suggested_dates
from bot.reviews.councils import COUNCILS
from bot.reviews.form import (
    FOCUS_MAX,
    MAX_PEER_COUNCILS,
    OVERRIDE_VALUE,
    RATIONALE_MAX,
    SUGGESTED_DATE_FIELDS,
    StartForm,
    StartMetadata,
    block_id_for,
)
from bot.slack import ids
from bot.slack.blocks import Block, context, header, input_block, modal, option, plain, section


def _datepicker(field: str, initial: date | None, *, dispatch: bool = False) -> Block:
    element: Block = {
        "type": "datepicker",
        "action_id": ids.START_FIELDWORK_DATE if dispatch else field,
        "placeholder": plain("Choose a date"),
    }
    if initial:
        element["initial_date"] = initial.isoformat()
    return element


def _text(
    field: str, *, multiline: bool, max_length: int, placeholder: str, initial: str = ""
) -> Block:
    element: Block = {
        "type": "plain_text_input",
        "action_id": field,
        "multiline": multiline,
        "max_length": max_length,
        "placeholder": plain(placeholder, 150),
    }
    if initial:
        element["initial_value"] = initial
    return element


def build_start_modal(
    *,
    metadata: StartMetadata,
    checklists: dict[str, str],
    form: StartForm | None = None,
) -> Block:
    """The Appendix 1 modal; `form` pre-fills it (with suggested dates filled in blanks).

    Nobody is assumed to be the host lead: the Improvement Service often fills it in. With
    `metadata.review_id` it edits that review: the team is changed with `/psif team`
    instead, and the checklist stays as it was."""
    editing = metadata.review_id is not None
    form = form or StartForm()
    suggested = (
        suggested_dates(form.fieldwork_start, form.fieldwork_end)
        if form.fieldwork_start
        else Timeline()
    )
    revision = metadata.revision

    def council_select(field: str, multi: bool, chosen: list[str]) -> Block:
        element: Block = {
            "type": "multi_static_select" if multi else "static_select",
            "action_id": field,
            "placeholder": plain("Choose councils" if multi else "Choose a council"),
            "options": [option(name, name) for name in COUNCILS],
        }
        if chosen:
            key = "initial_options" if multi else "initial_option"
            options = [option(name, name) for name in chosen if name in COUNCILS]
            element[key] = options if multi else options[0]
        if multi:
            element["max_selected_items"] = MAX_PEER_COUNCILS
        return element

    def user_select(field: str, multi: bool, chosen: list[str]) -> Block:
        element: Block = {
            "type": "multi_users_select" if multi else "users_select",
            "action_id": field,
            "placeholder": plain("Choose people" if multi else "Choose a person"),
        }
        if chosen:
            element["initial_users" if multi else "initial_user"] = chosen if multi else chosen[0]
        return element

    def suggested_hint(field: str) -> str:
        day: date | None = getattr(suggested, field)
        rule = {
            "pre_meeting": "At least 2 weeks before fieldwork.",
            "draft_report": "Within 2–3 weeks after fieldwork.",
            "leads_meeting": "Within 4–5 weeks of fieldwork.",
            "final_report": "After the leads' meeting.",
        }[field]
        if day:
            return f"{rule} Leave blank to use {format_date(day)}."
        return f"{rule} Leave blank and it is worked out from the fieldwork dates."

    blocks: list[Block] = [
        section(
            "This is the guidance's Appendix 1 checklist. Dates left blank are worked out "
            "from the fieldwork dates using the guidance's timeline."
        ),
        header("The review"),
        input_block(
            block_id="host_council",
            label="Host local authority",
            element=council_select(
                "host_council", False, [form.host_council] if form.host_council else []
            ),
        ),
        input_block(
            block_id="focus",
            label="Focus of the review",
            element=_text(
                "focus",
                multiline=True,
                max_length=FOCUS_MAX,
                placeholder="The service or area of activity under review",
                initial=form.focus,
            ),
        ),
        input_block(
            block_id="rationale",
            label="Rationale for the focus",
            optional=True,
            element=_text(
                "rationale",
                multiline=True,
                max_length=RATIONALE_MAX,
                placeholder="Evidence such as LGBF data, self-assessment, reviews",
                initial=form.rationale,
            ),
        ),
    ]
    if len(checklists) > 1 and not editing:
        chosen_id = form.checklist_id if form.checklist_id in checklists else next(iter(checklists))
        blocks.append(
            input_block(
                block_id="checklist_id",
                label="Self-assessment checklist",
                element={
                    "type": "static_select",
                    "action_id": "checklist_id",
                    "options": [option(name, key) for key, name in checklists.items()],
                    "initial_option": option(checklists[chosen_id], chosen_id),
                },
            )
        )
    team_blocks: list[Block] = [
        header("The team"),
        input_block(
            block_id="host_lead",
            label="Host local authority lead",
            element=user_select("host_lead", False, [form.host_lead] if form.host_lead else []),
        ),
        input_block(
            block_id="is_lead",
            label="Improvement Service lead",
            element=user_select("is_lead", False, [form.is_lead] if form.is_lead else []),
        ),
        input_block(
            block_id="host_team",
            label="Team members from the host local authority",
            optional=True,
            element=user_select("host_team", True, form.host_team),
        ),
        input_block(
            block_id="is_team",
            label="Team members from the Improvement Service",
            optional=True,
            element=user_select("is_team", True, form.is_team),
        ),
    ]
    blocks += (
        [header("The team"), context("Change the team with `/psif team`.")]
        if editing
        else team_blocks
    )
    blocks += [
        input_block(
            block_id="peer_councils",
            label="Councils to approach for peer reviewers",
            optional=True,
            element=council_select("peer_councils", True, form.peer_councils),
            hint="The guidance asks for three. LGBF family groups can help you choose.",
        ),
        input_block(
            block_id="peer_rationale",
            label="Rationale for choosing these councils",
            optional=True,
            element=_text(
                "peer_rationale",
                multiline=True,
                max_length=RATIONALE_MAX,
                placeholder="Performance, good practice, willingness, demographics",
                initial=form.peer_rationale,
            ),
        ),
        header("Dates"),
        input_block(
            block_id="initial_meeting",
            label="Initial meeting to discuss the process",
            optional=True,
            element=_datepicker("initial_meeting", form.initial_meeting),
            hint="This may already have happened.",
        ),
        input_block(
            block_id="fieldwork_start",
            label="Fieldwork starts",
            optional=True,
            element=_datepicker("fieldwork_start", form.fieldwork_start, dispatch=True),
            dispatch_action=True,
            hint="Picking this fills in the suggested dates below.",
        ),
        input_block(
            block_id="fieldwork_end",
            label="Fieldwork ends",
            optional=True,
            element=_datepicker("fieldwork_end", form.fieldwork_end, dispatch=True),
            dispatch_action=True,
            hint="Fieldwork usually takes 2 or 3 days.",
        ),
    ]
    labels = {
        "pre_meeting": "Team pre-meeting",
        "draft_report": "Draft report circulated to the core team",
        "leads_meeting": "Leads' meeting to discuss the draft report",
        "final_report": "Final reporting",
    }
    prefilled: dict[str, date] = {}
    for field in SUGGESTED_DATE_FIELDS:
        chosen: date | None = getattr(form, field)
        if chosen is None and getattr(suggested, field):
            prefilled[field] = getattr(suggested, field)
        blocks.append(
            input_block(
                block_id=block_id_for(field, revision),
                label=labels[field],
                optional=True,
                element=_datepicker(field, chosen or getattr(suggested, field)),
                hint=suggested_hint(field),
            )
        )
    override: Block = {
        "type": "checkboxes",
        "action_id": "override",
        "options": [
            {
                "text": plain("Allow dates outside the guidance's windows"),
                "value": OVERRIDE_VALUE,
                "description": plain("For when the 2–3 and 4–5 week windows can't be met."),
            }
        ],
    }
    if form.allow_outside_guidance:
        override["initial_options"] = override["options"]
    blocks += [
        input_block(block_id="override", label="Exceptions", optional=True, element=override),
        context("Only the people named here and the channel's members see this review."),
    ]
    return modal(
        title="Edit the review" if editing else "Start a PSIF review",
        submit="Save changes" if editing else "Start review",
        callback_id=ids.EDIT_MODAL if editing else ids.START_MODAL,
        blocks=blocks,
        private_metadata=metadata.model_copy(update={"suggested": prefilled}).model_dump_json(
            exclude_none=True
        ),
    )
