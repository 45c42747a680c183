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
import queue
import shutil
import tempfile
import threading
import weakref
from pathlib import Path

from toolkit.adapters.workbook_file import read_sheets
from toolkit.domain.department_data import (HEADER_SEARCH_ROWS, AmbiguousKind, DepartmentTable, Kind, KIND_LABEL,
                                            Problem, TableReader, find_header, garbled, header_titles, read_table,
                                            why_no_header)

CSV_SUFFIXES = (".csv", ".txt")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
BLOCK = 1 << 25  # bytes read at a time
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
    if len(head) == PREVIEW:  # the file goes on: its last line here may be cut short
        text = "".join(text.splitlines(keepends=True)[:-1])
    preview = list(itertools.islice(csv.reader(io.StringIO(text)), HEADER_SEARCH_ROWS))
    found = _header(path.name, "", preview, kind)
    if isinstance(found, DepartmentTable):
        found.encoding = encoding
        return found
    at, kind = found
    titles, height = header_titles(preview, at)
    records = csv.reader(io.StringIO(text))
    for _ in range(at + height):
        next(records)
    skip = records.line_num  # physical lines up to the header's last (a quoted cell may hold a line break)
    folder = Path(tempfile.mkdtemp(prefix="guishang-department-"))
    reader = TableReader(path.name, "", preview[:at], list(titles), kind=kind, header_row=at + 1, csv=True,
                         encoding=encoding, header_rows=height)
    schema = {f"c{i}": polars.Utf8 for i in range(len(titles))}
    parts = []
    for block in _ahead(_blocks(path, utf8, skip)):
        batch = polars.read_csv(io.BytesIO(block), has_header=False, schema=schema, truncate_ragged_lines=True)
        kept = reader.feed(batch.get_columns())
        if kept is None:
            break
        if kept.height:
            parts.append(folder / f"{len(parts):05d}.parquet")
            kept.write_parquet(parts[-1], compression="lz4")  # read once more, by the store
    table = reader.finish(polars.scan_parquet(parts) if parts else None)
    weakref.finalize(table, shutil.rmtree, folder, True)  # the batches kept until the store has taken them
    return table


def _blocks(path: Path, utf8: bool, skip: int):
    """The file's lines after its first ``skip`` (the header and what is above it), in UTF-8, a block of whole
    lines at a time (a quoted cell's line break kept inside its block). A line ends in 0x0A, a byte no GBK or
    UTF-8 character holds, so the bytes are cut before they are decoded."""
    with open(path, "rb") as file:
        rest = b""
        while skip:
            block = file.read(BLOCK)
            if not block:
                return
            rest += block
            while skip and b"\n" in rest:
                rest = rest[rest.index(b"\n") + 1:]
                skip -= 1
        while True:
            block = file.read(BLOCK)
            data = rest + block
            if not block:
                if data.strip():
                    yield data if utf8 else _utf8_of(data)
                return
            end = data.rfind(b"\n") + 1
            while end and data.count(b'"', 0, end) % 2:  # inside a quoted cell: cut at an earlier line's end
                end = data.rfind(b"\n", 0, end - 1) + 1
            if not end:
                rest = data
                continue
            rest = data[end:]
            yield data[:end] if utf8 else _utf8_of(data[:end])


def _utf8_of(data: bytes, piece: int = 1 << 20) -> bytes:
    """GBK (GB18030) bytes in UTF-8, a megabyte at a time: each call holds the interpreter a few milliseconds
    only, so the thread that checks the previous block is not kept waiting."""
    decoder = codecs.getincrementaldecoder("gb18030")(errors="replace")
    parts = [decoder.decode(data[at:at + piece]).encode("utf-8") for at in range(0, len(data), piece)]
    parts.append(decoder.decode(b"", final=True).encode("utf-8"))
    return b"".join(parts)


def _ahead(blocks, depth: int = 2):
    """The blocks made by a thread one or two ahead: GBK is decoded while polars checks the block before. Left
    early (a file refused midway), the thread stops and lets the file go."""
    made: queue.Queue = queue.Queue(depth)
    stop = threading.Event()
    done = object()

    def hand(item) -> bool:
        while not stop.is_set():
            try:
                made.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def make() -> None:
        try:
            for block in blocks:
                if not hand(block):
                    break
        except BaseException as error:  # handed over, raised where the blocks are used
            hand(error)
        finally:
            blocks.close()
        hand(done)

    thread = threading.Thread(target=make, daemon=True)
    thread.start()
    try:
        while (block := made.get()) is not done:
            if isinstance(block, BaseException):
                raise block
            yield block
    finally:
        stop.set()
        thread.join()


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
