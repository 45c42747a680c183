"""The cultivation pipeline of a period as the city sees it (issue #37, first slice): every county's 重点培育企业
(pool), 退规风险企业 (at-risk firms) and 问题台账 (problem ledger) from its accepted report, with what a clerk must act on.

Pure: the service hands in each county's accepted rows (with their source), the register at the period's end and
the as-of date (the calendar's due date for the period, else the month's end); nothing here reads a file.

- 培育库: a firm whose year-to-date revenue has reached the threshold (≥ 2000 万元) should be pushed to apply
  (应入尽入); a firm already in the register should leave the pool; a firm in two counties' pools is a
  cross-county finding naming both; an expected-entry month before the report's month (the list runs to the
  period's end: an entry in the period's own month may still be recorded) needs a new date or an explanation.
  Per county: pool size, how many at or over the threshold, and the pool's coverage of the county's target
  (next year's 新增 target when the annex has one — the pool is next year's 小升规 pipeline — else this year's).
- 风险库: an at-risk firm must be an in-register firm (checked only when the starting register was imported:
  without it the register knows only the firms entered since), with revenue under 3000 万元, and with measures.
- 问题台账: overdue days as of the as-of date for every item not 已办结; per 交办单位 (within its county: 县金融办
  of two counties are two offices) items, done, 办结率 and overdue.
"""

from __future__ import annotations

import calendar as months
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable, Mapping

from toolkit.domain.periods import BadPeriod, Period
from toolkit.domain.register import ListRow

THRESHOLD = 2000.0  # 万元: 规模以上工业 (主营业务收入 2000 万元及以上)
AT_RISK_CEILING = 3000.0  # 万元: the plan's at-risk firms are in-register firms under this
DONE = "已办结"
NO_MEASURES = frozenset(("", "无", "暂无", "/", "-", "—", "——"))

# flags (what the clerk acts on), as the sheets and the overview print them
AT_THRESHOLD = "已达规模标准，应督促申报入统"
IN_REGISTER = "已在规上名录，应移出培育库"
EXPECTED_PAST = "预计入规月份已过"
NOT_IN_REGISTER = "不在规上名录（风险库应为在库企业）"
OVER_CEILING = "年主营业务收入达3000万元，不属于退规风险企业"
WITHOUT_MEASURES = "未填帮扶措施"


@dataclass(frozen=True)
class CountyLists:
    """One county's accepted report: its file and the rows of its pool, at-risk and ledger sheets."""

    county: str
    file: str
    pool: tuple[ListRow, ...] = ()
    at_risk: tuple[ListRow, ...] = ()
    ledger: tuple[ListRow, ...] = ()
    projects: tuple[ListRow, ...] = ()  # 重点项目（新建投产）, template 2022.2 on: read by tracking and the forecast


@dataclass(frozen=True)
class Origin:
    file: str
    sheet: str
    row: int


@dataclass(frozen=True)
class PoolRow:
    county: str
    uscc: str
    name: str
    industry: str
    revenue: float | None
    spin_off: str
    expected_entry: str
    measures: str
    flags: tuple[str, ...]
    origin: Origin


@dataclass(frozen=True)
class PoolCounty:
    county: str
    size: int | None  # None: no accepted report
    at_threshold: int | None
    target: int | None
    target_basis: str  # "2023年新增目标" / "2022年新增目标（附件无2023年目标）" / ""
    coverage: float | None  # size / target


@dataclass(frozen=True)
class RiskRow:
    county: str
    uscc: str
    name: str
    revenue: float | None
    reason: str
    measures: str
    helper: str
    flags: tuple[str, ...]
    origin: Origin


@dataclass(frozen=True)
class ProjectRow:
    """A 重点项目 (new build) of an accepted report, with what needs doing about it."""

    county: str
    project: str
    uscc: str
    name: str
    industry: str
    planned: str  # 计划投产月份 as YYYY-MM, '' unknown
    actual: str  # 实际投产月份, '' not yet producing
    planned_revenue: float | None
    revenue: float | None  # this year's revenue so far, once producing
    milestone: str
    responsible: str
    flags: tuple[str, ...]
    origin: Origin


