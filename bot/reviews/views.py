"""What a review shows: the Appendix 1 form (modal and reading it back), the summary when a
review opens, `/psif status`, `/psif stage` and its confirmations, the offer to move on, and
the channel's lines when the stage, the details or whether it is closed change.

Suggested date fields carry a revision in their block_id (`pre_meeting:2`): Slack keeps what
was typed into an unchanged block_id and ignores a new `initial_date`, so new fieldwork
dates bump the revision to show new suggestions.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Annotated, Any, NamedTuple

from pydantic import BaseModel, Field, StringConstraints

from bot.core.calendar import format_date, format_day
from bot.core.councils import COUNCILS, MAX_PEER_COUNCILS, family_groups
from bot.core.errors import FormErrors
from bot.core.permissions import Operation, who_can
from bot.core.roles import ROLE_LABELS, TEAM_ROLES, Role
from bot.core.snapshot import ReviewSnapshot
from bot.core.stages import ORDER, STAGES, MoveOffer, Stage, next_stage, stage_heading
from bot.core.timeline import Timeline, milestones, next_milestone, suggested_dates
from bot.slack import ids
from bot.slack.blocks import (
    Block,
    actions,
    button,
    context,
    divider,
    fields_section,
    header,
    input_block,
    input_value,
    modal,
    option,
    plain,
    section,
    text_input,
)
from bot.slack.payloads import Metadata, ResponseUrl, SlackId, reading
from bot.slack.text import channel_link, escape_mrkdwn, join_words, mention, plural, truncate

OVERRIDE_VALUE = "allow_outside_guidance"
FOCUS_MAX = 500
RATIONALE_MAX = 2000
# Far more than any review team; a bound so a forged submission can't store thousands.
TEAM_MAX = 50
SUGGESTED_DATE_FIELDS = ("pre_meeting", "draft_report", "leads_meeting", "final_report")
DATE_FIELDS = ("initial_meeting", "fieldwork_start", "fieldwork_end", *SUGGESTED_DATE_FIELDS)


class StartMetadata(Metadata):
    """What the modal carries between Slack round trips (private_metadata, ≤ 3000 chars)."""

    channel_id: SlackId
    team_id: Annotated[str, StringConstraints(pattern=r"^[A-Z0-9]{0,32}$")] = ""
    # Set when `/psif edit` reopened the form on an existing review.
    review_id: int | None = None
    response_url: ResponseUrl | None = None
    revision: int = 0
    # Dates we pre-filled as suggestions, so a later change of fieldwork dates can tell
    # them apart from dates a person chose (Slack reports both the same way).
    suggested: dict[str, date] = Field(default_factory=dict)


class StartForm(BaseModel):
    """The Appendix 1 form, as submitted or as a review stands."""

    host_council: str | None = None
    focus: str = ""
    rationale: str = ""
    host_lead: str | None = None
    is_lead: str | None = None
    host_team: list[str] = Field(default_factory=list)
    is_team: list[str] = Field(default_factory=list)
    peer_councils: list[str] = Field(default_factory=list)
    peer_rationale: str = ""
    checklist_id: str | None = None
    initial_meeting: date | None = None
    fieldwork_start: date | None = None
    fieldwork_end: date | None = None
    pre_meeting: date | None = None
    draft_report: date | None = None
    leads_meeting: date | None = None
    final_report: date | None = None
    allow_outside_guidance: bool = False
    # field name → block_id as it is in the submitted view (errors must name the live one).
    block_ids: dict[str, str] = Field(default_factory=dict, exclude=True)

    @property
    def timeline(self) -> Timeline:
        return Timeline.of(self)

    def errors(self, problems: dict[str, str]) -> FormErrors:
        """The problems by field, on the form's blocks (one it doesn't show: on the focus)."""
        live = self.block_ids
        return FormErrors({live.get(f) or live.get("focus", f): m for f, m in problems.items()})


def _field_of(block_id: str) -> str:
    return block_id.split(":", 1)[0]


def read_start_state(view: dict[str, Any]) -> StartForm:
    """The form in `view.state.values`, whatever the date fields' revisions, with the view's
    block_ids; UnreadablePayload if its state can't be what the modal sent."""
    data: dict[str, Any] = {}
    with reading("the start form"):
        for block_id, elements in ((view.get("state") or {}).get("values") or {}).items():
            for state in elements.values():
                data[_field_of(block_id)] = input_value(state)
        data["allow_outside_guidance"] = OVERRIDE_VALUE in (data.pop("override", None) or [])
        blocks = [block["block_id"] for block in view.get("blocks", []) if "block_id" in block]
        data["block_ids"] = {_field_of(block_id): block_id for block_id in blocks}
        return StartForm.model_validate(data)


