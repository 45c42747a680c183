"""Taking a 市州's summary in at province level (#39): the same inbox, intake, store, judging and summary as a city's,
with a 市州's period summary (as guishang writes it) in the place of a county's report workbook.

``intake._examine`` hands a province's file here once it is read. What a summary gives the consolidation is what a
county report gives it: the unit it is filed under (the 市州, by the summary's own digest, else by its file name),
its findings (what the summary says of itself, ``domain.city_checks``), and its counted entries and exits as list rows
— each keeping the 县市区, the county file and row it came from, and that file's SHA-256, so that every province
figure is traced to the 市州's file and row and on to the county's.
"""

from __future__ import annotations

from dataclasses import dataclass

from toolkit.domain.city_checks import check_city_summary
from toolkit.domain.city_report import LAYOUT as REPORT_LAYOUT
from toolkit.domain.city_report import check_city_report
from toolkit.domain.findings import make_finding
from toolkit.domain.city_summary import OVERVIEW, SHEETS, ListedRow, read_city_summary
from toolkit.domain.intake_outcome import IntakeOutcome
from toolkit.domain.periods import Period
from toolkit.domain.policy import Policy
from toolkit.domain.province_figures import SUB_UNIT
from toolkit.domain.register import ListRow
from toolkit.domain.stamp import STAMP_SHEET, FileKind, Stamp
from toolkit.domain.submissions import named_county, named_period

UNITS_KEY = "units"  # the stored rows of a summary's 概览: each 县市区's status and the 市州's targets for it


@dataclass(frozen=True)
class SummaryLists:
    """A summary's lists in the shape the store keeps a report's (``tools().store_rows``): by list key, rows with
    their sheet, row and values — so that the store gives them back as it gives a county report's."""

    lists: dict[str, list[ListRow]]


def wanted(sheet: str) -> bool:
    """The sheets of a 市州's summary (or of the province template) the province reads (the others — pools, charts,
    forecasts — are the city's)."""
    return sheet in SHEETS or sheet in REPORT_LAYOUT.sheets or sheet == STAMP_SHEET


def _values(row: ListedRow) -> dict:
    """A summary row's values under the keys a county list row has (``listings_of``, the summary's sheets)."""
    values = dict(row.values)
    if row.kind == "entry":
        values.update(entry_kind=row.code, entry_mode=values.pop("mode", ""), entry_month=row.month)
    else:
        values.update(exit_reason=row.code, exit_month=row.month)
    values.update({SUB_UNIT: row.unit, "uscc": row.uscc, "name": row.name, "origin_file": row.origin_file,
                   "origin_row": row.origin_row, "origin_sha256": row.origin_sha256})
    return values


def examine_summary(name: str, sheets: dict, policy: Policy, period: Period):
    """(note, unit, findings, lists) of one 市州's file read at province level: ``note`` (IntakeOutcome, words)
    when it is not a summary of this period to take in, else the 市州 it is filed under, its findings and its
    counted entries and exits as ``ListRow`` by list key."""
    stamp = Stamp.from_rows(sheets[STAMP_SHEET]) if STAMP_SHEET in sheets else None
    if stamp is not None and stamp.kind is FileKind.CITY_REPORT:
        return _examine_report(name, sheets, stamp, policy, period)
    if stamp is None or stamp.kind is not FileKind.SUMMARY:
        what = (f"这是“{stamp.kind.label}”" if stamp is not None else "这不是本工具生成的汇总表")
        told = "县市区报表应报送所在市州，由市州汇总后报省" if stamp is not None and stamp.kind.is_submission else \
            "请报送市州用本工具生成的汇总表（输出/汇总/中的“…规上工业企业汇总表_报送期.xlsx”）"
        return (IntakeOutcome.UNRECOGNISED, f"{what}，不是市州汇总表。{told}。"), "", [], {}
    summary = read_city_summary(sheets, name, sheets[STAMP_SHEET])
    digest = summary.digest
    claimed = digest.period if digest else (str(stamp.period) if stamp.period else "")
    if claimed and claimed != str(period) and named_period(name) != period:
        return (IntakeOutcome.OTHER_PERIOD, f"报送期为 {claimed}，不属于 {period}，本次不处理。"), "", [], {}
    unit = policy.find_county(digest.region) if digest else None
    unit = unit or policy.find_county(named_county(policy, name))
    if unit is None:
        region = f"汇总表所属地区为“{digest.region}”，" if digest else ""
        return (IntakeOutcome.UNRECOGNISED, f"无法确定所属{policy.unit_label}：{region}不在省级政策参数的“报送单位”中，"
                                            "文件名中也没有市州名称。请核对后改名再放入收件箱。"), "", [], {}
    findings = list(summary.findings)
    if not summary.findings:
        findings += check_city_summary(summary, policy, period, unit)
    return None, unit.name, findings, _lists(summary)


def _examine_report(name: str, sheets: dict, stamp: Stamp, policy: Policy, period: Period):
    """A province template a 市州 filled in (``domain.city_report``): the 市州 its stamp names, checked row by row
    as a county report is, then as a summary is (its totals against its lists, its 县市区, its targets)."""
    if stamp.period and stamp.period != str(period) and named_period(name) != period:
        return (IntakeOutcome.OTHER_PERIOD, f"报送期为 {stamp.period}，不属于 {period}，本次不处理。"), "", [], {}
    unit = policy.find_county(stamp.county) or policy.find_county(named_county(policy, name))
    if unit is None:
        return (IntakeOutcome.UNRECOGNISED, f"无法确定所属{policy.unit_label}：模板标识中的“{stamp.county}”不在省级政策参数的"
                                            "“报送单位”中。请使用省里下发的模板。"), "", [], {}
    summary = read_city_summary(sheets, name, None, REPORT_LAYOUT)
    findings = list(summary.findings)
    if not summary.findings:
        findings += check_city_report(summary, period, unit) + check_city_summary(summary, policy, period, unit)
        if stamp.period and stamp.period != str(period):
            findings.append(make_finding("E005", file=name, sheet=REPORT_LAYOUT.overview, value=stamp.period,
                                         expected=str(period), holder=str(period)))
    return None, unit.name, findings, _lists(summary)


def _lists(summary) -> dict[str, list[ListRow]]:
    """The counted entries and exits, and each 县市区's line, as the store keeps a report's rows."""
    return {"entries": [ListRow(r.sheet, r.row, r.uscc, r.name, _values(r)) for r in summary.entries],
             "exits": [ListRow(r.sheet, r.row, r.uscc, r.name, _values(r)) for r in summary.exits],
             UNITS_KEY: [ListRow(OVERVIEW, u.row, "", u.unit, {"name": u.unit, "status": u.status, "target": u.target,
                                                              "net_target": u.net_target}) for u in summary.units]}
