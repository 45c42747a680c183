"""A 市州's period summary as the province reads it (#39: the province consolidates its 市州 as a city its counties).

A summary guishang writes carries a digest in its stamp sheet (``digest_rows``: one JSON cell labelled 汇总表摘要): who
made it (the region, its unit and total labels), for which period, from which policy (its SHA-256; whether it was the
built-in sample), whether the period was closed (封账), and per unit (县市区) its status, targets, counts and the file
behind them. ``read_city_summary`` reads that digest and the visible sheets a province takes: 概览 (each unit's
figures), 报送情况 (the county files and their SHA-256), 新增明细 and 退库明细 (each row with the county file and row
it came from). Headers are found by their text, never by position. The digest and the visible sheets are both kept:
a figure a clerk edited by hand before sending the file up shows as the two disagreeing (the province's check).
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field

from toolkit.domain.findings import Finding, make_finding
from toolkit.domain.period_summary import PeriodSummary
from toolkit.domain.policy import Policy
from toolkit.domain.province_figures import USCC_COLUMN
from toolkit.domain.submissions import Closure
from toolkit.domain.tables import Rows, cell, labelled_json

LABEL = "汇总表摘要"
FORMAT = 1
# the summary's sheets the province reads (adapters/summary_workbook.py writes them under these names)
OVERVIEW, STATUS, ENTRIES, EXITS = "概览", "报送情况", "新增明细", "退库明细"
SHEETS = (OVERVIEW, STATUS, ENTRIES, EXITS)
COUNTED = "计入"  # a 新增明细 row counted for its unit (the others: 待认定, 属其他单位（…）)
HEADER_SEARCH = 8  # a sheet's header is in its first rows (a title and a note above it)
EXAMPLE_MARK = "（示例）"
CSV_NOTE = "已另存为"  # a detail list too long for the workbook: its sheet says which CSV file holds it
_TOTAL_STATUS = re.compile(r"\d+/\d+")  # the total row's 报送状态: units accepted / units

# the columns read from each sheet: key -> header (the unit column's header is the summary's unit label)
OVERVIEW_COLUMNS = {"status": "报送状态", "new_build": "新建投产", "upgrade": "小升规", "other": "其他类型",
                    "new": "新增合计", "exits": "退库", "target": "年度新增目标", "net_target": "净增目标",
                    "pending": "待认定"}
STATUS_COLUMNS = {"status": "状态", "file": "报送文件", "sha256": "文件 SHA-256"}
ENTRY_COLUMNS = {"uscc": "统一社会信用代码", "name": "企业名称", "code": "入规类型", "mode": "入库方式",
                 "month": "入规月份", "industry": "行业代码", "revenue": "主营业务收入（万元）", "tax": "当年税收（万元）",
                 "counted": "计入情况", "origin_file": "来源文件", "origin_row": "行号"}
EXIT_COLUMNS = {"uscc": "统一社会信用代码", "name": "企业名称", "month": "退库月份", "code": "退库原因",
                "revenue": "上年主营业务收入（万元）", "origin_file": "来源文件", "origin_row": "行号"}


@dataclass(frozen=True)
class UnitDigest:
    """One unit (县市区) as the summary's digest gives it."""

    status: str
    new: int | None
    exits: int | None
    pending: int
    target: int | None
    net_target: int | None
    file: str
    sha256: str


@dataclass(frozen=True)
class SummaryDigest:
    """What a summary says of itself (its stamp sheet's 汇总表摘要)."""

    region: str
    unit_label: str
    total_label: str
    plan_title: str
    period: str
    policy_sha256: str
    builtin: bool
    closed_at: str
    closed_reason: str
    units: dict[str, UnitDigest] = field(default_factory=dict)


def digest_rows(summary: PeriodSummary, policy: Policy, policy_sha256: str,
                closed: Closure | None = None) -> list[list[str]]:
    """The stamp sheet's extra row for ``summary`` (one JSON cell), made from ``policy`` (its SHA-256 as archived)."""
    status = {row.county: row for row in summary.statuses}
    units = {}
    for figures in summary.counties:
        row = status.get(figures.county)
        units[figures.county] = UnitDigest(figures.status, figures.new, figures.exits, figures.pending, figures.target,
                                           figures.net_target, row.file if row else "", row.sha256 if row else "")
    data = {"format": FORMAT, "region": summary.region, "unit_label": summary.unit_label,
            "total_label": policy.total_label, "plan_title": policy.plan_title, "period": str(summary.period),
            "policy_sha256": policy_sha256, "builtin": policy.builtin,
            "closed_at": closed.closed_at if closed else "", "closed_reason": closed.reason if closed else "",
            "units": {name: asdict(unit) for name, unit in units.items()}}
    return [[LABEL, json.dumps(data, ensure_ascii=False, separators=(",", ":"))]]


