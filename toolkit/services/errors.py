"""Errors a user can act on: the message is one Chinese sentence, shown without a traceback.

``told`` is the one mapping from an error to what the user is told, for every door (the command line, the Excel
buttons, the workbench's pages and runs): a use case's refusal, a policy workbook that fails its check (with each
problem's sheet and cell), a store that cannot be used, a workbook that cannot be read. Anything else is a bug.
"""

from __future__ import annotations

from dataclasses import dataclass

from toolkit.domain.findings import Finding
from toolkit.domain.hints import Action, Hint
from toolkit.ports.files import PolicyInvalid, UnreadableWorkbook
from toolkit.ports.store import StoreError


class UserError(Exception):
    """Something the user asked for cannot be done; ``str()`` says why, in words that name no command or
    button; ``hints`` are what to do next, which each entry point renders in its own terms."""

    def __init__(self, message: str, *hints: Hint):
        super().__init__(message)
        self.hints = hints


@dataclass(frozen=True)
class Told:
    """What a door tells the user for an error they can act on."""

    message: str
    hints: tuple[Hint, ...] = ()
    problems: tuple[Finding, ...] = ()  # a policy workbook's problems, each with its sheet and cell

    def with_first_problem(self) -> str:
        """The message and the first problem, for a door with room for one sentence (a message box, a page)."""
        if not self.problems:
            return self.message
        first = self.problems[0]
        more = f"（共 {len(self.problems)} 处）" if len(self.problems) > 1 else ""
        return f"{self.message}，第一处在 {first.where or first.sheet}：{first.message}{more}"


def told(error: BaseException) -> Told | None:
    """What the user is told for ``error``; None for a bug (said in one sentence and logged by each door)."""
    if isinstance(error, PolicyInvalid):
        return Told(str(error), (Hint.of(Action.CHECK_POLICY, file=error.path),), tuple(error.findings))
    if isinstance(error, UserError):
        return Told(str(error), tuple(error.hints))
    if isinstance(error, (UnreadableWorkbook, StoreError)):
        return Told(str(error))
    return None
