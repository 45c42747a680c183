"""Reading a county workbook's sheets (2-D arrays, from a file or a live Excel book) into a report.

Tolerant of what clerks really send (blank rows, full-width characters, numbers stored as text,
lower-case codes, "攸 县", extra columns) and strict about what makes a workbook someone else's
(another template version, county or period; a missing sheet or column).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Mapping, Protocol, Sequence

from toolkit.domain import report_schema as S
from toolkit.domain.findings import PERIOD_MISMATCH, Finding, cell_address, make_finding
from toolkit.domain.periods import BadPeriod, Period
from toolkit.domain.policy import Policy
from toolkit.domain.report import CountyReport, Record
from toolkit.domain.stamp import STAMP_SHEET, Stamp
from toolkit.domain.tables import Rows, cell, find_label, match_headers
from toolkit.domain.text import (NOT_PLAIN_TEXT, NOT_SPACE, PLAIN_CODE, NotANumber, clean_text, halfwidth,
                                 hidden_characters, is_blank, normalise_code, normalise_name, parse_number, plain_code,
                                 plain_text)

_EXCEL_EPOCH = dt.date(1899, 12, 30)
_NOT_PLAIN_TEXT_SEARCH = NOT_PLAIN_TEXT.search  # plain_text, a column at a time
_PLAIN_CODE_MATCH = PLAIN_CODE.fullmatch  # plain_code
_NOT_SPACE_SEARCH = NOT_SPACE.search  # is_blank


class _Unreadable(Exception):
    """A cell value that cannot be converted; carries the finding code and details."""

    def __init__(self, code: str, **details: object) -> None:
        super().__init__(code)
        self.code = code
        self.details = details


def parse_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 20000 < value < 80000:
        return _EXCEL_EPOCH + dt.timedelta(days=int(value))  # an Excel serial date
    text = halfwidth(clean_text(value)).replace(" ", "")
    match = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", text) or re.fullmatch(r"(\d{4})(\d{2})(\d{2})", text)
    if not match:
        raise ValueError(text)
    return dt.date(*(int(g) for g in match.groups()))


_CHOICES = {key: {normalise_name(choice): choice for choice in choices} for key, choices in S.CODE_LISTS.items()}
_EXACT = {key: {choice: choice for choice in choices} for key, choices in S.CODE_LISTS.items()}  # as the list wrote it


def convert(column: S.Column, value: object, months: tuple[str, ...] = ()) -> object:
    """The typed value of a cell for ``column``; raises _Unreadable with the finding to make."""
    kind = column.kind
    if kind in ("text", "phone"):
        if plain_text(value) and len(value) <= column.max_length:  # as most cells are: nothing to clean or refuse
            return value
        return checked_text(value, column.max_length, column.one_line)
    if kind == "uscc":
        if plain_code(value):
            return value
        if _is_number(value):  # digits after the 15th are gone: name it, never derive a check character
            raise _Unreadable("E134")
        return normalise_code(value)
    if kind == "industry":
        code = value if plain_code(value) else normalise_code(value)
        if isinstance(value, (int, float)) and len(code) == 3:
            code = "0" + code  # a 4-digit class code typed into a number cell loses its leading zero
        return code
    if kind in ("code", "yesno"):
        choice = _EXACT[column.choices].get(value) if type(value) is str else None
        if choice is None:
            choice = _CHOICES[column.choices].get(normalise_name(value))
        if choice is None:
            raise _Unreadable("E115", expected="、".join(S.CODE_LISTS[column.choices]))
        return choice
    if kind == "month":
        if _is_number(value):  # 2022.10 typed into a number cell is 2022.1: which month was meant is lost
            raise _Unreadable("E135", expected=months[-1] if months else "2022-03")
        try:
            return Period.parse(value)
        except BadPeriod:
            raise _Unreadable("E112", expected=months[-1] if months else "2022-03") from None
    if kind == "date":
        try:
            return parse_date(value)
        except ValueError:
            raise _Unreadable("E116") from None
    if kind in ("number", "integer"):
        if type(value) is float and 0.0 <= value < math.inf:  # a number cell, as most are (NaN compares false)
            number = value
        else:
            try:
                number = parse_number(value)
            except NotANumber:
                raise _Unreadable("E110") from None
            if number < 0:
                raise _Unreadable("E111")
        if kind == "integer":
            if not number.is_integer():
                raise _Unreadable("E128")
            return int(number)
        return number
    raise AssertionError(f"unknown column kind {kind}")


COVER_TEXT_LIMIT = 500


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _digits(number: float) -> str:
    """A number cell's digits as a clerk would read them (12345.0 → “12345”); anything else as it prints."""
    if isinstance(number, float) and math.isfinite(number) and number.is_integer():
        return str(int(number))
    return str(number)


