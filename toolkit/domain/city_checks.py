"""The province's checks of one 市州's summary (#39): the file against itself, its own digest and the province's policy.

What a province statistics officer would contest, each a finding naming the sheet and cell:
- the summary is of another 市州 or period (E004, E005), or made from the built-in sample policy (E307) (one that
  keeps its lists in a CSV beside it is E306, said by the reader, ``domain.city_summary``);
- a 县市区 that is not this 市州's (E302), or one of its 县市区 missing (E303);
- a unit's 新增 or 退库 in 概览 that is not the count of its counted rows in 新增明细 / 退库明细, or a visible figure
  that is not what the summary's digest says it wrote (a figure edited by hand before sending the file up) (E304);
- the 市州's own targets below what the province set it (W305: the 市州 may explain; a higher one is its right);
- for the province's attention only: a 县市区 whose report the 市州 did not accept (W308), a period not closed (W309).
Checks across 市州 (a firm claimed by two 市州, a firm in another 市州's register) are the consolidation's (W202, E201),
as they are between counties.
"""

from __future__ import annotations

from collections import Counter

from toolkit.domain.city_summary import ENTRIES, EXITS, OVERVIEW, CitySummary
from toolkit.domain.figures import ACCEPTED
from toolkit.domain.findings import Finding, make_finding
from toolkit.domain.periods import Period
from toolkit.domain.policy import County, Policy



def check_city_summary(summary: CitySummary, policy: Policy, period: Period, unit: County) -> list[Finding]:
    """The findings of one 市州's summary (``unit``: the 市州 it is filed under) for ``period``."""
    file = summary.file
    found: list[Finding] = []
    digest = summary.digest
    if digest is not None:
        named = policy.find_county(digest.region)
        if named is None or named.name != unit.name:
            found.append(make_finding("E004", file=file, sheet=OVERVIEW, row=1, col=0, value=digest.region,
                                      expected=unit.name))
        if digest.period != str(period):
            found.append(make_finding("E005", file=file, sheet=OVERVIEW, row=1, col=0, value=digest.period,
                                      expected=str(period), holder=str(period)))
        if digest.builtin:
            found.append(make_finding("E307", file=file, sheet=OVERVIEW))
        if not digest.closed_at:
            found.append(make_finding("W309", file=file, sheet=OVERVIEW, value=digest.period))
    found += _members(summary, unit)
    found += _totals(summary)
    found += _targets(summary, policy, period, unit)
    for row in summary.units:
        if row.status != ACCEPTED and row.unit in _member_names(unit):
            found.append(make_finding("W308", file=file, sheet=OVERVIEW, row=row.row, col=summary.columns["status"],
                                      value=row.status,
                                      column=row.unit))
    return found


def _member_names(unit: County) -> set[str]:
    return {m.name for m in unit.members}


def _members(summary: CitySummary, unit: County) -> list[Finding]:
    """Every 县市区 of the summary is the 市州's, and every 县市区 of the 市州 is in it."""
    members = _member_names(unit)
    if not members:
        return []
    found = []
    aliases = {alias: m.name for m in unit.members for alias in (m.name, *m.aliases)}
    for row in summary.units:
        if row.unit not in aliases:
            found.append(make_finding("E302", file=summary.file, sheet=OVERVIEW, row=row.row,
                                      col=summary.columns["unit"],
                                      value=row.unit, expected=unit.name))
    present = {aliases.get(row.unit) for row in summary.units}
    for name in sorted(members - present):
        found.append(make_finding("E303", file=summary.file, sheet=OVERVIEW, value=name, expected=unit.name))
    return found


def _totals(summary: CitySummary) -> list[Finding]:
    """概览's 新增 and 退库 of each unit are the counts of its counted rows; and what the digest says was written."""
    entries = Counter(row.unit for row in summary.entries)
    exits = Counter(row.unit for row in summary.exits)
    digest = summary.digest.units if summary.digest else {}
    found = []
    columns = {"new": (summary.columns["new"], "新增合计", entries, ENTRIES),
               "exits": (summary.columns["exits"], "退库", exits, EXITS)}
    for row in summary.units:
        for key, (col, header, counts, sheet) in columns.items():
            shown = getattr(row, key)
            if shown is None:
                continue
            listed = counts.get(row.unit, 0)
            if shown != listed:
                found.append(make_finding("E304", file=summary.file, sheet=OVERVIEW, row=row.row, col=col,
                                          column=f"{row.unit}{header}", value=shown,
                                          expected=f"“{sheet}”中计入{row.unit}的 {listed} 行"))
                continue
            written = getattr(digest.get(row.unit), key, shown) if digest else shown
            if written is not None and written != shown:
                found.append(make_finding("E304", file=summary.file, sheet=OVERVIEW, row=row.row, col=col,
                                          column=f"{row.unit}{header}", value=shown,
                                          expected=f"生成汇总表时的 {written}（汇总表生成后被改动过）"))
    return found


def _targets(summary: CitySummary, policy: Policy, period: Period, unit: County) -> list[Finding]:
    """The 市州's targets for its 县市区 add up to at least what the province set the 市州 (新增, 净增)."""
    found = []
    for key, header, given in (("target", "年度新增目标", policy.new_target(unit.name, period.year)),
                               ("net_target", "净增目标", policy.net_target(unit.name, period.year))):
        values = [getattr(row, key) for row in summary.units]
        if given is None or not values or any(v is None for v in values):
            continue
        total = sum(values)
        if total < given:
            found.append(make_finding("W305", file=summary.file, sheet=OVERVIEW, column=header, value=total,
                                      expected=given))
    return found
