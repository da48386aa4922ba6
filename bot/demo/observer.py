"""Reads what the bot sent to the fake Slack since the last look, adds it to the transcript as
people would have seen it, and stops the demo when Slack refused anything."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from bot.demo.fake_slack import Call, FakeSlack, ResponsePost
from bot.demo.transcript import Event, Kind, SharedFile, Transcript

# Calls that only look things up: nothing a person sees.
_QUIET_METHODS = frozenset(
    {
        "auth.test",
        "conversations.open",
        "conversations.history",
        "conversations.info",
        "conversations.members",
        "users.info",
        "files.getUploadURLExternal",
    }
)


class SlackRefused(Exception):
    """Slack (the fake, checking like the real one) refused something the bot sent."""


class Observer:
    def __init__(
        self,
        fake: FakeSlack,
        transcript: Transcript,
        now: Callable[[], datetime],
        channel_names: dict[str, str],
    ) -> None:
        self.fake = fake
        self.transcript = transcript
        self.now = now
        self.channel_names = channel_names
        self.actor = ""  # who acted last: a modal opened now is theirs
        self.response_users: dict[str, str] = {}  # response_url id → who acted
        self.view_users: dict[str, str] = {}  # view id → whose modal
        self._calls_seen = 0
        self._responses_seen = 0

    def name(self, user_id: str) -> str:
        return self.transcript.names(user_id)

    def flush(self) -> None:
        """Transcribe everything new, oldest first; raise SlackRefused on a refusal."""
        calls = self.fake.calls[self._calls_seen :]
        responses = self.fake.responses[self._responses_seen :]
        self._calls_seen += len(calls)
        self._responses_seen += len(responses)
        happenings: list[tuple[float, Call | ResponsePost]] = [(c.timestamp, c) for c in calls]
        happenings += [(r.timestamp, r) for r in responses]
        for _, happening in sorted(happenings, key=lambda pair: pair[0]):
            if isinstance(happening, Call):
                self._call(happening)
            else:
                self._response(happening)

    def _where(self, channel: str) -> str:
        if channel.startswith("U"):
            return f"DM to {self.name(channel)}"
        known = self.fake.channels.get(channel)
        if channel.startswith("D") and known is not None and known.user:
            return f"DM to {self.name(known.user)}"
        return "#" + self.channel_names.get(channel, channel)

    def _event(self, kind: Kind, where: str, text: str = "", **extra: Any) -> None:
        self.transcript.add(Event(self.now(), kind, text, where=where, **extra))

    def _call(self, call: Call) -> None:
        if not call.ok:
            detail = call.response.get("response_metadata", {}).get("messages", [])
            raise SlackRefused(
                f"Slack answered {call.method} with {call.response.get('error')!r} {detail}"
            )
        args = call.args
        match call.method:
            case "chat.postMessage":
                where = self._where(str(args["channel"]))
                if args.get("thread_ts"):
                    where += " (in a thread)"
                self._event("message", where, str(args.get("text", "")), blocks=args.get("blocks"))
            case "chat.update":
                where = self._where(str(args["channel"])) + " (message updated)"
                self._event("update", where, str(args.get("text", "")), blocks=args.get("blocks"))
            case "views.open" | "views.push":
                view = call.response["view"]
                self.view_users[view["id"]] = self.actor
                self._event("modal", f"modal for {self.name(self.actor)}", view=view)
            case "views.update":
                view = call.response["view"]
                where = f"modal for {self.name(self.view_users.get(view['id'], ''))} (updated)"
                self._event("modal", where, view=view)
            case "views.publish":
                where = f"Home tab of {self.name(str(args['user_id']))}"
                self._event("home", where, view=call.response["view"])
            case "files.completeUploadExternal":
                uploads = [self.fake.files[entry["id"]] for entry in args["files"]]
                shared = tuple(
                    SharedFile(upload.filename, upload.title or "", upload.content or b"")
                    for upload in uploads
                )
                where = self._where(uploads[0].channel_id or "")
                if uploads[0].thread_ts:
                    where += " (in a thread)"
                self._event("file", where, uploads[0].initial_comment or "", files=shared)
            case method if method in _QUIET_METHODS:
                pass
            case method:
                raise SlackRefused(f"the demo does not know how to show {method}")

    def _response(self, post: ResponsePost) -> None:
        if post.status != 200:
            raise SlackRefused(f"Slack refused a response_url post ({post.status})")
        body = post.body
        user = self.response_users.get(post.url_id, "")
        if body.get("response_type") == "in_channel":
            where = "#" + next(iter(self.channel_names.values()), "channel")
        else:
            where = f"only {self.name(user)} sees"
        if body.get("replace_original") in (True, "true"):
            where += " (replaces the message)"
        self._event("ephemeral", where, str(body.get("text", "")), blocks=body.get("blocks"))
