"""Which period a county workbook is checked against (应报的报送期): one rule for every door — the command line's
``check``, the workbench's self-check page, the county workbook's 校验本表 button.

The period someone names (``--period``, a form field) comes first; else the reporting calendar's period due
today; else the period the file's own name gives (天元区_2024-03_规上工业企业报表.xlsx), so that last period's
workbook renamed to this period is still caught (E005) in a week when the calendar has no period due. When
neither says anything the period is not checked, and the result says so where the verdict is read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Sequence

from toolkit.domain.calendar import ReportingPeriod, due_period
from toolkit.domain.periods import Period
from toolkit.domain.submissions import named_period


@dataclass(frozen=True)
class PeriodToCheck:
    period: Period | None
    basis: str  # in words for the clerk: which period, and why that one
    warning: bool = False  # the calendar had no period due: the clerk should look at the cover's 报送期


def period_to_check(calendar: Sequence[ReportingPeriod], today: dt.date, file_name: str = "",
                    given: Period | None = None) -> PeriodToCheck:
    if given is not None:
        return PeriodToCheck(given, f"按指定的报送期核对：{given.label}")
    due = due_period(calendar, today)
    if due is not None:
        return PeriodToCheck(due, f"本期应报：{due.label}（按政策参数的报送日历）")
    named = named_period(file_name)
    if named is not None:
        return PeriodToCheck(named, f"报送日历中今天没有应报的报送期，按文件名核对报送期：{named.label}", warning=True)
    return PeriodToCheck(None, "报送日历中今天没有应报的报送期，文件名也没有写报送期：未核对报送期，"
                               "请确认封面的报送期就是要报的那一期", warning=True)
