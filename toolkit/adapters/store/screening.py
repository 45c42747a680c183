"""应入尽入: the departments' files imported (the journal: each file once, by SHA-256) and their rows."""

from __future__ import annotations

import json
import sqlite3

from toolkit.domain.department_data import COLUMNS, ImportedFile, Kind
from toolkit.domain.periods import Period
from toolkit.domain.screening import ListedFirm

TABLES = {Kind.TAX: "department_tax", Kind.REGISTRATION: "department_registration", Kind.POWER: "department_power"}
# the store's column for each of the domain record's fields (the domain says code, the store uscc, as elsewhere)
_STORED = {"code": "uscc"}


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

    def add_department_file(self, imported: ImportedFile, records: list[tuple]) -> int:
        """The file's journal line and its rows (records as ``COLUMNS[kind]`` orders them); the caller holds the
        transaction."""
        cursor = self.db.execute(
            "INSERT INTO department_files (sha256, file_name, kind, sheets, encoding, unit, unit_from, columns, "
            "first_month, last_month, rows, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (imported.sha256, imported.file_name, imported.kind.value, imported.sheets, imported.encoding,
             imported.unit, imported.unit_from, json.dumps(imported.columns, ensure_ascii=False),
             imported.first_month, imported.last_month, imported.rows, imported.imported_at))
        file_id = cursor.lastrowid
        names = ["file_id", *(_STORED.get(c, c) for c in COLUMNS[imported.kind])]
        self.db.executemany(f"INSERT INTO {TABLES[imported.kind]} ({', '.join(names)}) "
                            f"VALUES ({', '.join('?' * len(names))})", ((file_id, *r) for r in records))
        return file_id

    def department_rows(self, kind: Kind) -> list[tuple]:
        """Every row of the kind, as the domain's records (``COLUMNS[kind]``), in the order imported."""
        names = [_STORED.get(c, c) for c in COLUMNS[kind]]
        return [tuple(row) for row in self.db.execute(
            f"SELECT {', '.join(names)} FROM {TABLES[kind]} ORDER BY file_id, rowid")]

    def department_frame(self, kind: Kind):
        """Every row of the kind as a polars DataFrame (the domain's columns, ``row`` an integer, and ``file``: the
        name of the file it came from), in the order imported: the screen reads whole columns."""
        import polars as pl

        names = [_STORED.get(c, c) for c in COLUMNS[kind]]
        cursor = self.db.execute(
            f"SELECT {', '.join('d.' + n for n in names)}, f.file_name FROM {TABLES[kind]} d "
            f"JOIN department_files f ON f.id = d.file_id ORDER BY d.file_id, d.rowid")
        schema = {c: (pl.Int64 if c == "row" else pl.Utf8) for c in COLUMNS[kind]} | {"file": pl.Utf8}
        return pl.DataFrame(cursor.fetchall(), schema=schema, orient="row")

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

    def latest_screen(self, upto: Period) -> Period | None:
        """The latest screened period of ``upto``'s year, on or before it."""
        row = self.db.execute("SELECT MAX(period) AS p FROM screen_runs WHERE period BETWEEN ? AND ?",
                              (f"{upto.year}-01", str(upto))).fetchone()
        return None if row is None or row["p"] is None else Period.parse(row["p"])


def _imported(row: sqlite3.Row) -> ImportedFile:
    return ImportedFile(row["sha256"], row["file_name"], Kind(row["kind"]), row["sheets"], row["encoding"],
                        row["unit"], row["unit_from"], json.loads(row["columns"]), row["first_month"],
                        row["last_month"], row["rows"], row["imported_at"])
