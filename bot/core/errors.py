"""The one error convention: services raise `Refusal` (and `FormErrors` for a modal's
fields); listeners show them, so nothing half-happens."""

from __future__ import annotations


class Refusal(Exception):
    """The request can't be carried out; the message says why, in words a user can act on."""

    @property
    def message(self) -> str:
        return str(self.args[0])


class NoReviewHere(Refusal):
    """The channel has no open review (none yet, or its review is closed)."""


class FormErrors(Exception):
    """The form can't be saved; `errors` maps input block ids to messages."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(errors)
        self.errors = errors
