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

# PSIF self-assessment (checklist)
CHECKLIST_START = "psif_checklist_start"  # "Start self-assessment" buttons; value: review id
CHECKLIST_SECTION_MODAL = "psif_checklist_section"
CHECKLIST_SUMMARY_MODAL = "psif_checklist_summary"
CHECKLIST_GOTO_SECTION = "psif_checklist_goto"  # Back / Change buttons; value: section number
CHECKLIST_ANSWER = "psif_checklist_answer"  # radio buttons; block id: CHECKLIST_STATEMENT + id
CHECKLIST_STATEMENT = "stmt_"
CHECKLIST_COMMENT = "psif_checklist_comment"  # block ids: CHECKLIST_STRENGTHS/IMPROVEMENTS + n
CHECKLIST_STRENGTHS = "strengths_"
CHECKLIST_IMPROVEMENTS = "improvements_"
CHECKLIST_BACK_BLOCK = "checklist_back"
CHECKLIST_SUMMARY_ROW = "checklist_section_"  # final review screen rows; section number follows
CHECKLIST_NOTICE = "psif_checklist_notice"  # information-only modals
