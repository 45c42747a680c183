"""The file seams: what the use cases read and write through, and the errors they may meet there.

Implemented in ``toolkit/adapters`` (calamine and XlsxWriter workbooks, the archive, atomic outputs, LibreOffice,
Word templates, the bounded child process, VBA projects); wired together in ``toolkit/wiring.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from toolkit.domain.findings import Finding


class UnreadableWorkbook(Exception):
    """The file cannot be read as a workbook; ``str()`` is the message for the user."""


class PolicyInvalid(Exception):
    """The policy workbook has problems; ``findings`` says each with its sheet and cell."""

    def __init__(self, path: Path, findings: list[Finding]):
        super().__init__(f"政策参数工作簿“{Path(path).name}”有 {len(findings)} 处问题")
        self.path = Path(path)
        self.findings = findings


class ArchiveError(Exception):
    """The archive is damaged or incomplete; the message says what is missing."""


class NoOfficeSuite(Exception):
    """LibreOffice is not installed; the message says how to get it."""


class TemplateProblem(Exception):
    """The template cannot be rendered; the message names the template and what to do."""


@dataclass(frozen=True)
class LintProblem:
    """One departure of a document from the layout rules: where, and what."""

    where: str
    message: str


class Stopped(Exception):
    """The work was stopped: ``why`` is "memory" (past its memory budget), "time" (past its time budget) or
    "ended" (the child process ended without an answer: a crash in native code)."""

    def __init__(self, why: str, exit_code: int | None = None):
        super().__init__(why)
        self.why = why
        self.exit_code = exit_code


@dataclass(frozen=True)
class SignedProject:
    """A ``vbaProject.bin`` as Excel saved it after the city's IT signed it, with its signature part."""

    project: bytes
    signature: bytes


class SignatureMismatch(Exception):
    """The signed project is not the one this version would build for this workbook; ``problems`` say why."""

    def __init__(self, problems: list[str]):
        super().__init__("；".join(problems))
        self.problems = problems


class UnreadableProject(ValueError):
    """Not a VBA project we can read (a damaged file, another format)."""
