"""Reading the policy workbook's sheets (2-D arrays) into a validated ``Policy``.

Every problem is reported with its sheet and cell, all at once, so that the clerk who edits the
workbook can fix everything in one pass.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace

from toolkit.domain import policy_layout as L
from toolkit.domain.calendar import MONDAY_TO_FRIDAY, PERIOD_KINDS, QUARTERLY, ReportingPeriod, WorkingDays
from toolkit.domain.findings import Finding, cell_address, make_finding
from toolkit.domain.level import Level
from toolkit.domain.placeholders import placeholder_in
from toolkit.domain.policy import (DOCUMENT_TYPES, EXAMPLE_WORD, AssessmentRules, CityGoals, County, CostSharing,
                                   CountyRewardPolicy, DocumentSettings, ExampleMark, Placeholder, Policy,
                                   RewardStandard, Thresholds, even_time_progress)
from toolkit.domain.periods import BadPeriod, Period
from toolkit.domain.report_parsing import parse_date
from toolkit.domain.report_schema import ENTRY_KINDS
from toolkit.domain.tables import Rows, cell, find_label, header_key, match_headers
from toolkit.domain.text import NotANumber, clean_text, is_blank, normalise_code, normalise_name, parse_number

_YEAR = re.compile(r"(19|20)\d\d")
_LIST_SEPARATORS = re.compile(r"[、,，;；]")


@dataclass
class _Reader:
    file: str
    findings: list[Finding] = field(default_factory=list)

    def problem(self, code: str, sheet: str, row: int | None = None, col: int | None = None, **details) -> None:
        self.findings.append(make_finding(code, file=self.file, sheet=sheet,
                                          row=None if row is None else row + 1, col=col, **details))

    def integer(self, value: object, sheet: str, row: int, col: int, column: str, *, minimum: int = 0) -> int | None:
        try:
            number = parse_number(value)
        except NotANumber:
            number = None
        if number is None or not number.is_integer() or number < minimum:
            self.problem("P003", sheet, row, col, column=column, value=clean_text(value),
                         expected=f"不小于{minimum}的整数")
            return None
        return int(number)

    def number(self, value: object, sheet: str, row: int, col: int, column: str,
               low: float = 0.0, high: float | None = None) -> float | None:
        try:
            number = parse_number(value)
        except NotANumber:
            number = None
        if number is None or number < low or (high is not None and number > high):
            span = f"{low:g}-{high:g}之间的数" if high is not None else f"不小于{low:g}的数"
            self.problem("P003", sheet, row, col, column=column, value=clean_text(value), expected=span)
            return None
        return number

    def yes_no(self, value: object, sheet: str, row: int, col: int, column: str) -> bool | None:
        text = normalise_code(value)
        if text in L.YES:
            return True
        if text in L.NO:
            return False
        self.problem("P003", sheet, row, col, column=column, value=clean_text(value), expected="“是”或“否”")
        return None

    def key_values(self, rows: Rows, sheet: str, fields: list[tuple[str, str, str, str]]) -> dict[str, object]:
        values: dict[str, object] = {}
        for key, label, kind, _, *optional in fields:
            index = find_label(rows, label)
            if index is None:
                if not optional:  # an item added in a later version: older workbooks keep the default
                    self.problem("P002", sheet, expected=f"{sheet}表中的“{label}”")
                continue
            raw = cell(rows, index, 1)
            if kind == "text":
                if is_blank(raw):
                    self.problem("P003", sheet, index, 1, column=label, value="", expected="文字")
                values[key] = clean_text(raw)
            elif kind == "int":
                values[key] = self.integer(raw, sheet, index, 1, label)
            elif kind == "int_or_blank":
                values[key] = None if is_blank(raw) else self.integer(raw, sheet, index, 1, label)
            elif kind == "number":
                values[key] = self.number(raw, sheet, index, 1, label)
            elif kind == "yesno":
                values[key] = self.yes_no(raw, sheet, index, 1, label)
            elif kind == "month_or_blank":
                values[key] = None if is_blank(raw) else self.integer(raw, sheet, index, 1, label, minimum=1)
                if values[key] is not None and values[key] > 12:
                    self.problem("P003", sheet, index, 1, column=label, value=clean_text(raw), expected="1-12的月份")
            elif kind == "month_list":
                values[key] = self.months(raw, sheet, index, 1, label)
            elif kind.startswith("choice:"):  # choice:key=文字|key=文字
                options = dict(reversed(o.split("=", 1)) for o in kind[len("choice:"):].split("|"))
                text = clean_text(raw)
                if text not in options:
                    self.problem("P003", sheet, index, 1, column=label, value=text, expected="、".join(options) + "之一")
                values[key] = options.get(text)
        return values

    def months(self, value: object, sheet: str, row: int, col: int, column: str) -> tuple[int, ...] | None:
        """'3、6、9、12' (any of 、,，;；) as sorted months; blank is no month at all."""
        months = set()
        for part in _split_list(value):
            try:
                number = parse_number(part)
            except NotANumber:
                number = None
            if number is None or not number.is_integer() or not 1 <= number <= 12:
                self.problem("P003", sheet, row, col, column=column, value=clean_text(value),
                             expected="1-12的月份，多个用顿号分隔，如“3、6、9、12”")
                return None
            months.add(int(number))
        return tuple(sorted(months))

    def share(self, value: object, sheet: str, row: int, col: int, column: str) -> float | None:
        """A share between 0 and 1, typed as 0.25 or as '25%'."""
        text = clean_text(value)
        if text.endswith(("%", "％")):
            try:
                return self.number(parse_number(text[:-1]) / 100, sheet, row, col, column, 0.0, 1.0)
            except NotANumber:
                pass
        return self.number(value, sheet, row, col, column, 0.0, 1.0)


def _split_list(value: object) -> list[str]:
    return [part.strip() for part in _LIST_SEPARATORS.split(clean_text(value)) if part.strip()]


def _data_rows(rows: Rows, header_row: int):
    for index in range(header_row + 1, len(rows)):
        if not all(is_blank(v) for v in rows[index]):
            yield index, rows[index]


def _read_units(reader: _Reader, rows: Rows, cells: dict[str, tuple[int, int]] | None = None) -> list[County]:
    """The 报送单位 sheet; ``cells`` (when given) gets each unit's name cell, for findings that point at it."""
    sheet = L.SHEET_UNITS
    match = match_headers(rows, L.UNIT_COLUMNS)
    if match is None or "name" not in match.columns:
        reader.problem("P002", sheet, expected=f"{sheet}表的“名称”列")
        return []
    cols = match.columns
    units: list[County] = []
    seen: dict[str, str] = {}
    for index, row in _data_rows(rows, match.row):
        name_col = cols["name"]
        name = clean_text(cell(rows, index, name_col))
        if not name:
            reader.problem("P003", sheet, index, name_col, column="名称", value="", expected="单位名称")
            continue
        aliases = tuple(_split_list(cell(rows, index, cols["aliases"]))) if "aliases" in cols else ()
        own = {normalise_name(name)}
        for label in (name, *aliases):
            key = normalise_name(label)
            if label is not name and key in own:
                continue  # "攸 县" beside "攸县": the same name, written as the annex writes it
            own.add(key)
            if key in seen:
                reader.problem("P004", sheet, index, name_col, value=label, expected=seen[key])
            seen.setdefault(key, f"{sheet}!A{index + 1}")
        code = ""
        if "division_code" in cols:
            code = normalise_code(cell(rows, index, cols["division_code"]))
            if code and not re.fullmatch(r"\d{6}", code):
                reader.problem("P008", sheet, index, cols["division_code"], column="行政区划代码", value=code,
                               expected="6位数字（没有的留空）")
        prefixes: list[str] = []
        if "uscc_prefixes" in cols:
            for prefix in _split_list(cell(rows, index, cols["uscc_prefixes"])):
                prefix = normalise_code(prefix)
                if not re.fullmatch(r"\d{2,6}", prefix):
                    reader.problem("P008", sheet, index, cols["uscc_prefixes"], column="信用代码区划前缀",
                                   value=prefix, expected="2-6位数字，多个用顿号分隔")
                prefixes.append(prefix)
        if not prefixes and code:
            prefixes = [code]
        base = None
        if "base_register" in cols and not is_blank(cell(rows, index, cols["base_register"])):
            base = reader.integer(cell(rows, index, cols["base_register"]), sheet, index, cols["base_register"],
                                  "规划起始在库企业数")
        units.append(County(name=name, aliases=aliases, division_code=code, uscc_prefixes=tuple(prefixes),
                            base_register=base))
        if cells is not None:
            cells.setdefault(name, (index, name_col))
    if not units:
        reader.problem("P002", sheet, expected=f"{sheet}表中至少一个单位")
    return units


