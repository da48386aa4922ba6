"""`/afi note <number> [text]` opens the finding form, filled in; `/afi show <number>` shows an
AFI with everything learnt about it; `/afi share <finding> [off]` marks a finding as learning
to share (or takes the mark off)."""

from __future__ import annotations

from bot.findings.service import learning_to_share, note_form, show_afi
from bot.slack.payloads import whole_number
from handlers.commands.router import CommandContext, Subcommand


def _where(ctx: CommandContext) -> dict[str, str]:
    command = ctx.command
    return {"team_id": command.team_id, "channel_id": command.channel_id, "user_id": ctx.user_id}


def note(ctx: CommandContext) -> None:
    url = ctx.command.response_url
    ctx.open_modal(note_form(ctx.deps, typed=ctx.typed_args, response_url=url, **_where(ctx)))


def show(ctx: CommandContext) -> None:
    number = whole_number(ctx.args.strip().removeprefix("#"), digits=6)
    if number is None:
        ctx.reply("Say which area to show, for example `/afi show 3`.")
        return
    ctx.reply(*show_afi(ctx.deps, number=number, **_where(ctx)))


def share(ctx: CommandContext) -> None:
    typed, _, rest = ctx.args.strip().partition(" ")
    number = whole_number(typed.removeprefix("#"), digits=6)
    if number is None or rest.strip().lower() not in ("", "off"):
        ctx.reply(
            "Say which finding, for example `/afi share 4` (its number is in `/afi show`), "
            "or `/afi share 4 off` to take the mark off."
        )
        return
    command = ctx.command
    ctx.reply(
        learning_to_share(
            ctx.deps,
            user_id=ctx.user_id,
            team_id=command.team_id,
            channel_id=command.channel_id,
            number=number,
            share=not rest.strip(),
        )
    )


NOTE = Subcommand(
    name="note",
    usage="/afi note <number> [text]",
    summary="record a finding (strength, concern or option) against an area, never who said it",
    run=note,
    order=60,
)
SHOW = Subcommand(
    name="show",
    usage="/afi show <number>",
    summary="one area with the figures behind it, its votes, findings, options and actions",
    run=show,
    order=25,
)
SHARE = Subcommand(
    name="share",
    usage="/afi share <finding> [off]",
    summary="mark a finding, strength or option as learning to share in the LGBF summary (leads)",
    run=share,
    order=65,
)
