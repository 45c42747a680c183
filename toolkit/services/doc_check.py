"""Checking a 公文 (lint-doc): its settings in the .docx (docx_lint) and, where LibreOffice is installed, its
pages as they print (rendered_lint). A PDF written beside the document after it (``--pdf``) is used as it is;
otherwise the document is rendered to a temporary PDF that is removed afterwards."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from toolkit.domain.hints import Action, Hint
from toolkit.ports.files import LintProblem, NoOfficeSuite
from toolkit.ports.tools import tools
from toolkit.services.errors import UserError

NOT_RENDERED = ("未安装 LibreOffice：只检查了文档的设置，没有检查排版后的页面（折行、分页、版记位置）。"
                "安装 LibreOffice 后再运行 lint-doc 可检查页面。")


@dataclass
class DocumentCheck:
    path: Path
    problems: list[LintProblem]
    rendered: bool


def check_document(path: Path, *, render: bool = True) -> DocumentCheck:
    path = Path(path)
    if not path.is_file() or path.suffix.lower() != ".docx":
        raise UserError(f"“{path}”不是 Word .docx 文件。")
    try:
        problems = tools().documents.lint_docx(path)
    except Exception as error:  # a damaged or non-Word zip
        raise UserError(f"“{path.name}”无法作为 Word 文档读取（{type(error).__name__}）。") from None
    if not render or tools().documents.soffice() is None:
        return DocumentCheck(path, problems, False)
    beside = path.with_suffix(".pdf")
    if beside.is_file() and beside.stat().st_mtime >= path.stat().st_mtime:
        findings = tools().documents.check_rendered(path, beside)
    else:
        with tempfile.TemporaryDirectory(prefix="guishang-lint-") as folder:
            try:
                pdf = tools().documents.to_pdf(path, Path(folder) / "rendered.pdf")
            except NoOfficeSuite as error:
                problems.append(LintProblem("页面", f"无法排版检查：{error}"))
                return DocumentCheck(path, problems, False)
            findings = tools().documents.check_rendered(path, pdf)
    problems += findings
    return DocumentCheck(path, problems, True)


@dataclass(frozen=True)
class LayoutCheck:
    """The after-issue layout check of the 公文 a use case wrote: one sentence per departure naming the file,
    and the full check (the pages as they print) of the first document with one, as a hint."""

    reminders: tuple[str, ...] = ()
    hint: Hint | None = None

    def __bool__(self) -> bool:
        return bool(self.reminders)

    def __iter__(self):
        return iter(self.reminders)

    def __len__(self) -> int:
        return len(self.reminders)


def check_layout(paths: Iterable[Path]) -> LayoutCheck:
    """The after-issue layout check every door shows for the 公文 a use case wrote (notices, the reward request):
    the document's settings only (quick, no LibreOffice)."""
    reminders, first = [], None
    for path in paths:
        found = [f"{path.name} {p.where}：{p.message}" for p in tools().documents.lint_docx(path)]
        first = first or (path if found else None)
        reminders += found
    return LayoutCheck(tuple(reminders), Hint.of(Action.LINT_DOC, file=first) if first else None)
