"""The checks a statistics office expects of a county report. Pure: a parsed report in, findings out."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import replace
from typing import Callable

from toolkit.domain import report_schema as S
from toolkit.domain.findings import Finding, make_finding
from toolkit.domain.periods import Period
from toolkit.domain.policy import County, Policy, Thresholds
from toolkit.domain.report import CountyReport, Record
from toolkit.domain.text import clean_text
from toolkit.domain.uscc import area_code, check_uscc

INDUSTRIAL_DIVISIONS = range(6, 47)  # GB/T 4754-2017 sections B, C, D: divisions 06-46


def finding_at(record: Record, key: str, code: str, value: object = None, **details) -> Finding:
    column = next((c.header for s in S.LIST_SHEETS if s.name == record.sheet for c in s.columns if c.key == key), key)
    seen = clean_text(record.raw.get(key)) if value is None else value
    return make_finding(code, file="", sheet=record.sheet, row=record.row, col=record.columns.get(key),
                        column=column, value=seen, explained=record.explained, **details)


def _fmt(number: float) -> str:
    return f"{number:,.2f}".rstrip("0").rstrip(".")


def check_uscc_cell(record: Record, county: County) -> list[Finding]:
    code = record.values.get("uscc")
    if not code:
        return []
    problem = check_uscc(code)
    if problem is not None:
        value = code[1] if problem.code == "E104" else code
        return [finding_at(record, "uscc", problem.code, value, expected=problem.expected)]
    if not county.accepts_area(area_code(code)):
        return [finding_at(record, "uscc", "W105", area_code(code), expected="、".join(county.uscc_prefixes))]
    return []


def duplicate_usccs(records: list[Record]) -> list[Finding]:
    first_row: dict[str, int] = {}
    out = []
    for record in records:
        code = record.values.get("uscc")
        if not code:
            continue
        if code in first_row:
            out.append(finding_at(record, "uscc", "E106", code, expected=first_row[code]))
        else:
            first_row[code] = record.row
    return out


def check_industry(record: Record) -> list[Finding]:
    code = record.values.get("industry")
    if not code:
        return []
    if not re.fullmatch(r"\d{4}", code):
        return [finding_at(record, "industry", "E108", code)]
    if int(code[:2]) not in INDUSTRIAL_DIVISIONS:
        return [finding_at(record, "industry", "E109", code)]
    return []


def unit_slip(value: float, low: float, high: float | None, thresholds: Thresholds) -> tuple[str, float] | None:
    """('E117', value in 万元) when a 万元 figure looks typed in 元, ('W118', ...) when in 千元, else None."""
    if value >= thresholds.yuan_suspect_from:
        return "E117", value / 10000
    if high is not None and value > high and low <= value / 10 <= high:
        return "W118", value / 10
    return None


def check_amount(record: Record, key: str, low: float, high: float | None, thresholds: Thresholds) -> list[Finding]:
    value = record.values.get(key)
    if value is None:
        return []
    slip = unit_slip(value, low, high, thresholds)
    if slip is None:
        return []
    code, converted = slip
    return [finding_at(record, key, code, _fmt(value), expected=_fmt(converted))]


def check_month(record: Record, key: str, period: Period) -> list[Finding]:
    month = record.values.get(key)
    if month is None:
        return []
    if month.year != period.year:
        return [finding_at(record, key, "E113", str(month), expected=period.year)]
    if month > period:
        return [finding_at(record, key, "E114", str(month), expected=str(period))]
    return []


def _common(records: list[Record], county: County, each: Callable[[Record], list[Finding]]) -> list[Finding]:
    out = duplicate_usccs(records)
    for record in records:
        out += check_uscc_cell(record, county)
        out += each(record)
    return out


def check_entries_row(record: Record, period: Period, t: Thresholds) -> list[Finding]:
    out = check_industry(record) + check_month(record, "entry_month", period)
    revenue_slip = check_amount(record, "revenue", t.above_scale, t.new_entry_typical_max, t)
    out += revenue_slip + check_amount(record, "tax", 0, None, t)
    revenue, tax = record.values.get("revenue"), record.values.get("tax")
    if revenue is not None and not revenue_slip and revenue < t.above_scale:
        out.append(finding_at(record, "revenue", "W119", _fmt(revenue), expected=_fmt(t.above_scale)))
    if revenue is not None and tax is not None and tax > revenue and not revenue_slip:
        out.append(finding_at(record, "tax", "W124", _fmt(tax), expected=_fmt(revenue)))
    kind, mode = record.values.get("entry_kind"), record.values.get("entry_mode")
    usual = S.USUAL_ENTRY_MODE.get(kind)
    if usual and mode and mode != usual:
        out.append(finding_at(record, "entry_mode", "W123", kind, expected=usual))
    return out


def check_exits_row(record: Record, period: Period, t: Thresholds) -> list[Finding]:
    return check_month(record, "exit_month", period) + check_amount(record, "revenue", 0, t.new_entry_typical_max, t)


# The pool's revenue is year-to-date: before December its lower bound is the year's pro-rata share of 1000 万元,
# less this allowance for the weak months (Jan–Feb) of a seasonal year
POOL_SEASONAL_ALLOWANCE = 0.6


def pool_floor(period: Period, t: Thresholds | float) -> float:
    """The least year-to-date 营业收入 a pool firm may show at ``period``: the pool's lower bound in December, its
    pro-rata share less the seasonal allowance before (1000 万元 → 300 万元 at June)."""
    low = t if isinstance(t, (int, float)) else t.pool_low
    if period.month == 12:
        return low
    return round(low * period.month / 12 * POOL_SEASONAL_ALLOWANCE, 2)


def check_pool_row(record: Record, t: Thresholds, period: Period) -> list[Finding]:
    out = check_industry(record)
    slip = check_amount(record, "revenue", t.pool_low, t.pool_high, t)
    out += slip
    revenue = record.values.get("revenue")
    if revenue is None or slip:
        return out
    floor = pool_floor(period, t)
    if revenue < floor and record.values.get("spin_off") != "是":
        out.append(finding_at(record, "revenue", "E120", _fmt(revenue), expected=_fmt(floor)))
    elif revenue >= t.pool_high:
        out.append(finding_at(record, "revenue", "W121", _fmt(revenue), expected=_fmt(t.above_scale)))
    return out


def check_at_risk_row(record: Record, t: Thresholds) -> list[Finding]:
    slip = check_amount(record, "revenue", t.pool_low, t.at_risk_below, t)
    revenue = record.values.get("revenue")
    if revenue is not None and not slip and revenue >= t.at_risk_below:
        return [finding_at(record, "revenue", "E122", _fmt(revenue), expected=_fmt(t.at_risk_below))]
    return slip


def period_end(period: Period) -> dt.date:
    return dt.date(period.year, period.month, calendar.monthrange(period.year, period.month)[1])


def check_ledger_row(record: Record, period: Period) -> list[Finding]:
    end = period_end(period)
    deadline, status = record.values.get("deadline"), record.values.get("status")
    if deadline is not None and status and status != "已办结" and deadline < end:
        return [finding_at(record, "deadline", "W127", deadline.isoformat(), expected=end.isoformat())]
    return []


def check_projects_row(record: Record, period: Period, t: Thresholds) -> list[Finding]:
    """A 重点项目 row: its industry when given, its amounts' units, its commissioning month against the period."""
    v = record.values
    out = check_industry(record) + check_amount(record, "planned_revenue", 0, None, t) \
        + check_amount(record, "revenue", 0, None, t)
    planned, actual = v.get("planned_month"), v.get("actual_month")
    if actual is not None and actual > period:
        out.append(finding_at(record, "actual_month", "E114", str(actual), expected=str(period)))
    if actual is None and planned is not None and planned < period:
        out.append(finding_at(record, "planned_month", "W139", str(planned), expected=str(period)))
    if actual is None and v.get("revenue") is not None:
        out.append(finding_at(record, "revenue", "W140", _fmt(v["revenue"])))
    return out


