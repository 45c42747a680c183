"""The reporting calendar (报送日历, a sheet of the policy workbook): for each reporting period, the date its
report is due and how many working days a county has to send a returned report again.

``deadline`` is the last day a returned (or missing) report may still arrive: the due date plus the
resubmission working days. Working days are Monday to Friday, less the official holidays and plus the
adjusted working weekends (调休) of the 节假日 sheet (``WorkingDays``). Criticism for reporting waits until the
deadline has passed.

``kind`` (类型) tells a quarter-end report (季度报表: figures, ranks, praise and criticism) from a monthly 调度
return (月度调度: the pool, projects, at-risk firms and problem ledger updated between quarter ends, with the same
checks, intake and reminders, but no praise or criticism).

``due_period`` answers “which period is due now?” for ``check`` when no period is named: the latest period of
the calendar whose month has ended. A calendar that has run out (today more than three months past its last
period's due date) answers nothing rather than a stale period.
"""

from __future__ import annotations

import calendar as months
import datetime as dt
from dataclasses import dataclass
from typing import Sequence

from toolkit.domain.periods import Period

STALE_AFTER = dt.timedelta(days=92)

# 类型 of a reporting period: the quarter-end report (figures, ranks, praise and criticism) or the monthly 调度
# return (the pipeline lists updated between quarter ends; no praise or criticism is issued on it)
QUARTERLY, MONTHLY = "季度报表", "月度调度"
PERIOD_KINDS = (QUARTERLY, MONTHLY)


@dataclass(frozen=True)
class WorkingDays:
    """Which days are working days: Monday to Friday, less ``holidays`` (放假), plus ``workdays`` (调休上班的周末)."""

    holidays: frozenset[dt.date] = frozenset()
    workdays: frozenset[dt.date] = frozenset()

    def is_working(self, day: dt.date) -> bool:
        return day in self.workdays or (day.weekday() < 5 and day not in self.holidays)

    def after(self, day: dt.date, count: int) -> dt.date:
        """The ``count``-th working day after ``day``; ``day`` itself when ``count`` is 0."""
        out = day
        while count > 0:
            out += dt.timedelta(days=1)
            if self.is_working(out):
                count -= 1
        return out

    def span_end(self, start: dt.date, count: int) -> dt.date:
        """The last of ``count`` working days counted from ``start`` itself (a display period that starts on
        ``start``): ``start`` when it is a working day and ``count`` is 1."""
        return self.after(start - dt.timedelta(days=1), count)


MONDAY_TO_FRIDAY = WorkingDays()


@dataclass(frozen=True)
class ReportingPeriod:
    period: Period
    due: dt.date  # 截止日期
    resubmit_days: int  # 退回后补报期限（工作日）
    working: WorkingDays = MONDAY_TO_FRIDAY  # the 节假日 sheet the deadline is counted with
    kind: str = QUARTERLY  # 类型: QUARTERLY or MONTHLY

    @property
    def assessed(self) -> bool:
        """Whether praise and criticism are decided on this period (quarter-end reports only)."""
        return self.kind != MONTHLY

    @property
    def deadline(self) -> dt.date:
        return self.working.after(self.due, self.resubmit_days)

    @property
    def ends(self) -> dt.date:
        return dt.date(self.period.year, self.period.month, months.monthrange(self.period.year, self.period.month)[1])


@dataclass(frozen=True)
class Reminder:
    """A 催报通知 issued for a period: its date, its 发文字号 ('' when left for the office to fill in) and the
    counties it named. The criticism that follows cites it."""

    day: dt.date
    number: str
    counties: tuple[str, ...]


def reminders_of(reminders: Sequence[Reminder], county: str, before: dt.date | None) -> list[Reminder]:
    """The reminders that named ``county``, issued on or before ``before`` (all when None), oldest first."""
    return sorted((r for r in reminders if county in r.counties and (before is None or r.day <= before)),
                  key=lambda r: r.day)


def due_period(calendar: Sequence[ReportingPeriod], today: dt.date) -> Period | None:
    ended = [r for r in calendar if r.ends < today]
    if not ended:
        return None
    latest = max(ended, key=lambda r: r.period)
    if latest.period == max(r.period for r in calendar) and today > latest.due + STALE_AFTER:
        return None
    return latest.period


def assessed(calendar: Sequence[ReportingPeriod], period: Period) -> bool:
    """Whether praise and criticism are decided on ``period``: not on a 月度调度 period; a period the calendar
    does not list is assessed as before."""
    entry = entry_for(calendar, period)
    return entry is None or entry.assessed


def entry_for(calendar: Sequence[ReportingPeriod], period: Period) -> ReportingPeriod | None:
    return next((r for r in calendar if r.period == period), None)


def open_until(calendar: Sequence[ReportingPeriod], period: Period, day: dt.date) -> dt.date | None:
    """The period's resubmission deadline while ``day`` is on or before it; None once it has passed or when the
    calendar has no entry for the period. The one place that decides “still within the deadline”."""
    entry = entry_for(calendar, period)
    return entry.deadline if entry is not None and day <= entry.deadline else None