def without_stale_suggestions(form: StartForm, metadata: StartMetadata) -> StartForm:
    """Blank the dates that still hold our earlier suggestion, so they are suggested afresh."""
    stale = {
        field: None
        for field, day in metadata.suggested.items()
        if getattr(form, field, None) == day
    }
    return form.model_copy(update=stale)


def _date_input(block_id: str, label: str, initial: date | None, hint: str) -> Block:
    """A date field; picking a fieldwork date fills in the suggested dates."""
    dispatch = block_id in ("fieldwork_start", "fieldwork_end")
    element: Block = {
        "type": "datepicker",
        "action_id": ids.START_FIELDWORK_DATE if dispatch else _field_of(block_id),
        "placeholder": plain("Choose a date"),
    }
    if initial:
        element["initial_date"] = initial.isoformat()
    return input_block(
        block_id=block_id,
        label=label,
        optional=True,
        element=element,
        hint=hint,
        dispatch_action=dispatch,
    )


def _text_input(form: StartForm, field: str, label: str, placeholder: str) -> Block:
    element = text_input(
        field,
        max_length=FOCUS_MAX if field == "focus" else RATIONALE_MAX,
        placeholder=placeholder,
        initial=getattr(form, field),
        multiline=True,
    )
    return input_block(block_id=field, label=label, optional=field != "focus", element=element)


def _council_select(field: str, label: str, chosen: list[str], hint: str | None = None) -> Block:
    multi = field == "peer_councils"
    element: Block = {
        "type": "multi_static_select" if multi else "static_select",
        "action_id": field,
        "placeholder": plain("Choose councils" if multi else "Choose a council"),
        "options": [option(name, name) for name in COUNCILS],
    }
    if chosen:
        options = [option(name, name) for name in chosen if name in COUNCILS]
        element["initial_options" if multi else "initial_option"] = options if multi else options[0]
    if multi:
        element["max_selected_items"] = MAX_PEER_COUNCILS
    return input_block(block_id=field, label=label, optional=multi, element=element, hint=hint)


def _user_select(form: StartForm, field: str, label: str) -> Block:
    chosen: str | list[str] | None = getattr(form, field)
    multi = isinstance(chosen, list)
    element: Block = {
        "type": "multi_users_select" if multi else "users_select",
        "action_id": field,
        "placeholder": plain("Choose people" if multi else "Choose a person"),
    }
    if chosen:
        element["initial_users" if multi else "initial_user"] = chosen
    return input_block(block_id=field, label=label, optional=multi, element=element)


_AGREED_DATES = {  # field: label, hint
    "initial_meeting": (
        "Initial meeting to discuss the process",
        "This may already have happened.",
    ),
    "fieldwork_start": ("Fieldwork starts", "Picking this fills in the suggested dates below."),
    "fieldwork_end": ("Fieldwork ends", "Fieldwork usually takes 2 or 3 days."),
}
# The dates the guidance suggests: label, and the rule the hint states.
_SUGGESTED: dict[str, tuple[str, str]] = {
    "pre_meeting": ("Team pre-meeting", "At least 2 weeks before fieldwork."),
    "draft_report": (
        "Draft report circulated to the core team",
        "Within 2–3 weeks after fieldwork.",
    ),
    "leads_meeting": (
        "Leads' meeting to discuss the draft report",
        "Within 4–5 weeks of fieldwork.",
    ),
    "final_report": ("Final reporting", "After the leads' meeting."),
}


