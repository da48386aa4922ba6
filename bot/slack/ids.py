"""Every callback_id, block_id and action_id, so a typo is an import error, not a no-op."""

from __future__ import annotations

# /psif start — the Appendix 1 modal
START_MODAL = "psif_start"
START_FIELDWORK_DATE = "psif_start_fieldwork_date"  # action id of the dispatching datepickers

# /psif stage next — confirmation buttons
STAGE_ADVANCE_CONFIRM = "psif_stage_advance_confirm"
STATUS_MORE = "psif_status_more"
STAGE_ADVANCE_CANCEL = "psif_stage_advance_cancel"

# Replaces a modal whose submission could not be handled, saying why (the error handler)
NOTICE_MODAL = "psif_notice"

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
# /psif checklist close — confirmation buttons; value: review id
CHECKLIST_CLOSE_CONFIRM = "psif_checklist_close_confirm"
CHECKLIST_CLOSE_CANCEL = "psif_checklist_close_cancel"
# "Post the results" in the channel's note that the self-assessment closed; value: review id
CHECKLIST_POST_RESULTS = "psif_checklist_post_results"

# /psif forget-me — confirmation buttons
FORGET_ME_CONFIRM = "psif_forget_me_confirm"
FORGET_ME_CANCEL = "psif_forget_me_cancel"

# /action — improvement actions: the log/edit modal, the drop modal, and the card's controls
ACTION_MODAL = "action_log"
ACTION_DROP_MODAL = "action_drop"
ACTION_AFI = "action_afi"
ACTION_KEY = "action_key"
ACTION_OWNER = "action_owner"
ACTION_DUE = "action_due"
ACTION_RISKS = "action_risks"
ACTION_MEASURE = "action_measure"
ACTION_OUTCOME = "action_outcome"
ACTION_DROP_REASON = "action_drop_reason"
ACTION_START = "action_start"
ACTION_DONE = "action_done"
ACTION_EDIT = "action_edit"
ACTION_MORE = "action_more"  # overflow: drop, history
ACTION_MORE_DROP = "drop"
ACTION_MORE_HISTORY = "history"
ACTION_MORE_REOPEN = "reopen"
ACTION_HISTORY_MODAL = "action_history"
ACTION_PROGRESS = "action_progress"  # the card's "Update progress" button
ACTION_PROGRESS_MODAL = "action_progress_form"
ACTION_PROGRESS_RAG = "action_progress_rag"
ACTION_PROGRESS_NOTE = "action_progress_note"
ACTION_SET_RAG = "action_set_rag"  # the RAG buttons in an owner's reminder; value: "<rag>:<id>"

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
AFI_MANAGE = "afi_manage"  # overflow menu on an AFI shown in full from /afi list
AFI_LIST_PAGE = "afi_list_page"
AFI_SHOW = "afi_show"  # Show on each AFI in /afi list; value: "<afi id>"
AFI_VOTE_ADD = "afi_vote_add"
AFI_VOTE_REMOVE = "afi_vote_remove"  # on voting messages posted before the one-button ballot
AFI_VOTE_HIDE = "afi_vote_hide"
AFI_VOTE_CLOSES = "afi_vote_closes"
AFI_VOTE_TOP_N = "afi_vote_top_n"
AFI_MY_VOTES = "afi_my_votes"  # value: "<round id>"
AFI_BALLOT_TOGGLE = "afi_ballot_toggle"  # in the voter's own ballot; value: "<round>:<afi>"
AFI_TIE_BREAK = "afi_tie_break"  # value: "<round id>" of the round whose tie it settles
AFI_WITHDRAW_MODAL = "afi_withdraw"
AFI_NOTICE_MODAL = "afi_notice"  # replaces a form whose change could not be made
# "This looks like AFI n — add anyway?" under `/afi add <text>`; Add anyway's value: the text
AFI_ADD_ANYWAY = "afi_add_anyway"
AFI_ADD_CANCEL = "afi_add_cancel"
# `/afi import`'s form: one tick box and one wording per candidate, block ids "<id>/<statement>"
AFI_IMPORT_MODAL = "afi_import"
AFI_IMPORT_KEEP = "afi_import_keep"
AFI_IMPORT_TEXT = "afi_import_text"

