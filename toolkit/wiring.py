"""The composition root: the one place that names the adapters and hands them to the use cases.

Services depend on the protocols in ``toolkit/ports`` and ask ``ports.tools.tools()`` for their implementations;
this module builds the bundle from ``toolkit/adapters`` (SQLite, calamine and XlsxWriter, the archive, Word and
LibreOffice, the bounded child process, VBA). The doors (command line, Excel buttons, workbench) run on it as wired
here; a test can put fakes in place with ``ports.tools.using``.

Each adapter is imported at its first use, not here: a button press starts Python anew, and one that writes no
document must not load Word's libraries (tests/unit/test_architecture.py holds it to that). The imports under
TYPE_CHECKING name the same modules for readers, type checkers and import-linter's graph.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from toolkit.ports.tools import Documents, Files, Macros, Processes, Tools, Workbooks, wire

if TYPE_CHECKING:
    from toolkit.adapters import (archive, atomic, bounded_process, control_workbook, county_workbook,  # noqa: F401
                                  docx_lint, docx_render, file_book, office_pdf, page_images, policy_workbook,
                                  rendered_lint, results_workbook, reward_workbook, screening_workbook, store,
                                  summary_workbook, workbook_file, worklist_workbook)
    from toolkit.adapters.vba import compression, reading  # noqa: F401


class _Adapter:
    """``module.name`` (a function, a class, or ``Class.method``), imported when first called."""

    def __init__(self, module: str, name: str):
        self.module, self.name, self._target = f"toolkit.adapters.{module}", name, None

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self._target is None:
            target = importlib.import_module(self.module)
            for part in self.name.split("."):
                target = getattr(target, part)
            self._target = target
        return self._target(*args, **kwargs)

    def __repr__(self) -> str:
        return f"<{self.module}.{self.name}>"


def default_tools() -> Tools:
    """The adapters this program ships with."""
    a = _Adapter
    return Tools(
        open_store=a("store", "Store.open"),
        store_rows=a("store", "serialise_rows"),
        files=Files(atomic_output=a("atomic", "atomic_output"), unused_path=a("atomic", "unused_path"),
                    stale_temporaries=a("atomic", "stale_temporaries"), sha256_of=a("archive", "sha256_of"),
                    archive=a("archive", "Archive")),
        workbooks=Workbooks(read_workbook=a("workbook_file", "read_workbook"),
                            read_sheets=a("workbook_file", "read_sheets"), load_bytes=a("workbook_file", "load_bytes"),
                            inflation_limit=a("workbook_file", "inflation_limit"),
                            read_policy=a("policy_workbook", "read_policy"),
                            write_results=a("results_workbook", "write_results"),
                            write_summary=a("summary_workbook", "write_summary"),
                            write_city_report=a("city_report_workbook", "write_city_report"),
                            write_county_workbook=a("county_workbook", "write_county_workbook"),
                            write_control_workbook=a("control_workbook", "write_control_workbook"),
                            write_reward_workbook=a("reward_workbook", "write_reward_workbook"),
                            write_worklist=a("worklist_workbook", "write_worklist"),
                            file_book=a("file_book", "FileBook"),
                            read_department=a("department_files", "read_department_file"),
                            write_screen_candidates=a("screening_workbook", "write_candidates"),
                            write_screen_county=a("screening_workbook", "write_county_list")),
        documents=Documents(render_docx=a("docx_render", "render_docx"), check_docx=a("docx_render", "check_docx"),
                            to_pdf=a("office_pdf", "to_pdf"), soffice=a("office_pdf", "soffice"),
                            docx_text=a("page_images", "docx_text"), pdf_pages=a("page_images", "pdf_pages"),
                            lint_docx=a("docx_lint", "lint_docx"), check_rendered=a("rendered_lint", "check_rendered")),
        processes=Processes(run_bounded=a("bounded_process", "run_bounded"),
                            die_with_parent=a("bounded_process", "die_with_parent")),
        macros=Macros(decompress=a("vba.compression", "decompress"), signed_parts=a("vba.reading", "signed_parts")),
    )


def wire_default() -> None:
    """Wire the shipped adapters (what ``ports.tools.tools()`` does when no door has wired anything)."""
    wire(default_tools())
