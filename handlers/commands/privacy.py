"""`/psif forget-me`: the confirmation (its buttons are in handlers/interactions/privacy.py)."""

from __future__ import annotations

from bot.privacy.views import build_forget_me_confirmation
from handlers.commands.router import Subcommand

FORGET_ME = Subcommand(
    name="forget-me",
    usage="/psif forget-me",
    summary="remove yourself from the bot's records (your answers stay anonymous)",
    run=lambda ctx: ctx.reply(*build_forget_me_confirmation()),
    order=90,
)