def _area(code: str) -> str:
    """The region a GB/T 2260 code stands for, as a prefix: 430100 → 4301, 430000 → 43, 430102 → 430102."""
    while len(code) > 2 and code.endswith("00"):
        code = code[:-2]
    return code


def _read_members(reader: _Reader, rows: Rows, units: list[County],
                  unit_cells: dict[str, tuple[int, int]]) -> dict[str, tuple[County, ...]]:
    """所辖县市区: each 市州's 县市区 (by unit name). A 县市区 belongs to one 市州 only (P004), under a 市州 of
    报送单位 (P013), with codes inside its 市州's area (P014); every 市州 has at least one (P012)."""
    sheet = L.SHEET_MEMBERS
    by_name = {normalise_name(label): unit for unit in units for label in (unit.name, *unit.aliases)}
    members: dict[str, list[County]] = {unit.name: [] for unit in units}
    seen: dict[str, str] = {}
    for index, v in _read_table(reader, rows, sheet, L.MEMBER_COLUMNS, ("unit", "name")):
        unit_text, unit_col = clean_text(v["unit"][0]), v["unit"][1]
        name, name_col = clean_text(v["name"][0]), v["name"][1]
        unit = by_name.get(normalise_name(unit_text))
        if not unit_text:
            reader.problem("P003", sheet, index, unit_col, column="市州", value="", expected="所属市州的名称")
        elif unit is None:
            reader.problem("P013", sheet, index, unit_col, value=unit_text)
        if not name:
            reader.problem("P003", sheet, index, name_col, column="县市区", value="", expected="县市区名称")
            continue
        aliases = tuple(_split_list(v["aliases"][0])) if "aliases" in v else ()
        own = {normalise_name(name)}
        for label in (name, *aliases):
            key = normalise_name(label)
            if label is not name and key in own:
                continue
            own.add(key)
            if key in seen:
                reader.problem("P004", sheet, index, name_col, value=label, expected=seen[key])
            seen.setdefault(key, f"{sheet}!{cell_address(index + 1, name_col)}，属{unit.name if unit else unit_text}")
        code, prefixes = _member_codes(reader, sheet, index, v, unit)
        if unit is not None:
            members[unit.name].append(County(name, aliases, code, prefixes))
    match = match_headers(rows, L.MEMBER_COLUMNS)
    if match is not None and {"unit", "name"} <= set(match.columns):  # a sheet without its headers says P002 only
        for unit in units:
            if not members[unit.name]:
                row, col = unit_cells.get(unit.name, (None, None))
                reader.problem("P012", L.SHEET_UNITS, row, col, value=unit.name)
    return {name: tuple(found) for name, found in members.items()}


