"""Tests for the aggregation, suppression and ranking rules, with hand-computed figures."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bot.core.checklist import Answer, Checklist
from bot.core.responses import RespondentAnswers
from bot.self_assessment._analysis import (
    AfiReason,
    Analysis,
    AnalysisSettings,
    Withheld,
    analyse,
    format_pct,
    round_pct,
)

_CODES = {
    "S": Answer.STRONGLY_AGREE,
    "A": Answer.AGREE,
    "D": Answer.DISAGREE,
    "X": Answer.STRONGLY_DISAGREE,
    "?": Answer.DONT_KNOW,
}


def small_checklist() -> Checklist:
    """Section 1 with statements 1.01-1.03, section 2 with 2.01-2.02."""
    return Checklist.model_validate(
        {
            "id": "small",
            "name": "Small checklist",
            "version": "1",
            "description": "For tests.",
            "sections": [
                {
                    "number": 1,
                    "title": "Service Planning",
                    "summary": "Planning.",
                    "sub_areas": [
                        {
                            "title": "Plans",
                            "statements": [
                                {"id": "1.01", "text": "There is a plan."},
                                {"id": "1.02", "text": "The plan is reviewed."},
                            ],
                        },
                        {
                            "title": "Measures",
                            "statements": [{"id": "1.03", "text": "Targets are set."}],
                        },
                    ],
                },
                {
                    "number": 2,
                    "title": "Staff",
                    "summary": "Staff.",
                    "sub_areas": [
                        {
                            "title": "Developing Staff",
                            "statements": [
                                {"id": "2.01", "text": "Staff are trained."},
                                {"id": "2.02", "text": "Staff are thanked."},
                            ],
                        }
                    ],
                },
            ],
        }
    )


def responses(columns: dict[str, str]) -> list[RespondentAnswers]:
    """Respondents built column-wise: one code per respondent for each statement id.

    Codes: S strongly agree, A agree, D disagree, X strongly disagree, ? don't know,
    - skipped. All strings must be the same length (the number of respondents).
    """
    (count,) = {len(codes) for codes in columns.values()}
    return [
        RespondentAnswers(
            {sid: _CODES[codes[i]] for sid, codes in columns.items() if codes[i] != "-"}
        )
        for i in range(count)
    ]


# Four respondents and one who answered nothing (who must not count):
#   1.01  SA, A, D, DK     1.02  A, A, DK, (skip)     1.03  nobody
#   2.01  D, SD, A, DK     2.02  nobody
MAIN = {
    "1.01": "SAD?-",
    "1.02": "AA?--",
    "1.03": "-----",
    "2.01": "DXA?-",
    "2.02": "-----",
}


# The arithmetic, with no minimum in the way (the minimum has its own tests below).
NO_MINIMUM = AnalysisSettings(min_respondents=1)


def _main() -> Analysis:
    return analyse(small_checklist(), responses(MAIN), NO_MINIMUM)


def test_single_statement_figures() -> None:
    result = _main().statement_result("1.01")

    assert result.tally.counts == {
        Answer.STRONGLY_AGREE: 1,
        Answer.AGREE: 1,
        Answer.DISAGREE: 1,
        Answer.STRONGLY_DISAGREE: 0,
        Answer.DONT_KNOW: 1,
    }
    assert result.respondents == 4
    assert result.tally.gave_view == 3
    # Every share is of the 4 who answered, so the three add up to 100.
    assert result.tally.pct_agree == 50.0
    assert result.tally.pct_disagree == 25.0
    assert result.tally.pct_dont_know == 25.0
    assert result.tally.figures.line() == (
        "2 of 4 agree (50%) · 1 disagrees (25%) · 1 doesn't know (25%)"
    )


def test_skipped_and_unanswered_statements() -> None:
    analysis = _main()

    skipped = analysis.statement_result("1.02")
    assert (skipped.respondents, skipped.tally.gave_view) == (3, 2)
    assert round_pct(skipped.tally.pct_agree) == 66.7
    assert skipped.tally.pct_disagree == 0.0
    assert round_pct(skipped.tally.pct_dont_know) == 33.3
    assert skipped.tally.figures.percentages == (67, 0, 33)

    nobody = analysis.statement_result("1.03")
    assert nobody.respondents == 0
    assert nobody.tally.pct_agree is None
    assert nobody.tally.pct_disagree is None
    assert nobody.tally.pct_dont_know is None


def test_all_dont_know_has_no_agreement_figure() -> None:
    analysis = analyse(small_checklist(), responses({"1.01": "???"}), NO_MINIMUM)
    result = analysis.statement_result("1.01")

    assert result.withheld is Withheld.TOO_FEW_TOOK_A_SIDE
    assert result.tally.gave_view == 0
    assert result.tally.pct_agree is None
    assert result.tally.pct_dont_know is None  # no figures at all for it


def test_section_figures_pool_answers() -> None:
    section_1, section_2 = _main().sections

    # 1.01 + 1.02: SA 1, A 3, D 1, DK 2 -> 7 answers, 5 views.
    assert section_1.respondents == 4
    assert section_1.tally.answers == 7
    assert section_1.tally.gave_view == 5
    assert round_pct(section_1.tally.pct_agree) == 57.1  # 4 of 7 answers
    assert round_pct(section_1.tally.pct_disagree) == 14.3
    assert round_pct(section_1.tally.pct_dont_know) == 28.6
    assert section_1.tally.figures.percentages == (57, 14, 29)
    assert [r.statement.id for r in section_1.statements] == ["1.01", "1.02", "1.03"]

    assert section_2.respondents == 4
    assert section_2.tally.pct_agree == 25.0


def test_overall_figures() -> None:
    analysis = _main()

    assert analysis.respondents == 4  # the fifth answered nothing
    assert not analysis.suppressed
    assert analysis.overall is not None
    # SA 1, A 4, D 2, SD 1, DK 3 -> 11 answers, 8 views.
    assert analysis.overall.answers == 11
    assert round_pct(analysis.overall.pct_agree) == 45.5
    assert round_pct(analysis.overall.pct_disagree) == 27.3
    assert round_pct(analysis.overall.pct_dont_know) == 27.3
    # 45.45 + 27.27 + 27.27: the largest remainder takes the missing point.
    assert analysis.overall.figures.percentages == (46, 27, 27)


def test_strengths_and_afis_on_main_data() -> None:
    analysis = _main()

    # 1.02 is 2 of 3 agreeing (one doesn't know): 67%, below the strength level, judged on
    # the same share people are shown.
    assert analysis.strengths == ()
    assert [(c.result.statement.id, c.reasons) for c in analysis.afi_candidates] == [
        ("2.01", (AfiReason.LOW_AGREEMENT, AfiReason.MOST_DISAGREEMENT)),
        ("1.01", (AfiReason.MOST_DISAGREEMENT,)),
        ("1.02", (AfiReason.KNOWLEDGE_GAP,)),
    ]


def test_suppressed_below_min_respondents() -> None:
    analysis = analyse(
        small_checklist(),
        responses({"1.01": "AD-", "1.02": "AA-"}),
        AnalysisSettings(min_respondents=3),
    )

    assert analysis.suppressed
    assert analysis.respondents == 2
    assert analysis.overall is None
    assert analysis.sections == ()
    assert analysis.strengths == ()
    assert analysis.afi_candidates == ()
    with pytest.raises(KeyError):
        analysis.statement_result("1.01")


def test_min_respondents_is_configurable() -> None:
    columns = {"1.01": "ADAA"}

    four_is_enough = AnalysisSettings(min_respondents=4)

    assert not analyse(small_checklist(), responses(columns), four_is_enough).suppressed
    assert analyse(small_checklist(), responses(columns)).suppressed


def test_the_minimum_is_five_unless_set() -> None:
    assert AnalysisSettings().min_respondents == 5
    five = responses({"1.01": "AADDA"})

    assert analyse(small_checklist(), five[:4]).suppressed
    assert analyse(small_checklist(), five).statement_result("1.01").withheld is None


def test_strength_ranking_ties() -> None:
    columns = {
        "1.01": "AAA-",  # 100% from 3
        "1.02": "AAAA",  # 100% from 4: ranks first, more respondents
        "1.03": "AAA-",  # 100% from 3: after 1.01 by checklist order
        "2.01": "AAAD",  # 75%: exactly at the threshold, included
        "2.02": "AADD",  # 50%: below the threshold
    }
    checklist = small_checklist()

    analysis = analyse(checklist, responses(columns), NO_MINIMUM)
    assert [r.statement.id for r in analysis.strengths] == ["1.02", "1.01", "1.03", "2.01"]

    limited = analyse(
        checklist, responses(columns), AnalysisSettings(min_respondents=1, strengths_count=2)
    )
    assert [r.statement.id for r in limited.strengths] == ["1.02", "1.01"]


AFI_COLUMNS = {
    "1.01": "DDAA",  # 50% agree: not low, but among the most disagreed
    "1.02": "DDAA",  # identical to 1.01: after it by checklist order
    "1.03": "DDA-",  # 33.3% agree: low agreement and most disagreed
    "2.01": "??A-",  # 66.7% don't know: knowledge gap; 33.3% agree: low agreement
    "2.02": "XAAA",  # 75% agree: strength level, so not flagged for disagreement
}


def test_afi_candidates_ranking_and_reasons() -> None:
    analysis = analyse(small_checklist(), responses(AFI_COLUMNS), NO_MINIMUM)

    assert [(c.result.statement.id, c.reasons) for c in analysis.afi_candidates] == [
        ("1.03", (AfiReason.LOW_AGREEMENT, AfiReason.MOST_DISAGREEMENT)),
        ("2.01", (AfiReason.LOW_AGREEMENT, AfiReason.KNOWLEDGE_GAP)),
        ("1.01", (AfiReason.MOST_DISAGREEMENT,)),
        ("1.02", (AfiReason.MOST_DISAGREEMENT,)),
    ]
    assert round_pct(analysis.afi_candidates[0].result.tally.pct_agree) == 33.3


def test_afi_candidates_limited() -> None:
    settings = AnalysisSettings(min_respondents=1, afi_count=2)

    analysis = analyse(small_checklist(), responses(AFI_COLUMNS), settings)

    # Only the two most disagreed (1.03, then 1.01 on checklist order) get that reason;
    # two reasons rank 2.01 above 1.01.
    assert [(c.result.statement.id, c.reasons) for c in analysis.afi_candidates] == [
        ("1.03", (AfiReason.LOW_AGREEMENT, AfiReason.MOST_DISAGREEMENT)),
        ("2.01", (AfiReason.LOW_AGREEMENT, AfiReason.KNOWLEDGE_GAP)),
    ]


def test_unknown_statement_rejected() -> None:
    answers = [RespondentAnswers({"9.01": Answer.AGREE})] * 3

    with pytest.raises(ValueError, match=r"9\.01"):
        analyse(small_checklist(), answers)


def test_settings_validated() -> None:
    with pytest.raises(ValidationError):
        AnalysisSettings(min_respondents=0)
    with pytest.raises(ValidationError):
        AnalysisSettings(strength_threshold_pct=101)


@pytest.mark.parametrize(
    ("value", "rounded", "shown"),
    [(200 / 3, 66.7, "67%"), (12.5, 12.5, "13%"), (0.04, 0.0, "0%"), (None, None, "n/a")],
)
def test_percentage_presentation(value: float | None, rounded: float | None, shown: str) -> None:
    assert round_pct(value) == rounded
    assert format_pct(value) == shown


# Three respondents overall, but only one answered 1.02 and only two answered section 2.
THREE = AnalysisSettings(min_respondents=3)
SPARSE = {
    "1.01": "SAD",
    "1.02": "X--",
    "1.03": "AA?",
    "2.01": "DX-",
    "2.02": "-X-",
}


def test_statements_answered_by_fewer_than_the_minimum_are_withheld() -> None:
    analysis = analyse(small_checklist(), responses(SPARSE), THREE)

    lonely = analysis.statement_result("1.02")
    assert lonely.withheld is Withheld.TOO_FEW_ANSWERS
    assert lonely.respondents == 1
    assert lonely.tally.answers == 0
    assert lonely.tally.pct_agree is None and lonely.tally.pct_disagree is None
    shown = analysis.statement_result("1.01")
    assert shown.withheld is None and shown.tally.answers == 3


def test_withheld_answers_are_left_out_of_section_and_overall_figures() -> None:
    analysis = analyse(small_checklist(), responses(SPARSE), THREE)
    section_1, section_2 = analysis.sections

    # Section 1 pools only 1.01 (SA 1, A 1, D 1): 1.02's "X" (one answer) and 1.03's two
    # views would otherwise be recoverable as section total minus the statements shown.
    assert analysis.statement_result("1.03").withheld is Withheld.TOO_FEW_TOOK_A_SIDE
    assert section_1.tally.answers == 3
    assert section_1.tally.counts[Answer.STRONGLY_DISAGREE] == 0
    assert section_1.tally.counts[Answer.DONT_KNOW] == 0
    assert not section_1.withheld
    # Section 2 had two people answering: nothing of it is shown.
    assert section_2.respondents == 2
    assert section_2.withheld
    assert section_2.tally.answers == 0
    assert analysis.overall is not None and analysis.overall.answers == 3


def test_withheld_statements_are_never_strengths_or_candidate_afis() -> None:
    settings = AnalysisSettings(
        min_respondents=3,
        strength_threshold_pct=0,
        afi_agree_threshold_pct=100,
        dont_know_threshold_pct=0,
    )
    analysis = analyse(small_checklist(), responses(SPARSE), settings)

    picked = {r.statement.id for r in analysis.strengths} | {
        c.result.statement.id for c in analysis.afi_candidates
    }
    assert picked.isdisjoint({"1.02", "1.03", "2.01", "2.02"})


def team(columns: dict[str, str]) -> list[RespondentAnswers]:
    """Respondents on the review team, built like `responses`: in every figure, but never
    counting towards the minimum."""
    return [RespondentAnswers(r.answers, counts_towards_minimum=False) for r in responses(columns)]


def test_the_review_teams_answers_never_count_towards_the_minimum() -> None:
    # Two of the team answer everything "strongly agree"; one stakeholder answers.
    answered = [*team({"1.01": "SS", "1.02": "SS"}), *responses({"1.01": "D", "1.02": "X"})]

    analysis = analyse(small_checklist(), answered, THREE)

    assert analysis.suppressed
    assert (analysis.respondents, analysis.counted_respondents) == (3, 1)
    assert analysis.overall is None and analysis.sections == ()


@pytest.mark.parametrize("minimum", [2, 3, 5])
def test_a_statement_two_of_the_team_and_one_other_answered_is_withheld(minimum: int) -> None:
    others = responses({"1.01": "AAADA", "1.02": "D----"})
    answered = [*others[:minimum], *team({"1.01": "SS", "1.02": "SS"})]

    analysis = analyse(small_checklist(), answered, AnalysisSettings(min_respondents=minimum))

    assert not analysis.suppressed
    withheld = analysis.statement_result("1.02")
    assert withheld.withheld is Withheld.TOO_FEW_ANSWERS
    assert withheld.respondents == 3 and withheld.tally.answers == 0
    # Left out of the section too: its total minus 1.01 would give 1.02 away.
    section_1 = analysis.sections[0]
    assert section_1.tally.answers == minimum + 2
    assert section_1.tally.counts[Answer.STRONGLY_AGREE] == 2  # the team's, in 1.01 only


def test_the_teams_answers_are_in_the_figures_once_enough_others_answered() -> None:
    answered = [*responses({"1.01": "AAD"}), *team({"1.01": "SS"})]

    result = analyse(small_checklist(), answered, THREE).statement_result("1.01")

    assert result.withheld is None
    assert result.respondents == 5
    assert result.tally.counts[Answer.STRONGLY_AGREE] == 2
    assert result.tally.pct_agree == 80.0


def test_the_teams_views_never_count_towards_the_views_minimum() -> None:
    # Four views in all, but only one from outside the team.
    answered = [*responses({"1.01": "A??"}), *team({"1.01": "AAA"})]

    result = analyse(small_checklist(), answered, THREE).statement_result("1.01")

    assert result.withheld is Withheld.TOO_FEW_TOOK_A_SIDE
    assert result.tally.answers == 0


def test_percentages_need_the_minimum_number_of_views_not_answers() -> None:
    # 1.01: two views and three "don't know" (40% agree of 2 views; 60% don't know before).
    columns = {"1.01": "AA???", "1.02": "AAADA"}
    settings = AnalysisSettings(
        min_respondents=3, strength_threshold_pct=0, dont_know_threshold_pct=0
    )

    analysis = analyse(small_checklist(), responses(columns), settings)

    few_views = analysis.statement_result("1.01")
    assert few_views.withheld is Withheld.TOO_FEW_TOOK_A_SIDE
    assert few_views.respondents == 5
    tally = few_views.tally
    assert (tally.pct_agree, tally.pct_disagree, tally.pct_dont_know) == (None, None, None)
    assert "1.01" not in {r.statement.id for r in analysis.strengths}
    assert "1.01" not in {c.result.statement.id for c in analysis.afi_candidates}
    assert analysis.sections[0].tally.answers == 5  # 1.02's only
    assert analysis.withheld(Withheld.TOO_FEW_TOOK_A_SIDE) == (few_views,)
    # Three views are enough for a minimum of three.
    enough = analyse(small_checklist(), responses({"1.01": "AAD??"}), settings)
    assert enough.statement_result("1.01").withheld is None
