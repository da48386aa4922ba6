"""The AFI forms' submissions (add, edit, merge, withdraw, import, starting a vote): their
parsers, and their routes."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.afis import service, views
from bot.core.afis import sections_of
from bot.core.votes import DEFAULT_BUDGET, DEFAULT_PER_AFI_CAP, DEFAULT_TOP_N, VoteSettings
from bot.slack import ids
from bot.slack.payloads import UnreadablePayload, reading, record_id, submission_key
from handlers.routes import Request, Route


def _state(values: Mapping[str, Any], block_id: str, action_id: str | None = None) -> Any:
    return dict(values.get(block_id, {}).get(action_id or block_id, {}))


def _chosen(values: Mapping[str, Any], block_id: str, offered: Collection[str]) -> str:
    """The option chosen in a menu or radio buttons, "" if none; only one the form offered."""
    value = str((_state(values, block_id).get("selected_option") or {}).get("value") or "")
    if value and value not in offered:
        raise UnreadablePayload(f"{block_id}: not an option we offered")
    return value


def parse_afi_form(values: Mapping[str, Any], sections: Collection[int]) -> service.AfiForm:
    with reading("the AFI form"):
        section = _chosen(values, ids.AFI_SECTION, [str(number) for number in sections])
        return service.AfiForm(
            text=(_state(values, ids.AFI_TEXT).get("value") or "").strip(),
            section_number=record_id(section) if section else None,
            evidence=(_state(values, ids.AFI_EVIDENCE).get("value") or "").strip(),
        )


def parse_vote_form(values: Mapping[str, Any], zone: ZoneInfo) -> VoteSettings:
    """A closing day means views.AUTO_CLOSE_TIME that day in `zone`."""
    numbers = [str(n) for n in views.BUDGET_CHOICES]
    tops = [str(n) for n in views.TOP_N_CHOICES]
    with reading("the vote form"):
        who = _chosen(values, ids.AFI_VOTE_WHO, (views.WHO_TEAM, views.WHO_EVERYONE))
        picked = _state(values, ids.AFI_VOTE_HIDE).get("selected_options") or []
        day = _state(values, ids.AFI_VOTE_CLOSES).get("selected_date")
        closes_at = (
            datetime.combine(date.fromisoformat(str(day)), views.AUTO_CLOSE_TIME, zone)
            if day
            else None
        )
        return VoteSettings(
            budget=int(_chosen(values, ids.AFI_VOTE_BUDGET, numbers) or DEFAULT_BUDGET),
            per_afi_cap=int(_chosen(values, ids.AFI_VOTE_CAP, numbers) or DEFAULT_PER_AFI_CAP),
            everyone_can_vote=who == views.WHO_EVERYONE,
            hide_tally=any(str(option.get("value")) == views.HIDE for option in picked),
            closes_at=closes_at,
            top_n=int(_chosen(values, ids.AFI_VOTE_TOP_N, tops) or DEFAULT_TOP_N),
        )


def parse_import_form(values: Mapping[str, Any]) -> dict[str, str | None]:
    """Statement id → the wording typed for it if ticked, None if unticked, in form order."""
    with reading("the import form"):
        chosen: dict[str, str | None] = {}
        for block_id, state in values.items():
            kind, _, statement_id = block_id.partition("/")
            if kind != ids.AFI_IMPORT_KEEP or not statement_id:
                continue
            ticked = state[ids.AFI_IMPORT_KEEP].get("selected_options") or []
            typed = _state(values, views.text_block_id(statement_id), ids.AFI_IMPORT_TEXT)
            wording = str(typed.get("value") or "").strip()
            chosen[statement_id] = wording if ticked else None
        return chosen


def _metadata(r: Request) -> views.AfiFormMetadata:
    return views.AfiFormMetadata.load(r.view.get("private_metadata", ""))


def _changed_afi(r: Request) -> int:
    """The AFI the edit, merge and withdraw forms change."""
    if (afi_id := _metadata(r).afi_id) is None:
        raise UnreadablePayload("a form without its AFI")
    return afi_id


def _form(r: Request) -> service.AfiForm:
    return parse_afi_form(r.values, sections_of(r.deps.checklists, _metadata(r).checklist_id))


def add(r: Request) -> None:
    metadata, form = _metadata(r), _form(r)
    request = service.NewAfiRequest(
        channel_id=metadata.channel_id,
        user_id=r.user_id,
        text=form.text,
        section_number=form.section_number,
        evidence=form.evidence,
        request_key=submission_key(r.view),
        response_url=metadata.response_url,
        asked_in=r.view.get("id") or "",
    )
    service.add_area(r.deps, request)


def edit(r: Request) -> None:
    afi_id = _changed_afi(r)
    service.edit_area(r.deps, afi_id=afi_id, user_id=r.user_id, form=_form(r))


def merge(r: Request) -> None:
    afi_id = _changed_afi(r)
    with reading("the merge form"):
        target = _state(r.values, ids.AFI_MERGE_TARGET).get("selected_option")
        target_id = record_id(target["value"]) if target and target.get("value") else None
    service.merge_area(r.deps, afi_id=afi_id, target_id=target_id, user_id=r.user_id)


def import_chosen(r: Request) -> str | None:
    """Sent before, the form answers with a notice: nothing on it can be added again."""
    chosen = parse_import_form(r.values)
    return service.import_chosen(r.deps, metadata=_metadata(r), user_id=r.user_id, chosen=chosen)


def notice_if_stale(r: Request, stale: str | None) -> dict[str, Any] | None:
    return {"response_action": "update", "view": views.build_notice_modal(stale)} if stale else None


def start_vote(r: Request) -> None:
    metadata = _metadata(r)
    service.start_vote(
        r.deps,
        channel_id=metadata.channel_id,
        user_id=r.user_id,
        settings=parse_vote_form(r.values, r.deps.settings.timezone),
        response_url=metadata.response_url,
    )


ROUTES = (
    Route(ids.AFI_ADD_MODAL, add),
    Route(ids.AFI_EDIT_MODAL, edit),
    Route(ids.AFI_MERGE_MODAL, merge),
    Route(
        ids.AFI_WITHDRAW_MODAL,
        lambda r: service.withdraw_area(r.deps, afi_id=_changed_afi(r), user_id=r.user_id),
    ),
    Route(ids.AFI_IMPORT_MODAL, import_chosen, notice_if_stale),
    Route(ids.AFI_VOTE_MODAL, start_vote),
)
