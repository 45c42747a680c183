"""What the repositories share: records built from rows by column name, a row's values as JSON, the meta table."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import fields

from toolkit.domain.periods import Period


def record(cls, row: sqlite3.Row, **values):
    """A record built from a row by column name: every field of ``cls`` not given in ``values`` must be a column."""
    return cls(**{f.name: row[f.name] for f in fields(cls) if f.name not in values}, **values)


def period_text(period: Period | None) -> str | None:
    """A period as the store writes it (None stays None: no condition); a period arrives as a ``Period``."""
    if period is None:
        return None
    if not isinstance(period, Period):
        raise TypeError(f"a period is passed to the store as a Period, not {type(period).__name__} {period!r}")
    return str(period)


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


class Meta:
    """The meta table: small JSON documents by key (what was imported when, reminders, judgments)."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def get(self, key: str) -> dict | list | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return json.loads(row["value"]) if row else None

    def set(self, key: str, value: dict | list) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, json.dumps(value, ensure_ascii=False)))

    def keys_like(self, pattern: str) -> list[str]:
        return [r["key"] for r in self.db.execute("SELECT key FROM meta WHERE key LIKE ?", (pattern,))]

    def delete_like(self, pattern: str) -> None:
        self.db.execute("DELETE FROM meta WHERE key LIKE ?", (pattern,))