def check_follow_up_row(record: Record, period: Period) -> list[Finding]:
    """An 应入尽入跟踪 row: a reason for a negative result, the application consistent, no date after the period."""
    v = record.values
    out = []
    end = period_end(period)
    for key in ("contacted", "applied_on"):
        day = v.get(key)
        if day is not None and day > end:
            out.append(finding_at(record, key, "E143", day.isoformat(), expected=end.isoformat()))
    if v.get("applied_on") is not None and v.get("applied") != "已申报":
        out.append(finding_at(record, "applied_on", "W142", v["applied_on"].isoformat()))
    if v.get("result") in S.NEEDS_REASON and not v.get("reason"):
        out.append(finding_at(record, "reason", "E141", v["result"]))
    return out


# Row by row: every rule on every row. The check of a workbook runs the same rules over whole columns
# (report_columns.check_report); these stay as the reference the columnar check is tested against.

def check_entries(records: list[Record], county: County, period: Period, t: Thresholds) -> list[Finding]:
    return _common(records, county, lambda r: check_entries_row(r, period, t))


def check_exits(records: list[Record], county: County, period: Period, t: Thresholds) -> list[Finding]:
    return _common(records, county, lambda r: check_exits_row(r, period, t))


def check_pool(records: list[Record], county: County, t: Thresholds, period: Period) -> list[Finding]:
    return _common(records, county, lambda r: check_pool_row(r, t, period))