PROJECT_LATE = "计划投产月份已过，尚未投产"
PROJECT_AT_THRESHOLD = "已投产，本年累计营业收入已达2000万元，应申报入库"
PROJECT_ENTERED = "已在规上名录"


def _projects(reports: list[CountyLists], register: Mapping[str, str], period: Period) -> list[ProjectRow]:
    out = []
    for lists in reports:
        for row in lists.projects:
            v = row.values
            planned, actual = _month(v.get("planned_month")), _month(v.get("actual_month"))
            revenue = _number(v.get("revenue"))
            flags = []
            if row.uscc and row.uscc in register:
                flags.append(f"{PROJECT_ENTERED}（{register[row.uscc]}）")
            elif actual is None and planned is not None and planned < period:
                flags.append(PROJECT_LATE)
            elif actual is not None and revenue is not None and revenue >= THRESHOLD:
                flags.append(PROJECT_AT_THRESHOLD)
            out.append(ProjectRow(lists.county, _text(v.get("project")), row.uscc, _text(v.get("name")),
                                  _text(v.get("industry")), str(planned or ""), str(actual or ""),
                                  _number(v.get("planned_revenue")), revenue, _text(v.get("milestone")),
                                  _text(v.get("responsible")), tuple(flags), _origin(lists, row)))
    return out


@dataclass(frozen=True)
class LedgerItem:
    county: str
    uscc: str
    name: str
    problem: str
    assigned_to: str
    deadline: dt.date | None
    status: str
    overdue_days: int | None  # days past the deadline on the as-of date; None when not overdue
    origin: Origin


@dataclass(frozen=True)
class UnitTally:
    county: str
    unit: str
    items: int
    done: int
    overdue: int
    dropped: int = 0  # over the year's returns (tracking): items no longer reported before they were closed

    @property
    def done_rate(self) -> float:
        return self.done / self.items if self.items else 0.0


@dataclass
class Pipeline:
    period: Period
    as_of: dt.date
    as_of_basis: str  # "报送日历截止日" / "月末"
    register_checked: bool  # the starting register was imported: "not in the register" can be told
    pool: list[PoolRow] = field(default_factory=list)
    counties: list[PoolCounty] = field(default_factory=list)
    at_risk: list[RiskRow] = field(default_factory=list)
    ledger: list[LedgerItem] = field(default_factory=list)
    units: list[UnitTally] = field(default_factory=list)
    projects: list[ProjectRow] = field(default_factory=list)  # 重点项目 (template 2022.2 on)

    def pool_count(self, flag: str) -> int:
        return sum(any(f.startswith(flag) for f in r.flags) for r in self.pool)

    def risk_count(self, flag: str) -> int:
        return sum(flag in r.flags for r in self.at_risk)

    def pool_total(self, label: str) -> PoolCounty:
        """The counties with an accepted report together, against their own targets."""
        counted = [c for c in self.counties if c.size is not None]
        size, target = sum(c.size for c in counted), sum(c.target or 0 for c in counted)
        return PoolCounty(label, size, sum(c.at_threshold for c in counted), target or None, "",
                          size / target if target else None)

    @property
    def pool_actions(self) -> int:
        return sum(bool(r.flags) for r in self.pool)

    @property
    def risk_actions(self) -> int:
        return sum(bool(r.flags) for r in self.at_risk)

    @property
    def overdue(self) -> int:
        return sum(i.overdue_days is not None for i in self.ledger)

    @property
    def open_items(self) -> int:
        return sum(i.status != DONE for i in self.ledger)


def month_end(period: Period) -> dt.date:
    return dt.date(period.year, period.month, months.monthrange(period.year, period.month)[1])


def as_of_date(period: Period, due: dt.date | None) -> tuple[dt.date, str]:
    """The day the pipeline is judged on: the calendar's due date for the period, else the month's end."""
    return (due, "报送日历截止日") if due is not None else (month_end(period), "月末")


