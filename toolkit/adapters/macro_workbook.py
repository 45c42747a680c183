"""Making a workbook macro-enabled (XlsxWriter): our VBA project and Form buttons bound to its macros.

The VBA source is ``macros/*.bas`` (shipped inside the package as ``toolkit/resources/macros``); the
project is built by ``adapters.vba.project`` on the xlwings standalone project, so every macro workbook
carries the ``xlwings`` module of the installed (pinned) xlwings version.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path
from typing import Sequence

from toolkit.adapters.vba.project import Module, build_project
from toolkit.adapters.vba.reading import differences, read_modules
from toolkit.domain.buttons import Button
from toolkit.resources import MACROS, resource_path
from toolkit.ports.files import SignatureMismatch, SignedProject

BUTTON_WIDTH, BUTTON_HEIGHT = 150, 34  # pixels


def macros_dir() -> Path:
    return resource_path(MACROS)


@lru_cache(maxsize=8)
def vba_project(module_names: tuple[str, ...]) -> bytes:
    """The ``vbaProject.bin`` with these ``macros/<name>.bas`` modules (built once per run)."""
    return build_project([Module.from_bas(macros_dir() / f"{name}.bas") for name in module_names])


def signature_problems(signed: SignedProject, module_names: Sequence[str], sheet_count: int) -> list[str]:
    return differences(read_modules(signed.project), read_modules(vba_project(tuple(module_names))), sheet_count)


def add_macros(workbook, module_names: Sequence[str], signed: SignedProject | None = None) -> None:
    """Our project, or the signed one when it holds exactly our modules for this workbook's sheets (call
    this after the last sheet is added: Excel gives each sheet a document module, Sheet1..SheetN)."""
    if signed is None:
        workbook.add_vba_project(io.BytesIO(vba_project(tuple(module_names))), is_stream=True)
        return
    problems = signature_problems(signed, module_names, len(workbook.worksheets()))
    if problems:
        raise SignatureMismatch(problems)
    workbook.add_signed_vba_project(io.BytesIO(signed.project), io.BytesIO(signed.signature),
                                    project_is_stream=True, signature_is_stream=True)


def draw_buttons(sheet, buttons: Sequence[Button], row: int, col: int, *, gap_rows: int = 2) -> int:
    """One Form button per entry, stacked from (row, col); returns the row after the last one."""
    for button in buttons:
        sheet.insert_button(row, col, {"macro": button.macro, "caption": button.caption,
                                       "width": BUTTON_WIDTH, "height": BUTTON_HEIGHT, "x_offset": 4, "y_offset": 2})
        row += gap_rows
    return row
