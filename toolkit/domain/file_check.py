"""One checked workbook: the file, what was read from it and its findings — a plain record that services
produce and adapters write (the results workbook), with the verdict the county is told.

A file that could not be read at all is not a special case: it carries one finding, E000, whose message says
why and what to do, so the command line's JSON, the results workbook and the store see one shape.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from toolkit.domain.intake_outcome import IntakeOutcome
from toolkit.domain.findings import UNREADABLE, Finding, FindingCounts, make_finding
from toolkit.domain.report import CountyReport


@dataclass
class FileCheck(FindingCounts):
    path: Path
    findings: list[Finding] = field(default_factory=list)
    report: CountyReport | None = None
    period_basis: str = ""  # which period was expected, and why (domain.period_due), for the verdict's reader
    period_warning: bool = False  # the calendar had no period due: shown beside the verdict
    policy_source: str = ""  # which policy it was checked against, in words (the sample, the city's, the carried)

    @classmethod
    def unreadable_file(cls, path: Path, why: str) -> "FileCheck":
        return cls(Path(path), [make_finding(UNREADABLE, file=Path(path).name, expected=why)])

    def moved_to(self, path: Path) -> "FileCheck":
        """The same check of the same content, now at ``path`` (a file checked before it was stored under a name
        of its own): its findings name the new file."""
        old = self.path.name
        findings = [replace(f, file=Path(path).name) if f.file == old else f for f in self.findings]
        return replace(self, path=Path(path), findings=findings)

    @property
    def unreadable(self) -> bool:
        return any(f.code == UNREADABLE for f in self.findings)

    @property
    def county(self) -> str:
        return self.report.county if self.report else ""

    @property
    def period(self) -> str:
        return str(self.report.period) if self.report and self.report.period else ""

    @property
    def is_submission(self) -> bool:
        """The stamp says a county filled this (a template or a report), not a generated copy."""
        return bool(self.report and self.report.stamp and self.report.stamp.kind.is_submission)

    @property
    def blocking(self) -> bool:
        return self.findings_block

    @property
    def verdict_ok(self) -> bool:
        return not self.blocking

    @property
    def verdict(self) -> str:
        if self.unreadable:
            return IntakeOutcome.UNREADABLE.value
        if self.errors:
            return "有错误，须改正后重新报送"
        if self.unexplained_hints:
            return "有提示未说明，须改正或在“说明”列写明"
        return "通过，可以报送"