def _member_codes(reader: _Reader, sheet: str, index: int, v: dict, unit: County | None) -> tuple[str, tuple[str, ...]]:
    """A 县市区's division code and USCC prefixes (its code when none), each checked to lie in its 市州's area."""
    areas = tuple(_area(p) for p in (unit.division_code, *unit.uscc_prefixes) if p) if unit else ()
    where = f"{unit.name}（{'、'.join(dict.fromkeys(areas))}）" if unit else ""
    code = ""
    if "division_code" in v:
        code, col = normalise_code(v["division_code"][0]), v["division_code"][1]
        if code and not re.fullmatch(r"\d{6}", code):
            reader.problem("P008", sheet, index, col, column="行政区划代码", value=code, expected="6位数字（没有的留空）")
        elif code and areas and not code.startswith(areas):
            reader.problem("P014", sheet, index, col, column="行政区划代码", value=code, expected=where)
    prefixes: list[str] = []
    if "uscc_prefixes" in v:
        col = v["uscc_prefixes"][1]
        for prefix in map(normalise_code, _split_list(v["uscc_prefixes"][0])):
            if not re.fullmatch(r"\d{2,6}", prefix):
                reader.problem("P008", sheet, index, col, column="信用代码区划前缀", value=prefix,
                               expected="2-6位数字，多个用顿号分隔")
            elif areas and not prefix.startswith(areas):
                reader.problem("P014", sheet, index, col, column="信用代码区划前缀", value=prefix, expected=where)
            prefixes.append(prefix)
    return code, tuple(prefixes or ([code] if code else []))


