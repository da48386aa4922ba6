"""Pure rules of the report: what the fieldwork and reporting stages lack, and Markdown that
defuses what users typed."""

from __future__ import annotations

from bot.core.report import FieldworkFacts
from bot.core.stages import Stage
from bot.report._render import Bullets, Heading, Table, render_markdown
from bot.report.service import fieldwork_gaps


def test_stage_checks_name_missing_sessions_findings_and_reports() -> None:
    nothing = FieldworkFacts(0, (2, 5), 0, False)
    assert (
        "No interviews or focus groups are planned"
        in fieldwork_gaps(Stage.FIELDWORK_CONTEXT, nothing)[0]
    )
    assert fieldwork_gaps(Stage.FIELDWORK_INTERVIEWS, nothing)[1] == (
        "No findings recorded yet for prioritised AFI 2 and AFI 5 (`/afi note`)."
    )
    assert "No draft report yet" in fieldwork_gaps(Stage.REPORTING, nothing)[0]
    assert "marked final" in fieldwork_gaps(Stage.SHARING, nothing)[0]
    assert fieldwork_gaps(Stage.SHARING, FieldworkFacts(3, (), 2, True)) == []


def test_markdown_defuses_what_users_typed() -> None:
    rendered = render_markdown(
        [
            Heading("# Roads | *all*", 1),
            Bullets(("[click](http://x)",)),
            Table(("A|B",), (("x\ny",),)),
        ]
    )
    assert rendered.startswith("# \\# Roads \\| \\*all\\*")
    assert "- \\[click\\](http://x)" in rendered
    assert "| A\\|B |" in rendered and "| x y |" in rendered