def checked_text(value: object, limit: int, one_line: bool = False) -> str:
    """A text cell as typed, refused when it hides control characters or is implausibly long."""
    text = clean_text(value)
    hidden = hidden_characters(text, one_line=one_line)
    if hidden:
        raise _Unreadable("E130", expected=len(hidden))
    if len(text) > limit:
        raise _Unreadable("E131", expected=limit, holder=f"{len(text):,}")
    return text


def _seen(value: object) -> str:
    return clean_text(value)


def _parse_cover(report: CountyReport, rows: Rows, findings: list[Finding]) -> None:
    for field in S.COVER_FIELDS:
        index = find_label(rows, field.label, S.COVER_LABEL_COL)
        if index is None:
            if field.required:
                findings.append(make_finding("E007", file=report.file, sheet=report.sheet(S.COVER_SHEET),
                                             expected=field.label))
            continue
        raw = cell(rows, index, S.COVER_VALUE_COL)
        report.cover_cells[field.key] = (index + 1, S.COVER_VALUE_COL)
        where = dict(file=report.file, sheet=report.sheet(S.COVER_SHEET), row=index + 1, col=S.COVER_VALUE_COL,
                     column=field.label)
        if is_blank(raw):
            if field.required:
                findings.append(make_finding("E101", **where))
            report.cover[field.key] = None
            continue
        try:
            if field.kind == "date":
                report.cover[field.key] = parse_date(raw)
            elif field.kind == "period":
                if _is_number(raw):
                    raise _Unreadable("E135", expected="2022-06")
                report.cover[field.key] = Period.parse(raw)
            elif field.kind == "integer":
                report.cover[field.key] = int(parse_number(raw))
            else:
                report.cover[field.key] = checked_text(raw, COVER_TEXT_LIMIT, one_line=field.key != "note")
                if field.kind == "phone" and _is_number(raw) and not re.fullmatch(r"1\d{10}", _digits(raw)):
                    # a landline typed into a number cell has lost the 0 of its area code (0731 → 731)
                    findings.append(make_finding("W137", value=_seen(raw), **where))
        except _Unreadable as problem:
            findings.append(make_finding(problem.code, value=_seen(raw), **where, **problem.details))
            report.cover[field.key] = None
        except (ValueError, NotANumber):
            code = {"date": "E116", "period": "E112"}.get(field.kind, "E110")
            findings.append(make_finding(code, value=_seen(raw), expected="2022-06", **where))
            report.cover[field.key] = None


class Layout(Protocol):
    """What the values of a workbook do not show, by sheet name (read from the file when available)."""

    merged: Mapping[str, Sequence[tuple[int, int, int, int]]]  # 0-based first row, first col, last row, last col
    hidden_rows: Mapping[str, Sequence[int]]  # 1-based worksheet rows


