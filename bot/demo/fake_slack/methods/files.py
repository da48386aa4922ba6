"""files.getUploadURLExternal and files.completeUploadExternal: Slack's two-step upload (the
bytes go to the upload URL in between, answered by the server)."""

from __future__ import annotations

import mimetypes
from typing import Any

from bot.demo.fake_slack.arguments import optional_text, text_arg
from bot.demo.fake_slack.slack_error import SlackError, invalid
from bot.demo.fake_slack.workspace import Workspace
from bot.demo.fake_slack.workspace_objects import BOT_USER_ID, TEAM_DOMAIN, UploadedFile


def files_get_upload_url_external(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    filename = text_arg(args, "filename")
    try:
        length = int(args["length"])
    except (KeyError, TypeError, ValueError):
        length = 0
    if not filename or length <= 0:
        raise invalid(["filename and a positive length are required"])
    file_id = ws.new_id("F")
    ws.files[file_id] = UploadedFile(
        file_id,
        filename,
        length,
        optional_text(args, "alt_txt"),
        optional_text(args, "snippet_type"),
    )
    return {"upload_url": f"{ws.root_url}/upload/{file_id}", "file_id": file_id}


def files_complete_upload_external(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    entries = args.get("files")
    if not isinstance(entries, list) or not entries:
        raise invalid(["files must be a non-empty JSON array [json-pointer:/files]"])
    uploads: list[tuple[UploadedFile, str | None]] = []
    for entry in entries:
        upload = ws.files.get(str(entry.get("id"))) if isinstance(entry, dict) else None
        if upload is None or upload.content is None:
            raise SlackError("file_not_found")
        uploads.append((upload, entry.get("title")))
    channel_id = optional_text(args, "channel_id")
    channels = [c for c in text_arg(args, "channels").split(",") if c]
    if channel_id is not None:
        channels.insert(0, channel_id)
    for channel in channels:
        ws.postable_channel(channel)
    answer: list[dict[str, Any]] = []
    for upload, title in uploads:
        upload.title = title or upload.filename
        upload.channel_id = channels[0] if channels else None
        upload.channels = channels
        upload.initial_comment = optional_text(args, "initial_comment")
        upload.thread_ts = optional_text(args, "thread_ts")
        upload.completed = True
        answer.append(
            {
                "id": upload.id,
                "name": upload.filename,
                "title": upload.title,
                "mimetype": mimetypes.guess_type(upload.filename)[0] or "application/octet-stream",
                "size": len(upload.content or b""),
                "channels": channels,
                "permalink": f"https://{TEAM_DOMAIN}.slack.com/files/{BOT_USER_ID}/{upload.id}",
            }
        )
    return {"files": answer}
