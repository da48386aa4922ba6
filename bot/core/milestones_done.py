"""A milestone is done when recorded with `/psif done <milestone>`, or once the stage has
moved past where it must have happened. `/psif done fieldwork` means its end once started."""

from __future__ import annotations

from bot.core.stages import ORDER, Stage

DONE_WORDS: dict[str, str] = {
    "pre-meeting": "pre_meeting",
    "papers": "papers_due",
    "fieldwork": "fieldwork_start",
    "fieldwork-end": "fieldwork_end",
    "draft": "draft_report",
    "leads-meeting": "leads_meeting",
    "final-report": "final_report",
}
HAPPENED: dict[str, str] = {
    "pre_meeting": "the team pre-meeting has taken place",
    "papers_due": "the papers have gone out",
    "fieldwork_start": "fieldwork has started",
    "fieldwork_end": "fieldwork is over",
    "draft_report": "the draft report has gone round",
    "leads_meeting": "the leads have met on the draft",
    "final_report": "the final report is out",
}
WORD_FOR: dict[str, str] = {key: word for word, key in DONE_WORDS.items()} | {
    "fieldwork_end": "fieldwork"
}
IMPLIES: dict[str, str] = {"fieldwork_end": "fieldwork_start"}
ALIASES: dict[str, str] = {
    "premeeting": "pre-meeting",
    "pre": "pre-meeting",
    "paper": "papers",
    "draft-report": "draft",
    "leads": "leads-meeting",
    "final": "final-report",
    "fieldwork-over": "fieldwork-end",
    "fieldwork-ends": "fieldwork-end",
}

DONE_AT_STAGE: dict[str, Stage] = {
    "pre_meeting": Stage.FIELDWORK_CONTEXT,
    "papers_due": Stage.FIELDWORK_CONTEXT,
    "fieldwork_start": Stage.FIELDWORK_CONTEXT,
    "fieldwork_end": Stage.REPORTING,
    "draft_report": Stage.SHARING,
    "leads_meeting": Stage.SHARING,
    "final_report": Stage.FOLLOW_UP,
}


def milestone_for_word(word: str, *, fieldwork_started: bool = False) -> str | None:
    """The milestone key for what the user typed, forgiving case, spaces and short forms."""
    cleaned = "-".join(word.lower().replace("'", "").replace("’", "").split())
    cleaned = ALIASES.get(cleaned, cleaned)
    milestone = DONE_WORDS.get(cleaned)
    if milestone == "fieldwork_start" and fieldwork_started:
        return "fieldwork_end"
    return milestone


def is_done(milestone: str, *, stage: Stage, recorded: frozenset[str]) -> bool:
    if milestone in recorded or any(IMPLIES.get(key) == milestone for key in recorded):
        return True
    return ORDER.index(stage) >= ORDER.index(DONE_AT_STAGE[milestone])


def done_keys(*, stage: Stage, recorded: frozenset[str]) -> frozenset[str]:
    return frozenset(key for key in DONE_AT_STAGE if is_done(key, stage=stage, recorded=recorded))