def _read_year_table(reader: _Reader, rows: Rows, sheet: str, units: list[County], total_label: str | None,
                     allow_blank: bool) -> tuple[dict[str, dict[int, int]], dict[int, int], dict[int, tuple[int, int]]]:
    """A unit × year table. Returns per-unit values, the total row's values and where each total sits."""
    name_headers = {header_key(h) for h in L.ANNEX_NAME_HEADERS}
    header_row, best = None, (False, 0)
    for index, row in enumerate(rows[:12]):  # the header names the units' column and has the most years
        score = (any(header_key(v) in name_headers for v in row), sum(bool(_YEAR.search(clean_text(v))) for v in row))
        if score[1] and score > best:
            header_row, best = index, score
    if header_row is None:
        reader.problem("P002", sheet, expected=f"{sheet}表的年份标题行")
        return {}, {}, {}
    header = rows[header_row]
    name_col = next((c for c, v in enumerate(header) if header_key(v) in name_headers), 0)
    year_cols: dict[int, int] = {}
    for col, value in enumerate(header):
        if col == name_col or is_blank(value):
            continue
        found = _YEAR.search(clean_text(value))
        if not found:
            reader.problem("P011", sheet, header_row, col, value=clean_text(value))
            continue
        year_cols[col] = int(found.group(0))
    by_name = {normalise_name(u.name): u for u in units}
    for unit in units:
        for alias in unit.aliases:
            by_name.setdefault(normalise_name(alias), unit)
    values: dict[str, dict[int, int]] = {}
    totals: dict[int, int] = {}
    total_cells: dict[int, tuple[int, int]] = {}
    first_seen: dict[str, str] = {}
    for index, row in _data_rows(rows, header_row):
        raw_name = cell(rows, index, name_col)
        key = normalise_name(raw_name)
        is_total = total_label is not None and key == normalise_name(total_label)
        unit = by_name.get(key)
        if not is_total and unit is None:
            reader.problem("P005", sheet, index, name_col, value=clean_text(raw_name))
            continue
        label = total_label if is_total else unit.name
        if label in first_seen:
            reader.problem("P004", sheet, index, name_col, value=clean_text(raw_name), expected=first_seen[label])
            continue
        first_seen[label] = f"{sheet}!A{index + 1}"
        target = totals if is_total else values.setdefault(label, {})
        for col, year in year_cols.items():
            raw = cell(rows, index, col)
            if is_blank(raw) and allow_blank:
                continue
            number = reader.integer(raw, sheet, index, col, f"{label} {year}年")
            if number is not None:
                target[year] = number
                if is_total:
                    total_cells[year] = (index, col)
    return values, totals, total_cells


def _read_table(reader: _Reader, rows: Rows, sheet: str, columns, required: tuple[str, ...]):
    match = match_headers(rows, columns)
    if match is None or any(k not in match.columns for k in required):
        names = dict(columns)
        for key in required:
            if match is None or key not in match.columns:
                reader.problem("P002", sheet, expected=f"{sheet}表的“{names[key][0]}”列")
        return
    for index, _row in _data_rows(rows, match.row):
        yield index, {k: (cell(rows, index, c), c) for k, c in match.columns.items()}


