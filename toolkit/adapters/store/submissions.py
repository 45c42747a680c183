"""Submissions: every file received (its SHA-256, county, period, status), the city's choices among a county's
files, the results workbook sent back for each, its findings, and its rows with their source (file, sheet, row)."""

from __future__ import annotations

import json
import sqlite3
from typing import Iterable

from toolkit.adapters.store.rows import _ENCODE, _decode_row, period_text, record
from toolkit.domain.findings import Finding, Level
from toolkit.domain.periods import Period
from toolkit.domain.register import LIST_KEYS, ListRow, Submitted, listings_of
from toolkit.domain.report import CountyReport
from toolkit.domain.submissions import Choice, Submission, SubmissionStatus

_FINDING_COLUMNS = "code, level, message, sheet, row, column_name, cell, value, explained, advisory"


def _submission(row: sqlite3.Row) -> Submission:
    return record(Submission, row, period=Period.parse(row["period"]), status=SubmissionStatus(row["status"]))


def serialise_rows(report: CountyReport) -> list[tuple]:
    """A report's rows as the store keeps them (may run in a worker process)."""
    return [(key, item.sheet, item.row, str(item.values.get("uscc") or ""), str(item.values.get("name") or ""),
             _ENCODE(item.values))
            for key, items in report.lists.items() for item in items]


