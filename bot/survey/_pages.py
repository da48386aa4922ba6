"""The survey page's HTML, from the Jinja2 templates beside this module (autoescaped), and
its one style sheet. Plain HTML and CSS: no script, font or image from anywhere else."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib.resources import files

from jinja2 import Environment, PackageLoader, select_autoescape

from bot.core.calendar import format_date
from bot.core.checklist import Answer, Checklist, CommentKind, Section
from bot.core.responses import OwnProgress, SectionAnswers

CONFIDENTIAL = (
    "Your answers are confidential: nobody, the host lead included, sees what you said. "
    "Results are reported only as totals, and comments without names."
)
ALL_OPTIONAL = (
    "Every statement and comment is optional: skip any you can't or would rather not answer."
)
STYLESHEET_PATH = "/survey-assets/survey.css"


@dataclass(frozen=True)
class FieldError:
    """One problem for the error summary: the id of the control it is about, and what to do."""

    field_id: str
    message: str


@dataclass(frozen=True)
class Context:
    """What every page of a link shows or needs."""

    host_council: str
    closes_on: date
    csrf: str
    path: str


@cache
def _environment() -> Environment:
    environment = Environment(
        loader=PackageLoader("bot.survey", "templates"),
        autoescape=select_autoescape(default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.globals.update(
        stylesheet=STYLESHEET_PATH,
        confidential=CONFIDENTIAL,
        all_optional=ALL_OPTIONAL,
        answers=[(answer.value, answer.label) for answer in Answer],
        comment_kinds=[(kind.value, kind.question) for kind in CommentKind],
        statement_field=statement_field,
        format_date=format_date,
    )
    return environment


@cache
def stylesheet() -> bytes:
    return files("bot.survey").joinpath("templates/survey.css").read_bytes()


def statement_field(statement_id: str) -> str:
    """The form field (and id stem) of a statement's answer: 's2_07'."""
    return "s" + statement_id.replace(".", "_")


def _render(template: str, **values: object) -> str:
    return _environment().get_template(template).render(**values)


def render_section(
    context: Context,
    *,
    checklist: Checklist,
    section: Section,
    shown: SectionAnswers | None,
    errors: list[FieldError],
) -> str:
    return _render(
        "section.html",
        page=context,
        title=f"Section {section.number} of {checklist.section_count}: {section.title}",
        checklist=checklist,
        section=section,
        chosen={sid: answer.value for sid, answer in (shown.answers if shown else {}).items()},
        comments={
            CommentKind.STRENGTHS.value: shown.strengths if shown else "",
            CommentKind.IMPROVEMENTS.value: shown.improvements if shown else "",
        },
        errors=errors,
        field_errors={error.field_id: error.message for error in errors},
    )


def render_check(
    context: Context, *, progress: OwnProgress, finished: bool, errors: list[FieldError]
) -> str:
    labels = {answer: answer.label for answer in Answer}
    return _render(
        "check.html",
        page=context,
        title="Check your answers",
        checklist=progress.checklist,
        saved=progress.sections,
        labels=labels,
        finished=finished,
        errors=errors,
    )


def render_thanks(context: Context) -> str:
    return _render("thanks.html", page=context, title="Thank you")


def notice(title: str, *lines: str, back: str | None = None) -> str:
    return _render("notice.html", page=None, title=title, lines=lines, back=back)


# The plain pages for a link that opens nothing, or a request that went wrong: title, lines.
UNKNOWN = (
    "This link doesn't work",
    "Check that you copied the whole link from the message you were sent.",
    "If it still doesn't work, ask whoever sent it to you for a new one.",
)
WITHDRAWN = (
    "This link has been withdrawn",
    "The review team no longer takes answers through this link. If you think you should "
    "still answer, ask whoever sent it to you.",
)
TOO_MANY = (
    "Too many tries",
    "Too many links that don't work were tried from your connection. Wait an hour, then "
    "check your link and try again.",
)
ERROR = (
    "Sorry, something went wrong",
    "Your answers saved earlier are kept. Try again in a few minutes.",
)


def render_closed(host_council: str | None, finished: bool | None) -> str:
    what = f"The {host_council} self-assessment" if host_council else "This self-assessment"
    lines = [f"{what} has closed, so it no longer takes answers."]
    if finished:
        lines.append("Your answers were sent before it closed: thank you.")
    return notice("The self-assessment has closed", *lines)


def render_expired_form(path: str) -> str:
    return notice(
        "Your answers on that page were not saved",
        "The form didn't come from this page as I sent it, so nothing on it was saved. "
        "Answers you saved earlier are kept.",
        back=path,
    )
