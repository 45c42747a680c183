"""The workspace store: SQLite, in the workspace folder, with transactions and a schema version.

It keeps every submission received (file, SHA-256, county, period, time, status, findings), every
row of every checked submission with its source (so accepted figures are traceable to file, sheet
and row), the city's attribution decisions, and the register derived from the accepted lists.
A run writes inside one transaction: it lands whole or not at all.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass, fields
from decimal import Decimal
from pathlib import Path
from typing import Iterable, Iterator

from toolkit.domain.calendar import Reminder
from toolkit.domain.findings import Finding, Level
from toolkit.domain.gbt9704 import DocNumber
from toolkit.domain.periods import Period
from toolkit.domain.register import LIST_KEYS, RegisterRow, Submitted, listings_of
from toolkit.domain.register_list import ConfirmedChange, StartingFirm
from toolkit.domain.report import CountyReport
from toolkit.domain.rewards import BatchRecord, Exclusion, LedgerEntry, Mismatch, RewardLine, TaxFigure

SCHEMA_VERSION = 5

ACCEPTED, REJECTED, SUPERSEDED, RECEIVED = "accepted", "rejected", "superseded", "received"
ADJUSTMENT = "adjustment"  # received for a closed period: recorded, never replacing the signed figures

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE submissions (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL,           -- one file may be received for two periods (last period's, sent again)
    file_name TEXT NOT NULL,
    county TEXT NOT NULL,
    period TEXT NOT NULL,
    received_at TEXT NOT NULL,      -- when the store first saw the file
    file_mtime TEXT NOT NULL,       -- the file's modification time then
    status TEXT NOT NULL,           -- received | accepted | rejected | superseded
    superseded_by INTEGER REFERENCES submissions(id),
    status_note TEXT NOT NULL DEFAULT '',
    saved_at TEXT NOT NULL DEFAULT '',  -- when the workbook says it was last saved (docProps), '' if it does not
    UNIQUE (sha256, period)
);
CREATE INDEX submissions_by_period ON submissions(period, county);
CREATE TABLE choices (               -- the city's choice of one county's file for a period, over the usual rule
    period TEXT NOT NULL, county TEXT NOT NULL, sha256 TEXT NOT NULL, decided_at TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '', PRIMARY KEY (period, county)
);
CREATE TABLE sent_back (             -- the results workbook written for a submission (never written over)
    submission_id INTEGER PRIMARY KEY REFERENCES submissions(id), file TEXT NOT NULL, written_at TEXT NOT NULL
);
CREATE TABLE findings (
    submission_id INTEGER NOT NULL REFERENCES submissions(id),
    origin TEXT NOT NULL,           -- file: the workbook's own checks, cross: against other files
    code TEXT NOT NULL, level TEXT NOT NULL, sheet TEXT NOT NULL, row INTEGER, column_name TEXT NOT NULL,
    cell TEXT NOT NULL, value TEXT NOT NULL, message TEXT NOT NULL, explained INTEGER NOT NULL,
    advisory INTEGER NOT NULL
);
CREATE INDEX findings_by_submission ON findings(submission_id, origin);
CREATE TABLE rows (
    submission_id INTEGER NOT NULL REFERENCES submissions(id),
    sheet_key TEXT NOT NULL,        -- entries | exits | pool | at_risk | ledger
    sheet TEXT NOT NULL,
    row INTEGER NOT NULL,           -- 1-based worksheet row in the county file
    uscc TEXT NOT NULL,
    name TEXT NOT NULL,
    data TEXT NOT NULL              -- the row's typed values as JSON
);
CREATE INDEX rows_by_submission ON rows(submission_id, sheet_key);
CREATE TABLE attributions (         -- 待认定: the city's decision on a firm claimed by two counties
    uscc TEXT NOT NULL, year INTEGER NOT NULL, county TEXT NOT NULL, decided_at TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '', PRIMARY KEY (uscc, year)
);
CREATE TABLE starting_register (    -- the statistics office's list at the plan's start (imported in #4)
    uscc TEXT PRIMARY KEY, name TEXT NOT NULL, county TEXT NOT NULL, source TEXT NOT NULL
);
CREATE TABLE register (             -- derived from the accepted lists after every run
    uscc TEXT NOT NULL, name TEXT NOT NULL, county TEXT NOT NULL, entry_period TEXT NOT NULL,
    entry_kind TEXT NOT NULL, entry_source TEXT NOT NULL, exit_period TEXT NOT NULL, exit_reason TEXT NOT NULL,
    exit_source TEXT NOT NULL
);
CREATE INDEX register_by_uscc ON register(uscc);
CREATE TABLE confirmed (            -- the statistics office's confirmed entries and exits, year to date
    period TEXT NOT NULL, uscc TEXT NOT NULL, name TEXT NOT NULL, county TEXT NOT NULL,
    change TEXT NOT NULL, month TEXT NOT NULL, source TEXT NOT NULL, kind TEXT NOT NULL DEFAULT ''
);
CREATE INDEX confirmed_by_period ON confirmed(period);
CREATE TABLE doc_numbers (          -- 发文字号 allocated by the tool (--number): never twice
    prefix TEXT NOT NULL, year INTEGER NOT NULL, number INTEGER NOT NULL, doc_type TEXT NOT NULL,
    period TEXT NOT NULL, assigned_at TEXT NOT NULL,
    UNIQUE (prefix, year, number), UNIQUE (doc_type, period)
);
CREATE TABLE closures (             -- 封账: periods whose figures were issued and must not change
    period TEXT PRIMARY KEY, closed_at TEXT NOT NULL, reason TEXT NOT NULL,
    policy_sha256 TEXT NOT NULL,        -- the policy workbook in force then (kept in the archive)
    attributions TEXT NOT NULL          -- the attribution decisions in force then, as JSON
);
CREATE TABLE taxes (                -- the tax office's tax formed in a year, per USCC (万元, exact text)
    year INTEGER NOT NULL, uscc TEXT NOT NULL, name TEXT NOT NULL, tax_wan TEXT NOT NULL, source TEXT NOT NULL,
    PRIMARY KEY (year, uscc)
);
CREATE TABLE reward_batches (       -- 奖励资金批次: approved together, paid together
    id INTEGER PRIMARY KEY, year INTEGER NOT NULL, seq INTEGER NOT NULL, approved_at TEXT NOT NULL,
    policy_sha256 TEXT NOT NULL, total INTEGER NOT NULL,
    paid_at TEXT NOT NULL DEFAULT '', paid_on TEXT NOT NULL DEFAULT '', paid_note TEXT NOT NULL DEFAULT '',
    exclusions TEXT NOT NULL,       -- JSON: who was not paid in this batch and why
    mismatches TEXT NOT NULL,       -- JSON: differences with the statistics and tax offices' figures
    UNIQUE (year, seq)
);
CREATE TABLE reward_lines (         -- the ledger: one tranche of one enterprise, never twice
    batch_id INTEGER NOT NULL REFERENCES reward_batches(id),
    uscc TEXT NOT NULL, name TEXT NOT NULL, county TEXT NOT NULL, kind TEXT NOT NULL,
    entry_year INTEGER NOT NULL, entry_month TEXT NOT NULL, tranche INTEGER NOT NULL,
    amount INTEGER NOT NULL, city_amount INTEGER NOT NULL, payable INTEGER NOT NULL,
    city_standard INTEGER NOT NULL, county_standard INTEGER NOT NULL, rule TEXT NOT NULL, source TEXT NOT NULL,
    tax_wan TEXT NOT NULL, second INTEGER NOT NULL, second_city INTEGER NOT NULL,
    UNIQUE (uscc, entry_year, tranche)
);
"""

