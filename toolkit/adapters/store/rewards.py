"""The rewards ledger: batches approved together and paid together, and one line per tranche of one firm."""

from __future__ import annotations

import json
import sqlite3

from toolkit.adapters.store.rows import record
from toolkit.domain.rewards import BatchRecord, Exclusion, LedgerEntry, Mismatch, RewardLine


class SqliteRewardsLedger:
    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def add_batch(self, year: int, at: str, policy_sha256: str, lines, exclusions: list[dict],
                  mismatches: list[dict], seq: int | None = None) -> int:
        """Approve a batch: its lines go into the ledger; a tranche already there makes the whole batch fail.
        ``exclusions`` and ``mismatches`` are the fields of domain Exclusion and Mismatch records, as journalled."""
        if seq is None:
            last = self.db.execute("SELECT max(seq) AS last FROM reward_batches WHERE year = ?", (year,)).fetchone()["last"]
            seq = (last or 0) + 1
        cursor = self.db.execute(
            "INSERT INTO reward_batches (year, seq, approved_at, policy_sha256, total, exclusions, mismatches) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (year, seq, at, policy_sha256, sum(line.amount for line in lines),
             json.dumps(exclusions, ensure_ascii=False), json.dumps(mismatches, ensure_ascii=False)))
        batch_id = cursor.lastrowid
        self.db.executemany(
            "INSERT INTO reward_lines VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(batch_id, x.uscc, x.name, x.county, x.kind, x.entry_year, x.entry_month, x.tranche, x.amount,
              x.city_amount, x.payable, x.city_standard, x.county_standard, x.rule, x.source, x.tax_wan, x.second,
              x.second_city) for x in lines])
        return seq

    def batches(self, year: int | None = None) -> list[BatchRecord]:
        sql = "SELECT * FROM reward_batches" + (" WHERE year = ?" if year is not None else "") + " ORDER BY year, seq"
        return [record(BatchRecord, r, exclusions=[Exclusion(**x) for x in json.loads(r["exclusions"])],
                       mismatches=[Mismatch(**x) for x in json.loads(r["mismatches"])])
                for r in self.db.execute(sql, (year,) if year is not None else ())]

    def lines(self, *, batch_id: int | None = None, entry_year: int | None = None) -> list[LedgerEntry]:
        """Ledger lines with the year and number of the batch that approved each, in the order approved."""
        sql = ("SELECT l.*, b.year AS batch_year, b.seq AS batch_seq FROM reward_lines l "
               "JOIN reward_batches b ON b.id = l.batch_id WHERE 1=1")
        args: list = []
        if batch_id is not None:
            sql, args = sql + " AND l.batch_id = ?", [*args, batch_id]
        if entry_year is not None:
            sql, args = sql + " AND l.entry_year = ?", [*args, entry_year]
        return [LedgerEntry(record(RewardLine, r), r["batch_year"], r["batch_seq"])
                for r in self.db.execute(sql + " ORDER BY l.rowid", args)]

    def approved_keys(self) -> set[tuple[str, int, int]]:
        return {(r["uscc"], r["entry_year"], r["tranche"])
                for r in self.db.execute("SELECT uscc, entry_year, tranche FROM reward_lines")}

    def mark_paid(self, year: int, seq: int, at: str, paid_on: str, note: str) -> None:
        self.db.execute("UPDATE reward_batches SET paid_at = ?, paid_on = ?, paid_note = ? WHERE year = ? AND seq = ?",
                        (at, paid_on, note, year, seq))
