"""A register list as the statistics office keeps it (规上企业名录): USCC, name and county per row.

Used for the starting register (在库名录 at the plan's start). Read from any workbook whose header
names the columns (tolerant aliases); every row is checked and every problem named with its cell.
A list with any 错误 is refused whole: a register with holes is worse than none.
"""

from __future__ import annotations

from dataclasses import dataclass

from toolkit.domain.findings import Finding, make_finding
from toolkit.domain.periods import BadPeriod, Period
from toolkit.domain.policy import County, Policy
from toolkit.domain.report_schema import ENTRY_KINDS
from toolkit.domain.tables import Rows, cell, match_headers
from toolkit.domain.text import clean_text, is_blank, normalise_code
from toolkit.domain.uscc import area_code, check_uscc

COLUMNS = [
    ("uscc", ("统一社会信用代码", "信用代码", "社会信用代码", "统一代码")),
    ("name", ("企业名称", "单位名称", "详细名称", "企业全称")),
    ("county", ("县市区", "所属县市区", "区县", "县（市、区）", "所在县市区", "市州", "单位")),
    ("division_code", ("行政区划代码", "区划代码", "所在地区划代码")),
    ("change", ("变动类型", "变动情况", "入退库类型", "类型")),  # confirmed lists only
    ("month", ("月份", "变动月份", "确认月份", "入库月份", "退库月份")),
    ("entry_kind", ("入规类型", "入库类型")),  # confirmed lists, optional: checked against the county's report
]
ENTRY, EXIT = "entry", "exit"
_CHANGES = {"新增": ENTRY, "入规": ENTRY, "入库": ENTRY, "新入库": ENTRY, "新增入规": ENTRY,
            "退库": EXIT, "退规": EXIT, "退出": EXIT, "退库退规": EXIT}
CHANGE_LABELS = {ENTRY: "新增", EXIT: "退库"}


@dataclass(frozen=True)
class StartingFirm:
    """An enterprise of the statistics office's register at the plan's start, as the store keeps it."""

    uscc: str
    name: str
    county: str
    source: str  # file name and row


@dataclass(frozen=True)
class ConfirmedChange:
    """An entry or exit on the statistics office's confirmed list of a period, as the store keeps it."""

    uscc: str
    name: str
    county: str
    change: str  # "entry" or "exit"
    month: str
    source: str  # file name and row
    kind: str  # 入规类型 of an entry, '' when the list has none


@dataclass(frozen=True)
class ListedFirm:
    uscc: str
    name: str
    county: str
    sheet: str
    row: int  # 1-based worksheet row
    change: str = ""  # confirmed lists: "entry" or "exit"
    month: str = ""  # confirmed lists: the month of the change, when given
    kind: str = ""  # confirmed lists: 入规类型 of an entry, when given

    @property
    def source(self) -> str:
        return f"{self.sheet} 第{self.row}行"


def uscc_finding(code: str, col: int, where: dict) -> Finding | None:
    """The problem with a list's USCC cell (blank, malformed, wrong check character, not an enterprise), if any."""
    if not code:
        return make_finding("E101", col=col, column="统一社会信用代码", **where)
    problem = check_uscc(code)
    if problem is None:
        return None
    return make_finding(problem.code, col=col, column="统一社会信用代码",
                        value=code[1] if problem.code == "E104" else code, expected=problem.expected, **where)


def _county_of(policy: Policy, name: object, division: object, uscc: str) -> County | None:
    """By the name column, else the division code column, else the USCC's area when only one unit takes it; at
    province level a 县市区's name or code gives its 市州."""
    county = policy.find_county(name) or policy.unit_of(name)  # a province's list names the 县市区: its 市州
    if county is not None:
        return county
    code = normalise_code(division)
    if code:
        county = next((c for c in policy.counties if c.division_code == code), None)
        county = county or next((u for u in policy.counties for m in u.members if m.division_code == code), None)
        if county is not None:
            return county
    if is_blank(name) and uscc:
        takers = [c for c in policy.counties if c.uscc_prefixes and c.accepts_area(area_code(uscc))]
        if len(takers) == 1:
            return takers[0]
    return None


