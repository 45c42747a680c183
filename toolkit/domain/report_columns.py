"""The list sheets' rules over whole columns (numpy arrays), for the check of every workbook.

Each rule of ``report_rules`` is asked once per column instead of once per row: which rows *can* have a
finding (the USCC's form, check character, type and area; the industry code; months; amounts, units and
thresholds; the usual entry mode; overdue ledger items) is decided for the whole sheet at once, and
duplicates are found by sorting the column. Only the rows so marked (a handful in a real workbook) go
through the row's own rule in ``report_rules``, which writes the finding: one wording, one place. A mark
is a superset of the rows with a finding, never a subset — ``tests/unit/test_columnar_rules.py`` checks
on random workbooks that the findings are exactly those of the row-by-row rules.

numpy and not a DataFrame: measured on a county sheet of 200 rows (benchmarks/bench_columns.py), pandas'
and polars' fixed cost per operation is larger than the whole row-by-row check; numpy arrays are what
both use underneath, without that cost.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from toolkit.domain import report_schema as S
from toolkit.domain.findings import Finding
from toolkit.domain.periods import Period
from toolkit.domain.policy import County, Policy, Thresholds
from toolkit.domain.report import CountyReport, Record
from toolkit.domain.report_rules import (INDUSTRIAL_DIVISIONS, finding_at, check_at_risk_row, check_cover,
                                        check_entries_row, check_exits_row, check_follow_up_row, check_ledger_row,
                                        check_pool_row, check_projects_row, check_uscc_cell, cross_sheet, period_end,
                                        pool_floor)
from toolkit.domain.uscc import ALPHABET, ENTERPRISE_TYPE, WEIGHTS

_VALUE = np.full(256, -1, dtype=np.int64)  # a code character's value, -1 for a character outside the alphabet
for _i, _c in enumerate(ALPHABET):
    _VALUE[ord(_c)] = _i
_WEIGHTS = np.array(WEIGHTS, dtype=np.int64)


def _column(records: list[Record], key: str) -> list:
    return [r.values.get(key) for r in records]


def _numbers(records: list[Record], key: str) -> np.ndarray:
    """A number column as floats, NaN where the cell is empty or unreadable (NaN compares false)."""
    return np.array([np.nan if v is None else v for v in _column(records, key)], dtype=np.float64)


def plain_usccs(codes: list) -> np.ndarray:
    """True where the code is certainly a valid enterprise USCC (18 characters of the code alphabet, digits
    in the area, the right check character, type 1). False says only “look at this row”."""
    shaped = np.array([type(c) is str and len(c) == 18 and c.isascii() for c in codes], dtype=bool)
    out = np.zeros(len(codes), dtype=bool)
    if not shaped.any():
        return out
    chars = np.frombuffer("".join(c for c, ok in zip(codes, shaped) if ok).encode("ascii"),
                          dtype=np.uint8).reshape(-1, 18)
    values = _VALUE[chars]
    area = chars[:, 2:8]
    good = (values >= 0).all(axis=1) & ((area >= ord("0")) & (area <= ord("9"))).all(axis=1)
    good &= chars[:, 1] == ord(ENTERPRISE_TYPE)
    check = (31 - (values[:, :17] * _WEIGHTS).sum(axis=1) % 31) % 31
    good &= check == values[:, 17]
    out[np.flatnonzero(shaped)] = good
    return out


def _uscc_marks(codes: list, county: County) -> np.ndarray:
    """Rows whose code may have a finding of its own (E102-E104, W105)."""
    present = np.array([bool(c) for c in codes], dtype=bool)
    areas: dict[str, bool] = {}
    accepted = np.array([areas.setdefault(c[2:8], county.accepts_area(c[2:8])) if c else True for c in codes],
                        dtype=bool)
    return present & ~(plain_usccs(codes) & accepted)


def duplicates(records: list[Record]) -> list[Finding]:
    """E106 for every repeat of a code, naming the row where it first appears (found by sorting the column)."""
    codes = np.array([c if c else "" for c in _column(records, "uscc")], dtype=object)
    present = np.flatnonzero(codes != "")
    if len(present) < 2:
        return []
    _, first, inverse = np.unique(codes[present].astype(str), return_index=True, return_inverse=True)
    first_row = present[first[inverse]]  # for each present code, the record where that code first appears
    return [finding_at(records[i], "uscc", "E106", records[i].values["uscc"], expected=records[j].row)
            for i, j in zip(present.tolist(), first_row.tolist()) if i != j]


def _industry_marks(records: list[Record]) -> np.ndarray:
    def fine(code) -> bool:
        return len(code) == 4 and code.isdigit() and code.isascii() and int(code[:2]) in INDUSTRIAL_DIVISIONS

    return np.array([bool(c) and not fine(c) for c in _column(records, "industry")], dtype=bool)


def _month_marks(records: list[Record], key: str, period: Period) -> np.ndarray:
    months = np.array([m.year * 100 + m.month if m is not None else 0 for m in _column(records, key)],
                      dtype=np.int64)
    return (months != 0) & ((months // 100 != period.year) | (months > period.year * 100 + period.month))


def _amount_marks(values: np.ndarray, high: float | None, t: Thresholds) -> np.ndarray:
    """A possible unit slip (E117, W118): the superset of ``report_rules.unit_slip``."""
    marks = values >= t.yuan_suspect_from
    if high is not None:
        marks |= values > high
    return marks


def _entry_marks(records: list[Record], period: Period, t: Thresholds) -> np.ndarray:
    revenue, tax = _numbers(records, "revenue"), _numbers(records, "tax")
    kinds, modes = _column(records, "entry_kind"), _column(records, "entry_mode")
    unusual = np.array([bool(m) and S.USUAL_ENTRY_MODE.get(k) not in (None, m) for k, m in zip(kinds, modes)],
                       dtype=bool)
    return (_industry_marks(records) | _month_marks(records, "entry_month", period)
            | _amount_marks(revenue, t.new_entry_typical_max, t) | _amount_marks(tax, None, t)
            | (revenue < t.above_scale) | (tax > revenue) | unusual)


def _exit_marks(records: list[Record], period: Period, t: Thresholds) -> np.ndarray:
    return (_month_marks(records, "exit_month", period)
            | _amount_marks(_numbers(records, "revenue"), t.new_entry_typical_max, t))


def _pool_marks(records: list[Record], t: Thresholds, period: Period) -> np.ndarray:
    revenue = _numbers(records, "revenue")
    return (_industry_marks(records) | _amount_marks(revenue, t.pool_high, t) | (revenue < pool_floor(period, t))
            | (revenue >= t.pool_high))


def _at_risk_marks(records: list[Record], t: Thresholds) -> np.ndarray:
    revenue = _numbers(records, "revenue")
    return _amount_marks(revenue, t.at_risk_below, t) | (revenue >= t.at_risk_below)


def _ledger_marks(records: list[Record], period: Period) -> np.ndarray:
    end = period_end(period)
    return np.array([d is not None and bool(s) and s != "已办结" and d < end
                     for d, s in zip(_column(records, "deadline"), _column(records, "status"))], dtype=bool)


def _project_marks(records: list[Record], period: Period, t: Thresholds) -> np.ndarray:
    planned = np.array([m.year * 100 + m.month if m is not None else 0 for m in _column(records, "planned_month")],
                       dtype=np.int64)
    actual = np.array([m is not None and m > period for m in _column(records, "actual_month")], dtype=bool)
    unstarted = np.array([m is None for m in _column(records, "actual_month")], dtype=bool)
    revenue = _numbers(records, "revenue")
    late = (planned != 0) & (planned < period.year * 100 + period.month)
    return (_industry_marks(records) | _amount_marks(_numbers(records, "planned_revenue"), None, t)
            | _amount_marks(revenue, None, t) | actual | (unstarted & (late | ~np.isnan(revenue))))


def _follow_up_marks(records: list[Record], period: Period) -> np.ndarray:
    end = period_end(period)
    late = np.array([any(d is not None and d > end for d in (r.values.get("contacted"), r.values.get("applied_on")))
                     for r in records], dtype=bool)
    odd = np.array([r.values.get("applied_on") is not None and r.values.get("applied") != "已申报" for r in records],
                   dtype=bool)
    bare = np.array([r.values.get("result") in S.NEEDS_REASON and not r.values.get("reason") for r in records],
                    dtype=bool)
    return late | odd | bare


def check_report(report: CountyReport, policy: Policy) -> list[Finding]:
    """All content rules (the same findings as ``report_rules.check_report_by_row``, in the same order); the report
    must have parsed with a known county and period."""
    county = policy.find_county(report.county)
    period, t = report.period, policy.thresholds
    sheets = (
        ("entries", lambda rs: _entry_marks(rs, period, t), lambda r: check_entries_row(r, period, t), True),
        ("exits", lambda rs: _exit_marks(rs, period, t), lambda r: check_exits_row(r, period, t), True),
        ("pool", lambda rs: _pool_marks(rs, t, period), lambda r: check_pool_row(r, t, period), True),
        ("at_risk", lambda rs: _at_risk_marks(rs, t), lambda r: check_at_risk_row(r, t), True),
        ("ledger", lambda rs: _ledger_marks(rs, period), lambda r: check_ledger_row(r, period), False),
        ("projects", lambda rs: _project_marks(rs, period, t), lambda r: check_projects_row(r, period, t), False),
        ("follow_up", lambda rs: _follow_up_marks(rs, period), lambda r: check_follow_up_row(r, period), True),
    )
    findings = check_cover(report)
    for key, marks_of, row_rule, with_duplicates in sheets:
        records = report.records(key)
        if not records:
            continue
        if with_duplicates:
            findings += duplicates(records)
        marks = _uscc_marks(_column(records, "uscc"), county) | marks_of(records)
        for index in np.flatnonzero(marks).tolist():
            record = records[index]
            findings += check_uscc_cell(record, county) + row_rule(record)
    findings += cross_sheet(report)
    return [replace(f, file=report.file) for f in findings]