def _layout_findings(report: CountyReport, spec: S.SheetSpec, rows: Rows, header_row: int, records: list[Record],
                     layout: Layout) -> list[Finding]:
    """Merged cells over data rows (values silently missing) and hidden data rows (counted unseen)."""
    findings = []
    sheet = report.sheet(spec.name)
    headers = rows[header_row]
    for r0, c0, r1, c1 in layout.merged.get(sheet, ()):
        if r1 <= header_row or r0 >= len(rows) or c0 >= len(rows[r0]):
            continue
        spanned = range(max(r0, header_row + 1), min(r1, len(rows) - 1) + 1)
        if not any(not is_blank(v) for r in spanned for v in rows[r]):
            continue  # merged but empty: harmless
        where = f"“{clean_text(headers[c0]) if c0 < len(headers) else spec.name}”列的 {cell_address(r0 + 1, c0)}:{cell_address(r1 + 1, c1)}"
        findings.append(make_finding("E132", file=report.file, sheet=sheet, row=r0 + 1, col=c0,
                                     column=clean_text(headers[c0]) if c0 < len(headers) else "", value=where))
    by_row = {record.row: record for record in records}
    for number in sorted(set(layout.hidden_rows.get(sheet, ()))):
        record = by_row.get(number)
        if record is None:
            continue  # a hidden blank row, or one above the header: nothing is counted from it
        col = min(record.columns.values())
        findings.append(make_finding("W133", file=report.file, sheet=sheet, row=number, col=col,
                                     value=number, explained=record.explained))
    return findings


EXAMPLE_HOW = {
    "half": f"是模板的示例行（企业名称以“{S.EXAMPLE_MARK}”开头、统一社会信用代码为 {S.EXAMPLE_USCC}），但已被部分改动",
    "rewritten": f"的“说明”仍是示例行的“{S.EXAMPLE_NOTE}”，是在示例行上改写的，示例原有的值（如税收、人数）可能还留在本行",
}


def _at(row: Sequence[object], col: int | None) -> object:
    return row[col] if col is not None and col < len(row) else None


def _example_seen(row: Sequence[object], positions: Mapping[str, int]) -> str:
    name, code = _at(row, positions.get("name")), _at(row, positions.get("uscc"))
    return f"企业名称“{clean_text(name) if not is_blank(name) else ''}”，统一社会信用代码“{_seen(code) if not is_blank(code) else ''}”"


_DECIDE = object()  # a cell the common case does not decide: convert() (or the blank rules) must


def _at_once(column: S.Column, cells: list) -> list:
    """The column's typed values where the common case decides them at once (as convert() would return them),
    else _DECIDE: a whole column in one comprehension, instead of a call per cell."""
    kind = column.kind
    not_plain = _NOT_PLAIN_TEXT_SEARCH
    if kind in ("text", "phone"):
        limit = column.max_length
        return [v if v.__class__ is str and len(v) <= limit and not_plain(v) is None else _DECIDE for v in cells]
    if kind in ("uscc", "industry"):
        plain = _PLAIN_CODE_MATCH
        return [v if v.__class__ is str and plain(v) is not None else _DECIDE for v in cells]
    if kind in ("number", "integer"):
        inf = math.inf
        if kind == "number":
            return [v if v.__class__ is float and 0.0 <= v < inf else _DECIDE for v in cells]
        return [int(v) if v.__class__ is float and 0.0 <= v < inf and v.is_integer() else _DECIDE for v in cells]
    if kind in ("code", "yesno"):
        exact = _EXACT[column.choices]
        return [exact.get(v, _DECIDE) if v.__class__ is str else _DECIDE for v in cells]
    if kind == "month":  # the few month texts of a sheet, each parsed once
        known = {}
        for text in {v for v in cells if v.__class__ is str}:
            try:
                known[text] = Period.parse(text)
            except BadPeriod:
                continue
        return [known.get(v, _DECIDE) if v.__class__ is str else _DECIDE for v in cells]
    return [_DECIDE] * len(cells)