def parse_policy(sheets: dict[str, Rows], file: str = "") -> tuple[Policy | None, list[Finding]]:
    """Validate and build the policy; ``None`` with the findings when anything is wrong."""
    reader = _Reader(file)
    for name in L.REQUIRED_SHEETS:
        if name not in sheets:
            reader.problem("P001", name, expected=name)
    if reader.findings:
        return None, reader.findings
    info = reader.key_values(sheets[L.SHEET_INFO], L.SHEET_INFO, L.INFO_FIELDS)
    goals = reader.key_values(sheets[L.SHEET_GOALS], L.SHEET_GOALS, L.GOAL_FIELDS)
    thresholds = reader.key_values(sheets[L.SHEET_THRESHOLDS], L.SHEET_THRESHOLDS, L.THRESHOLD_FIELDS)
    level = Level(info.get("level") or Level.CITY.value)
    unit_cells: dict[str, tuple[int, int]] = {}
    units = _read_units(reader, sheets[L.SHEET_UNITS], unit_cells)
    if L.SHEET_MEMBERS in sheets:
        members = _read_members(reader, sheets[L.SHEET_MEMBERS], units, unit_cells)
        units = [replace(u, members=members.get(u.name, ())) for u in units]
    elif level is Level.PROVINCE:
        reader.problem("P001", L.SHEET_MEMBERS, expected=L.SHEET_MEMBERS)
    avg_new_row = find_label(sheets[L.SHEET_GOALS], "年均新增不少于（家）")
    if level is Level.CITY and avg_new_row is not None and is_blank(cell(sheets[L.SHEET_GOALS], avg_new_row, 1)):
        reader.problem("P003", L.SHEET_GOALS, avg_new_row, 1, column="年均新增不少于（家）", value="",
                       expected="不小于0的整数（只有省级可以留空）")
    total_label = str(info.get("total_label") or "")
    targets, totals, total_cells = _read_year_table(reader, sheets[L.SHEET_ANNEX], L.SHEET_ANNEX, units,
                                                    total_label, allow_blank=False)
    first, last = info.get("first_year"), info.get("last_year")
    if isinstance(first, int) and isinstance(last, int):
        if last < first:
            reader.problem("P003", L.SHEET_INFO, find_label(sheets[L.SHEET_INFO], "规划结束年"), 1,
                           column="规划结束年", value=last, expected=f"不早于规划起始年 {first} 的年份")
        years = range(first, last + 1)
        if not totals:
            reader.problem("P002", L.SHEET_ANNEX, expected=f"目标附件中的合计行“{total_label}”")
        for unit in units:
            missing = [str(y) for y in years if y not in targets.get(unit.name, {})]
            if missing:
                reader.problem("P007", L.SHEET_ANNEX, value=unit.name, expected="、".join(missing))
        for year in years:
            if year not in totals:
                continue
            county_sum = sum(t.get(year, 0) for t in targets.values())
            if county_sum != totals[year]:
                row, col = total_cells[year]
                reader.problem("P006", L.SHEET_ANNEX, row, col, column=f"{year}年", value=county_sum,
                               expected=f"{total_label}合计 {totals[year]}")
    net_targets: dict[str, dict[int, int]] = {}
    if L.SHEET_NET in sheets:
        declared, _, _ = _read_year_table(reader, sheets[L.SHEET_NET], L.SHEET_NET, units, total_label,
                                          allow_blank=True)
        net_targets = {name: years for name, years in declared.items() if years}
    if all(isinstance(thresholds.get(k), float) for k in ("pool_low", "pool_high", "above_scale", "at_risk_below")):
        rows = sheets[L.SHEET_THRESHOLDS]
        if thresholds["pool_low"] >= thresholds["pool_high"]:
            reader.problem("P010", L.SHEET_THRESHOLDS, find_label(rows, "重点培育库下限"), 1, column="重点培育库",
                           value=f"下限 {thresholds['pool_low']:g} 不小于上限 {thresholds['pool_high']:g}")
        if thresholds["at_risk_below"] <= thresholds["above_scale"]:
            reader.problem("P010", L.SHEET_THRESHOLDS, find_label(rows, "退规风险库上限"), 1, column="退规风险库",
                           value=f"上限 {thresholds['at_risk_below']:g} 不大于规模以上标准 {thresholds['above_scale']:g}")
    unit_by_name = {normalise_name(u.name): u.name for u in units}
    rewards = _read_rewards(reader, sheets)
    sharing = _read_sharing(reader, sheets, unit_by_name)
    county_rewards = _read_county_rewards(reader, sheets, unit_by_name)
    reward_params = (reader.key_values(sheets[L.SHEET_REWARD_PARAMS], L.SHEET_REWARD_PARAMS, L.REWARD_PARAM_FIELDS)
                     if L.SHEET_REWARD_PARAMS in sheets else {})
    assessment = (reader.key_values(sheets[L.SHEET_ASSESSMENT], L.SHEET_ASSESSMENT, L.ASSESSMENT_FIELDS)
                  if L.SHEET_ASSESSMENT in sheets else {})
    progress = _read_progress(reader, sheets)
    placeholders: list[Placeholder] = []
    documents = _read_documents(reader, sheets, placeholders)
    examples = _example_marks(sheets)
    working_days = _read_holidays(reader, sheets)
    calendar = _read_calendar(reader, sheets, working_days)
    if reader.findings:
        return None, reader.findings
    policy = Policy(
        region=info["region"], total_label=total_label, unit_label=info["unit_label"],
        plan_title=info["plan_title"], first_year=first, last_year=last, counties=tuple(units),
        new_targets=targets, total_new_targets=totals, net_targets=net_targets,
        goals=CityGoals(**goals), thresholds=Thresholds(**thresholds), rewards=tuple(rewards),
        second_tranche_month=reward_params.get("second_tranche_month"), cost_sharing=tuple(sharing),
        reward_city_basis=reward_params.get("reward_city_basis") or "city_standard",
        display_days=reward_params.get("display_days") or 5,
        tax_final_month=reward_params.get("tax_final_month"),
        county_rewards=tuple(county_rewards), assessment=AssessmentRules(**assessment),
        time_progress=progress,
        documents=tuple(documents),
        calendar=calendar,
        working_days=working_days,
        examples=examples,
        placeholders=tuple(placeholders),
        level=level,
    )
    return policy, []


