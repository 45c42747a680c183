"""Filled county workbooks for consolidation tests, written in the template's own layout."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from conftest import valid_uscc
from toolkit.adapters.county_workbook import file_name, write_county_workbook
from toolkit.domain.periods import Period
from toolkit.services.templates import template_stamp


def firm(policy, county: str, serial: int) -> str:
    """A valid USCC registered in the county's area, unique per (county, serial)."""
    unit = policy.find_county(county)
    index = policy.county_names.index(unit.name)
    return valid_uscc(area=unit.uscc_prefixes[0], body=f"MA4{index:02d}{serial:04d}")


def entry(uscc: str, month: str, *, kind: str = "新建投产", name: str | None = None) -> dict:
    mode = "年度入库" if kind == "小升规" else "月度入库"
    return {"uscc": uscc, "name": name or f"株洲{uscc[-6:-1]}机械制造有限公司", "entry_kind": kind, "entry_mode": mode,
            "entry_month": month, "industry": "3484", "revenue": 2650.0, "tax": 42.5, "employees": 66}


def exit_row(uscc: str, month: str) -> dict:
    return {"uscc": uscc, "name": f"株洲{uscc[-6:-1]}陶瓷有限公司", "exit_month": month, "exit_reason": "停产",
            "revenue": 1520.0}


def write_report(folder: Path, policy, county: str, period: str, entries=(), exits=(), *, name: str | None = None,
                 mtime: float | None = None, cover_note: str = "", more: dict | None = None,
                 saved: dt.datetime | None = None) -> Path:
    """A county's filled workbook for ``period`` in ``folder`` (as a clerk would send it back); ``saved`` is the
    time the workbook itself records as its last save (docProps), ``mtime`` the file system's."""
    unit, when = policy.find_county(county), Period.parse(period)
    created = saved or dt.datetime(when.year, when.month, 20, 9, 0, 0)
    cover = {"unit": f"{unit.name}工业和信息化局", "preparer": "刘志强", "phone": "0731-22881234",
             "date": dt.date(when.year, when.month, 28), "reviewer": "彭国平", "note": cover_note}
    path = folder / (name or file_name(unit.name, when))
    write_county_workbook(path, policy, unit, when, template_stamp(unit, when, created), cover=cover,
                          lists={"entries": list(entries), "exits": list(exits), **(more or {})}, created=created)
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path


LIST_FIRST_ROW = 5  # the first data row of a county workbook's list sheets


def edit_workbook(path: Path, edits) -> None:
    """Set cells of a county workbook in place, as a clerk would type them: (sheet, row, column, value) each."""
    import openpyxl  # noqa: PLC0415

    book = openpyxl.load_workbook(path)
    for sheet, row, col, value in edits:
        book[sheet].cell(row, col, value)
    book.save(path)


def list_rows(book, sheet: str) -> list[tuple[int, tuple]]:
    """A list sheet's filled rows with their worksheet row numbers (a row counts when its code or name is set)."""
    return [(n, v) for n, v in enumerate(book[sheet].iter_rows(min_row=LIST_FIRST_ROW, values_only=True),
                                         start=LIST_FIRST_ROW) if v[0] or v[1]]


def register_file(path, rows):
    """A list as the statistics office keeps it: a title, then 序号 / 统一社会信用代码 / 详细名称 / 区划 / 县市区."""
    import openpyxl  # noqa: PLC0415

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "在库名录"
    sheet.append(["2021年末规模以上工业企业名录（株洲市）"])
    sheet.append(["序号", "统一社会信用代码", "详细名称", "行政区划代码", "所属县市区"])
    for number, (code, name, division, county) in enumerate(rows, start=1):
        sheet.append([number, code, name, division, county])
    workbook.save(path)
    return path
