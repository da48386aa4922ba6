"""Pure rules of findings: no text may name a person, and `/afi note` needs a number."""

from __future__ import annotations

import pytest

from bot.core.errors import FormErrors, Refusal
from bot.core.findings import mentions_a_person
from bot.findings.service import FindingForm, parse_note
from bot.slack import ids


def text_refused(text: str) -> bool:
    try:
        FindingForm(afi="1", kind="concern", source="data", text=text).checked(
            fixed_afi_id=None, afi_ids=frozenset({1}), session_ids=frozenset()
        )
    except FormErrors as problem:
        return ids.FINDING_TEXT in problem.errors
    return False


def test_mentions_of_people_are_found_but_emails_and_plain_text_are_not() -> None:
    assert mentions_a_person("as <@U12AB> said")
    assert mentions_a_person("as <@W12AB|jane> said")
    assert mentions_a_person("@jane thinks so")
    assert mentions_a_person("ask <!subteam^S123|roads-team>")
    assert not mentions_a_person("write to roads@fife.example about it")
    assert not mentions_a_person("a depot supervisor said budgets are late")
    assert text_refused("  ")
    assert text_refused("x" * 1501)
    assert not text_refused("x" * 1500)


def test_afi_note_needs_a_number_first() -> None:
    assert parse_note("3 Budgets are late") == (3, "Budgets are late")
    assert parse_note("#12") == (12, "")
    with pytest.raises(Refusal):
        parse_note("Budgets are late")
