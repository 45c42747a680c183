"""The reporting calendar (报送日历, a sheet of the policy workbook): for each reporting period, the date its
report is due and how many working days a county has to send a returned report again.

``deadline`` is the last day a returned (or missing) report may still arrive: the due date plus the
resubmission working days (Monday to Friday; official holidays and 调休 are not counted yet). Criticism for
reporting waits until it has passed.

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


@dataclass(frozen=True)
class ReportingPeriod:
    period: Period
    due: dt.date  # 截止日期
    resubmit_days: int  # 退回后补报期限（工作日）

    @property
    def deadline(self) -> dt.date:
        return working_days_after(self.due, self.resubmit_days)

    @property
    def ends(self) -> dt.date:
        return dt.date(self.period.year, self.period.month, months.monthrange(self.period.year, self.period.month)[1])


def due_period(calendar: Sequence[ReportingPeriod], today: dt.date) -> Period | None:
    ended = [r for r in calendar if r.ends < today]
    if not ended:
        return None
    latest = max(ended, key=lambda r: r.period)
    if latest.period == max(r.period for r in calendar) and today > latest.due + STALE_AFTER:
        return None
    return latest.period


def working_days_after(day: dt.date, count: int) -> dt.date:
    """The ``count``-th working day (Monday to Friday) after ``day``; ``day`` itself when ``count`` is 0."""
    out = day
    while count > 0:
        out += dt.timedelta(days=1)
        if out.weekday() < 5:
            count -= 1
    return out


def entry_for(calendar: Sequence[ReportingPeriod], period: Period) -> ReportingPeriod | None:
    return next((r for r in calendar if r.period == period), None)


def open_until(calendar: Sequence[ReportingPeriod], period: Period, day: dt.date) -> dt.date | None:
    """The period's resubmission deadline while ``day`` is on or before it; None once it has passed or when the
    calendar has no entry for the period. The one place that decides “still within the deadline”."""
    entry = entry_for(calendar, period)
    return entry.deadline if entry is not None and day <= entry.deadline else None