def _read_documents(reader: _Reader, sheets: dict[str, Rows],
                    placeholders: list[Placeholder]) -> list[DocumentSettings]:
    """发文设置: who issues each document type to whom; every text cell is required. A value that is still a
    placeholder (王××) is noted in ``placeholders`` with its cell: a draft may carry it, an issued document not."""
    sheet = L.SHEET_DOCUMENTS
    if sheet not in sheets:
        return []
    by_label = {label: key for key, label in DOCUMENT_TYPES.items()}
    out, seen = [], {}
    required = ("doc_type", "mark", "signer", "number_prefix", "recipients", "printer", "disclosure")
    for index, v in _read_table(reader, sheets[sheet], sheet, L.DOCUMENT_COLUMNS, required):
        label = normalise_name(v["doc_type"][0])
        doc_type = by_label.get(label)
        if doc_type is None:
            reader.problem("P003", sheet, index, v["doc_type"][1], column="文种", value=clean_text(v["doc_type"][0]),
                           expected="、".join(DOCUMENT_TYPES.values()) + "之一")
            continue
        if doc_type in seen:
            reader.problem("P004", sheet, index, v["doc_type"][1], value=label, expected=seen[doc_type])
            continue
        seen[doc_type] = f"{sheet}!A{index + 1}"
        texts = {}
        for key in ("mark", "signer", "number_prefix", "recipients", "copy_to", "printer", "disclosure",
                    "issuer_person", "contact", "address", "email"):
            value, col = v.get(key, ("", 0))
            texts[key] = clean_text(value)
            if key in v and placeholder_in(texts[key]):
                placeholders.append(Placeholder(sheet, cell_address(index + 1, col),
                                                dict(L.DOCUMENT_COLUMNS)[key][0], texts[key]))
            if key in required and not texts[key]:
                reader.problem("P003", sheet, index, col, column=dict(L.DOCUMENT_COLUMNS)[key][0], value="",
                               expected="文字")
        if texts["disclosure"] and texts["disclosure"] not in L.DISCLOSURES:
            reader.problem("P003", sheet, index, v["disclosure"][1], column="公开属性", value=texts["disclosure"],
                           expected="、".join(L.DISCLOSURES) + "之一")
        days = 15
        if "reply_days" in v and not is_blank(v["reply_days"][0]):
            days = reader.integer(v["reply_days"][0], sheet, index, v["reply_days"][1], "整改或报送期限（天）",
                                  minimum=1) or 15
        out.append(DocumentSettings(doc_type, reply_days=days, **texts))
    return out


def _read_progress(reader: _Reader, sheets: dict[str, Rows]) -> tuple[float, ...]:
    """The 时序进度 curve: twelve non-decreasing shares; without the sheet, months elapsed / 12."""
    sheet = L.SHEET_PROGRESS
    if sheet not in sheets:
        return even_time_progress()
    by_month: dict[int, float] = {}
    cells: dict[int, tuple[int, int]] = {}
    for index, v in _read_table(reader, sheets[sheet], sheet, L.PROGRESS_COLUMNS, ("month", "progress")):
        month = reader.integer(v["month"][0], sheet, index, v["month"][1], "月份", minimum=1)
        share = reader.share(v["progress"][0], sheet, index, v["progress"][1], "时序进度")
        if month is None or share is None:
            continue
        if month > 12 or month in by_month:
            reader.problem("P003", sheet, index, v["month"][1], column="月份", value=month,
                           expected="1-12的月份，每月一行")
            continue
        by_month[month] = round(share, 10)  # what Excel shows; no binary noise
        cells[month] = (index, v["progress"][1])
    missing = [str(m) for m in range(1, 13) if m not in by_month]
    if missing and not reader.findings:
        reader.problem("P002", sheet, expected=f"时序进度表中 {'、'.join(missing)} 月的进度")
    if missing:
        return even_time_progress()
    for month in range(2, 13):
        if by_month[month] < by_month[month - 1]:
            row, col = cells[month]
            reader.problem("P010", sheet, row, col, column="时序进度",
                           value=f"{month}月的进度 {by_month[month]:.1%} 低于{month - 1}月的 {by_month[month - 1]:.1%}")
    return tuple(by_month[m] for m in range(1, 13))