_REWARD_TABLES = _SCHEMA[_SCHEMA.index("CREATE TABLE taxes"):]

# schema version -> statements that bring a store of that version to the next one
_MIGRATIONS = {
    1: ["CREATE TABLE closures (period TEXT PRIMARY KEY, closed_at TEXT NOT NULL, reason TEXT NOT NULL, "
        "policy_sha256 TEXT NOT NULL, attributions TEXT NOT NULL)",
        "CREATE TABLE confirmed (period TEXT NOT NULL, uscc TEXT NOT NULL, name TEXT NOT NULL, county TEXT NOT NULL, "
        "change TEXT NOT NULL, month TEXT NOT NULL, source TEXT NOT NULL)",
        "CREATE INDEX confirmed_by_period ON confirmed(period)",
        "CREATE TABLE doc_numbers (prefix TEXT NOT NULL, year INTEGER NOT NULL, number INTEGER NOT NULL, "
        "doc_type TEXT NOT NULL, period TEXT NOT NULL, assigned_at TEXT NOT NULL, UNIQUE (prefix, year, number), "
        "UNIQUE (doc_type, period))"],
    2: ["ALTER TABLE confirmed ADD COLUMN kind TEXT NOT NULL DEFAULT ''",
        *[statement for statement in _REWARD_TABLES.split(";") if statement.strip()]],
    # a submission is unique by (file, period), no longer by file: the table is rebuilt (SQLite cannot drop a
    # constraint), with foreign keys off around it as SQLite prescribes (see _migrate)
    3: ["CREATE TABLE submissions_v4 (id INTEGER PRIMARY KEY, sha256 TEXT NOT NULL, file_name TEXT NOT NULL, "
        "county TEXT NOT NULL, period TEXT NOT NULL, received_at TEXT NOT NULL, file_mtime TEXT NOT NULL, "
        "status TEXT NOT NULL, superseded_by INTEGER REFERENCES submissions(id), status_note TEXT NOT NULL DEFAULT '', "
        "saved_at TEXT NOT NULL DEFAULT '', UNIQUE (sha256, period))",
        "INSERT INTO submissions_v4 (id, sha256, file_name, county, period, received_at, file_mtime, status, "
        "superseded_by, status_note) SELECT id, sha256, file_name, county, period, received_at, file_mtime, status, "
        "superseded_by, status_note FROM submissions",
        "DROP TABLE submissions",
        "ALTER TABLE submissions_v4 RENAME TO submissions",
        "CREATE INDEX submissions_by_period ON submissions(period, county)",
        "CREATE TABLE choices (period TEXT NOT NULL, county TEXT NOT NULL, sha256 TEXT NOT NULL, decided_at TEXT NOT NULL, "
        "note TEXT NOT NULL DEFAULT '', PRIMARY KEY (period, county))"],
    # which results workbook went back for which submission: results are numbered, never written over
    4: ["CREATE TABLE sent_back (submission_id INTEGER PRIMARY KEY REFERENCES submissions(id), file TEXT NOT NULL, "
        "written_at TEXT NOT NULL)"],
}
_REBUILDS_TABLES = {3}  # migrations that rebuild a table others refer to


