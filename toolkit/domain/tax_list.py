"""The tax office's list of tax formed in a year per enterprise (当年形成税收), as it sends it.

Read from any workbook whose header names the columns (tolerant aliases). The unit must be stated
in the tax column's header (万元 or 元): a tax list in 元 read as 万元 would be ten thousand times
off, so a header without a unit is refused rather than guessed. Every row is checked and every
problem named with its cell; a list with any problem is refused whole.
"""

from __future__ import annotations

import re
from decimal import Decimal

from toolkit.domain.findings import Finding, make_finding
from toolkit.domain.money import share
from toolkit.domain.register_list import uscc_finding
from toolkit.domain.rewards import TaxFigure
from toolkit.domain.tables import Rows, cell, header_key, match_headers
from toolkit.domain.text import NotANumber, clean_text, is_blank, normalise_code, parse_number

COLUMNS = [
    ("uscc", ("统一社会信用代码", "纳税人识别号", "信用代码", "社会信用代码")),
    ("name", ("企业名称", "纳税人名称", "单位名称")),
    ("tax", ("当年形成税收", "当年税收", "税收", "税收合计", "入库税收", "年度税收", "实缴税款", "税收收入")),
]
TEN_THOUSAND = Decimal(10000)


def tax_unit(header: object) -> Decimal | None:
    """How many 万元 one unit of the column is (1 for 万元, 0.0001 for 元); None when not stated."""
    text = header_key(header)
    if "万元" in text:
        return Decimal(1)
    if text.endswith("元)") or text.endswith("元"):
        return 1 / TEN_THOUSAND
    return None


# the tax office often heads the column with the year ("2024年形成税收（万元）", "2024年度税收合计（元）")
_YEAR_HEADED = re.compile(r"^\s*(20\d{2})\s*年度?\s*(.*税.*)$")


def parse_tax_list(sheets: dict[str, Rows], file: str, year: int | None = None) -> tuple[list[TaxFigure], list[Finding]]:
    """The list's figures, or the problems that refuse it; ``year``: the year imported (a header naming another
    year is a finding)."""
    for sheet, rows in sheets.items():
        headed, years = _without_years(rows)
        match = match_headers(headed, COLUMNS)
        if match is not None and {"uscc", "tax"} <= set(match.columns):
            said = years.get((match.row, match.columns["tax"]))
            if year is not None and said is not None and said != year:
                header = clean_text(cell(rows, match.row, match.columns["tax"]))
                return [], [make_finding("T002", file=file, sheet=sheet, row=match.row + 1, col=match.columns["tax"],
                                         column=header, value=header, holder=said, expected=year)]
            return _parse_sheet(sheet, headed, match, file, rows)
    where = "、".join(f"工作表“{name}”" for name in sheets) or "文件"
    return [], [make_finding("T003", file=file, sheet=next(iter(sheets), ""), holder=where,
                             expected="“统一社会信用代码”和“当年形成税收（万元）”")]


def _without_years(rows: Rows) -> tuple[Rows, dict[tuple[int, int], int]]:
    """The rows with a year-headed tax column read as "当年…" (its unit kept), and where a year was said."""
    years: dict[tuple[int, int], int] = {}
    out = list(rows)
    for index, row in enumerate(rows[:12]):
        changed = list(row)
        for col, value in enumerate(row):
            found = _YEAR_HEADED.match(value) if isinstance(value, str) else None
            if found:
                rest = found.group(2)
                changed[col] = rest if rest.startswith("当年") else ("当年" + rest if rest.startswith("形成") else rest)
                years[(index, col)] = int(found.group(1))
        if changed != list(row):
            out[index] = changed
    return out, years


def _parse_sheet(sheet: str, rows: Rows, match, file: str, original: Rows) -> tuple[list[TaxFigure], list[Finding]]:
    cols = match.columns
    header = cell(original, match.row, cols["tax"])  # as the office wrote it, in every message
    unit = tax_unit(header)
    if unit is None:
        return [], [make_finding("T001", file=file, sheet=sheet, row=match.row + 1, col=cols["tax"],
                                 column=clean_text(header), value=clean_text(header))]
    figures: list[TaxFigure] = []
    findings: list[Finding] = []
    first_row: dict[str, int] = {}
    for index in range(match.row + 1, len(rows)):
        if all(is_blank(v) for v in rows[index]):
            continue
        row = index + 1
        where = dict(file=file, sheet=sheet, row=row)
        code = normalise_code(cell(rows, index, cols["uscc"]))
        name = clean_text(cell(rows, index, cols["name"])) if "name" in cols else ""
        problem = uscc_finding(code, cols["uscc"], where)
        if problem is not None:
            findings.append(problem)
            continue
        if code in first_row:
            findings.append(make_finding("E106", col=cols["uscc"], column="统一社会信用代码", value=code,
                                         expected=first_row[code], **where))
            continue
        first_row[code] = row
        raw = cell(rows, index, cols["tax"])
        column = clean_text(header)
        if is_blank(raw):
            findings.append(make_finding("E101", col=cols["tax"], column=column, **where))
            continue
        try:
            value = share(parse_number(raw))
        except NotANumber:
            findings.append(make_finding("E110", col=cols["tax"], column=column, value=clean_text(raw), **where))
            continue
        if value < 0:
            findings.append(make_finding("E111", col=cols["tax"], column=column, value=f"{value:f}", **where))
            continue
        figures.append(TaxFigure(code, name, (value * unit).normalize() if value else Decimal(0),
                                 f"{sheet} 第{row}行"))
    if not figures and not findings:
        findings.append(make_finding("R003", file=file, sheet=sheet))
    return figures, findings