def build_start_modal(
    *, metadata: StartMetadata, checklists: dict[str, str], form: StartForm | None = None
) -> Block:
    """The Appendix 1 modal, pre-filled from `form` (suggested dates in blanks). Nobody is
    assumed host lead: the IS often fills it in. Editing leaves team and checklist alone."""
    editing = metadata.review_id is not None
    form = form or StartForm()
    suggested = (
        suggested_dates(form.fieldwork_start, form.fieldwork_end)
        if form.fieldwork_start
        else Timeline()
    )
    blocks: list[Block] = [
        section(
            "This is the guidance's Appendix 1 checklist. Dates left blank are worked out "
            "from the fieldwork dates using the guidance's timeline."
        ),
        header("The review"),
        _council_select(
            "host_council", "Host local authority", [form.host_council] if form.host_council else []
        ),
        _text_input(
            form, "focus", "Focus of the review", "The service or area of activity under review"
        ),
        _text_input(
            form,
            "rationale",
            "Rationale for the focus",
            "Evidence such as LGBF data, self-assessment, reviews",
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
    blocks.append(header("The team"))
    if editing:
        blocks.append(context("Change the team with `/psif team`."))
    else:
        blocks += [
            _user_select(form, "host_lead", "Host local authority lead"),
            _user_select(form, "is_lead", "Improvement Service lead"),
            _user_select(form, "host_team", "Team members from the host local authority"),
            _user_select(form, "is_team", "Team members from the Improvement Service"),
        ]
    blocks += [
        _council_select(
            "peer_councils",
            "Councils to approach for peer reviewers",
            form.peer_councils,
            "The guidance asks for three. LGBF family groups can help you choose.",
        ),
        _text_input(
            form,
            "peer_rationale",
            "Rationale for choosing these councils",
            "Performance, good practice, willingness, demographics",
        ),
        header("Dates"),
        *(
            _date_input(field, label, getattr(form, field), hint)
            for field, (label, hint) in _AGREED_DATES.items()
        ),
    ]
    prefilled: dict[str, date] = {}
    for field, (label, rule) in _SUGGESTED.items():
        chosen: date | None = getattr(form, field)
        day: date | None = getattr(suggested, field)
        if chosen is None and day:
            prefilled[field] = day
        how = f"use {format_date(day)}" if day else "it is worked out from the fieldwork dates"
        hint = f"{rule} Leave blank {'to' if day else 'and'} {how}."
        blocks.append(_date_input(f"{field}:{metadata.revision}", label, chosen or day, hint))
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


def edit_announcement(user_id: str, lines: list[str]) -> tuple[str, list[Block]]:
    """What the channel is told when a lead edits the review: each change on its own line."""
    text = f"{mention(user_id)} updated the review's details."
    return text, [
        section(text + "\n" + "\n".join(f"• {line}." for line in lines)),
        context("Reminders follow the new dates. `/psif status` shows the whole timeline."),
    ]


def _people(review: ReviewSnapshot, users: list[str]) -> str:
    if not users:
        return "_not named yet_"
    return join_words(
        [
            mention(user)
            + (f" ({escape_mrkdwn(org)})" if (org := review.organisations.get(user)) else "")
            for user in users
        ]
    )


def team_fields(review: ReviewSnapshot) -> Block:
    pairs = []
    for role in TEAM_ROLES:
        users = review.with_role(role)
        # 'Peer reviewer' above one name, 'Peer reviewers' above several.
        plural_s = "s" if len(users) > 1 and role is Role.PEER_REVIEWER else ""
        pairs.append((ROLE_LABELS[role] + plural_s, _people(review, users)))
    stakeholders = review.with_role(Role.STAKEHOLDER)
    if stakeholders:
        pairs.append(("Stakeholders invited", str(len(stakeholders))))
    return fields_section(pairs)


def timeline_text(
    review: ReviewSnapshot, *, today: date, done: frozenset[str] = frozenset()
) -> str:
    coming = next_milestone(review.timeline, today=today, done=done)
    lines = []
    for milestone in milestones(review.timeline):
        if milestone.key in done and milestone.day > today:
            # Done ahead of the guidance's order ("Do it anyway"): said so, never read as
            # though its planned day had come.
            when = f"done ahead of plan (planned for *{format_day(milestone.day)}*)"
            lines.append(f"✅ {milestone.label}: {when}")
            continue
        passed = milestone.day < today or milestone.key in done
        marker = "✅" if passed else ("👉" if milestone == coming else "▫️")
        lines.append(f"{marker} {milestone.label}: *{format_day(milestone.day)}*")
    if not lines:
        return "_No dates agreed yet. Fieldwork dates set the rest of the timeline._"
    return "\n".join(lines)


def peers_text(review: ReviewSnapshot) -> str:
    if not review.peer_councils:
        return "_No peer councils named yet (the guidance asks for three)._"
    text = join_words(list(review.peer_councils))
    if review.partners:
        text += f"\n_Partner organisations:_ {escape_mrkdwn(join_words(list(review.partners)))}"
    if review.peer_rationale:
        text += f"\n_Why:_ {escape_mrkdwn(review.peer_rationale)}"
    return text


def build_review_opened(
    review: ReviewSnapshot, *, opened_by: str, today: date
) -> tuple[str, list[Block]]:
    """The summary posted to the channel when a review is opened."""
    council, focus = escape_mrkdwn(review.host_council), escape_mrkdwn(review.focus)
    people, other = family_groups(review.host_council)
    why = f"\n*Why this focus:* {escape_mrkdwn(review.rationale)}" if review.rationale else ""
    blocks: list[Block] = [
        header(f"PSIF review: {review.host_council}"),
        section(
            f"{mention(opened_by)} opened a peer collaborative improvement review in this "
            f"channel.\n*Host:* {council} (LGBF family groups: people services {people}, "
            f"other services {other})\n*Focus:* {focus}{why}"
        ),
        team_fields(review),
        section(f"*Peer councils to approach*\n{peers_text(review)}"),
        divider(),
        section(f"*Timeline*\n{timeline_text(review, today=today)}"),
        section(
            f"*What happens next*\nWe're in *{stage_heading(Stage.GETTING_READY)}*. Next "
            "comes the self-assessment: "
            "the host invites stakeholders to the PSIF checklist. "
            "Type `/psif status` at any time to see where things stand, or `/psif help` "
            "for every command."
        ),
    ]
    return f"PSIF review opened: {council} – {focus}", blocks


class StageMove(NamedTuple):
    review_id: int
    expected: Stage
    target: Stage


def _button_value(review: ReviewSnapshot, *stages: Stage) -> str:
    """A confirmation's value: the review, its stage and, to move, the next; read back
    strictly, so a forged or stale value is refused instead of moving the review."""
    return ":".join([str(review.id), *stages])


def _stages_in(value: str, count: int) -> tuple[int, list[Stage]] | None:
    """The review id and the stages a button's value names, or None if it isn't ours."""
    parts = value.split(":")
    if len(parts) != count or not parts[0].isdigit() or len(parts[0]) > 12:
        return None
    try:
        return int(parts[0]), [Stage(part) for part in parts[1:]]
    except ValueError:
        return None


def parse_stage_move(value: str) -> StageMove | None:
    """The move a confirm button asks for, or None unless it is to the very next stage."""
    found = _stages_in(value, 3)
    if found is None or next_stage(found[1][0]) is not found[1][1]:
        return None
    return StageMove(found[0], *found[1])


def parse_closing(value: str) -> int | None:
    """The review a close button names."""
    found = _stages_in(value, 2)
    return None if found is None else found[0]


def move_offer_blocks(
    review: ReviewSnapshot, offer: MoveOffer, *, can_move: bool, who: str
) -> list[Block]:
    """The next stage has begun: say why, and offer the move to it (never further)."""
    body = f"↪️ *Ready for {stage_heading(offer.target)}*: {offer.because}."
    if not can_move:
        return [section(body), context(f"The review's {who} can move it on.")]
    value = _button_value(review, review.stage, offer.target)
    return [
        section(f"{body} Move the review on?"),
        actions(
            button(
                f"Move to {STAGES[offer.target].label}",
                ids.STAGE_ADVANCE_CONFIRM,
                value,
                style="primary",
            )
        ),
    ]


def build_stage_offer(review: ReviewSnapshot, offer: MoveOffer) -> tuple[str, list[Block]]:
    """A lead's direct message when the next stage has begun: move the review on?"""
    target = STAGES[offer.target].label
    text = f"The {review.host_council} review is ready for {target}: {offer.because}. Move it on?"
    blocks = [
        section(
            f"*{escape_mrkdwn(review.host_council)} review* in {channel_link(review.channel_id)}"
        ),
        *move_offer_blocks(review, offer, can_move=True, who=""),
        context(
            "`/psif stage` in the channel shows what the stage still lacks. "
            "`/psif reminders off stage` there stops these offers."
        ),
    ]
    return text, blocks


def build_stage_offer_settled(
    review: ReviewSnapshot, *, moved_by: str, on: date
) -> tuple[str, list[Block]]:
    """A lead's stage offer once the review has moved: who moved it, and no button."""
    stage = STAGES[review.stage].label
    text = f"The {review.host_council} review moved to {stage}."
    when = f"on {format_date(on)}"
    return text, [
        section(
            f"*{escape_mrkdwn(review.host_council)} review* in {channel_link(review.channel_id)}"
        ),
        section(f"✅ Moved to *{stage_heading(review.stage)}* by {mention(moved_by)} {when}."),
    ]


def _bullets(lines: list[str]) -> str:
    return "\n".join(f"• {line}" for line in lines)


def build_status(
    review: ReviewSnapshot,
    *,
    today: date,
    gaps: list[str],
    offer: MoveOffer | None = None,
    can_move: bool = False,
    done: frozenset[str] = frozenset(),
    self_assessment: Sequence[Block] = (),
) -> tuple[str, list[Block]]:
    """`/psif status`, short enough for a screen: the stage, what's next, the move on (for
    who `can_move`), the first gaps, the self-assessment, and a button for the rest."""
    coming = next_milestone(review.timeline, today=today, done=done)
    next_line = (
        f"Next: *{coming.label}* on {format_day(coming.day)}." if coming else "No dates ahead."
    )
    # Notification text is plain: no mrkdwn asterisks.
    plain_next = f"Next: {coming.label} on {format_day(coming.day)}." if coming else ""
    text = f"{review.host_council} review – {STAGES[review.stage].label}. {plain_next}".strip()
    blocks: list[Block] = [header(f"PSIF review: {review.host_council}")]
    if review.closed_on:
        blocks.append(
            section(
                f"🔒 *Closed on {format_date(review.closed_on)}.* What it holds stays readable "
                "here (`/action plan`, `/psif results`); a lead can `/psif reopen` it."
            )
        )
        text = f"{review.host_council} review – closed on {format_date(review.closed_on)}."
    blocks.append(
        section(
            f"*{stage_heading(review.stage)}*\n"
            f"Focus: {escape_mrkdwn(truncate(review.focus, 200))}\n{next_line}"
        )
    )
    if offer:
        blocks += move_offer_blocks(
            review, offer, can_move=can_move, who=who_can(Operation.MOVE_STAGE)
        )
    if gaps and not review.closed_on:
        shown = gaps[:2]  # the rest are a button away, like the timeline and team
        if len(gaps) > len(shown):
            shown.append(f"…and {len(gaps) - len(shown)} more (`/psif stage`)")
        blocks.append(section("*Still to do in this stage*\n" + _bullets(shown)))
    blocks += [
        *self_assessment,
        actions(button("Timeline, team and peers", ids.STATUS_MORE, str(review.id))),
    ]
    return text, blocks


def build_status_details(
    review: ReviewSnapshot, *, today: date, done: frozenset[str] = frozenset()
) -> tuple[str, list[Block]]:
    """The rest of `/psif status`: what the stage is for, the timeline, team and peers."""
    return f"{review.host_council} review: timeline, team and peers", [
        section(f"*{stage_heading(review.stage)}*\n{STAGES[review.stage].purpose}"),
        section(f"*Timeline*\n{timeline_text(review, today=today, done=done)}"),
        team_fields(review),
        section(f"*Peer councils*\n{peers_text(review)}"),
    ]


def build_stage_view(
    review: ReviewSnapshot, *, gaps: list[str], can_advance: bool
) -> tuple[str, list[Block]]:
    """`/psif stage`: where the review is and what the stage still lacks."""
    info, here = STAGES[review.stage], ORDER.index(review.stage)

    def numbered(stage: Stage) -> str:  # "3.2 Fieldwork: interviews and focus groups"
        each = STAGES[stage]
        return f"{each.number}{f'.{each.phase}' if each.phase else ''} {each.label}"

    marks = [
        f"👉 *{numbered(stage)}*"
        if stage is review.stage
        else f"{'✅' if ORDER.index(stage) < here else '▫️'} {numbered(stage)}"
        for stage in ORDER
    ]
    heading = stage_heading(review.stage, closed_on=review.closed_on)
    blocks: list[Block] = [
        section(f"*{heading}*\n{info.purpose}"),
        section("*Still to do*\n" + (_bullets(gaps) or "Nothing outstanding that I can see.")),
        section("*All stages*\n" + "\n".join(marks)),
    ]
    if can_advance and review.stage is Stage.FOLLOW_UP:
        blocks.append(context("When the plan is carried out, close the review with `/psif close`."))
    elif can_advance and review.closed_on is None:
        blocks.append(context("When the stage is done, move on with `/psif stage next`."))
    return heading, blocks


def build_advance_confirmation(
    review: ReviewSnapshot, target: Stage, gaps: list[str]
) -> tuple[str, list[Block]]:
    """The confirmation before `/psif stage next` moves the review on."""
    current, upcoming = STAGES[review.stage].label, STAGES[target].label
    body = f"Move the review from *{current}* to *{upcoming}*?"
    if gaps:
        body += f"\n\n*This stage still has gaps:*\n{_bullets(gaps)}"
        body += "\n\nYou lead the review, so you can move on anyway."
    value = _button_value(review, review.stage, target)
    return f"Move the review from {current} to {upcoming}?", [
        section(body),
        actions(
            button(f"Move to {upcoming}", ids.STAGE_ADVANCE_CONFIRM, value, style="primary"),
            button("Cancel", ids.STAGE_ADVANCE_CANCEL, value),
        ),
    ]


def build_stage_changed(
    review: ReviewSnapshot,
    *,
    previous: Stage,
    changed_by: str,
    gaps_left: list[str],
    today: date,
    done: frozenset[str] = frozenset(),
) -> tuple[str, list[Block]]:
    """The short summary posted to the channel when the stage changes."""
    before, now = STAGES[previous], STAGES[review.stage]
    coming = next_milestone(review.timeline, today=today, done=done)
    blocks: list[Block] = [
        section(
            f"➡️ {mention(changed_by)} moved the review from *{before.label}* on to "
            f"*{stage_heading(review.stage)}*."
        ),
        section(f"*What comes next*\n{now.purpose}"),
    ]
    if gaps_left:
        blocks.append(section(f"*Left open from {before.label}*\n{_bullets(gaps_left)}"))
    if coming:
        blocks.append(context(f"Next date: {coming.label}, {format_date(coming.day)}."))
    return f"The review has moved on to {now.label}.", blocks


def build_close_confirmation(
    review: ReviewSnapshot, open_actions: list[str]
) -> tuple[str, list[Block]]:
    """`/psif close`: what closing means, the actions still open, and the buttons."""
    body = (
        f"Close the *{review.host_council}* review? Reminders stop, and nothing more can be "
        "added or changed; a lead can `/psif reopen` it."
    )
    if open_actions:
        one = len(open_actions) == 1
        more = f"\n…and {len(open_actions) - 15} more." if len(open_actions) > 15 else ""
        body += (
            f"\n\n*{plural(len(open_actions), 'improvement action')} "
            f"{'is' if one else 'are'} still open*; "
            f"{'its owner stops' if one else 'their owners stop'} "
            f"getting reminders:\n{_bullets(open_actions[:15])}{more}"
        )
    value = _button_value(review, review.stage)
    return f"Close the {review.host_council} review?", [
        section(body),
        actions(
            button("Close the review", ids.CLOSE_CONFIRM, value, style="danger"),
            button("Cancel", ids.CLOSE_CANCEL, value),
        ),
    ]


def review_closed_line(review: ReviewSnapshot, *, closed_by: str) -> str:
    return (
        f"🔒 {mention(closed_by)} closed the {review.host_council} review. Its plan and "
        "results stay readable here (`/psif status`, `/action plan`, `/psif results`)."
    )


def review_reopened_line(review: ReviewSnapshot, *, reopened_by: str) -> str:
    return (
        f"🔓 {mention(reopened_by)} reopened the {review.host_council} review; it is back in "
        f"*{STAGES[review.stage].label}*."
    )


def build_milestone_anyway(label: str, *, word: str, missing: list[str]) -> tuple[str, list[Block]]:
    """Asked before a milestone is recorded done ahead of what the guidance puts first."""
    lines = _bullets([escape_mrkdwn(line) for line in missing])
    return f"Record {label} as done already?", [
        section(f"Record *{label}* as done already? The guidance puts it later. Not yet:\n{lines}"),
        actions(
            button("Do it anyway", ids.MILESTONE_DONE_ANYWAY, word, style="primary"),
            button("Cancel", ids.MILESTONE_DONE_CANCEL, "cancel"),
        ),
    ]