def read_digest(rows: Rows) -> SummaryDigest | None:
    """The digest a stamp sheet carries; None when it carries none (a summary made before summaries carried one)
    or one that cannot be read."""
    data = labelled_json(rows, LABEL, FORMAT)
    if data is None:
        return None
    try:
        units = {name: UnitDigest(**unit) for name, unit in data["units"].items()}
        return SummaryDigest(data["region"], data["unit_label"], data["total_label"], data["plan_title"],
                             data["period"], data["policy_sha256"], bool(data["builtin"]), data["closed_at"],
                             data["closed_reason"], units)
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


@dataclass(frozen=True)
class UnitRow:
    """One unit's row of the summary's 概览 (``row``: 1-based in the sheet)."""

    unit: str
    status: str
    new_build: int | None
    upgrade: int | None
    other: int | None
    new: int | None
    exits: int | None
    target: int | None
    net_target: int | None
    pending: int | None
    row: int


@dataclass(frozen=True)
class ListedRow:
    """One row of the summary's 新增明细 or 退库明细: a firm, its unit, the county file and row it came from, and the
    summary's own sheet and row (1-based)."""

    kind: str  # "entry" | "exit"
    unit: str
    uscc: str
    name: str
    code: str  # 入规类型 / 退库原因
    month: str
    values: dict
    counted: str
    origin_file: str
    origin_row: int | None
    origin_sha256: str
    sheet: str
    row: int


@dataclass
class CitySummary:
    """A 市州's summary as read: its digest (None when it has none), its units' figures, the county files behind
    them, its counted lists, and what could not be read (findings naming sheet and cell)."""

    file: str
    digest: SummaryDigest | None
    total_label: str = ""  # the 概览 total row's label: 全市, or 已受理合计（8/10） while units are missing
    units: list[UnitRow] = field(default_factory=list)
    files: dict[str, tuple[str, str]] = field(default_factory=dict)  # county file -> (status, SHA-256)
    entries: list[ListedRow] = field(default_factory=list)  # counted rows only
    exits: list[ListedRow] = field(default_factory=list)
    held: list[ListedRow] = field(default_factory=list)  # 新增明细 rows not counted (待认定, 属其他单位)
    findings: list[Finding] = field(default_factory=list)
    columns: dict[str, int] = field(default_factory=dict)  # 概览's columns by key (0-based): where a finding points


def _header(rows: Rows, wanted: list[str]) -> tuple[int, dict[str, int]] | None:
    """(the header's 0-based row, header text → column) of the first row holding every ``wanted`` text."""
    for at, row in enumerate(rows[:HEADER_SEARCH]):
        texts = {_title(value): col for col, value in enumerate(row) if value not in (None, "")}
        if all(w in texts for w in wanted):
            return at, texts
    return None


def _title(value) -> str:
    """A header's text without the mark of example data (净增目标（示例）: the city has not replaced its sample)."""
    text = str(value).strip()
    return text[:-len(EXAMPLE_MARK)] if text.endswith(EXAMPLE_MARK) else text


def _int(value) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)) and float(value).is_integer():
        return int(value)
    text = str(value).strip()
    return int(text) if text.isdigit() else None


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


@dataclass(frozen=True)
class Layout:
    """Where a 市州's figures are in its file: a guishang summary's sheets, or the province template's
    (``domain.city_report``); ``optional``: the column keys a sheet may lack (a template has no 计入情况)."""

    overview: str
    status: str | None
    entries: str
    exits: str
    optional: frozenset[str] = frozenset()

    @property
    def sheets(self) -> tuple[str, ...]:
        return tuple(s for s in (self.overview, self.status, self.entries, self.exits) if s)


SUMMARY_LAYOUT = Layout(OVERVIEW, STATUS, ENTRIES, EXITS)


