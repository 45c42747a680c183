"""The register: the statistics office's starting list, its confirmed lists of entries and exits, and the register
derived from the accepted lists after every run."""

from __future__ import annotations

import sqlite3
from typing import Iterable

from toolkit.adapters.store.rows import Meta, period_text, record
from toolkit.domain.periods import Period
from toolkit.domain.register import RegisterRow
from toolkit.domain.register_list import ConfirmedChange, StartingFirm

_REGISTER_COLUMNS = ", ".join(RegisterRow._fields)


class SqliteRegister:
    def __init__(self, db: sqlite3.Connection):
        self.db = db
        self.meta = Meta(db)

    # --- the starting list -----------------------------------------------------------------------
    def replace_starting(self, firms, sha256: str, file_name: str, at: str) -> None:
        """The statistics office's list at the plan's start (一次导入一份，新的一份整体替换旧的)."""
        self.db.execute("DELETE FROM starting_register")
        self.db.executemany("INSERT INTO starting_register VALUES (?, ?, ?, ?)",
                            [(f.uscc, f.name, f.county, f"{file_name} {f.source}") for f in firms])
        self.meta.set("starting_register", {"sha256": sha256, "file": file_name, "at": at, "count": len(firms)})

    def starting_info(self) -> dict | None:
        return self.meta.get("starting_register")

    def starting(self) -> dict[str, StartingFirm]:
        return {r["uscc"]: record(StartingFirm, r) for r in self.db.execute("SELECT * FROM starting_register")}

    # --- the statistics office's confirmed lists ---------------------------------------------------
    def replace_confirmed(self, period: Period, firms, sha256: str, file_name: str, at: str,
                          final: bool = False) -> None:
        """The statistics office's confirmed list for a period (year to date); a new one replaces the old.
        ``final``: the office's final list of the year (终审), whose silence about a firm is evidence."""
        period = period_text(period)
        self.db.execute("DELETE FROM confirmed WHERE period = ?", (period,))
        self.db.executemany("INSERT INTO confirmed VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                            [(period, f.uscc, f.name, f.county, f.change, f.month, f"{file_name} {f.source}", f.kind)
                             for f in firms])
        self.meta.set(f"confirmed:{period}",
                      {"sha256": sha256, "file": file_name, "at": at, "count": len(firms), "final": final})

    def confirmed_info(self, period: Period) -> dict | None:
        return self.meta.get(f"confirmed:{period_text(period)}")

    def confirmed(self, period: Period) -> list[ConfirmedChange] | None:
        """The period's confirmed list, in its order; None when none was imported."""
        if self.confirmed_info(period) is None:
            return None
        return [record(ConfirmedChange, r) for r in self.db.execute(
            "SELECT * FROM confirmed WHERE period = ? ORDER BY rowid", (period_text(period),))]

    def confirmed_periods(self, year: int) -> list[Period]:
        """The periods of ``year`` with a confirmed list, in order."""
        return sorted(Period.parse(key.split(":", 1)[1]) for key in self.meta.keys_like(f"confirmed:{year}-%"))

    # --- the register ------------------------------------------------------------------------------
    def replace(self, rows: Iterable[RegisterRow]) -> None:
        """The whole register, derived anew (inside the caller's transaction); its index is built once, after
        the rows are in, not row by row."""
        self.db.execute("DROP INDEX IF EXISTS register_by_uscc")
        self.db.execute("DELETE FROM register")
        marks = ", ".join("?" * len(RegisterRow._fields))
        self.db.executemany(f"INSERT INTO register ({_REGISTER_COLUMNS}) VALUES ({marks})", rows)  # tuples, in order
        self.db.execute("CREATE INDEX register_by_uscc ON register(uscc)")

    def rows(self) -> list[RegisterRow]:
        return [RegisterRow(*r) for r in self.db.execute(f"SELECT {_REGISTER_COLUMNS} FROM register ORDER BY rowid")]
