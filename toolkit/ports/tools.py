"""The adapters a use case runs on, as one bundle the composition root (``toolkit/wiring.py``) fills in.

Services never import ``toolkit.adapters``: they ask ``tools()`` for the store, the archive, the workbook readers
and writers, Word and LibreOffice, the bounded child process and the VBA readers, each typed here by what the use
cases need of it. ``tools()`` gives what was wired with ``wire()``; before any door has wired anything (a script
or a test calling a service directly) it wires the default composition root once. ``using()`` puts other
implementations in place for a block (a test's fakes).
"""

from __future__ import annotations

import importlib
import threading
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, Iterator, Protocol

from toolkit.ports.book import Book
from toolkit.ports.store import Store

DEFAULT_WIRING = "toolkit.wiring"  # the composition root: the one module that names the adapters


class Archive(Protocol):
    """Every file the city took in, by SHA-256, and the journal of what was done with it (rebuild replays it)."""

    @property
    def journal(self) -> Path: ...
    def path_of(self, sha256: str, suffix: str = ".xlsx") -> Path: ...
    def keep(self, source: Path, sha256: str) -> Path: ...
    def keep_bytes(self, data: bytes, sha256: str, suffix: str) -> Path: ...
    def find(self, sha256: str) -> Path: ...
    def record(self, event: dict) -> None: ...
    def orphans(self) -> list[Path]: ...
    def note_sweep(self, removed: list[str], at: str) -> None: ...
    def events(self) -> Iterator[dict]: ...


@dataclass(frozen=True)
class Files:
    """Outputs that are whole or absent, never written over, and what a killed run left."""

    atomic_output: Callable[[Path], AbstractContextManager[Path]]  # write to the yielded path; renamed at the end
    unused_path: Callable[..., Path]  # (folder, stem, suffix, mark="（{}）"): a name not taken yet
    stale_temporaries: Callable[..., list[Path]]  # (folders, *, deep=True): our temp files an hour old
    sha256_of: Callable[[Path], str]
    archive: Callable[[Path], Archive]  # the archive in a folder


@dataclass(frozen=True)
class Workbooks:
    """Reading workbooks (bounded and checked) and writing the ones this program makes."""

    read_workbook: Callable[..., Any]  # (path, wanted=None, *, layout=False, ...) -> WorkbookData
    read_sheets: Callable[..., dict]  # (path, wanted=None) -> {sheet: rows}
    load_bytes: Callable[[Path], bytes]
    inflation_limit: Callable[[int], AbstractContextManager[None]]  # a tighter bound on what a file expands to
    read_policy: Callable[[Path], Any]  # -> Policy, or PolicyInvalid
    write_results: Callable[..., Path]
    write_summary: Callable[..., Path]
    write_city_report: Callable[..., Path]  # (path, policy, 市州, period, stamp, *, created): the province template
    write_county_workbook: Callable[..., Path]
    write_control_workbook: Callable[..., Path]
    write_reward_workbook: Callable[..., Path]
    write_worklist: Callable[..., Path]  # (path, Worklist, stamp, *, created): a county's 培育工作清单
    file_book: Callable[[Path], Book]  # a workbook file seen through the buttons' Book seam
    # (path, kind=None) -> [DepartmentTable]: a department's xlsx or csv for 应入尽入, read as sent
    read_department: Callable[..., list] | None = None
    # 应入尽入: (path, Screen, counties, files, held_from, stamp, *, created) the city's candidates;
    # (path, Screen, county, files, stamp, *, created) one county's worklist
    write_screen_candidates: Callable[..., Path] | None = None
    write_screen_county: Callable[..., Path] | None = None


@dataclass(frozen=True)
class Documents:
    """Word documents from templates, their PDFs and page images, and their layout checks."""

    render_docx: Callable[..., Path]  # (template, context, target)
    check_docx: Callable[..., None]  # (template, context): renders in memory, TemplateProblem when it cannot
    to_pdf: Callable[..., Path]  # (source, target, *, timeout): NoOfficeSuite without LibreOffice
    soffice: Callable[[], str | None]
    docx_text: Callable[[Path], list[str]]
    pdf_pages: Callable[..., list[Path]]
    lint_docx: Callable[[Path], list]  # -> [LintProblem]
    check_rendered: Callable[[Path, Path], list]  # (docx, pdf) -> [LintProblem]


@dataclass(frozen=True)
class Processes:
    """Work in a child process within a memory and time budget, and workers that end with their parent."""

    run_bounded: Callable[..., Any]  # (function, *args, memory_mb, seconds, **kwargs); Stopped past a budget
    die_with_parent: Callable[[int], None]


@dataclass(frozen=True)
class Macros:
    """The VBA projects of the macro workbooks."""

    decompress: Callable[[bytes], bytes]  # MS-OVBA decompression
    signed_parts: Callable[..., Any]  # the signed project and signature of a workbook Excel saved


@dataclass(frozen=True)
class Tools:
    open_store: Callable[..., Store]  # (path, *, create=False)
    store_rows: Callable[[Any], list[tuple]]  # a CountyReport's rows as the store keeps them (in a worker process)
    files: Files
    workbooks: Workbooks
    documents: Documents
    processes: Processes
    macros: Macros


_wired: Tools | None = None
_lock = threading.Lock()


def wire(bundle: Tools) -> None:
    """Put ``bundle`` in place for every use case from now on (a door does this once, at its start)."""
    global _wired
    _wired = bundle


def tools() -> Tools:
    """The adapters in place; the default composition root's when nothing was wired."""
    if _wired is None:
        with _lock:
            if _wired is None:
                importlib.import_module(DEFAULT_WIRING).wire_default()
    assert _wired is not None
    return _wired


@contextmanager
def using(**changes: Any) -> Iterator[Tools]:
    """Within the block, the wired bundle with some parts replaced (``using(files=...)``)."""
    global _wired
    before = tools()
    _wired = replace(before, **changes)
    try:
        yield _wired
    finally:
        _wired = before
