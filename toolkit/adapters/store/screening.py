"""应入尽入: the departments' files imported (the journal: each file once, by SHA-256) and their rows."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from pathlib import Path

from toolkit.domain.department_data import COLUMNS, ImportedFile, Kind, current_rows
from toolkit.domain.periods import Period
from toolkit.domain.screening import ListedFirm
from toolkit.ports.store import StoreError

TABLES = {Kind.TAX: "department_tax", Kind.REGISTRATION: "department_registration", Kind.POWER: "department_power"}
# the store's column for each of the domain record's fields (the domain says code, the store uscc, as elsewhere)
_STORED = {"code": "uscc"}
ROWS_DIR = "部门数据"  # the department files' rows, a Parquet file each, beside the store


def _schema(kind: Kind) -> dict:
    import polars as pl

    return {c: (pl.Int64 if c == "row" else pl.Utf8) for c in COLUMNS[kind]}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class SqliteScreening:
    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def department_file(self, sha256: str) -> ImportedFile | None:
        row = self.db.execute("SELECT * FROM department_files WHERE sha256 = ?", (sha256,)).fetchone()
        return None if row is None else _imported(row)

    def department_files(self, kind: Kind | None = None) -> list[ImportedFile]:
        rows = self.db.execute("SELECT * FROM department_files WHERE ? IS NULL OR kind = ? ORDER BY id",
                               (kind and kind.value, kind and kind.value))
        return [_imported(row) for row in rows]

    def add_department_file(self, imported: ImportedFile, records) -> int:
        """The file's journal line and its rows (a polars frame of ``COLUMNS[kind]``, or tuples in that order);
        the caller holds the transaction. The rows go to a Parquet file beside the store (``ROWS_DIR``), written
        whole before the journal line names it with its SHA-256: a province's millions of rows are written in a
        second and read back in less, where SQLite takes a minute each way (benchmarks/bench_screening.py)."""
        import polars as pl

        frame = records if isinstance(records, (pl.DataFrame, pl.LazyFrame)) else pl.DataFrame(
            list(records or []), schema=_schema(imported.kind), orient="row")
        rows_file = f"{imported.sha256}.parquet"
        path = self._rows_dir() / rows_file
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_name(path.name + ".part")
        if isinstance(frame, pl.LazyFrame):  # read a batch at a time: written as it is read back
            frame.select(COLUMNS[imported.kind]).sink_parquet(temp)
        else:
            frame.select(COLUMNS[imported.kind]).write_parquet(temp)
        os.replace(temp, path)
        cursor = self.db.execute(
            "INSERT INTO department_files (sha256, file_name, kind, sheets, encoding, unit, unit_from, columns, "
            "first_month, last_month, rows, imported_at, rows_file, rows_sha256) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (imported.sha256, imported.file_name, imported.kind.value, imported.sheets, imported.encoding,
             imported.unit, imported.unit_from, json.dumps(imported.columns, ensure_ascii=False),
             imported.first_month, imported.last_month, imported.rows, imported.imported_at, rows_file,
             _sha256(path)))
        return cursor.lastrowid

    def department_rows(self, kind: Kind) -> list[tuple]:
        """Every row of the kind, as the domain's records (``COLUMNS[kind]``), in the order imported."""
        return self.department_frame(kind).select(COLUMNS[kind]).rows()

    def department_frame(self, kind: Kind, lazy: bool = False):
        """Every row of the kind that counts as a polars DataFrame (the domain's columns, ``row`` an integer, and
        ``file``: the name of the file it came from), in the order imported, a row given again by a later file taken
        from that file only (``current_rows``): the screen reads whole columns. Each file's rows
        are scanned from its Parquet copy, checked against the SHA-256 journalled (a copy lost or changed is
        said, never read as no data); a file imported before store version 8 has its rows in SQLite. ``lazy``: the
        scan itself, so that a reader of a few columns (the screen) never loads the others (a province's names)."""
        import polars as pl

        parts, files = [], []
        for line in self.db.execute("SELECT * FROM department_files WHERE kind = ? ORDER BY id",
                                    (kind.value,)).fetchall():
            files.append(_imported(line))
            file = pl.lit(line["file_name"], pl.Categorical).alias("file")  # one name for millions of rows
            if line["rows_file"]:
                path = self._rows_dir() / line["rows_file"]
                if not path.is_file() or _sha256(path) != line["rows_sha256"]:
                    what = "缺失" if not path.is_file() else "已被改动"
                    raise StoreError(f"部门数据“{line['file_name']}”的数据文件（{path}）{what}。"
                                     "请运行 guishang rebuild，从存档重新导入。")
                parts.append(pl.scan_parquet(path).with_columns(file))
            else:
                names = [_STORED.get(c, c) for c in COLUMNS[kind]]
                cursor = self.db.execute(f"SELECT {', '.join(names)} FROM {TABLES[kind]} WHERE file_id = ? "
                                         "ORDER BY rowid", (line["id"],))
                parts.append(pl.DataFrame(cursor.fetchall(), schema=_schema(kind), orient="row").lazy()
                             .with_columns(file))
        if not parts:
            empty = pl.DataFrame(schema=_schema(kind) | {"file": pl.Categorical})
            return empty.lazy() if lazy else empty
        scan = current_rows(parts, files)  # a month given again in a later file is taken from that file
        return scan if lazy else scan.collect()

    def _rows_dir(self) -> Path:
        """数据库/部门数据: beside the store file (a rebuilt store, written beside it, finds the same copies)."""
        main = next(row for row in self.db.execute("PRAGMA database_list") if row[1] == "main")
        return Path(main[2]).parent / ROWS_DIR

    # --- what each screen run listed -------------------------------------------------------------------------
    def replace_screen(self, period: Period, at: str, month: Period, firms: list[ListedFirm]) -> None:
        """The period's screen, replacing an earlier run for it (inside the caller's transaction)."""
        key = str(period)
        self.db.execute("DELETE FROM screen_candidates WHERE period = ?", (key,))
        self.db.execute("INSERT OR REPLACE INTO screen_runs (period, run_at, month, listed) VALUES (?, ?, ?, ?)",
                        (key, at, str(month), len(firms)))
        self.db.executemany("INSERT INTO screen_candidates (period, uscc, name, county, kind, reason, flags) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?)",
                            [(key, f.uscc, f.name, f.county, f.kind, f.reason, json.dumps(list(f.flags),
                                                                                          ensure_ascii=False))
                             for f in firms])

    def screen_run(self, period: Period) -> tuple[str, Period, int] | None:
        row = self.db.execute("SELECT run_at, month, listed FROM screen_runs WHERE period = ?",
                              (str(period),)).fetchone()
        return None if row is None else (row["run_at"], Period.parse(row["month"]), row["listed"])

    def screened(self, period: Period) -> list[ListedFirm]:
        rows = self.db.execute("SELECT uscc, name, county, kind, reason, flags FROM screen_candidates "
                               "WHERE period = ? ORDER BY rowid", (str(period),))
        return [ListedFirm(r["uscc"], r["name"], r["county"], r["kind"], r["reason"], tuple(json.loads(r["flags"])))
                for r in rows]

    def screen_periods(self) -> list[Period]:
        return [Period.parse(r["period"]) for r in self.db.execute("SELECT period FROM screen_runs ORDER BY period")]

    def latest_screen(self, upto: Period) -> Period | None:
        """The latest screened period of ``upto``'s year, on or before it."""
        row = self.db.execute("SELECT MAX(period) AS p FROM screen_runs WHERE period BETWEEN ? AND ?",
                              (f"{upto.year}-01", str(upto))).fetchone()
        return None if row is None or row["p"] is None else Period.parse(row["p"])


def _imported(row: sqlite3.Row) -> ImportedFile:
    return ImportedFile(row["sha256"], row["file_name"], Kind(row["kind"]), row["sheets"], row["encoding"],
                        row["unit"], row["unit_from"], json.loads(row["columns"]), row["first_month"],
                        row["last_month"], row["rows"], row["imported_at"])
