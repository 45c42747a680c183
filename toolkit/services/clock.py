"""Now, as the store and the journal record times (to the second)."""

from __future__ import annotations

import datetime as dt


def now_text() -> str:
    """Now, to the second, as the store records times."""
    return dt.datetime.now().replace(microsecond=0).isoformat(sep=" ")
