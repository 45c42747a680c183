"""Finding a table inside a sheet's 2-D array of values, with tolerant header matching.

Sheets arrive as lists of rows starting at A1 (whatever the reader); indexes here are 0-based and
turned into 1-based worksheet rows only when a finding is made.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from typing import Sequence

from toolkit.domain.text import normalise_name

Rows = Sequence[Sequence[object]]

_UNIT_SUFFIX = re.compile(r"\([^)]*\)$")


def header_key(text: object) -> str:
    """Header text compared loosely: no spaces, half-width brackets."""
    return _text_key(text) if type(text) is str else normalise_name(text)


@functools.lru_cache(maxsize=8192)
def _text_key(text: str) -> str:
    return normalise_name(text)  # the same headers and labels come in every county's workbook


def _without_unit(key: str) -> str:
    return _UNIT_SUFFIX.sub("", key)


@dataclass(frozen=True)
class HeaderMatch:
    row: int  # 0-based index of the header row
    columns: dict[str, int]  # column key -> 0-based column index
    missing: tuple[str, ...]  # keys whose header was not found


def match_headers(rows: Rows, wanted: Sequence[tuple[str, Sequence[str]]], scan: int = 12) -> HeaderMatch | None:
    """Locate the header row: the row among the first ``scan`` that names most of ``wanted``.

    ``wanted`` is (key, accepted header texts); a header also matches without its unit suffix
    ("主营业务收入（万元）" ~ "主营业务收入"). None when no row names at least two of them.
    """
    exact, loose = _wanted_keys(tuple((key, tuple(names)) for key, names in wanted))
    best: HeaderMatch | None = None
    for index, row in enumerate(rows[:scan]):
        found: dict[str, int] = {}
        for col, value in enumerate(row):
            text = header_key(value)
            if not text:
                continue
            key = exact.get(text) or loose.get(_without_unit(text))
            if key and key not in found:
                found[key] = col
        if len(found) >= 2 and (best is None or len(found) > len(best.columns)):
            missing = tuple(k for k, _ in wanted if k not in found)
            best = HeaderMatch(index, found, missing)
    return best


@functools.lru_cache(maxsize=64)
def _wanted_keys(wanted: tuple[tuple[str, tuple[str, ...]], ...]) -> tuple[dict[str, str], dict[str, str]]:
    """The header texts that name each key, exactly and without a unit suffix (read only: shared between calls)."""
    exact: dict[str, str] = {}
    loose: dict[str, str] = {}
    for key, names in wanted:
        for name in names:
            exact.setdefault(header_key(name), key)
            loose.setdefault(_without_unit(header_key(name)), key)
    return exact, loose


def cell(rows: Rows, row: int, col: int) -> object:
    """The value at 0-based (row, col), None beyond the array."""
    if row < len(rows) and col < len(rows[row]):
        return rows[row][col]
    return None


def find_label(rows: Rows, label: str, col: int = 0) -> int | None:
    """0-based index of the row whose column ``col`` holds ``label`` (loosely, unit suffix ignored)."""
    key = header_key(label)
    for index, row in enumerate(rows):
        text = header_key(row[col]) if col < len(row) else ""
        if text and (text == key or _without_unit(text) == _without_unit(key)):
            return index
    return None


def labelled_json(rows: Rows, label: str, version: int) -> dict | None:
    """The JSON object in the cell beside ``label`` (a stamp sheet's carried policy, a summary's digest) when it is
    of format ``version``; None when the row is absent, or holds what cannot be read or another format."""
    index = find_label(rows, label)
    if index is None:
        return None
    try:
        data = json.loads(str(cell(rows, index, 1) or ""))
    except ValueError:
        return None
    return data if isinstance(data, dict) and data.get("format") == version else None
