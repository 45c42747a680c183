"""Which of a county's files for a period counts, when it sent more than one (同一单位同一报送期的多个文件).

The workbook's own saved time decides (docProps, written by Excel, WPS and LibreOffice on every save and kept
by chat apps and mail, which reset a file's modification time at download); when any of the files lacks it,
the order of first receipt does. The file system's time alone never decides. The city may take another file
explicitly; that choice stands over the rule and is kept in the audit trail.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol, Sequence

BEIJING = dt.timedelta(hours=8)  # saved times are kept in UTC; clerks read them in Beijing time


class Received(Protocol):
    id: int
    sha256: str
    file_name: str
    received_at: str
    saved_at: str


@dataclass(frozen=True)
class Pick:
    current: Received
    reason: str  # why this file counts, in words for the clerk


def beijing(saved_at: str) -> str:
    when = dt.datetime.fromisoformat(saved_at) + BEIJING
    return f"{when:%Y-%m-%d %H:%M}"


def pick_current(candidates: Sequence[Received], chosen_sha256: str = "", chosen_at: str = "") -> Pick:
    """The file that counts among ``candidates`` (one county, one period), and why."""
    chosen = next((c for c in candidates if chosen_sha256 and c.sha256 == chosen_sha256), None)
    if chosen is not None:
        return Pick(chosen, f"市里于 {chosen_at} 指定以“{chosen.file_name}”为准")
    if len(candidates) == 1:
        return Pick(candidates[0], "")
    if all(c.saved_at for c in candidates):
        best = max(candidates, key=lambda c: (c.saved_at, c.received_at, c.id))
        return Pick(best, f"以工作簿保存时间最晚的“{best.file_name}”为准（保存于 {beijing(best.saved_at)}）")
    best = max(candidates, key=lambda c: (c.received_at, c.id))
    return Pick(best, f"以最后收到的“{best.file_name}”为准（{best.received_at} 收到；"
                      "有的文件没有记录保存时间，无法按保存时间比较）")