def parse_register_list(sheets: dict[str, Rows], file: str, policy: Policy,
                        confirmed: bool = False) -> tuple[list[ListedFirm], list[Finding]]:
    """The firms of the first sheet that looks like a register list, and every problem found.

    ``confirmed``: the statistics office's confirmed entries and exits, with a 变动类型 column.
    """
    needed = {"uscc", "name", "change"} if confirmed else {"uscc", "name"}
    for sheet, rows in sheets.items():
        match = match_headers(rows, COLUMNS)
        if match is not None and needed <= set(match.columns):
            return _parse_sheet(sheet, rows, match, file, policy, confirmed)
    wanted = "“统一社会信用代码”“企业名称”“变动类型”" if confirmed else "“统一社会信用代码”和“企业名称”"
    return [], [make_finding("R001", file=file, expected=wanted)]


def _parse_sheet(sheet: str, rows: Rows, match, file: str, policy: Policy,
                 confirmed: bool) -> tuple[list[ListedFirm], list[Finding]]:
    cols = match.columns
    firms: list[ListedFirm] = []
    findings: list[Finding] = []
    first_row: dict[str, int] = {}
    for index in range(match.row + 1, len(rows)):
        if all(is_blank(v) for v in rows[index]):
            continue
        row = index + 1
        raw_code = cell(rows, index, cols["uscc"])
        code = normalise_code(raw_code)
        name = clean_text(cell(rows, index, cols["name"]))
        where = dict(file=file, sheet=sheet, row=row)
        problem = uscc_finding(code, cols["uscc"], where)
        if problem is not None:
            findings.append(problem)
        else:
            key = code
            if confirmed:  # a firm may enter and leave in one year: one row of each kind
                key = f"{code}:{_CHANGES.get(clean_text(cell(rows, index, cols['change'])))}"
            if key in first_row:
                findings.append(make_finding("E106", col=cols["uscc"], column="统一社会信用代码", value=code,
                                             expected=first_row[key], **where))
            else:
                first_row[key] = row
        change = ""
        if confirmed:
            raw_change = clean_text(cell(rows, index, cols["change"]))
            change = _CHANGES.get(raw_change.replace(" ", ""), "")
            if not change:
                findings.append(make_finding("R004", col=cols["change"], column="变动类型", value=raw_change, **where))
        month = ""
        if confirmed and "month" in cols and not is_blank(cell(rows, index, cols["month"])):
            try:
                month = str(Period.parse(cell(rows, index, cols["month"])))
            except BadPeriod:
                findings.append(make_finding("E112", col=cols["month"], column="月份", expected="2022-03",
                                             value=clean_text(cell(rows, index, cols["month"])), **where))
        kind = ""
        if confirmed and "entry_kind" in cols and change == ENTRY:
            kind = clean_text(cell(rows, index, cols["entry_kind"])).replace(" ", "")
            if kind and kind not in ENTRY_KINDS:
                findings.append(make_finding("E115", col=cols["entry_kind"], column="入规类型", value=kind,
                                             expected="、".join(ENTRY_KINDS), **where))
        if not name:
            findings.append(make_finding("E101", col=cols["name"], column="企业名称", **where))
        raw_county = cell(rows, index, cols["county"]) if "county" in cols else None
        division = cell(rows, index, cols["division_code"]) if "division_code" in cols else None
        county = _county_of(policy, raw_county, division, code)
        if county is None:
            col = cols.get("county", cols.get("division_code", cols["uscc"]))
            findings.append(make_finding("R002", col=col, column=policy.unit_label, value=clean_text(raw_county),
                                         expected="、".join(policy.county_names), **where))
            continue
        if code and name:
            firms.append(ListedFirm(code, name, county.name, sheet, row, change, month, kind))
    if not firms and not findings:
        findings.append(make_finding("R003", file=file, sheet=sheet))
    return firms, findings