class SqliteSubmissions:
    def __init__(self, db: sqlite3.Connection):
        self.db = db
        self._lists: dict[int, Submitted] = {}  # a submission's rows never change once recorded

    # --- the files -------------------------------------------------------------------------------
    def by_hash(self, sha256: str, period: Period | None = None) -> Submission | None:
        """The file received for ``period`` (or, without one, the first time it was received at all)."""
        period = period_text(period)
        row = self.db.execute("SELECT * FROM submissions WHERE sha256 = ? AND (? IS NULL OR period = ?) ORDER BY id",
                              (sha256, period, period)).fetchone()
        return _submission(row) if row else None

    def add(self, *, sha256: str, file_name: str, county: str, period: Period, received_at: str, file_mtime: str,
            saved_at: str = "") -> int:
        cursor = self.db.execute(
            "INSERT INTO submissions (sha256, file_name, county, period, received_at, file_mtime, status, saved_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (sha256, file_name, county, period_text(period), received_at, file_mtime, SubmissionStatus.RECEIVED.value,
             saved_at))
        return cursor.lastrowid

    def set_status(self, submission_id: int, status: SubmissionStatus, note: str = "",
                   superseded_by: int | None = None) -> None:
        self.db.execute("UPDATE submissions SET status = ?, status_note = ?, superseded_by = ? WHERE id = ?",
                        (SubmissionStatus(status).value, note, superseded_by, submission_id))

    def all(self, period: Period | None = None, county: str | None = None) -> list[Submission]:
        sql, args = "SELECT * FROM submissions WHERE 1=1", []
        if period is not None:
            sql, args = sql + " AND period = ?", [*args, period_text(period)]
        if county is not None:
            sql, args = sql + " AND county = ?", [*args, county]
        return [_submission(r) for r in self.db.execute(sql + " ORDER BY id", args)]

    def choose(self, period: Period, county: str, sha256: str, at: str, note: str = "") -> None:
        """The city takes this file for the county and period, whatever the usual rule would take."""
        self.db.execute("INSERT OR REPLACE INTO choices VALUES (?, ?, ?, ?, ?)",
                        (period_text(period), county, sha256, at, note))

    def choices(self, period: Period) -> dict[str, Choice]:
        return {r["county"]: record(Choice, r) for r in self.db.execute("SELECT * FROM choices WHERE period = ?",
                                                                       (period_text(period),))}

    def record_sent_back(self, submission_id: int, file: str, at: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO sent_back VALUES (?, ?, ?)", (submission_id, file, at))

    def sent_back(self, period: Period) -> dict[int, str]:
        """The results workbook's file name (in the results folder) written for each submission of ``period``."""
        return {row["submission_id"]: row["file"] for row in self.db.execute(
            "SELECT b.submission_id, b.file FROM sent_back b JOIN submissions s ON s.id = b.submission_id "
            "WHERE s.period = ?", (period_text(period),))}

    def judged_states(self, ids: Iterable[int]) -> dict[int, list]:
        """Per submission, what a judgment leaves on it: status, status note, and the count and total message
        length of its cross findings (to tell that nothing has written over them since)."""
        ids = list(ids)
        out: dict[int, list] = {}
        for start in range(0, len(ids), 500):
            part = ids[start:start + 500]
            for sub_id, status, note, count, length in self.db.execute(
                    "SELECT s.id, s.status, s.status_note, count(f.submission_id), total(length(f.message)) "
                    "FROM submissions s LEFT JOIN findings f ON f.submission_id = s.id AND f.origin = 'cross' "
                    f"WHERE s.id IN ({', '.join('?' * len(part))}) GROUP BY s.id", part):
                out[sub_id] = [status, note, count, int(length)]
        return out

    # --- findings --------------------------------------------------------------------------------
    def replace_findings(self, submission_id: int, origin: str, findings: Iterable[Finding]) -> None:
        self.db.execute("DELETE FROM findings WHERE submission_id = ? AND origin = ?", (submission_id, origin))
        self.db.executemany(
            "INSERT INTO findings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(submission_id, origin, f.code, f.level.value, f.sheet, f.row, f.column, f.cell, f.value, f.message,
              int(f.explained), int(f.advisory)) for f in findings])

    def findings(self, submission_id: int, file: str = "", origin: str | None = None) -> list[Finding]:
        """A submission's findings: the workbook's own first, then those found across files."""
        return self._findings_by_id({submission_id: file}, origin)[submission_id]

    def findings_of(self, subs: Iterable[Submission], *, origin: str | None = None,
                    named: bool = True) -> dict[int, list[Finding]]:
        """``findings`` of many submissions at once (one query per 500, in the same order), by submission id;
        ``origin``: only those; ``named``: each finding names its submission's file."""
        return self._findings_by_id({sub.id: sub.file_name if named else "" for sub in subs}, origin)

    def _findings_by_id(self, files: dict[int, str], origin: str | None) -> dict[int, list[Finding]]:
        """The findings of the submissions in ``files`` (id -> the file name each finding names), by id."""
        ids = list(files)
        out: dict[int, list[Finding]] = {i: [] for i in ids}
        cursor = self.db.cursor()
        cursor.row_factory = None  # plain tuples, unpacked by the names the SELECT gives them
        levels = {level.value: level for level in Level}
        for start in range(0, len(ids), 500):
            part = ids[start:start + 500]
            for (submission_id, code, level, message, sheet, row, column, cell, value, explained,
                 advisory) in cursor.execute(
                    f"SELECT submission_id, {_FINDING_COLUMNS} FROM findings "
                    f"WHERE submission_id IN ({', '.join('?' * len(part))}) AND (? IS NULL OR origin = ?) "
                    "ORDER BY submission_id, origin DESC, rowid", (*part, origin, origin)):
                out[submission_id].append(Finding(code=code, level=levels[level], message=message,
                                                  file=files[submission_id], sheet=sheet, row=row, column=column,
                                                  cell=cell, value=value, explained=bool(explained),
                                                  advisory=bool(advisory)))
        return out

    # --- rows ------------------------------------------------------------------------------------
    def add_rows(self, submission_id: int, rows: list[tuple]) -> None:
        """Record a submission's rows (from ``serialise_rows``)."""
        self.db.executemany("INSERT INTO rows VALUES (?, ?, ?, ?, ?, ?, ?)", [(submission_id, *row) for row in rows])

    def list_rows(self, submission_id: int, sheet_key: str) -> list[dict]:
        """A submission's rows of one list sheet, as typed values (months and dates as text), in order."""
        return [json.loads(r["data"]) for r in self.db.execute(
            "SELECT data FROM rows WHERE submission_id = ? AND sheet_key = ? ORDER BY rowid", (submission_id, sheet_key))]

    def sourced_rows(self, submission_id: int, sheet_key: str) -> list[ListRow]:
        """A submission's rows of one list sheet with their source (sheet and row), as typed values, in order."""
        return [ListRow(r["sheet"], r["row"], r["uscc"], r["name"], _decode_row(r["data"])) for r in self.db.execute(
            "SELECT sheet, row, uscc, name, data FROM rows WHERE submission_id = ? AND sheet_key = ? ORDER BY rowid",
            (submission_id, sheet_key))]

    def sourced_lists(self, submission_ids: list[int], sheet_keys: tuple[str, ...]) -> dict[int, dict[str, list[ListRow]]]:
        """``sourced_rows`` of many submissions and sheets at once (a national year of monthly returns: 34,000
        submissions, 1.4 million rows), in one query per 500 submissions, the rows as plain tuples."""
        lists = {i: {key: [] for key in sheet_keys} for i in submission_ids}
        cursor = self.db.cursor()
        cursor.row_factory = None
        decode = _decode_row
        keys = ", ".join("?" * len(sheet_keys))
        for start in range(0, len(submission_ids), 500):
            part = submission_ids[start:start + 500]
            for submission_id, sheet_key, sheet, number, uscc, name, data in cursor.execute(
                    "SELECT submission_id, sheet_key, sheet, row, uscc, name, data FROM rows "
                    f"WHERE submission_id IN ({', '.join('?' * len(part))}) AND sheet_key IN ({keys}) "
                    "ORDER BY submission_id, sheet_key, rowid", (*part, *sheet_keys)):  # the index's order: no sort
                lists[submission_id][sheet_key].append(ListRow(sheet, number, uscc, name, decode(data)))
        return lists

    def remember(self, submitted: Submitted) -> None:
        """The lists of a submission just recorded, so that they need not be read back."""
        self._lists[submitted.submission_id] = submitted

    def submitted(self, sub: Submission) -> Submitted:
        """A submission's entry and exit lists as the register sees them."""
        if sub.id not in self._lists:
            self._read_lists([sub])
        return self._lists[sub.id]

    def accepted(self) -> list[Submitted]:
        """The lists of every accepted submission, in the order received."""
        subs = [s for s in self.all() if s.status == SubmissionStatus.ACCEPTED]
        self._read_lists([s for s in subs if s.id not in self._lists])
        return [self._lists[s.id] for s in subs]

    def _read_lists(self, subs: list[Submission]) -> None:
        """The entry and exit lists of ``subs``, read in one query per 500 submissions (a national workspace holds
        half a million rows); the rows come as plain tuples, unpacked by the names the SELECT gives them."""
        lists = {sub.id: {key: [] for key in LIST_KEYS} for sub in subs}
        ids = list(lists)
        cursor = self.db.cursor()
        cursor.row_factory = None
        decode = _decode_row
        keys = ", ".join("?" * len(LIST_KEYS))
        for start in range(0, len(ids), 500):
            part = ids[start:start + 500]
            for submission_id, sheet_key, sheet, number, uscc, name, data in cursor.execute(
                    "SELECT submission_id, sheet_key, sheet, row, uscc, name, data FROM rows "
                    f"WHERE submission_id IN ({', '.join('?' * len(part))}) AND sheet_key IN ({keys}) "
                    "ORDER BY submission_id, sheet_key, rowid", (*part, *LIST_KEYS)):  # the index's order: no sort
                lists[submission_id][sheet_key].append(ListRow(sheet, number, uscc, name, decode(data)))
        for sub in subs:
            entries, exits = (listings_of(key, lists[sub.id][key], sub.county, sub.period, sub.file_name, sub.sha256)
                              for key in LIST_KEYS)
            self._lists[sub.id] = Submitted(sub.id, sub.county, sub.period, sub.file_name, sub.sha256, entries, exits)
