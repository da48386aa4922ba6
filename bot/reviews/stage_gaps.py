"""What a stage still lacks, in plain words: the host leads, so unmet expectations are shown
as gaps that warn; they never block a move."""

from __future__ import annotations

from bot.core.calendar import format_date
from bot.core.stages import ReviewProgress, Stage
from bot.slack.text import escape_mrkdwn


def stage_gaps(stage: Stage, progress: ReviewProgress) -> list[str]:
    """What the stage still lacks, in plain words; empty when it looks complete."""
    t = progress.timeline
    gaps: list[str] = []
    if stage is Stage.GETTING_READY:
        if not progress.has_host_lead:
            gaps.append("No host lead is named.")
        if not progress.has_is_lead:
            gaps.append("No Improvement Service lead is named.")
        if progress.peer_council_count < 3:
            gaps.append(
                f"{progress.peer_council_count} of 3 peer councils named (the guidance asks "
                "for three)."
            )
        gaps.extend(_peer_gaps(progress))
        if not progress.peer_reviewers_named:
            gaps.append("No peer reviewers are on the team yet (`/psif team add … as peer`).")
        if t.fieldwork_start is None:
            gaps.append("Fieldwork dates are not agreed.")
    elif stage is Stage.PRE_WORK:
        invited, finished = progress.stakeholders_invited, progress.stakeholders_finished
        if not invited:
            gaps.append("No stakeholders have been invited to the self-assessment.")
        elif finished is not None and finished < invited and not progress.self_assessment_closed:
            closes = progress.self_assessment_closes
            when = f", closes {format_date(closes)}" if closes else ""
            gaps.append(f"Self-assessment still open: {finished} of {invited} responded{when}.")
        if t.papers_due and progress.today <= t.papers_due:
            gaps.append(f"Papers are due to the team by {format_date(t.papers_due)}.")
    elif stage is Stage.FIELDWORK_CONTEXT:
        if progress.vote_open:
            gaps.append("Prioritisation vote is still open.")
        if not progress.prioritised_afi_count:
            gaps.append("No areas for improvement have been prioritised yet.")
    elif stage is Stage.FIELDWORK_PLANNING:
        if not progress.action_count:
            gaps.append("No improvement actions have been logged yet.")
    elif stage is Stage.REPORTING:
        if t.draft_report and progress.today < t.draft_report:
            gaps.append(f"Draft report due to be circulated {format_date(t.draft_report)}.")
        if t.leads_meeting and progress.today < t.leads_meeting:
            gaps.append(f"Leads' meeting on the draft is on {format_date(t.leads_meeting)}.")
    elif stage is Stage.SHARING:
        if t.final_report and progress.today < t.final_report:
            gaps.append(f"Final reporting is planned for {format_date(t.final_report)}.")
    elif stage is Stage.FOLLOW_UP and progress.open_action_count:
        gaps.append(f"{progress.open_action_count} improvement actions are still open.")
    gaps.extend(progress.extra_gaps)
    return gaps


def _peer_gaps(progress: ReviewProgress) -> list[str]:
    """What `/psif peers` shows is still missing: agreements, replacements, reviewers."""
    gaps: list[str] = []
    agreed, declined = progress.peer_councils_agreed, progress.peer_councils_declined
    if agreed is not None and agreed < 3:
        gaps.append(
            f"{agreed} of 3 peer councils have agreed to take part (`/psif peers` records "
            "who has been approached and what they said)."
        )
    if declined and progress.peer_council_count - declined < 3:
        gaps.append(
            f"{declined} peer {'council has' if declined == 1 else 'councils have'} declined: "
            "approach another (`/psif edit` adds it to the list)."
        )
    for name in progress.agreed_without_reviewers:
        council = escape_mrkdwn(name)
        gaps.append(
            f"{council} agreed, but none of its peer reviewers is on the team yet "
            f"(`/psif team add @a as peer {council}`)."
        )
    return gaps