def read_city_summary(sheets: dict[str, Rows], file: str, stamp_rows: Rows | None = None,
                      layout: Layout = SUMMARY_LAYOUT) -> CitySummary:
    """The summary ``file`` (its sheets as read, ``stamp_rows`` its stamp sheet's) as the province takes it."""
    digest = read_digest(stamp_rows or [])
    out = CitySummary(file, digest)
    for sheet in layout.sheets:
        if sheet not in sheets:
            out.findings.append(make_finding("E006", file=file, sheet=sheet, expected=sheet))
    if out.findings:
        return out
    unit_label = digest.unit_label if digest else "县市区"
    _overview(out, sheets[layout.overview], layout.overview, unit_label, layout.optional)
    if layout.status:
        _status(out, sheets[layout.status], unit_label)
    _lists(out, sheets[layout.entries], layout.entries, "entry", unit_label, ENTRY_COLUMNS, layout.optional)
    _lists(out, sheets[layout.exits], layout.exits, "exit", unit_label, EXIT_COLUMNS, layout.optional)
    return out


def _columns(out: CitySummary, rows: Rows, sheet: str, unit_label: str, columns: dict[str, str],
             optional: frozenset[str] = frozenset()) -> tuple[int, dict[str, int]] | None:
    required = [header for key, header in columns.items() if key not in optional]
    found = _header(rows, [unit_label, *required])
    if found is not None:
        at, texts = found
        return at, {"unit": texts[unit_label], **{key: texts[header] for key, header in columns.items()
                                                  if header in texts}}
    if any(CSV_NOTE in str(value) for row in rows[:HEADER_SEARCH] for value in row if value):
        out.findings.append(make_finding("E306", file=out.file, sheet=sheet))  # the list went to a CSV beside it
        return None
    found = _header(rows, [unit_label]) or (2, {})
    missing = [h for h in required if h not in found[1]] if found[1] else [unit_label]
    out.findings.append(make_finding("E007", file=out.file, sheet=sheet, row=found[0], expected=missing[0]))
    return None


def _overview(out: CitySummary, rows: Rows, sheet: str, unit_label: str, optional: frozenset[str]) -> None:
    found = _columns(out, rows, sheet, unit_label, OVERVIEW_COLUMNS, optional)
    if found is None:
        return
    at, col = found
    out.columns = col
    for index in range(at + 1, len(rows)):
        unit = _text(cell(rows, index, col["unit"]))
        if not unit:
            break  # the table ends at the first row without a unit (the goals' notes follow, after a gap)
        status = _text(cell(rows, index, col["status"]))
        if _TOTAL_STATUS.fullmatch(status):  # the total row (全市, or 已受理合计（8/10）): its status is 8/10
            out.total_label = unit
            break
        values = {key: _int(cell(rows, index, col[key])) if key in col else None
                  for key in OVERVIEW_COLUMNS if key != "status"}
        out.units.append(UnitRow(unit, status, **values, row=index + 1))


def _status(out: CitySummary, rows: Rows, unit_label: str) -> None:
    found = _columns(out, rows, STATUS, unit_label, STATUS_COLUMNS)
    if found is None:
        return
    at, col = found
    for index in range(at + 1, len(rows)):
        name = _text(cell(rows, index, col["file"]))
        if name:
            out.files[name] = (_text(cell(rows, index, col["status"])), _text(cell(rows, index, col["sha256"])))


def _lists(out: CitySummary, rows: Rows, sheet: str, kind: str, unit_label: str, columns: dict[str, str],
           optional: frozenset[str] = frozenset()) -> None:
    found = _columns(out, rows, sheet, unit_label, columns, optional)
    if found is None:
        return
    at, col = found
    plain = ("unit", "uscc", "name", "code", "month", "counted", "origin_file", "origin_row")
    for index in range(at + 1, len(rows)):
        got = {key: cell(rows, index, c) for key, c in col.items()}
        if all(value in (None, "") for value in got.values()):
            continue
        origin = _text(got.get("origin_file"))
        listed = ListedRow(kind, _text(got["unit"]), _text(got["uscc"]).upper(), _text(got["name"]),
                           _text(got["code"]), _text(got["month"]),
                           {key: value for key, value in got.items() if key not in plain} | {USCC_COLUMN: col["uscc"]},
                           _text(got.get("counted")) or COUNTED, origin, _int(got.get("origin_row")),
                           out.files.get(origin, ("", ""))[1], sheet, index + 1)
        if kind == "exit":
            out.exits.append(listed)
        elif listed.counted == COUNTED:
            out.entries.append(listed)
        else:
            out.held.append(listed)
