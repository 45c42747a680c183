"""Which files a county sent for a period, and which of them counts when it sent more than one.

A file's name is evidence of what it was sent as (``named_county``, ``named_period``): a workbook that cannot
be read, or last period's workbook sent again under this period's name, is still this county's submission for
this period — received and returned, never 未报送.

Of several files (同一单位同一报送期的多个文件), a readable workbook before one that cannot be read, a cover of
this period before another period's (last period's workbook sent again under this period's name loses to the
correction, whenever each was saved); then the workbook's own saved time decides (docProps, written by Excel, WPS
and LibreOffice on every save and kept by chat apps and mail, which reset a file's modification time at download);
when any of the files lacks it, the order of first receipt does, and so it does when the latest saved times are
seconds apart. The file system's time alone never decides. Files are named by their path inside the inbox, so that
two of one name are told apart. The city may take another file explicitly; that choice stands over the rule and is
kept in the audit trail.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol, Sequence

from toolkit.domain.figures import CountyStatus
from toolkit.domain.periods import Period
from toolkit.domain.policy import Policy


class SubmissionStatus(StrEnum):
    """What became of a file the city received, as the store keeps it (one vocabulary; its Chinese in ``label``)."""

    RECEIVED = "received"  # recorded, not yet judged
    ACCEPTED = "accepted"  # the county's file that counts for the period
    REJECTED = "rejected"  # returned to the county with what to correct
    SUPERSEDED = "superseded"  # another file of the county for the period counts instead
    ADJUSTMENT = "adjustment"  # received for a closed period: recorded, never replacing the signed figures

    @property
    def label(self) -> str:
        """The state in the words every door shows (an accepted or returned file in the words of the county's
        status: 已受理, 被退回)."""
        return _LABELS[self]

    @property
    def judged(self) -> bool:
        """The file is the one that decides the county's status for its period (accepted or returned)."""
        return self in (SubmissionStatus.ACCEPTED, SubmissionStatus.REJECTED)


_LABELS = {SubmissionStatus.RECEIVED: "已收到", SubmissionStatus.ACCEPTED: CountyStatus.ACCEPTED.value,
           SubmissionStatus.REJECTED: CountyStatus.REJECTED.value, SubmissionStatus.SUPERSEDED: "已被后来收到的文件替换",
           SubmissionStatus.ADJUSTMENT: "封账后收到，作为调整记录"}


@dataclass(frozen=True)
class Submission:
    """A file received for a county and a period, as the store keeps it."""

    id: int
    sha256: str
    file_name: str  # its path inside the inbox
    county: str
    period: Period
    received_at: str  # when the store first saw it
    file_mtime: str  # the file's modification time then
    status: SubmissionStatus
    superseded_by: int | None
    status_note: str
    saved_at: str  # when the workbook says it was last saved, "" when it does not


@dataclass(frozen=True)
class Choice:
    """The city's choice of one county's file for a period, over the usual rule."""

    county: str
    sha256: str
    decided_at: str
    note: str


@dataclass(frozen=True)
class Closure:
    """A closed period (封账): its figures were issued and must not change."""

    closed_at: str
    reason: str
    policy_sha256: str
    attributions: dict  # (USCC, year) -> county, as decided when the period was closed


class Received(Protocol):
    id: int
    sha256: str
    file_name: str
    received_at: str
    saved_at: str


@dataclass(frozen=True)
class Candidate:
    """One of a county's files for a period, with what the ranking needs to know of it beyond the store's row."""

    row: Received
    readable: bool = True  # False: the file could not be read (E000): it never outranks one that could
    this_period: bool = True  # False: its cover says another period (E005: last period's workbook, renamed)

    id = property(lambda self: self.row.id)
    sha256 = property(lambda self: self.row.sha256)
    file_name = property(lambda self: self.row.file_name)
    received_at = property(lambda self: self.row.received_at)
    saved_at = property(lambda self: self.row.saved_at)


@dataclass(frozen=True)
class Pick:
    current: Received
    reason: str  # why this file counts, in words for the clerk


TIE_SECONDS = 10  # saved times this close say nothing of which is the correction (two saves of one edit)


def saved_time(saved_at: str) -> str:
    """A workbook's saved time (kept in UTC, as docProps has it) on this machine's clock — the clock the store's
    receipt times are on, so that the two read side by side in one sentence or table agree (Beijing time on an
    office PC set to China's time zone)."""
    when = dt.datetime.fromisoformat(saved_at).replace(tzinfo=dt.timezone.utc).astimezone()
    return f"{when:%Y-%m-%d %H:%M}"


def _names(files: Sequence) -> str:
    return "、".join(f"“{f.file_name}”" for f in files)


