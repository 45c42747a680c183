"""Other departments' data: the tax office's tax formed in a year per firm (one list per year, its supplements)."""

from __future__ import annotations

import sqlite3
from decimal import Decimal

from toolkit.adapters.store.rows import Meta, record
from toolkit.domain.rewards import TaxFigure


class SqliteDepartmentData:
    def __init__(self, db: sqlite3.Connection):
        self.db = db
        self.meta = Meta(db)

    def replace_taxes(self, year: int, figures, sha256: str, file_name: str, at: str, final: bool = False) -> None:
        """The tax office's figures of a year (one list per year; a new one replaces the old, and the
        supplementary lists added to it); ``final``: the year's final figures (全年定稿)."""
        self.db.execute("DELETE FROM taxes WHERE year = ?", (year,))
        self.meta.delete_like(f"taxes:{year}:supplement:%")
        self.db.executemany("INSERT INTO taxes VALUES (?, ?, ?, ?, ?)",
                            [(year, t.uscc, t.name, f"{t.tax_wan:f}", f"{file_name} {t.source}") for t in figures])
        self.meta.set(f"taxes:{year}", {"sha256": sha256, "file": file_name, "at": at, "count": len(figures),
                                        "final": final})

    def mark_taxes_final(self, year: int, at: str) -> None:
        """The year's list, as imported (with its supplements), declared the year's final figures."""
        self.meta.set(f"taxes:{year}", {**(self.taxes_info(year) or {}), "final": True, "final_at": at})

    def add_taxes(self, year: int, figures, sha256: str, file_name: str, at: str) -> None:
        """A supplementary list (补充名单): its firms join the year's list; the caller has checked that none
        of them is there already with another figure."""
        have = {t.uscc for t in self.taxes(year) or ()}
        self.db.executemany("INSERT INTO taxes VALUES (?, ?, ?, ?, ?)",
                            [(year, t.uscc, t.name, f"{t.tax_wan:f}", f"{file_name} {t.source}")
                             for t in figures if t.uscc not in have])
        self.meta.set(f"taxes:{year}:supplement:{sha256}",
                      {"sha256": sha256, "file": file_name, "at": at, "count": len(figures)})

    def taxes_info(self, year: int) -> dict | None:
        return self.meta.get(f"taxes:{year}")

    def tax_supplement_info(self, year: int, sha256: str) -> dict | None:
        return self.meta.get(f"taxes:{year}:supplement:{sha256}")

    def taxes(self, year: int) -> list[TaxFigure] | None:
        """The tax office's figures of the year (万元, exact), in the list's order; None when none imported."""
        if self.taxes_info(year) is None:
            return None
        return [record(TaxFigure, r, tax_wan=Decimal(r["tax_wan"])) for r in self.db.execute(
            "SELECT uscc, name, tax_wan, source FROM taxes WHERE year = ? ORDER BY rowid", (year,))]