# /psif close — confirmation buttons; value: "<review id>:<stage it is closed from>"
CLOSE_CONFIRM = "psif_close_confirm"
CLOSE_CANCEL = "psif_close_cancel"

# /psif edit — the Appendix 1 modal reopened on a review (same blocks as START_MODAL)
EDIT_MODAL = "psif_edit"
# Fieldwork: the session modal (input block ids are its field names) and the plan's controls
FIELDWORK_SESSION_MODAL = "fieldwork_session"
FIELDWORK_PLAN = "fieldwork_plan"  # "Plan a session" button; value: review id
FIELDWORK_EDIT = "fieldwork_edit"  # value: session id
FIELDWORK_CANCEL = "fieldwork_cancel"  # value: session id
FIELDWORK_KIND = "fw_kind"
FIELDWORK_DAY = "fw_day"
FIELDWORK_START = "fw_start"
FIELDWORK_LENGTH = "fw_length"
FIELDWORK_AFIS = "fw_afis"
FIELDWORK_RUNNERS = "fw_runners"
FIELDWORK_PARTICIPANTS = "fw_participants"
FIELDWORK_COUNT = "fw_count"
FIELDWORK_MODE = "fw_mode"

# Findings: "Add a finding" buttons (value: "afi:<id>" or "session:<id>") and the modal
FINDING_ADD = "finding_add"
FINDING_MODAL = "finding_modal"
FINDING_MANAGE = "finding_manage"
FINDING_REMOVE_MODAL = "finding_remove_modal"
FINDING_AFI = "finding_afi"
FINDING_KIND = "finding_kind"
FINDING_SOURCE = "finding_source"
FINDING_TEXT = "finding_text"

# The report: "Comment on the draft" (value: version id), its modal, resolving comments
REPORT_COMMENT = "report_comment"
REPORT_COMMENT_MODAL = "report_comment_modal"
REPORT_COMMENT_TEXT = "report_comment_text"
REPORT_RESOLVE = "report_resolve"  # value: comment id
# "Do it anyway" under `/psif done <milestone>` ahead of the guidance's order; value: the word
MILESTONE_DONE_ANYWAY = "psif_done_anyway"
MILESTONE_DONE_CANCEL = "psif_done_cancel"
# "Do it anyway" under `/psif report` before fieldwork is over; value: review id
REPORT_DRAFT_ANYWAY = "report_draft_anyway"
# The confirmation under `/psif report final`: Mark final (or Do it anyway); value: version id
REPORT_FINAL_CONFIRM = "report_final_confirm"
REPORT_CANCEL = "report_cancel"
# "Do it anyway" on the question pushed over the finding form when its session is still to come
FINDING_EARLY_MODAL = "finding_early_modal"
ACTION_OPTION = "action_option"  # in the action modal: the option for improvement it carries out

# /psif peers: "Record answers" (value: review id), the modal, block ids (prefix + council id)
PEERS_EDIT = "psif_peers_edit"
PEERS_MODAL = "psif_peers"
PEER_STATE = "peer_state_"
PEER_APPROACHED = "peer_approached_"
PEER_NOMINEES = "peer_nominees_"
PEER_REASON = "peer_reason_"
PEER_PARTNER = "peer_partner"

# A lead's Home tab: those commands' buttons (value: review id), the invite modal and picker
HOME_INVITE = "home_lead_invite"
HOME_RESULTS = "home_lead_results"
HOME_VOTE = "home_lead_vote"
HOME_PLAN = "home_lead_plan"
HOME_LEAD_BUTTONS = "home_lead:"  # block id prefix; the review id follows
HOME_INVITE_MODAL = "home_invite"
HOME_INVITE_PEOPLE = "home_invite_people"

# Answers imported from a survey tool (`/psif import-answers`).
SURVEY_IMPORT_MODAL = "survey_import"
SURVEY_IMPORT_FILE = "survey_import_file"
SURVEY_IMPORT_CONFIRM = "survey_import_confirm"
SURVEY_IMPORT_NOTICE = "survey_import_notice"