def _example_marks(sheets: dict[str, Rows]) -> tuple[ExampleMark, ...]:
    """Sheets whose note (a cell in the two rows above the header) still says 示例数据."""
    out = []
    for name in L.MARKABLE_SHEETS:
        rows = sheets.get(name)
        for index, row in enumerate((rows or [])[:2]):
            col = next((c for c, value in enumerate(row) if EXAMPLE_WORD in clean_text(value)), None)
            if col is not None:
                out.append(ExampleMark(name, cell_address(index + 1, col)))
                break
    return tuple(out)


def _read_holidays(reader: _Reader, sheets: dict[str, Rows]) -> WorkingDays:
    """节假日: weekdays off (放假) and weekends worked (上班, 调休); without the sheet, Monday to Friday."""
    sheet = L.SHEET_HOLIDAYS
    if sheet not in sheets:
        return MONDAY_TO_FRIDAY
    days: dict[dt.date, tuple[str, int]] = {}
    for index, v in _read_table(reader, sheets[sheet], sheet, L.HOLIDAY_COLUMNS, ("day", "kind")):
        try:
            day = parse_date(v["day"][0])
        except ValueError:
            reader.problem("P003", sheet, index, v["day"][1], column="日期", value=v["day"][0], expected="如 2022-10-03 的日期")
            continue
        kind = clean_text(v["kind"][0])
        if kind not in (L.HOLIDAY_OFF, L.HOLIDAY_ON):
            reader.problem("P003", sheet, index, v["kind"][1], column="类型", value=v["kind"][0],
                           expected=f"“{L.HOLIDAY_OFF}”或“{L.HOLIDAY_ON}”")
        elif kind == L.HOLIDAY_ON and day.weekday() < 5:
            reader.problem("P003", sheet, index, v["kind"][1], column="类型", value=f"{day}（星期{'一二三四五'[day.weekday()]}）{kind}",
                           expected="“上班”只用于调休上班的周六或周日")
        elif day in days:
            reader.problem("P004", sheet, index, v["day"][1], value=day, expected=f"第 {days[day][1]} 行")
        else:
            days[day] = (kind, index + 1)
    return WorkingDays(holidays=frozenset(d for d, (k, _) in days.items() if k == L.HOLIDAY_OFF),
                       workdays=frozenset(d for d, (k, _) in days.items() if k == L.HOLIDAY_ON))


def _read_calendar(reader: _Reader, sheets: dict[str, Rows], working: WorkingDays) -> tuple[ReportingPeriod, ...]:
    """The 报送日历: a row per reporting period with its due date and 类型 (blank or no column: 季度报表); without
    the sheet, none."""
    sheet = L.SHEET_CALENDAR
    if sheet not in sheets:
        return ()
    out: dict[Period, ReportingPeriod] = {}
    for index, v in _read_table(reader, sheets[sheet], sheet, L.CALENDAR_COLUMNS, ("period", "due")):
        try:
            period = Period.parse(v["period"][0])
        except BadPeriod:
            reader.problem("P003", sheet, index, v["period"][1], column="报送期", value=v["period"][0], expected="如 2022-06 的月份")
            continue
        try:
            due = parse_date(v["due"][0])
        except ValueError:
            reader.problem("P003", sheet, index, v["due"][1], column="截止日期", value=v["due"][0], expected="如 2022-07-08 的日期")
            continue
        days = 3
        if "resubmit_days" in v and not is_blank(v["resubmit_days"][0]):
            days = reader.integer(v["resubmit_days"][0], sheet, index, v["resubmit_days"][1], "退回后补报期限（工作日）",
                                  minimum=1) or 3
        kind = clean_text(v["kind"][0]) if "kind" in v and not is_blank(v["kind"][0]) else QUARTERLY
        if kind not in PERIOD_KINDS:
            reader.problem("P003", sheet, index, v["kind"][1], column="类型", value=v["kind"][0],
                           expected="“" + "”或“".join(PERIOD_KINDS) + "”")
            continue
        if period in out:
            reader.problem("P004", sheet, index, v["period"][1], value=period, expected="同一报送期的另一行")
        elif due <= dt.date(period.year, period.month, 1):
            reader.problem("P003", sheet, index, v["due"][1], column="截止日期", value=due,
                           expected=f"{period} 之后的日期")
        else:
            out[period] = ReportingPeriod(period, due, days, working, kind)
    return tuple(out[p] for p in sorted(out))


