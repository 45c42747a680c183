"""Errors a user can act on: the message is one Chinese sentence, shown without a traceback."""

from __future__ import annotations

from toolkit.domain.hints import Hint


class UserError(Exception):
    """Something the user asked for cannot be done; ``str()`` says why, in words that name no command or
    button; ``hints`` are what to do next, which each entry point renders in its own terms."""

    def __init__(self, message: str, *hints: Hint):
        super().__init__(message)
        self.hints = hints
