"""Every callback_id, block_id and action_id the bot uses, in one place.

Builders and listeners import these; a typo becomes an import error, not a silent no-op.
"""

from __future__ import annotations

# /psif start — the Appendix 1 modal
START_MODAL = "psif_start"
START_FIELDWORK_DATE = "psif_start_fieldwork_date"  # action id of the dispatching datepickers

# /psif stage next — confirmation buttons
STAGE_ADVANCE_CONFIRM = "psif_stage_advance_confirm"
STAGE_ADVANCE_CANCEL = "psif_stage_advance_cancel"

# Links to other commands in help and summaries need no handler; buttons that only open a URL
# still send an action, so they get a no-op listener.
NOOP_LINK = "psif_link"
