"""`GET/POST /survey/<link>`: the self-assessment page for people outside Slack. A bounded
form goes to one service function on the request threads; every answer forbids caching,
referrers, framing and outside content, sets no cookie, and never logs the link.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from bot.deps import Deps
from bot.slack.payloads import whole_number
from bot.survey import service

logger = logging.getLogger(__name__)

InPool = Callable[..., Awaitable[Any]]

# A section's form: at most ~90 answers and two comments of 3,000 characters.
MAX_FORM_BYTES = 64 * 1024
MAX_FORM_FIELDS = 200
FORM_SECONDS = 10.0
HEADERS = {
    "cache-control": "no-store",
    "referrer-policy": "no-referrer",
    "x-content-type-options": "nosniff",
    "content-security-policy": (
        "default-src 'none'; style-src 'self'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
}


class HideSurveyLinks(logging.Filter):
    """Blanks the link in uvicorn's access lines: a log is no place for a key to answers."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                service.SURVEY_PATH + "…"
                if isinstance(arg, str) and arg.startswith(service.SURVEY_PATH)
                else arg
                for arg in record.args
            )
        return True


def _answer(page: service.Page) -> Response:
    if page.go_to is not None:
        return RedirectResponse(page.go_to, status_code=303, headers=HEADERS)
    return HTMLResponse(page.html, status_code=page.status, headers=HEADERS)


def _where(request: Request) -> service.Where:
    section = whole_number(request.query_params.get("section", ""), digits=3)
    if section is not None:
        return section
    chosen = request.query_params.get("page")
    return "check" if chosen == "check" else "done" if chosen == "done" else None


async def _read_form(request: Request) -> dict[str, str] | service.Page:
    """The form's fields (the first value of each), or the page refusing it."""
    length = request.headers.get("content-length", "")
    if not (length.isascii() and length.isdigit()) or int(length) > MAX_FORM_BYTES:
        return service.error_page(413)
    try:
        async with asyncio.timeout(FORM_SECONDS):
            form = await request.form(max_files=0, max_fields=MAX_FORM_FIELDS)
    except Exception:  # a timeout, a disconnect, whatever a malformed body provokes
        return service.error_page(400)
    fields: dict[str, str] = {}
    for name, value in form.multi_items():
        if isinstance(value, UploadFile):
            return service.error_page(400)
        fields.setdefault(name, value)
    return fields


def survey_routes(deps: Deps, in_pool: InPool) -> list[Route]:
    """The survey page's routes, running the service on the request threads (`in_pool`)."""

    async def survey(request: Request) -> Response:
        token = str(request.path_params["link"])
        address = request.client.host if request.client else ""
        try:
            if request.method == "POST":
                form = await _read_form(request)
                if isinstance(form, service.Page):
                    return _answer(form)
                page = await in_pool(
                    lambda: service.submit_survey(deps, token=token, address=address, form=form)
                )
            else:
                where = _where(request)
                page = await in_pool(
                    lambda: service.show_survey(deps, token=token, address=address, where=where)
                )
        except Exception:
            logger.exception("the survey page failed")  # the traceback, never the link
            page = service.error_page(500)
        return _answer(page)

    async def serve_stylesheet(_request: Request) -> Response:
        return Response(
            service.stylesheet(),
            media_type="text/css",
            headers={"cache-control": "public, max-age=3600", "x-content-type-options": "nosniff"},
        )

    return [
        Route(service.SURVEY_PATH + "{link:path}", survey, methods=["GET", "HEAD", "POST"]),
        Route(service.STYLESHEET_PATH, serve_stylesheet, methods=["GET", "HEAD"]),
    ]
