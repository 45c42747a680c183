"""Department files for 应入尽入 (税务, 市场监管, 电力) read as sent: xlsx through the checked workbook reader
(calamine), csv in UTF-8 or GBK read column-wise by polars (measured against DuckDB: benchmarks/bench_department.py).

The text of a csv is tried as UTF-8 strictly, then as GB18030 (GBK's superset); which was used is said. A GBK file
is never read as UTF-8 mojibake: strict UTF-8 fails on it. The header row is found in the first rows (titles and
notes above it); the table below it goes to ``toolkit.domain.department_data.read_table`` column by column.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import tempfile
from pathlib import Path

from toolkit.adapters.workbook_file import read_sheets
from toolkit.domain.department_data import (HEADER_SEARCH_ROWS, AmbiguousKind, DepartmentTable, Kind, KIND_LABEL,
                                            Problem, find_header, garbled, header_titles, read_table,
                                            why_no_header)

CSV_SUFFIXES = (".csv", ".txt")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
BLOCK = 1 << 24  # bytes read at a time
PREVIEW = 1 << 18  # the first bytes: enough for the rows above and of the header, and to tell garbled text


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding said to the user): strict UTF-8 (a BOM allowed), else GB18030."""
    try:
        return data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace"), "GBK（GB18030）"


def _is_utf8(path: Path) -> bool:
    """Whether the whole file is strict UTF-8, read a block at a time (a province's extract is a gigabyte)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with open(path, "rb") as file:
        try:
            for block in iter(lambda: file.read(BLOCK), b""):
                decoder.decode(block)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


def _as_utf8(path: Path, target: Path) -> None:
    """The GBK (GB18030) file written again in UTF-8, a block at a time, for the columnar reader."""
    decoder = codecs.getincrementaldecoder("gb18030")(errors="replace")
    with open(path, "rb") as source, open(target, "wb") as out:
        for block in iter(lambda: source.read(BLOCK), b""):
            out.write(decoder.decode(block).encode("utf-8"))
        out.write(decoder.decode(b"", final=True).encode("utf-8"))


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
    """The header from the first rows as text; the table below it read column-wise by polars, every column as text,
    from the file itself (UTF-8) or from a UTF-8 copy of it (GBK): never a Python object per cell."""
    import polars

    utf8 = _is_utf8(path)
    encoding = "UTF-8" if utf8 else "GBK（GB18030）"
    with open(path, "rb") as file:
        head = file.read(PREVIEW)
    text = head.decode("utf-8-sig", errors="ignore") if utf8 else \
        codecs.getincrementaldecoder("gb18030")(errors="replace").decode(head)
    said = garbled(text)
    if said:
        return DepartmentTable(path.name, encoding=encoding, problems=[Problem(f"“{path.name}”", said)])
    lines = text.splitlines(keepends=True)
    preview = list(itertools.islice(csv.reader(io.StringIO("".join(lines[:-1] if len(lines) > 1 else lines))),
                                    HEADER_SEARCH_ROWS))
    found = _header(path.name, "", preview, kind)
    if isinstance(found, DepartmentTable):
        found.encoding = encoding
        return found
    at, kind = found
    titles, height = header_titles(preview, at)
    with tempfile.TemporaryDirectory(prefix="guishang-csv-") as folder:
        source = path
        if not utf8:
            source = Path(folder) / "utf8.csv"
            _as_utf8(path, source)
        skip = sum(line.count("\n") for line in "".join(lines).splitlines(keepends=True)[:at + height - 1])
        frame = polars.read_csv(source, has_header=False, infer_schema=False, truncate_ragged_lines=True,
                                skip_lines=skip, encoding="utf8")
    columns = [series.str.strip_prefix("\ufeff") if index == 0 else series
               for index, series in enumerate(frame.get_columns())]
    columns = [polars.concat([polars.Series([titles[index] if index < len(titles) else column[0]],
                                            dtype=polars.Utf8), column.slice(1)])
               for index, column in enumerate(columns)]
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