def cross_county_flag(counties: Iterable[str]) -> str:
    return f"跨县市区重复：{'、'.join(counties)}均列入培育库"


def _number(value) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(str(value).replace(",", ""))
    except ValueError:
        return None


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _month(value) -> Period | None:
    if value in (None, ""):
        return None
    try:
        return Period.parse(value)
    except (BadPeriod, ValueError, TypeError):
        return None


def _date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(_text(value)[:10])
    except ValueError:
        return None


def _origin(lists: CountyLists, row: ListRow) -> Origin:
    return Origin(lists.file, row.sheet, row.row)


def _pool(reports: list[CountyLists], register: Mapping[str, str], period: Period) -> list[PoolRow]:
    holders: dict[str, list[str]] = defaultdict(list)
    for lists in reports:
        for row in lists.pool:
            if lists.county not in holders[row.uscc]:
                holders[row.uscc].append(lists.county)
    out = []
    for lists in reports:
        for row in lists.pool:
            v = row.values
            revenue = _number(v.get("revenue"))
            expected = _month(v.get("expected_entry"))
            flags = []
            if revenue is not None and revenue >= THRESHOLD:
                flags.append(AT_THRESHOLD)
            if row.uscc in register:
                flags.append(f"{IN_REGISTER}（{register[row.uscc]}）" if register[row.uscc] else IN_REGISTER)
            if len(holders[row.uscc]) > 1:
                flags.append(cross_county_flag(holders[row.uscc]))
            if expected is not None and expected < period:
                flags.append(f"{EXPECTED_PAST}（{expected}）")
            out.append(PoolRow(lists.county, row.uscc, row.name, _text(v.get("industry")), revenue,
                               _text(v.get("spin_off")), str(expected) if expected else _text(v.get("expected_entry")),
                               _text(v.get("measures")), tuple(flags), _origin(lists, row)))
    return out


def _coverage(county: str, pool: list[PoolRow] | None, targets: Mapping[int, int], year: int) -> PoolCounty:
    target, basis = targets.get(year + 1), f"{year + 1}年新增目标"
    if not target:
        target, basis = targets.get(year), f"{year}年新增目标（附件无{year + 1}年目标）"
    if not target:
        target, basis = None, ""
    if pool is None:
        return PoolCounty(county, None, None, target, basis, None)
    size = len(pool)
    over = sum(r.revenue is not None and r.revenue >= THRESHOLD for r in pool)
    return PoolCounty(county, size, over, target, basis, size / target if target else None)


def _at_risk(reports: list[CountyLists], register: Mapping[str, str], register_checked: bool) -> list[RiskRow]:
    out = []
    for lists in reports:
        for row in lists.at_risk:
            v = row.values
            revenue = _number(v.get("revenue"))
            measures = _text(v.get("help_measures"))
            flags = []
            if register_checked and row.uscc not in register:
                flags.append(NOT_IN_REGISTER)
            if revenue is not None and revenue >= AT_RISK_CEILING:
                flags.append(OVER_CEILING)
            if measures in NO_MEASURES:
                flags.append(WITHOUT_MEASURES)
            out.append(RiskRow(lists.county, row.uscc, row.name, revenue, _text(v.get("risk_reason")), measures,
                               _text(v.get("helper")), tuple(flags), _origin(lists, row)))
    return out


def overdue_days(deadline: dt.date | None, status: str, as_of: dt.date) -> int | None:
    """Days past the deadline on ``as_of`` for an item not done; None when it is not overdue (a deadline that is
    today is not overdue; a done item never is)."""
    if deadline is None or status == DONE:
        return None
    days = (as_of - deadline).days
    return days if days > 0 else None


