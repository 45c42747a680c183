"""Which files a county sent for a period, and which of them counts when it sent more than one.

A file's name is evidence of what it was sent as (``named_county``, ``named_period``): a workbook that cannot
be read, or last period's workbook sent again under this period's name, is still this county's submission for
this period — received and returned, never 未报送.

Of several files (同一单位同一报送期的多个文件), a readable workbook before one that cannot be read; then the
workbook's own saved time decides (docProps, written by Excel, WPS and LibreOffice on every save and kept by
chat apps and mail, which reset a file's modification time at download); when any of the files lacks it, the
order of first receipt does. The file system's time alone never decides. The city may take another file
explicitly; that choice stands over the rule and is kept in the audit trail.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Protocol, Sequence

from toolkit.domain.periods import Period
from toolkit.domain.policy import Policy

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


_NAMED_PERIODS = (
    re.compile(r"(20\d{2})\s*年\s*(?:1\s*[-—－~～至到]\s*)?(\d{1,2})\s*月"),  # 2022年6月, 2022年1-6月
    re.compile(r"(20\d{2})[-_.](\d{1,2})(?!\d)"),  # 2022-06, 2022_6, 2022.06
    re.compile(r"(?<!\d)(20\d{2})(\d{2})(?!\d)"),  # 202206
)


def named_period(file_name: str) -> Period | None:
    """The period a file's name gives (天元区_2022-06_规上工业企业报表.xlsx, 2022年1-6月报表.xlsx), if any."""
    for pattern in _NAMED_PERIODS:
        match = pattern.search(file_name)
        if match and 1 <= int(match.group(2)) <= 12:
            return Period(int(match.group(1)), int(match.group(2)))
    return None


def named_county(policy: Policy, file_name: str) -> str:
    """The county a file's name gives (its name or an alias; the longest that matches), or ''."""
    name = re.sub(r"\s+", "", file_name)
    found = [(len(alias), county.name) for county in policy.counties
             for alias in (county.name, *county.aliases) if re.sub(r"\s+", "", alias) in name]
    return max(found)[1] if found else ""
