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

# AFIs: /afi add and /afi list modals, the list's manage menu, dot voting
AFI_ADD_MODAL = "afi_add"
AFI_EDIT_MODAL = "afi_edit"
AFI_MERGE_MODAL = "afi_merge"
AFI_VOTE_MODAL = "afi_vote_open"
AFI_TEXT = "afi_text"
AFI_SECTION = "afi_section"
AFI_EVIDENCE = "afi_evidence"
AFI_MERGE_TARGET = "afi_merge_target"
AFI_VOTE_BUDGET = "afi_vote_budget"
AFI_VOTE_CAP = "afi_vote_cap"
AFI_VOTE_WHO = "afi_vote_who"
AFI_MANAGE = "afi_manage"  # overflow menu on each AFI in /afi list
AFI_LIST_PAGE = "afi_list_page"
AFI_VOTE_ADD = "afi_vote_add"
AFI_VOTE_REMOVE = "afi_vote_remove"
AFI_WITHDRAW_MODAL = "afi_withdraw"
AFI_NOTICE_MODAL = "afi_notice"  # replaces a form whose change could not be made