def _entry_kind(reader: _Reader, sheet: str, index: int, v: dict) -> str | None:
    """The row's 入规类型 when it is a known entry kind; else a P003 and None."""
    value, col = v["entry_kind"]
    kind = clean_text(value)
    if kind in ENTRY_KINDS:
        return kind
    reader.problem("P003", sheet, index, col, column="入规类型", value=kind, expected="、".join(ENTRY_KINDS) + "之一")
    return None


def _unit_rows(reader: _Reader, sheets: dict[str, Rows], sheet: str, columns, required: tuple[str, ...],
               units: dict[str, str]):
    """Rows of an optional per-unit table whose unit is known (an unknown one is a P005)."""
    if sheet not in sheets:
        return
    for index, v in _read_table(reader, sheets[sheet], sheet, columns, required):
        name = units.get(normalise_name(v["county"][0]))
        if name is None:
            reader.problem("P005", sheet, index, v["county"][1], value=clean_text(v["county"][0]))
            continue
        yield index, v, name


def _read_rewards(reader: _Reader, sheets: dict[str, Rows]) -> list[RewardStandard]:
    sheet = L.SHEET_REWARDS
    if sheet not in sheets:
        return []
    out = []
    for index, v in _read_table(reader, sheets[sheet], sheet, L.REWARD_COLUMNS,
                                ("entry_kind", "amount_yuan", "requires_tax", "split", "first_share")):
        kind = _entry_kind(reader, sheet, index, v)
        amount = reader.integer(v["amount_yuan"][0], sheet, index, v["amount_yuan"][1], "市级奖励标准（元/家）")
        tax = reader.yes_no(v["requires_tax"][0], sheet, index, v["requires_tax"][1], "需当年形成税收")
        split = reader.yes_no(v["split"][0], sheet, index, v["split"][1], "分两期兑现")
        share = reader.number(v["first_share"][0], sheet, index, v["first_share"][1], "首期比例", 0.0, 1.0)
        if None not in (kind, amount, tax, split, share):
            out.append(RewardStandard(kind, amount, tax, split, share))
    return out


def _read_sharing(reader: _Reader, sheets: dict[str, Rows], units: dict[str, str]) -> list[CostSharing]:
    sheet = L.SHEET_SHARING
    out = []
    for index, v, name in _unit_rows(reader, sheets, sheet, L.SHARING_COLUMNS, ("county", "city_share", "county_share"),
                                     units):
        city = reader.number(v["city_share"][0], sheet, index, v["city_share"][1], "市级承担比例", 0.0, 1.0)
        county = reader.number(v["county_share"][0], sheet, index, v["county_share"][1], "县级承担比例", 0.0, 1.0)
        if city is not None and county is not None:
            if abs(city + county - 1.0) > 1e-9:
                reader.problem("P009", sheet, index, v["city_share"][1], column=f"{name}的分担比例",
                               value=f"{city:g} + {county:g}")
            else:
                out.append(CostSharing(name, city, county))
    return out


def _read_county_rewards(reader: _Reader, sheets: dict[str, Rows], units: dict[str, str]) -> list[CountyRewardPolicy]:
    sheet = L.SHEET_COUNTY_REWARDS
    out = []
    for index, v, name in _unit_rows(reader, sheets, sheet, L.COUNTY_REWARD_COLUMNS,
                                     ("county", "entry_kind", "amount_yuan"), units):
        kind = _entry_kind(reader, sheet, index, v)
        amount = reader.integer(v["amount_yuan"][0], sheet, index, v["amount_yuan"][1], "县级奖励标准（元/家）")
        if kind is not None and amount is not None:
            document = clean_text(v["document"][0]) if "document" in v else ""
            out.append(CountyRewardPolicy(name, kind, amount, document))
    return out