def check_at_risk(records: list[Record], county: County, t: Thresholds) -> list[Finding]:
    return _common(records, county, lambda r: check_at_risk_row(r, t))


def check_ledger(records: list[Record], county: County, period: Period) -> list[Finding]:
    out = []
    for record in records:
        out += check_uscc_cell(record, county) + check_ledger_row(record, period)
    return out


def check_projects(records: list[Record], county: County, period: Period, t: Thresholds) -> list[Finding]:
    out = []  # no duplicate check: a firm may build two projects, and a project has no code before it registers
    for record in records:
        out += check_uscc_cell(record, county) + check_projects_row(record, period, t)
    return out


def check_follow_up(records: list[Record], county: County, period: Period) -> list[Finding]:
    return _common(records, county, lambda r: check_follow_up_row(r, period))


def cross_sheet(report: CountyReport) -> list[Finding]:
    """An enterprise entered and exited; a pool firm already entered; an exited firm still at risk."""
    def codes(key: str) -> set[str]:
        return {r.values["uscc"] for r in report.records(key) if r.values.get("uscc")}

    entered, exited = codes("entries"), codes("exits")
    out = []
    for record in report.records("exits"):
        if record.values.get("uscc") in entered:
            out.append(finding_at(record, "uscc", "W107"))
    for record in report.records("pool"):
        if record.values.get("uscc") in entered:
            out.append(finding_at(record, "uscc", "W125"))
    for record in report.records("at_risk"):
        if record.values.get("uscc") in exited:
            out.append(finding_at(record, "uscc", "W126"))
    return out


def check_cover(report: CountyReport) -> list[Finding]:
    phone = report.cover.get("phone")
    if not phone or "phone" not in report.cover_cells:
        return []
    digits = re.sub(r"[-\s()（）]", "", phone)
    if re.fullmatch(r"\d{7,12}", digits):
        return []
    row, col = report.cover_cells["phone"]
    return [make_finding("W129", sheet=report.sheet(S.COVER_SHEET), row=row, col=col, column="联系电话", value=phone,
                         explained=bool(report.cover.get("note")))]


def check_report_by_row(report: CountyReport, policy: Policy) -> list[Finding]:
    """All content rules, row by row (the reference for ``report_columns.check_report``); the report must
    have parsed with a known county and period."""
    county = policy.find_county(report.county)
    period, t = report.period, policy.thresholds
    findings = (
        check_cover(report)
        + check_entries(report.records("entries"), county, period, t)
        + check_exits(report.records("exits"), county, period, t)
        + check_pool(report.records("pool"), county, t, period)
        + check_at_risk(report.records("at_risk"), county, t)
        + check_ledger(report.records("ledger"), county, period)
        + check_projects(report.records("projects"), county, period, t)
        + check_follow_up(report.records("follow_up"), county, period)
        + cross_sheet(report)
    )
    return [replace(f, file=report.file) for f in findings]