def _parse_list(report: CountyReport, spec: S.SheetSpec, rows: Rows, findings: list[Finding],
                layout: Layout | None = None, *, by_column: bool = True) -> None:
    """The records of a list sheet and the findings on its cells, row by row in sheet order.

    ``by_column``: each column is first typed in one pass where the common case decides (a clean text, code,
    number, month or choice; a blank where the column may be empty); a row holding any other cell goes through
    the cell-by-cell rules (convert() and is_blank), which alone word the findings. False sends every row that
    way: the reference a property test holds the first to (tests/unit/test_columnar_rules.py)."""
    sheet = report.sheet(spec.name)
    wanted = [(c.key, c.names) for c in spec.columns]
    match = match_headers(rows, wanted)
    required = [c for c in spec.columns if c.required]
    if match is None:
        for column in required:
            findings.append(make_finding("E007", file=report.file, sheet=sheet, expected=column.header))
        return
    missing = [c for c in required if c.key not in match.columns]
    for column in missing:
        findings.append(make_finding("E007", file=report.file, sheet=sheet, expected=column.header))
    if missing:
        return
    months = tuple(str(p) for p in report.period.months_of_year_so_far()) if report.period else ()
    records: list[Record] = []
    columns = [(c, match.columns[c.key]) for c in spec.columns if c.key in match.columns]
    positions = {c.key: col for c, col in columns}  # shared by the sheet's records
    keys = [c.key for c, _ in columns]
    first = match.row + 1
    data = rows[first:]
    # the sheet a column at a time: its cells, which are blank (as is_blank), and what the common case decides
    cells_by_column = [[row[col] if col < len(row) else None for row in data] for _, col in columns]
    not_space = _NOT_SPACE_SEARCH
    blank_by_column = [[v is None or (not_space(v) is None if isinstance(v, str) else isinstance(v, float) and v != v)
                        for v in cells] if by_column else [is_blank(v) for v in cells] for cells in cells_by_column]
    typed_by_column = []
    for (column, _), cells, blanks in zip(columns, cells_by_column, blank_by_column):
        if not by_column:
            typed_by_column.append([_DECIDE] * len(data))
            continue
        # a blank cell is None, or decided by the blank rules when the column is required (E101)
        empty = _DECIDE if column.required else None
        typed_by_column.append([empty if blank else value for value, blank in zip(_at_once(column, cells), blanks)])
    name_at, uscc_at, note_at = positions.get("name"), positions.get("uscc"), positions.get("note")
    for offset, (row, cells, blanks, typed) in enumerate(zip(data, zip(*cells_by_column), zip(*blank_by_column),
                                                              zip(*typed_by_column))):
        if all(blanks):
            continue  # a blank row inside the data (tolerated), or something only in a column we do not know
        index = first + offset
        example = S.example_state(_at(row, name_at), _at(row, uscc_at), _at(row, note_at))
        if example == "example":
            continue  # the template's example row: never a firm
        if example:  # a firm typed over the example: neither counted nor dropped unseen
            findings.append(make_finding("E138", file=report.file, sheet=sheet, row=index + 1,
                                         col=positions.get("uscc", positions.get("name", 0)),
                                         value=_example_seen(row, positions), how=EXAMPLE_HOW[example]))
            continue
        raw = dict(zip(keys, cells))  # as typed; cleaned only when a message needs it
        if _DECIDE not in typed:  # every cell decided at once: nothing to report
            records.append(Record(sheet, index + 1, dict(zip(keys, typed)), raw, positions))
            continue
        values: dict[str, object] = {}
        for (column, col), value, blank, done in zip(columns, cells, blanks, typed):
            if blank:
                values[column.key] = None
                if column.required:
                    findings.append(make_finding("E101", file=report.file, sheet=sheet, row=index + 1,
                                                 col=col, column=column.header))
                continue
            if done is not _DECIDE:
                values[column.key] = done
                continue
            try:
                values[column.key] = convert(column, value, months)
            except _Unreadable as problem:
                values[column.key] = None
                findings.append(make_finding(problem.code, value=_seen(value), file=report.file, sheet=sheet,
                                             row=index + 1, col=col, column=column.header, **problem.details))
        records.append(Record(sheet, index + 1, values, raw, positions))
    report.lists[spec.key] = records
    if layout is not None:
        findings.extend(_layout_findings(report, spec, rows, match.row, records, layout))


