"""The province reporting template (#39): for a 市州 that does not run guishang, the same figures a guishang summary
gives the province — each 县市区's figures and targets, the 市州's new entrants and exits with their 县市区 — as a
workbook the 市州 fills in, read by the same reader (``domain.city_summary`` with ``LAYOUT``) and judged by the same
consolidation. What a summary made by guishang never needs is checked here, row by row: the codes, the choices, the
months, the 县市区 (a summary's rows were checked in its 市州 already).
"""

from __future__ import annotations

from collections import Counter

from toolkit.domain import report_schema as S
from toolkit.domain.city_summary import ENTRY_COLUMNS, EXIT_COLUMNS, OVERVIEW_COLUMNS, CitySummary, Layout, ListedRow
from toolkit.domain.figures import ACCEPTED, MISSING, REJECTED
from toolkit.domain.findings import Finding, make_finding
from toolkit.domain.periods import Period
from toolkit.domain.policy import County
from toolkit.domain.province_figures import USCC_COLUMN
from toolkit.domain.uscc import check_uscc

SCHEMA_VERSION = "P2022.1"
COVER, UNITS, ENTRIES, EXITS = "填报说明", "分县市区汇总", "新增入规企业", "退库企业"
# a template has no 计入情况 (every row counts), no 报送情况 sheet and may leave out the trace to the county's file
OPTIONAL = frozenset({"counted", "origin_file", "origin_row", "pending", "mode", "tax", "industry", "other",
                      "new_build", "upgrade", "net_target"})
LAYOUT = Layout(UNITS, None, ENTRIES, EXITS, OPTIONAL)
UNIT_HEADERS = ("县市区", *(OVERVIEW_COLUMNS[k] for k in ("status", "new_build", "upgrade", "other", "new", "exits",
                                                          "target", "net_target", "pending")))
ENTRY_HEADERS = ("县市区", *(ENTRY_COLUMNS[k] for k in ("uscc", "name", "code", "mode", "month", "industry", "revenue",
                                                       "tax", "origin_file", "origin_row")))
EXIT_HEADERS = ("县市区", *(EXIT_COLUMNS[k] for k in ("uscc", "name", "month", "code", "revenue", "origin_file",
                                                     "origin_row")))
STATUSES = tuple(s.value for s in (ACCEPTED, REJECTED, MISSING))  # what the 市州 did with each 县市区's report


def check_city_report(summary: CitySummary, period: Period, unit: County) -> list[Finding]:
    """Row by row, what a 市州 filling the template in can get wrong: a credit code (format, check character, twice
    in one sheet), an empty name, a choice not in the list, a month not of the year or after the period, a 县市区
    not of the 市州, and a 县市区's status not among the three."""
    found: list[Finding] = []
    members = {alias: m.name for m in unit.members for alias in (m.name, *m.aliases)}
    for row in summary.units:
        if row.status not in STATUSES:
            found.append(make_finding("E115", file=summary.file, sheet=UNITS, row=row.row,
                                      col=summary.columns["status"], column="报送状态", value=row.status,
                                      expected="、".join(STATUSES)))
    for rows, sheet, code_key, choices in ((summary.entries, ENTRIES, "入规类型", S.ENTRY_KINDS),
                                           (summary.exits, EXITS, "退库原因", S.EXIT_REASONS)):
        seen = Counter(r.uscc for r in rows if r.uscc)
        first: dict[str, int] = {}
        for r in rows:
            found += _row(summary.file, sheet, r, members, unit, period, code_key, choices, seen, first)
    return found


def _row(file: str, sheet: str, r: ListedRow, members: dict[str, str], unit: County, period: Period, code_key: str,
         choices: tuple[str, ...], seen: Counter, first: dict[str, int]) -> list[Finding]:
    col = r.values.get(USCC_COLUMN, 1)

    def at(code: str, offset: int, column: str, value, **details) -> Finding:
        return make_finding(code, file=file, sheet=sheet, row=r.row, col=col + offset, column=column, value=value,
                            **details)

    out = []
    if r.unit not in members:
        out.append(at("E302", -1, "县市区", r.unit, expected=unit.name))
    problem = check_uscc(r.uscc)
    if problem is not None:
        seen_value = r.uscc[1] if problem.code == "E104" else r.uscc
        out.append(at(problem.code, 0, "统一社会信用代码", seen_value, expected=problem.expected))
    elif seen[r.uscc] > 1:
        if r.uscc in first:
            out.append(at("E106", 0, "统一社会信用代码", r.uscc, expected=first[r.uscc]))
        else:
            first[r.uscc] = r.row
    if not r.name:
        out.append(at("E101", 1, "企业名称", ""))
    if r.code not in choices:
        out.append(at("E115", 2 if sheet == ENTRIES else 3, code_key, r.code, expected="、".join(choices)))
    month_col = 4 if sheet == ENTRIES else 2
    month_label = "入规月份" if sheet == ENTRIES else "退库月份"
    try:
        month = Period.parse(r.month)
    except ValueError:
        out.append(at("E112", month_col, month_label, r.month, expected=f"{period.year}-03"))
        return out
    if month.year != period.year:
        out.append(at("E113", month_col, month_label, str(month), expected=period.year))
    elif month > period:
        out.append(at("E114", month_col, month_label, str(month), expected=str(period)))
    return out
