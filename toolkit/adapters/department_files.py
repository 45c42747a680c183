"""Department files for 应入尽入 (税务, 市场监管, 电力) read as sent: xlsx through the checked workbook reader
(calamine), csv in UTF-8 or GBK read column-wise by polars (measured against DuckDB: benchmarks/bench_department.py).

The text of a csv is tried as UTF-8 strictly, then as GB18030 (GBK's superset); which was used is said. A GBK file
is never read as UTF-8 mojibake: strict UTF-8 fails on it. The header row is found in the first rows (titles and
notes above it); the table below it goes to ``toolkit.domain.department_data.read_table`` column by column.
"""

from __future__ import annotations

import csv
import io
import itertools
from pathlib import Path

from toolkit.adapters.workbook_file import read_sheets
from toolkit.domain.department_data import (HEADER_SEARCH_ROWS, AmbiguousKind, DepartmentTable, Kind, KIND_LABEL,
                                            Problem, find_header, garbled, header_titles, read_table,
                                            why_no_header)

CSV_SUFFIXES = (".csv", ".txt")
XLSX_SUFFIXES = (".xlsx", ".xlsm")


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding said to the user): strict UTF-8 (a BOM allowed), else GB18030."""
    try:
        return data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace"), "GBK（GB18030）"


def read_department_file(path: Path, kind: Kind | None = None) -> list[DepartmentTable]:
    """Every table of the file (one per sheet that has one; a csv has one). A file without any gives one table
    with the problem that says what is missing."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return [_read_csv(path, kind)]
    if suffix in XLSX_SUFFIXES:
        return _read_xlsx(path, kind)
    return [DepartmentTable(path.name, problems=[Problem(
        f"“{path.name}”", "不是 xlsx 或 csv 文件。请部门导出为 Excel 工作簿（.xlsx）或 CSV 文件（.csv）。")])]


def _header(file: str, sheet: str, rows: list[list], kind: Kind | None) -> tuple[int, Kind] | DepartmentTable:
    place = f"“{file}”" + (f"工作表“{sheet}”" if sheet else "")
    try:
        found = find_header(rows, kind)
    except AmbiguousKind as error:
        names = "、".join(KIND_LABEL[k] for k in error.kinds)
        return DepartmentTable(file, sheet, problems=[Problem(place, f"表头同时像{names}，无法判断是哪个部门的数据。"
                                                                     "请用 --kind tax|registration|power 指明。")])
    if found is None:
        return DepartmentTable(file, sheet, problems=[Problem(place, why_no_header(rows, kind))])
    return found


def _read_csv(path: Path, kind: Kind | None) -> DepartmentTable:
    import polars

    text, encoding = decode(path.read_bytes())
    said = garbled(text)
    if said:
        return DepartmentTable(path.name, encoding=encoding, problems=[Problem(f"“{path.name}”", said)])
    preview = list(itertools.islice(csv.reader(io.StringIO(text)), HEADER_SEARCH_ROWS))
    found = _header(path.name, "", preview, kind)
    if isinstance(found, DepartmentTable):
        found.encoding = encoding
        return found
    at, kind = found
    titles, height = header_titles(preview, at)
    lines = text.splitlines(keepends=True)  # the table from its (last) header line on, column-wise
    frame = polars.read_csv(io.BytesIO("".join(lines[at + height - 1:]).encode("utf-8")), has_header=False,
                            infer_schema=False, truncate_ragged_lines=True)
    columns = [series.to_list() for series in frame.get_columns()]
    for index, column in enumerate(columns):
        column[0] = titles[index] if index < len(titles) else column[0]
    return read_table(path.name, "", preview[:at], columns, kind=kind, header_row=at + 1, csv=True,
                      encoding=encoding, header_rows=height)


def _read_xlsx(path: Path, kind: Kind | None) -> list[DepartmentTable]:
    tables, empty = [], []
    for sheet, rows in read_sheets(path).items():
        if not any(any(cell not in (None, "") for cell in row) for row in rows):
            continue
        found = _header(path.name, sheet, rows, kind)
        if isinstance(found, DepartmentTable):
            empty.append(found)
            continue
        at, sheet_kind = found
        titles, height = header_titles(rows, at)
        table = [titles, *rows[at + height:]]
        width = max(len(row) for row in table)
        columns = [list(column) for column in itertools.zip_longest(*table, fillvalue=None)][:width]
        tables.append(read_table(path.name, sheet, rows[:at], columns, kind=sheet_kind, header_row=at + 1,
                                 header_rows=height))
    if tables:
        return tables
    return empty[:1] or [DepartmentTable(path.name, problems=[Problem(f"“{path.name}”", "工作簿是空的。")])]