def pick_current(candidates: Sequence[Received | Candidate], chosen_sha256: str = "", chosen_at: str = "") -> Pick:
    """The file that counts among ``candidates`` (one county, one period), and why: the city's choice; else a
    readable workbook over one that cannot be read, a cover of this period over another period's, then the latest
    saved workbook, then the latest receipt. Saved times within TIE_SECONDS of each other decide nothing: then
    the latest receipt does, and the reason says so. ``current`` is the store's row (a Candidate's ``row``)."""
    chosen = next((c for c in candidates if chosen_sha256 and c.sha256 == chosen_sha256), None)
    if chosen is not None:
        return Pick(_row(chosen), f"市里于 {chosen_at} 指定以“{chosen.file_name}”为准")
    if len(candidates) == 1:
        return Pick(_row(candidates[0]), "")
    pool, said = list(candidates), []
    readable = [c for c in pool if getattr(c, "readable", True)]
    if readable and len(readable) < len(pool):
        said.append(f"{_names([c for c in pool if c not in readable])}无法读取")
        pool = readable
    this_period = [c for c in pool if getattr(c, "this_period", True)]
    if this_period and len(this_period) < len(pool):
        said.append(f"{_names([c for c in pool if c not in this_period])}的封面是其他报送期")
        pool = this_period
    if len(pool) == 1:
        return Pick(_row(pool[0]), "，".join(said) + f"，以“{pool[0].file_name}”为准")
    lead = "，".join(said) + "；其余文件中" if said else ""
    if all(c.saved_at for c in pool):
        ranked = sorted(pool, key=lambda c: (c.saved_at, c.received_at, c.id), reverse=True)
        best, runner_up = ranked[0], ranked[1]
        gap = (dt.datetime.fromisoformat(best.saved_at) - dt.datetime.fromisoformat(runner_up.saved_at)).total_seconds()
        if gap > TIE_SECONDS:
            return Pick(_row(best), f"{lead}以工作簿保存时间最晚的“{best.file_name}”为准（保存于 {saved_time(best.saved_at)}）")
        close = [c for c in ranked if (dt.datetime.fromisoformat(best.saved_at)
                                       - dt.datetime.fromisoformat(c.saved_at)).total_seconds() <= TIE_SECONDS]
        last = max(close, key=lambda c: (c.received_at, c.id))
        return Pick(_row(last), f"{lead}{_names(close)}的保存时间相差不到 {TIE_SECONDS} 秒（均为 {saved_time(best.saved_at)} 前后），"
                                f"无法据此判断哪个是更正件，以最后收到的“{last.file_name}”为准（{last.received_at} 收到）；"
                                "如不对，市里可指定以哪个文件为准")
    best = max(pool, key=lambda c: (c.received_at, c.id))
    return Pick(_row(best), f"{lead}以最后收到的“{best.file_name}”为准（{best.received_at} 收到；"
                            "有的文件没有记录保存时间，无法按保存时间比较）")


def _row(candidate: Received | Candidate) -> Received:
    return candidate.row if isinstance(candidate, Candidate) else candidate


def own_name(file_name: str) -> str:
    """The last part of a name that may be a path inside the inbox ("攸县/攸县_2024-03_….xlsx")."""
    return re.split(r"[/\\]", file_name)[-1]


_NAMED_PERIODS = (
    re.compile(r"(20\d{2})\s*年\s*(?:1\s*[-—－~～至到]\s*)?(\d{1,2})\s*月"),  # 2022年6月, 2022年1-6月
    re.compile(r"(20\d{2})[-_.](\d{1,2})(?!\d)"),  # 2022-06, 2022_6, 2022.06
    re.compile(r"(?<!\d)(20\d{2})(\d{2})(?!\d)"),  # 202206
)


def named_period(file_name: str) -> Period | None:
    """The period a file's name gives (天元区_2022-06_规上工业企业报表.xlsx, 2022年1-6月报表.xlsx), if any; of a
    path inside the inbox, only the file's own name counts (a folder "2023年12月" says nothing of the file)."""
    for pattern in _NAMED_PERIODS:
        match = pattern.search(own_name(file_name))
        if match and 1 <= int(match.group(2)) <= 12:
            return Period(int(match.group(1)), int(match.group(2)))
    return None


def named_county(policy: Policy, file_name: str) -> str:
    """The county a file's name gives (its name or an alias; the longest that matches), or ''."""
    name = re.sub(r"\s+", "", own_name(file_name))
    found = [(len(alias), county.name) for county in policy.counties
             for alias in (county.name, *county.aliases) if re.sub(r"\s+", "", alias) in name]
    return max(found)[1] if found else ""
