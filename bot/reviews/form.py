"""The `/psif start` form (the guidance's Appendix 1) as data, free of Slack's payloads.

Date fields that the guidance can suggest carry a revision suffix in their block_id
(`pre_meeting:2`). Slack keeps what a user typed into an input whose block_id is unchanged
and ignores a new `initial_date`, so when fieldwork dates change we bump the revision to
show the new suggestions.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from bot.core.timeline import Timeline
from bot.slack.payloads import Metadata, ResponseUrl, SlackId

OVERRIDE_VALUE = "allow_outside_guidance"
FOCUS_MAX = 500
RATIONALE_MAX = 2000
MAX_PEER_COUNCILS = 5
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
    """The submitted Appendix 1 form."""

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

    @property
    def timeline(self) -> Timeline:
        return Timeline(**{name: getattr(self, name) for name in DATE_FIELDS})


def field_of(block_id: str) -> str:
    return block_id.split(":", 1)[0]


def block_id_for(field: str, revision: int) -> str:
    return f"{field}:{revision}" if field in SUGGESTED_DATE_FIELDS else field


def without_stale_suggestions(form: StartForm, metadata: StartMetadata) -> StartForm:
    """Blank the dates that still hold our earlier suggestion, so they are suggested afresh."""
    stale = {
        field: None
        for field, day in metadata.suggested.items()
        if getattr(form, field, None) == day
    }
    return form.model_copy(update=stale)