def parse_report(sheets: dict[str, Rows], file: str, policy: Policy, expect_county: str | None = None,
                 expect_period: Period | None = None, layout: Layout | None = None) -> tuple[CountyReport, list[Finding]]:
    """Read the workbook's sheets. Structural problems (stamp, sheets, columns) come back as 错误."""
    report = CountyReport(file=file)
    findings: list[Finding] = []
    spelled = {_sheet_key(name): name for name in sheets}  # producers trim, re-case and re-width names
    report.sheet_names = {name: spelled[_sheet_key(name)] for name in _READ if _sheet_key(name) in spelled}
    sheets = {name: sheets[report.sheet(name)] for name in report.sheet_names}
    stamp = Stamp.from_rows(sheets[STAMP_SHEET]) if STAMP_SHEET in sheets else None
    if stamp is None:
        return report, [make_finding("E001", file=file)]
    report.stamp = stamp
    if not stamp.kind.is_submission:
        return report, [make_finding("E003", file=file, value=stamp.kind.label)]
    if stamp.schema_version not in S.ACCEPTED_VERSIONS:
        return report, [make_finding("E002", file=file, value=stamp.schema_version or "未知", expected=S.SCHEMA_VERSION)]
    county = policy.find_county(stamp.county)
    if county is None:
        return report, [make_finding("E004", file=file, value=stamp.county, expected="、".join(policy.county_names))]
    report.county = county.name
    try:
        report.period = Period.parse(stamp.period)
    except BadPeriod:
        return report, [make_finding(PERIOD_MISMATCH, file=file, value=stamp.period,
                                     expected=expect_period or "YYYY-MM")]
    if expect_county and normalise_name(expect_county) != normalise_name(county.name):
        findings.append(make_finding("E004", file=file, value=county.name, expected=expect_county))

    for name in (S.COVER_SHEET, *(s.name for s in S.sheets_of(stamp.schema_version))):
        if name not in sheets:
            findings.append(make_finding("E006", file=file, sheet=name, expected=name))
    if S.COVER_SHEET in sheets:
        _parse_cover(report, sheets[S.COVER_SHEET], findings)
        _check_cover_identity(report, policy, findings)
    if expect_period and expect_period != report.period:
        findings.append(wrong_period(report, expect_period))
    for spec in S.LIST_SHEETS:
        if spec.name in sheets:
            _parse_list(report, spec, sheets[spec.name], findings, layout)
    return report, findings


def _sheet_key(name: str) -> str:
    """A sheet name as compared: trimmed, white space dropped, full-width folded, case ignored."""
    return re.sub(r"\s+", "", halfwidth(str(name))).casefold()


_READ = (STAMP_SHEET, S.COVER_SHEET, *(s.name for s in S.LIST_SHEETS))  # the sheets parse_report reads
_READ_KEYS = frozenset(_sheet_key(name) for name in _READ)


def reads_sheet(name: str) -> bool:
    """Whether parse_report reads a sheet of this name (spelt as any producer spells it): a reader may skip the
    others (the instructions, the dropdown lists) without changing what the check finds."""
    return _sheet_key(name) in _READ_KEYS


def _check_cover_identity(report: CountyReport, policy: Policy, findings: list[Finding]) -> None:
    """The cover must name the same county and period as the stamp (a copied cover is a wrong file)."""
    county_text = report.cover.get("county")
    if county_text is not None:
        county = policy.find_county(county_text)
        if county is None or county.name != report.county:
            row, col = report.cover_cells["county"]
            findings.append(make_finding("E004", file=report.file, sheet=report.sheet(S.COVER_SHEET), row=row, col=col,
                                         column="县市区", value=county_text, expected=report.county))
    period = report.cover.get("period")
    if period is not None and period > report.period:
        # last period's workbook reused, its cover's 报送期 brought forward: the lists are cumulative, so this is
        # how clerks carry a workbook on; the cover says which period it reports
        report.period = period
    elif period is not None and period < report.period:
        row, col = report.cover_cells["period"]
        findings.append(make_finding("E008", file=report.file, sheet=report.sheet(S.COVER_SHEET), row=row, col=col,
                                     column="报送期", value=period, expected=report.period))


def wrong_period(report: CountyReport, due: Period) -> Finding:
    """E005: the workbook reports another period than the one due (the cover's 报送期, else the template's)."""
    where = {}
    if "period" in report.cover_cells:
        row, col = report.cover_cells["period"]
        where = dict(sheet=report.sheet(S.COVER_SHEET), row=row, col=col, column="报送期")
    return make_finding(PERIOD_MISMATCH, file=report.file, value=report.period.label, expected=due.label, holder=due,
                        **where)
