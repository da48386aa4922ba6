"""views.open, .push, .update and .publish: modals (a stack of at most three) and Home tabs."""

from __future__ import annotations

from typing import Any

from bot.demo.fake_slack.arguments import text_arg
from bot.demo.fake_slack.slack_error import SlackError, invalid
from bot.demo.fake_slack.validator import check_view
from bot.demo.fake_slack.workspace import Workspace

VIEW_STACK_LIMIT = 3  # the root view plus at most two pushed views


def views_open(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    submitted = check_view(args.get("view"), "modal")
    ws.check_external_id(submitted, None)
    ws.exchange_trigger(args)
    view_id = ws.new_id("V")
    ws.stacks[view_id] = [view_id]
    return {"view": ws.store_view(submitted, view_id, view_id, None)}


def views_push(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    submitted = check_view(args.get("view"), "modal")
    ws.check_external_id(submitted, None)
    trigger = ws.exchange_trigger(args)
    if trigger.view_id is not None and trigger.view_id in ws.views:
        root_view_id = ws.views[trigger.view_id]["root_view_id"]
    elif ws.stacks:
        root_view_id = next(reversed(ws.stacks))
    else:
        raise SlackError("not_found")
    stack = ws.stacks.get(root_view_id)
    if stack is None:
        raise SlackError("not_found")
    if len(stack) >= VIEW_STACK_LIMIT:
        raise SlackError("push_limit_reached")
    view_id = ws.new_id("V")
    view = ws.store_view(submitted, view_id, root_view_id, stack[-1])
    stack.append(view_id)
    return {"view": view}


def views_update(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    view_id, external_id = text_arg(args, "view_id"), text_arg(args, "external_id")
    current = (
        ws.views.get(view_id)
        if view_id
        else next(
            (v for v in ws.views.values() if external_id and v["external_id"] == external_id),
            None,
        )
    )
    if current is None:
        raise SlackError("not_found")
    if args.get("hash") and args["hash"] != current["hash"]:
        raise SlackError("hash_conflict")
    submitted = check_view(args.get("view"), current["type"])
    ws.check_external_id(submitted, current["id"])
    view = ws.store_view(
        submitted, current["id"], current["root_view_id"], current["previous_view_id"]
    )
    view["state"] = current["state"]
    view["external_id"] = view["external_id"] or current["external_id"]
    for user_id, home in ws.home_tabs.items():
        if home["id"] == view["id"]:
            ws.home_tabs[user_id] = view
    return {"view": view}


def views_publish(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    user_id = text_arg(args, "user_id")
    if not user_id:
        raise invalid(["missing required field: user_id [json-pointer:/user_id]"])
    current = ws.home_tabs.get(user_id)
    if current is not None and args.get("hash") and args["hash"] != current["hash"]:
        raise SlackError("hash_conflict")
    view_id = current["id"] if current is not None else ws.new_id("V")
    submitted = check_view(args.get("view"), "home")
    ws.check_external_id(submitted, view_id)
    view = ws.store_view(submitted, view_id, view_id, None)
    ws.home_tabs[user_id] = view
    return {"view": view}