class StoreError(Exception):
    """The store cannot be used (newer schema, damaged file, busy); the message is for the user."""


@dataclass(frozen=True)
class Closure:
    closed_at: str
    reason: str
    policy_sha256: str
    attributions: dict  # (USCC, year) -> county, as decided when the period was closed


@dataclass(frozen=True)
class SubmissionRow:
    id: int
    sha256: str
    file_name: str
    county: str
    period: str
    received_at: str
    file_mtime: str
    status: str
    superseded_by: int | None
    status_note: str
    saved_at: str


@dataclass(frozen=True)
class Choice:
    county: str
    sha256: str
    decided_at: str
    note: str


def _record(cls, row: sqlite3.Row, **values):
    """A record built from a row by column name: every field of ``cls`` not given in ``values`` must be a column."""
    return cls(**{f.name: row[f.name] for f in fields(cls) if f.name not in values}, **values)


_REGISTER_COLUMNS = ", ".join(RegisterRow._fields)
_FINDING_COLUMNS = "code, level, message, sheet, row, column_name, cell, value, explained, advisory"


def _json_default(value: object) -> str:
    if isinstance(value, Period):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


# json.JSONEncoder(ensure_ascii=False, default=_json_default).encode, whose every call makes its C encoder anew (a
# third of the time for a row of ten values): made once, without the circular-reference check (a row's values
# are flat). tests/integration/test_store_reads.py holds it to JSONEncoder on random rows.
_ENCODER = json.encoder.c_make_encoder(None, _json_default, json.encoder.encode_basestring, None, ": ", ", ", False,
                                       False, True) if json.encoder.c_make_encoder is not None else None


def _ENCODE(values: dict) -> str:
    if _ENCODER is None:
        return json.JSONEncoder(ensure_ascii=False, default=_json_default).encode(values)
    return "".join(_ENCODER(values, 0))


_SCAN = json.JSONDecoder().scan_once


def _decode_row(data: str) -> dict:
    """A row's values as _ENCODE wrote them: json's own scanner, without the white-space passes of json.loads
    (half a million rows in a national workspace); anything else (text around the object) through json.loads."""
    try:
        values, end = _SCAN(data, 0)
    except StopIteration:
        return json.loads(data)
    return values if end == len(data) else json.loads(data)


