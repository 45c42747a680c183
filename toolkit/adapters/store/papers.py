"""What the city has issued: 发文字号 given by the tool (never twice) and the 催报通知 sent for each period."""

from __future__ import annotations

import datetime as dt
import sqlite3

from toolkit.adapters.store.rows import Meta, period_text, record
from toolkit.domain.calendar import Reminder
from toolkit.domain.gbt9704 import DocNumber
from toolkit.domain.periods import Period


class SqlitePapers:
    def __init__(self, db: sqlite3.Connection):
        self.db = db
        self.meta = Meta(db)

    def number_given(self, doc_type: str, period: str) -> DocNumber | None:
        """The number given to this document before, if any (``period``: the document's key, a period or a reward
        batch as its number was recorded)."""
        row = self.db.execute("SELECT prefix, year, number FROM doc_numbers WHERE doc_type = ? AND period = ?",
                              (doc_type, period)).fetchone()
        return record(DocNumber, row) if row else None

    def number(self, doc_type: str, period: str, prefix: str, year: int, at: str) -> int:
        """The number of this document type for this period: the one given before, else the next free one."""
        given = self.number_given(doc_type, period)
        if given:
            return given.number
        last = self.db.execute("SELECT max(number) AS last FROM doc_numbers WHERE prefix = ? AND year = ?",
                               (prefix, year)).fetchone()["last"]
        number = (last or 0) + 1
        self.db.execute("INSERT INTO doc_numbers VALUES (?, ?, ?, ?, ?, ?)", (prefix, year, number, doc_type, period, at))
        return number

    def restore_number(self, doc_type: str, period: str, prefix: str, year: int, number: int, at: str) -> None:
        """A number given before (replayed from the journal when rebuilding)."""
        self.db.execute("INSERT OR IGNORE INTO doc_numbers VALUES (?, ?, ?, ?, ?, ?)",
                        (prefix, year, number, doc_type, period, at))

    def record_reminder(self, period: Period, reminder: Reminder) -> None:
        """A 催报通知 issued for ``period`` (the same one recorded twice is kept once)."""
        period = period_text(period)
        kept = self.meta.get(f"reminders:{period}") or []
        entry = {"day": reminder.day.isoformat(), "number": reminder.number, "counties": list(reminder.counties)}
        if entry not in kept:
            kept.append(entry)
        self.meta.set(f"reminders:{period}", kept)

    def reminders(self, period: Period) -> list[Reminder]:
        return [Reminder(dt.date.fromisoformat(r["day"]), r["number"], tuple(r["counties"]))
                for r in self.meta.get(f"reminders:{period_text(period)}") or []]
