"""`/afi`'s subcommands: areas for improvement and their dot vote, and the findings about
them. Each docstring is its summary in `/psif help`."""

from __future__ import annotations

from bot.afis import service
from bot.findings.service import learning_to_share, note_form, show_afi
from bot.slack.payloads import whole_number
from handlers.commands.router import CommandContext, subcommand


def _asked(ctx: CommandContext) -> dict[str, str]:
    command = ctx.command
    return {
        "channel_id": command.channel_id,
        "user_id": ctx.user_id,
        "response_url": command.response_url,
    }


@subcommand("/afi add [text]", order=10)
def add(ctx: CommandContext) -> None:
    """add an area for improvement (no text opens a form with section and evidence)"""
    if not ctx.args:
        ctx.open_modal(service.add_form(ctx.deps, **_asked(ctx)))
        return
    channel_id, key = ctx.command.channel_id, ctx.command.trigger_id
    text = ctx.typed_args.strip()
    request = service.NewAfiRequest(channel_id, ctx.user_id, text, request_key=key)
    ctx.reply(*service.add_area(ctx.deps, request))


@subcommand("/afi list", order=20)
def list_afis(ctx: CommandContext) -> None:
    """the areas for improvement, one line each with votes so far; Show one to read it in
    full, edit, merge or withdraw it"""
    ctx.reply(*service.afi_list(ctx.deps, **ctx.here))


@subcommand("/afi import [all]", order=15)
def import_afis(ctx: CommandContext) -> None:
    """choose and word the self-assessment's candidate areas for improvement (`all` adds
    every one as worded)"""
    if ctx.typed_args.strip().lower() == "all":
        ctx.reply(service.import_candidates(ctx.deps, **_asked(ctx)))
    else:
        ctx.open_modal(service.import_form(ctx.deps, **_asked(ctx)))


@subcommand("/afi vote", order=30)
def vote(ctx: CommandContext) -> None:
    """start a dot vote on the areas for improvement (host lead, Improvement Service)"""
    ctx.open_modal(service.vote_form(ctx.deps, **_asked(ctx)))


@subcommand("/afi close [N]", order=40)
def close(ctx: CommandContext) -> None:
    """close the vote and prioritise the top N areas (as chosen when it started)"""
    # Nothing more is said: the result in the channel names the closer.
    service.close_vote_now(ctx.deps, **_asked(ctx), typed_top_n=ctx.args)


@subcommand("/afi reopen", order=45)
def reopen(ctx: CommandContext) -> None:
    """re-open the last vote (host lead, Improvement Service)"""
    ctx.reply(service.reopen_last_vote(ctx.deps, **ctx.here))


# Findings
@subcommand("/afi show <number>", order=25)
def show(ctx: CommandContext) -> None:
    """one area with the figures behind it, its votes, findings, options and actions"""
    number = whole_number(ctx.args.strip().removeprefix("#"), digits=6)
    if number is None:
        ctx.reply("Say which area to show, for example `/afi show 3`.")
        return
    ctx.reply(*show_afi(ctx.deps, number=number, **ctx.in_team))


@subcommand("/afi note <number> [text]", order=60)
def note(ctx: CommandContext) -> None:
    """record a finding (strength, concern or option) against an area, never who said it"""
    # The finding form opens, filled in.
    url = ctx.response_url
    ctx.open_modal(note_form(ctx.deps, typed=ctx.typed_args, response_url=url, **ctx.in_team))


@subcommand("/afi share <finding> [off]", order=65)
def share(ctx: CommandContext) -> None:
    """mark a finding, strength or option as learning to share in the LGBF summary (leads)"""
    typed, _, rest = ctx.args.strip().partition(" ")
    number = whole_number(typed.removeprefix("#"), digits=6)
    if number is None or rest.strip().lower() not in ("", "off"):
        ctx.reply(
            "Say which finding, for example `/afi share 4` (its number is in `/afi show`), "
            "or `/afi share 4 off` to take the mark off."
        )
        return
    share = not rest.strip()
    ctx.reply(learning_to_share(ctx.deps, **ctx.in_team, number=number, share=share))


SUBCOMMANDS = (add, list_afis, import_afis, vote, close, reopen, show, note, share)