class Store:
    def __init__(self, connection: sqlite3.Connection, path: Path):
        self.db = connection
        self.path = path
        self._lists: dict[int, Submitted] = {}  # a submission's rows never change once recorded

    # --- opening -----------------------------------------------------------------------------
    @classmethod
    def open(cls, path: Path, *, create: bool = False) -> "Store":
        path = Path(path)
        if not path.exists() and not create:
            raise StoreError(f"找不到数据库“{path}”：这个文件夹还不是工作区，或数据库文件被移走了。")
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            connection = sqlite3.connect(str(path), isolation_level=None, timeout=10)
            # reads by column name (the two bulk readers unpack plain tuples by the names their SELECT gives)
            connection.row_factory = sqlite3.Row
            connection.execute("PRAGMA foreign_keys = ON")
            version = connection.execute("PRAGMA user_version").fetchone()["user_version"]
        except sqlite3.DatabaseError:
            raise StoreError(f"数据库“{path.name}”已损坏或不是本工具的数据库。") from None
        store = cls(connection, path)
        if version == 0:
            tables = connection.execute("SELECT count(*) AS tables FROM sqlite_master").fetchone()["tables"]
            if tables:
                connection.close()
                raise StoreError(f"“{path.name}”不是本工具的数据库。")
            with store.transaction():
                for statement in _SCHEMA.split(";"):  # not executescript: it would commit midway
                    if statement.strip():
                        connection.execute(statement)
                connection.execute("INSERT INTO meta VALUES ('created_at', ?)", (now_text(),))
                connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        elif version > SCHEMA_VERSION:
            connection.close()
            raise StoreError(f"数据库由更新版本的工具建立（结构版本 {version}，本工具支持 {SCHEMA_VERSION}）。请升级工具。")
        elif version < SCHEMA_VERSION:
            store._migrate(version)
        return store

    def _migrate(self, version: int) -> None:
        """Bring an older store up to date, one version at a time, each step in one transaction. A step that
        rebuilds a table runs with foreign keys off and checks them before it commits (SQLite's procedure)."""
        while version < SCHEMA_VERSION:
            rebuilds = version in _REBUILDS_TABLES
            if rebuilds:
                self.db.execute("PRAGMA foreign_keys = OFF")  # only outside a transaction
            try:
                with self.transaction():
                    for statement in _MIGRATIONS[version]:
                        self.db.execute(statement)
                    if rebuilds and self.db.execute("PRAGMA foreign_key_check").fetchone() is not None:
                        raise StoreError("数据库升级时发现数据不一致，已撤销升级。请联系维护人员。")
                    version += 1
                    self.db.execute(f"PRAGMA user_version = {version}")
            finally:
                if rebuilds:
                    self.db.execute("PRAGMA foreign_keys = ON")

    def close(self) -> None:
        self.db.close()

    def backup(self, target: Path) -> Path:
        """A consistent copy of the whole store (SQLite online backup), verified before it counts."""
        target = Path(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        temp = target.with_name(target.name + ".part")
        copy = sqlite3.connect(str(temp))
        try:
            self.db.backup(copy)
            verdict = copy.execute("PRAGMA quick_check").fetchone()[0]  # a fresh connection: its one column
        finally:
            copy.close()
        if verdict != "ok":
            temp.unlink(missing_ok=True)
            raise StoreError(f"数据库备份校验未通过（{verdict}）。请勿继续写入，并联系维护人员。")
        os.replace(temp, target)
        return target

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All or nothing; BEGIN IMMEDIATE takes the write lock at once."""
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            if "locked" in str(error) or "busy" in str(error):
                raise StoreError("数据库正被另一个程序写入，请稍后再试。") from None
            raise
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        else:
            self.db.execute("COMMIT")

    @property
    def schema_version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()["user_version"]

    # --- submissions -------------------------------------------------------------------------
    def submission_by_hash(self, sha256: str, period: str | None = None) -> SubmissionRow | None:
        """The file received for ``period`` (or, without one, the first time it was received at all)."""
        row = self.db.execute("SELECT * FROM submissions WHERE sha256 = ? AND (? IS NULL OR period = ?) ORDER BY id",
                              (sha256, period, period)).fetchone()
        return _record(SubmissionRow, row) if row else None

    def add_submission(self, *, sha256: str, file_name: str, county: str, period: str, received_at: str,
                       file_mtime: str, saved_at: str = "") -> int:
        cursor = self.db.execute(
            "INSERT INTO submissions (sha256, file_name, county, period, received_at, file_mtime, status, saved_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (sha256, file_name, county, period, received_at, file_mtime, RECEIVED, saved_at))
        return cursor.lastrowid

    def choose(self, period: str, county: str, sha256: str, at: str, note: str = "") -> None:
        """The city takes this file for the county and period, whatever the usual rule would take."""
        self.db.execute("INSERT OR REPLACE INTO choices VALUES (?, ?, ?, ?, ?)", (period, county, sha256, at, note))

    def choices(self, period: str) -> dict[str, Choice]:
        return {r["county"]: _record(Choice, r) for r in self.db.execute("SELECT * FROM choices WHERE period = ?",
                                                                        (period,))}

    def set_status(self, submission_id: int, status: str, note: str = "", superseded_by: int | None = None) -> None:
        self.db.execute("UPDATE submissions SET status = ?, status_note = ?, superseded_by = ? WHERE id = ?",
                        (status, note, superseded_by, submission_id))

    def submissions(self, period: str | None = None, county: str | None = None) -> list[SubmissionRow]:
        sql, args = "SELECT * FROM submissions WHERE 1=1", []
        if period is not None:
            sql, args = sql + " AND period = ?", [*args, period]
        if county is not None:
            sql, args = sql + " AND county = ?", [*args, county]
        return [_record(SubmissionRow, r) for r in self.db.execute(sql + " ORDER BY id", args)]

    # --- findings ----------------------------------------------------------------------------
    def record_sent_back(self, submission_id: int, file: str, at: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO sent_back VALUES (?, ?, ?)", (submission_id, file, at))

    def sent_back(self, period: str) -> dict[int, str]:
        """The results workbook's file name (in the results folder) written for each submission of ``period``."""
        return {row["submission_id"]: row["file"] for row in self.db.execute(
            "SELECT b.submission_id, b.file FROM sent_back b JOIN submissions s ON s.id = b.submission_id "
            "WHERE s.period = ?", (period,))}

    def replace_findings(self, submission_id: int, origin: str, findings: Iterable[Finding]) -> None:
        self.db.execute("DELETE FROM findings WHERE submission_id = ? AND origin = ?", (submission_id, origin))
        self.db.executemany(
            "INSERT INTO findings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(submission_id, origin, f.code, f.level.value, f.sheet, f.row, f.column, f.cell, f.value, f.message,
              int(f.explained), int(f.advisory)) for f in findings])

    def findings(self, submission_id: int, file: str = "", origin: str | None = None) -> list[Finding]:
        """A submission's findings: the workbook's own first, then those found across files."""
        return self._findings_by_id({submission_id: file}, origin)[submission_id]

    def findings_of(self, rows: Iterable[SubmissionRow], *, origin: str | None = None,
                    named: bool = True) -> dict[int, list[Finding]]:
        """``findings`` of many submissions at once (one query per 500, in the same order), by submission id;
        ``origin``: only those; ``named``: each finding names its submission's file."""
        return self._findings_by_id({row.id: row.file_name if named else "" for row in rows}, origin)

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

    # --- rows --------------------------------------------------------------------------------
    @staticmethod
    def serialise_rows(report: CountyReport) -> list[tuple]:
        """A report's rows as the store keeps them (may run in a worker process)."""
        return [(key, record.sheet, record.row, str(record.values.get("uscc") or ""), str(record.values.get("name") or ""),
                 _ENCODE(record.values))
                for key, records in report.lists.items() for record in records]

    def add_rows(self, submission_id: int, rows: list[tuple]) -> None:
        """Record a submission's rows (from ``serialise_rows``)."""
        self.db.executemany("INSERT INTO rows VALUES (?, ?, ?, ?, ?, ?, ?)", [(submission_id, *row) for row in rows])

    def list_rows(self, submission_id: int, sheet_key: str) -> list[dict]:
        """A submission's rows of one list sheet, as typed values (months and dates as text), in order."""
        return [json.loads(r["data"]) for r in self.db.execute(
            "SELECT data FROM rows WHERE submission_id = ? AND sheet_key = ? ORDER BY rowid", (submission_id, sheet_key))]

    def remember(self, submitted: Submitted) -> None:
        """The lists of a submission just recorded, so that they need not be read back."""
        self._lists[submitted.submission_id] = submitted

    def submitted(self, row: SubmissionRow) -> Submitted:
        """A submission's entry and exit lists as the register sees them."""
        if row.id not in self._lists:
            self._read_lists([row])
        return self._lists[row.id]

    def _read_lists(self, subs: list[SubmissionRow]) -> None:
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
                lists[submission_id][sheet_key].append((sheet, number, uscc, name, decode(data)))
        for sub in subs:
            period = Period.parse(sub.period)
            entries, exits = (listings_of(key, lists[sub.id][key], sub.county, period, sub.file_name, sub.sha256)
                              for key in LIST_KEYS)
            self._lists[sub.id] = Submitted(sub.id, sub.county, period, sub.file_name, sub.sha256, entries, exits)

    def accepted(self) -> list[Submitted]:
        rows = [r for r in self.submissions() if r.status == ACCEPTED]
        self._read_lists([r for r in rows if r.id not in self._lists])
        return [self._lists[r.id] for r in rows]

    # --- judgments ---------------------------------------------------------------------------
    def judgment(self, period: str) -> dict | None:
        """What the period's last judgment rested on and wrote (the consolidation's memo), or None."""
        return self._meta(f"judged:{period}")

    def remember_judgment(self, period: str, memo: dict) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (f"judged:{period}", json.dumps(memo)))

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

    # --- attributions, starting list, register -------------------------------------------------
    def attributions(self) -> dict[tuple[str, int], str]:
        """(USCC, year) -> county, as decided by the city (认定归属)."""
        return {(r["uscc"], r["year"]): r["county"] for r in self.db.execute("SELECT uscc, year, county FROM attributions")}

    def set_attribution(self, uscc: str, year: int, county: str, note: str = "", at: str | None = None) -> None:
        self.db.execute("INSERT OR REPLACE INTO attributions VALUES (?, ?, ?, ?, ?)",
                        (uscc, year, county, at or now_text(), note))

    def replace_starting_register(self, firms, sha256: str, file_name: str, at: str) -> None:
        """The statistics office's list at the plan's start (一次导入一份，新的一份整体替换旧的)."""
        self.db.execute("DELETE FROM starting_register")
        self.db.executemany("INSERT INTO starting_register VALUES (?, ?, ?, ?)",
                            [(f.uscc, f.name, f.county, f"{file_name} {f.source}") for f in firms])
        info = json.dumps({"sha256": sha256, "file": file_name, "at": at, "count": len(firms)}, ensure_ascii=False)
        self.db.execute("INSERT OR REPLACE INTO meta VALUES ('starting_register', ?)", (info,))

    def close_period(self, period: str, at: str, reason: str, policy_sha256: str) -> None:
        """Close a period, keeping the attribution decisions in force now with it."""
        decided = [[u, y, c] for (u, y), c in sorted(self.attributions().items())]
        self.db.execute("INSERT INTO closures VALUES (?, ?, ?, ?, ?)",
                        (period, at, reason, policy_sha256, json.dumps(decided, ensure_ascii=False)))

    def closures(self) -> dict[str, Closure]:
        """Closed periods (封账)."""
        return {r["period"]: _record(Closure, r, attributions={(u, y): c for u, y, c in json.loads(r["attributions"])})
                for r in self.db.execute("SELECT * FROM closures")}

    def replace_confirmed(self, period: str, firms, sha256: str, file_name: str, at: str, final: bool = False) -> None:
        """The statistics office's confirmed list for a period (year to date); a new one replaces the old.
        ``final``: the office's final list of the year (终审), whose silence about a firm is evidence."""
        self.db.execute("DELETE FROM confirmed WHERE period = ?", (period,))
        self.db.executemany("INSERT INTO confirmed VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                            [(period, f.uscc, f.name, f.county, f.change, f.month, f"{file_name} {f.source}", f.kind)
                             for f in firms])
        info = json.dumps({"sha256": sha256, "file": file_name, "at": at, "count": len(firms), "final": final},
                          ensure_ascii=False)
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (f"confirmed:{period}", info))

    def confirmed_info(self, period: str) -> dict | None:
        return self._meta(f"confirmed:{period}")

    def confirmed(self, period: str) -> list[ConfirmedChange] | None:
        """The period's confirmed list, in its order; None when none was imported."""
        if self.confirmed_info(period) is None:
            return None
        return [_record(ConfirmedChange, r) for r in self.db.execute(
            "SELECT * FROM confirmed WHERE period = ? ORDER BY rowid", (period,))]

    def confirmed_periods(self, year: int) -> list[str]:
        """The periods of ``year`` with a confirmed list, in order."""
        return sorted(r["key"].split(":", 1)[1] for r in self.db.execute(
            "SELECT key FROM meta WHERE key LIKE ?", (f"confirmed:{year}-%",)))

    def restore_doc_number(self, doc_type: str, period: str, prefix: str, year: int, number: int, at: str) -> None:
        """A number given before (replayed from the journal when rebuilding)."""
        self.db.execute("INSERT OR IGNORE INTO doc_numbers VALUES (?, ?, ?, ?, ?, ?)", (prefix, year, number, doc_type,
                                                                                     period, at))

    def record_reminder(self, period: str, reminder: Reminder) -> None:
        """A 催报通知 issued for ``period`` (the same one recorded twice is kept once)."""
        kept = self._meta(f"reminders:{period}") or []
        entry = {"day": reminder.day.isoformat(), "number": reminder.number, "counties": list(reminder.counties)}
        if entry not in kept:
            kept.append(entry)
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                        (f"reminders:{period}", json.dumps(kept, ensure_ascii=False)))

    def reminders(self, period: str) -> list[Reminder]:
        return [Reminder(dt.date.fromisoformat(r["day"]), r["number"], tuple(r["counties"]))
                for r in self._meta(f"reminders:{period}") or []]

    def doc_number_given(self, doc_type: str, period: str) -> DocNumber | None:
        """The number given to this document before, if any."""
        row = self.db.execute("SELECT prefix, year, number FROM doc_numbers WHERE doc_type = ? AND period = ?",
                              (doc_type, period)).fetchone()
        return _record(DocNumber, row) if row else None

    def doc_number(self, doc_type: str, period: str, prefix: str, year: int, at: str) -> int:
        """The number of this document type for this period: the one given before, else the next free one."""
        given = self.doc_number_given(doc_type, period)
        if given:
            return given.number
        last = self.db.execute("SELECT max(number) AS last FROM doc_numbers WHERE prefix = ? AND year = ?",
                               (prefix, year)).fetchone()["last"]
        number = (last or 0) + 1
        self.db.execute("INSERT INTO doc_numbers VALUES (?, ?, ?, ?, ?, ?)", (prefix, year, number, doc_type, period, at))
        return number

    # --- the tax office's figures, the reward ledger ---------------------------------------------
    def replace_taxes(self, year: int, figures, sha256: str, file_name: str, at: str, final: bool = False) -> None:
        """The tax office's figures of a year (one list per year; a new one replaces the old, and the
        supplementary lists added to it); ``final``: the year's final figures (全年定稿)."""
        self.db.execute("DELETE FROM taxes WHERE year = ?", (year,))
        self.db.execute("DELETE FROM meta WHERE key LIKE ?", (f"taxes:{year}:supplement:%",))
        self.db.executemany("INSERT INTO taxes VALUES (?, ?, ?, ?, ?)",
                            [(year, t.uscc, t.name, f"{t.tax_wan:f}", f"{file_name} {t.source}") for t in figures])
        info = {"sha256": sha256, "file": file_name, "at": at, "count": len(figures), "final": final}
        self._set_meta(f"taxes:{year}", info)

    def mark_taxes_final(self, year: int, at: str) -> None:
        """The year's list, as imported (with its supplements), declared the year's final figures."""
        self._set_meta(f"taxes:{year}", {**(self.taxes_info(year) or {}), "final": True, "final_at": at})

    def _set_meta(self, key: str, value: dict) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, json.dumps(value, ensure_ascii=False)))

    def add_taxes(self, year: int, figures, sha256: str, file_name: str, at: str) -> None:
        """A supplementary list (补充名单): its firms join the year's list; the caller has checked that none
        of them is there already with another figure."""
        have = {t.uscc for t in self.taxes(year) or ()}
        self.db.executemany("INSERT INTO taxes VALUES (?, ?, ?, ?, ?)",
                            [(year, t.uscc, t.name, f"{t.tax_wan:f}", f"{file_name} {t.source}")
                             for t in figures if t.uscc not in have])
        info = json.dumps({"sha256": sha256, "file": file_name, "at": at, "count": len(figures)}, ensure_ascii=False)
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (f"taxes:{year}:supplement:{sha256}", info))

    def taxes_info(self, year: int) -> dict | None:
        return self._meta(f"taxes:{year}")

    def tax_supplement_info(self, year: int, sha256: str) -> dict | None:
        return self._meta(f"taxes:{year}:supplement:{sha256}")

    def taxes(self, year: int) -> list[TaxFigure] | None:
        """The tax office's figures of the year (万元, exact), in the list's order; None when none imported."""
        if self.taxes_info(year) is None:
            return None
        return [_record(TaxFigure, r, tax_wan=Decimal(r["tax_wan"])) for r in self.db.execute(
            "SELECT uscc, name, tax_wan, source FROM taxes WHERE year = ? ORDER BY rowid", (year,))]

    def _meta(self, key: str) -> dict | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return json.loads(row["value"]) if row else None

    def add_reward_batch(self, year: int, at: str, policy_sha256: str, lines, exclusions: list[dict],
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

    def reward_batches(self, year: int | None = None) -> list[BatchRecord]:
        sql = "SELECT * FROM reward_batches" + (" WHERE year = ?" if year is not None else "") + " ORDER BY year, seq"
        return [_record(BatchRecord, r, exclusions=[Exclusion(**x) for x in json.loads(r["exclusions"])],
                        mismatches=[Mismatch(**x) for x in json.loads(r["mismatches"])])
                for r in self.db.execute(sql, (year,) if year is not None else ())]

    def reward_lines(self, *, batch_id: int | None = None, entry_year: int | None = None) -> list[LedgerEntry]:
        """Ledger lines with the year and number of the batch that approved each, in the order approved."""
        sql = ("SELECT l.*, b.year AS batch_year, b.seq AS batch_seq FROM reward_lines l "
               "JOIN reward_batches b ON b.id = l.batch_id WHERE 1=1")
        args: list = []
        if batch_id is not None:
            sql, args = sql + " AND l.batch_id = ?", [*args, batch_id]
        if entry_year is not None:
            sql, args = sql + " AND l.entry_year = ?", [*args, entry_year]
        return [LedgerEntry(_record(RewardLine, r), r["batch_year"], r["batch_seq"])
                for r in self.db.execute(sql + " ORDER BY l.rowid", args)]

    def approved_keys(self) -> set[tuple[str, int, int]]:
        return {(r["uscc"], r["entry_year"], r["tranche"])
                for r in self.db.execute("SELECT uscc, entry_year, tranche FROM reward_lines")}

    def mark_paid(self, year: int, seq: int, at: str, paid_on: str, note: str) -> None:
        self.db.execute("UPDATE reward_batches SET paid_at = ?, paid_on = ?, paid_note = ? WHERE year = ? AND seq = ?",
                        (at, paid_on, note, year, seq))

    def starting_register_info(self) -> dict | None:
        return self._meta("starting_register")

    def starting_register(self) -> dict[str, StartingFirm]:
        return {r["uscc"]: _record(StartingFirm, r) for r in self.db.execute("SELECT * FROM starting_register")}

    def replace_register(self, rows: Iterable[RegisterRow]) -> None:
        """The whole register, derived anew (inside the caller's transaction); its index is built once, after
        the rows are in, not row by row."""
        self.db.execute("DROP INDEX IF EXISTS register_by_uscc")
        self.db.execute("DELETE FROM register")
        marks = ", ".join("?" * len(RegisterRow._fields))
        self.db.executemany(f"INSERT INTO register ({_REGISTER_COLUMNS}) VALUES ({marks})", rows)  # tuples, in order
        self.db.execute("CREATE INDEX register_by_uscc ON register(uscc)")

    def register(self) -> list[RegisterRow]:
        return [RegisterRow(*r) for r in self.db.execute(f"SELECT {_REGISTER_COLUMNS} FROM register ORDER BY rowid")]


def now_text() -> str:
    """Now, to the second, as the store records times."""
    return dt.datetime.now().replace(microsecond=0).isoformat(sep=" ")