def _ledger(reports: list[CountyLists], as_of: dt.date) -> list[LedgerItem]:
    items = []
    for lists in reports:
        for row in lists.ledger:
            v = row.values
            deadline, status = _date(v.get("deadline")), _text(v.get("status"))
            items.append(LedgerItem(lists.county, row.uscc, row.name, _text(v.get("problem")),
                                    _text(v.get("assigned_to")), deadline, status,
                                    overdue_days(deadline, status, as_of), _origin(lists, row)))
    # overdue first, longest first; then the open items by deadline; the done ones last; ties in report order
    return sorted(items, key=lambda i: (i.overdue_days is None, -(i.overdue_days or 0), i.status == DONE,
                                        i.deadline or dt.date.max))


def unit_tallies(ledger: list[LedgerItem]) -> list[UnitTally]:
    tally: dict[tuple[str, str], list[int]] = {}
    for item in sorted(ledger, key=lambda i: (i.origin.file, i.origin.row)):
        counts = tally.setdefault((item.county, item.assigned_to), [0, 0, 0])
        counts[0] += 1
        counts[1] += item.status == DONE
        counts[2] += item.overdue_days is not None
    units = [UnitTally(county, unit, *counts) for (county, unit), counts in tally.items()]
    return sorted(units, key=lambda u: (-u.overdue, u.done_rate, u.county, u.unit))


def pipeline(period: Period, reports: Iterable[CountyLists], counties: Iterable[str],
             targets: Mapping[str, Mapping[int, int]], register: Mapping[str, str], *, register_checked: bool,
             due: dt.date | None = None) -> Pipeline:
    """The pipeline of ``period`` from the accepted reports (one per county, in the order given).

    ``register``: USCC -> since when (e.g. "2022-03", or "" when unknown) of every firm in the register at the
    period's end; ``register_checked``: whether the register holds the starting list too; ``due``: the
    calendar's due date for the period (None: the month's end)."""
    reports = list(reports)
    as_of, basis = as_of_date(period, due)
    result = Pipeline(period, as_of, basis, register_checked)
    result.pool = _pool(reports, register, period)
    by_county: dict[str, list[PoolRow]] = {r.county: [] for r in reports}
    for row in result.pool:
        by_county[row.county].append(row)
    result.counties = [_coverage(c, by_county.get(c), targets.get(c, {}), period.year) for c in counties]
    result.at_risk = _at_risk(reports, register, register_checked)
    result.ledger = _ledger(reports, as_of)
    result.projects = _projects(reports, register, period)
    result.units = unit_tallies(result.ledger)
    return result


def _counted(total: int, unit: str, parts: list[tuple[str, int]]) -> str:
    """'需处理 3 家（已达… 2 家、… 1 家）', the parts that are not zero; '无需处理的' when nothing is."""
    if not total:
        return f"无需处理的{'事项' if unit == '条' else '企业'}"
    return f"需处理 {total} {unit}（{'、'.join(f'{what} {n} {unit}' for what, n in parts if n)}）"


def action_lines(p: Pipeline) -> list[str]:
    """One line per list with what needs action, as the overview and the console print them."""
    pool = _counted(p.pool_actions, "家", [("已达2000万元应督促申报入统", p.pool_count(AT_THRESHOLD)),
                                          ("已在名录应移出", p.pool_count(IN_REGISTER)),
                                          ("跨县市区重复", p.pool_count("跨县市区重复")),
                                          ("预计入规月份已过", p.pool_count(EXPECTED_PAST))])
    risk = _counted(p.risk_actions, "家", [("不在名录", p.risk_count(NOT_IN_REGISTER)),
                                          ("营收达3000万元", p.risk_count(OVER_CEILING)),
                                          ("未填帮扶措施", p.risk_count(WITHOUT_MEASURES))])
    register = "" if p.register_checked else "（未导入规划起始名录，是否在库未核对）"
    units = sum(u.overdue > 0 for u in p.units)
    overdue = f"逾期 {p.overdue} 条（涉及交办单位 {units} 个）" if p.overdue else "无逾期"
    return [f"培育库：{len(p.pool)} 家，{pool}。",
            f"风险库：{len(p.at_risk)} 家，{risk}{register}。",
            f"问题台账：{len(p.ledger)} 条，未办结 {p.open_items} 条，截至 {p.as_of:%Y-%m-%d} {overdue}。"]
