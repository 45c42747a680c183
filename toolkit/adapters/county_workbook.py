"""Writing the county reporting workbook (XlsxWriter) from the report schema.

XlsxWriter is the one writer of templates: it can later embed the VBA project and draw buttons, so
templates are regenerated, never re-saved. Dropdowns point at defined names (openpyxl keeps those).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Mapping, Sequence

from toolkit.adapters import live_checks as LC
from toolkit.adapters.atomic import atomic_output
from toolkit.adapters.macro_workbook import add_macros, draw_buttons
from toolkit.adapters.xlsx_styles import add_stamp_sheet, formats, new_workbook, print_fit, wrapped_height
from toolkit.domain import policy_layout as L
from toolkit.domain import report_schema as S
from toolkit.domain.carried_policy import carried_rows
from toolkit.domain.calendar import entry_for
from toolkit.domain.gbt9704 import date_text
from toolkit.domain.buttons import COUNTY_BUTTONS, COUNTY_VBA_MODULES
from toolkit.domain.file_names import file_name  # noqa: F401 (how the file is named; the samples import it here)
from toolkit.domain.findings import cell_address
from toolkit.domain.periods import Period
from toolkit.domain.policy import County, Policy
from toolkit.domain.stamp import Stamp

PROTECTION = {
    "insert_rows": True,
    "delete_rows": True,
    "sort": True,
    "autofilter": True,
    "format_columns": True,
    "format_rows": True,
}
INSTRUCTIONS = (
    "本报表为“本年累计”口径：每期报送本年1月至报送期的全部新增、退库企业名单，已报过的企业不要删除；与上期相比的变化由市里自动计算，无需另填。",
    "带下拉箭头的列请从列表中选择；统一社会信用代码、行业代码、月份、电话按文本填写（已预设为文本格式）。",
    "填写时单元格变为红色表示有错误（如信用代码位数或校验位不对、代码重复、必填项为空），变为黄色表示需要核实（如营收超出本表范围）。",
    "金额单位均为万元，保留两位小数；请勿按元或千元填报。",
    "校验中的“提示”如情况属实，请在该行“说明”列写明原因，写明后视为已说明。",
    "请勿修改工作表名称和列标题，勿删除隐藏的工作表；可以插入或删除数据行。",
)
BUTTONS_NOTE = ("按钮需要本机安装 Python 和 guishang 工具（见《安装说明》）；没有安装时照常填报即可，"
                "单元格的即时检查不需要宏。首次打开如提示“已禁用宏”，请点“启用内容”。")
# Revenue column checked live per sheet: (low, high) from the policy thresholds; None = open
_LIVE_RANGES = {
    "entries": lambda t: (t.above_scale, None),
    "pool": lambda t: (t.pool_low, t.pool_high),
    "at_risk": lambda t: (None, t.at_risk_below),
}


def _list_name(key: str) -> str:
    return f"L_{key.upper()}"


REFERENCE_SHEET = "在库企业名录"  # read-only: the county's in-register enterprises, for picking exits
REFERENCE_NAME = "L_IN_REGISTER"


CAUTION = "注意"  # the cover's row that says the policy behind the template is not the city's settled one


class _Writer:
    def __init__(self, workbook, policy: Policy, county: County, period: Period):
        self.wb = workbook
        self.f = formats(workbook)
        self.policy = policy
        self.county = county
        self.period = period
        self.has_reference = False
        self.macros = False  # the .xlsm edition: VBA project and buttons on the cover

    # --- hidden helper sheet with the dropdown lists and the USCC constants
    def helper(self) -> None:
        ws = self.wb.add_worksheet(LC.HELPER_SHEET)
        lists = dict(S.CODE_LISTS)
        lists[S.MONTH_LIST] = tuple(str(p) for p in self.period.months_of_year_so_far())
        for col, (key, values) in enumerate(lists.items()):
            ws.write_string(0, col, key)
            for row, value in enumerate(values, start=1):
                ws.write_string(row, col, value)
            ref = f"'{LC.HELPER_SHEET}'!${_col(col)}$2:${_col(col)}${len(values) + 1}"
            self.wb.define_name(_list_name(key), f"={ref}")
        start = len(lists) + 1
        constants = LC.helper_constants()
        for offset, (name, values) in enumerate(constants.items()):
            row = offset
            ws.write_string(row, start, name)
            for i, value in enumerate(values):
                if isinstance(value, str):
                    ws.write_string(row, start + 1 + i, value)
                else:
                    ws.write_number(row, start + 1 + i, value)
            first, last = _col(start + 1), _col(start + len(values))
            target = f"${first}${row + 1}" if len(values) == 1 else f"${first}${row + 1}:${last}${row + 1}"
            self.wb.define_name(name, f"='{LC.HELPER_SHEET}'!{target}")
        ws.hide()
        ws.protect()

    # --- the cover
    def cover(self, values: Mapping[str, object]) -> None:
        ws = self.wb.add_worksheet(S.COVER_SHEET)
        f = self.f
        ws.set_column(0, 0, 22)
        ws.set_column(1, 1, 30)
        ws.set_column(2, 2, 46)
        ws.set_row(0, 30)
        ws.merge_range(0, 0, 0, 2, f"{self.policy.region}{self.county.name}规上工业企业培育情况报表", f["title"])
        ws.merge_range(1, 0, 1, 2, f"报送期：{self.period.label}（本年累计：各名单为本年1月至报送期的全部企业）", f["subtitle"])
        target = self.policy.new_target(self.county.name, self.period.year)
        net = self.policy.net_target(self.county.name, self.period.year)
        city_values = {"county": self.county.name, "period": str(self.period), "new_target": target, "net_target": net}
        row = S.COVER_FIRST_ROW - 1
        for field in S.COVER_FIELDS:
            ws.write_string(row, S.COVER_LABEL_COL, field.label, f["label"])
            if field.by_city:
                value = city_values.get(field.key)
                if isinstance(value, int):
                    ws.write_number(row, S.COVER_VALUE_COL, value, f["locked_int"])
                else:
                    ws.write_string(row, S.COVER_VALUE_COL, "" if value is None else str(value), f["locked_value"])
            else:
                value = values.get(field.key)
                fmt = f["input_date"] if field.kind == "date" else f["input_text"]
                if isinstance(value, (dt.date, dt.datetime)):
                    ws.write_datetime(row, S.COVER_VALUE_COL, _as_datetime(value), fmt)
                else:
                    ws.write_string(row, S.COVER_VALUE_COL, "" if value is None else str(value), fmt)
                if field.kind == "date":
                    ws.data_validation(row, S.COVER_VALUE_COL, row, S.COVER_VALUE_COL,
                                       _date_validation(field.label, self.period.year))
            hint = ("必填。" if field.required and not field.by_city else "") + S.dated(field.hint, self.period.year)
            if field.key == "net_target" and self.policy.is_example(L.SHEET_NET):
                hint += "（示例数据，市里尚未核定）"
            ws.write_string(row, 2, hint, f["hint"])
            row += 1
        row += 1
        ws.write_string(row, 0, "报送要求", f["bold"])
        for label, text in [*self._caution(), *self._submission()]:
            row += 1
            ws.set_row(row, max(20, wrapped_height([(text, 76)]) or 0))
            ws.write_string(row, 0, label, f["label"])
            ws.merge_range(row, 1, row, 2, text, f["caution"] if label == CAUTION else f["description"])
        row += 2
        ws.write_string(row, 0, "填报说明", f["bold"])
        for number, text in enumerate(INSTRUCTIONS, start=1):
            row += 1
            ws.set_row(row, 30)
            ws.merge_range(row, 0, row, 2, f"{number}. {text}", f["description"])
        row += 2
        ws.set_row(row, 36)  # room to sign and to seal, on paper
        ws.merge_range(row, 0, row, 2, "单位负责人（签字）：　　　　　　　　　　　　　　（单位盖章）", f["bold"])
        print_fit(ws, [22, 30, 46], landscape=False)
        ws.print_area(0, 0, row, 2)  # the buttons of the macro edition are not printed
        if self.macros:
            self._buttons(ws)
        ws.protect("", PROTECTION)
        ws.activate()

    def _caution(self) -> list[tuple[str, str]]:
        """On the cover's face: a template made from the built-in sample, or from a policy still holding 示例数据."""
        if self.policy.builtin:
            return [(CAUTION, "本模板按工具内置样例（株洲 2022—2025）的政策参数生成：目标、标准、报送日历和联系人都是样例，"
                              "不是本市核定的参数，只供试用，请勿据此填报。")]
        if self.policy.examples:
            sheets = "、".join(f"“{m.sheet}”" for m in self.policy.examples)
            return [(CAUTION, f"市里的政策参数中{sheets}仍是示例数据、尚未核定：封面上取自这些表的内容（如净增目标、"
                              "报送日历、联系人）可能不是本市实际，以市里通知为准。")]
        return []

    def _submission(self) -> list[tuple[str, str]]:
        """When, how and to whom the report goes, from the policy's 报送日历 and 发文设置 (催报通知's contact)."""
        lines = []
        entry = entry_for(self.policy.calendar, self.period)
        if entry is not None:
            lines.append(("截止日期", f"{date_text(entry.due)}前报送；报表被退回的，在{entry.resubmit_days}个工作日内"
                                      f"（{date_text(entry.deadline)}前）改正后重新报送。"))
        settings = self.policy.document("reminder") or self.policy.document("bulletin")
        where = []
        if settings is not None and settings.email:
            where.append(f"以电子邮件发送至 {settings.email}")
        if settings is not None and settings.address:
            where.append(f"或送达 {settings.address}")
        lines.append(("报送方式", ("，".join(where) if where else "按市里通知的方式报送")
                      + "。报送 .xlsx 文件（文件名按“县市区_报送期_规上工业企业报表”）；需要纸质件时，打印本表由单位负责人签字并加盖公章。"))
        if settings is not None and settings.contact:
            lines.append(("市里联系人", settings.contact.replace("联系人：", "")))
        return lines

    def _buttons(self, ws) -> None:
        ws.set_column(3, 3, 3)
        ws.set_column(4, 4, 24)
        ws.write_string(S.COVER_FIRST_ROW - 2, 4, "操作按钮", self.f["bold"])
        row = draw_buttons(ws, COUNTY_BUTTONS, S.COVER_FIRST_ROW - 1, 4)
        ws.merge_range(row, 4, row + 5, 5, BUTTONS_NOTE, self.f["description"])

    # --- one list sheet
    def list_sheet(self, spec: S.SheetSpec, rows: Sequence[Mapping[str, object]]) -> None:
        ws = self.wb.add_worksheet(spec.name)
        f = self.f
        ncols = len(spec.columns)
        header, example = S.HEADER_ROW - 1, S.EXAMPLE_ROW - 1
        first, last = S.FIRST_DATA_ROW - 1, S.FIRST_DATA_ROW - 2 + max(S.TEMPLATE_ROWS, len(rows))
        ws.set_row(0, 28)
        ws.merge_range(0, 0, 0, ncols - 1, f"{self.county.name} {self.period.label} {spec.title}", f["title"])
        legend = ("列标题底色较深的为必填项，较浅的为选填项。" if any(not c.required for c in spec.columns)
                  else "各列均为必填项。")
        legend += (f"灰色斜体的第{S.EXAMPLE_ROW}行是填写示例，不会被读取，请从第{S.FIRST_DATA_ROW}行起填写；"
                   f"各列的填写要求见“{GUIDE_SHEET}”工作表，鼠标指向列标题也可查看。")
        ws.set_row(1, 30)
        ws.merge_range(1, 0, 1, ncols - 1, f"{spec.description}{legend}", f["description"])
        ws.set_row(header, 36)
        for col, column in enumerate(spec.columns):
            ws.set_column(col, col, column.width, self._column_format(column))
            ws.write_string(header, col, column.header, f["header_required" if column.required else "header"])
            note = ("必填。" if column.required else "选填。") + S.dated(column.hint, self.period.year)
            ws.write_comment(header, col, note, {"author": "填报说明", "x_scale": 2, "y_scale": 1.2})
        self._example_row(ws, example, spec)
        for offset, values in enumerate(rows):
            self._write_row(ws, first + offset, spec, values)
        self._live_checks(ws, spec, first, last)
        ws.freeze_panes(S.FIRST_DATA_ROW - 1, 2)  # the headers and the example stay in view
        ws.autofilter(header, 0, last, ncols - 1)
        # no fixed print area: Excel, WPS and LibreOffice print the rows in use, however many a county adds
        print_fit(ws, [column.width for column in spec.columns], repeat_columns=2)
        ws.repeat_rows(header)
        ws.protect("", PROTECTION)

    def _example_row(self, ws, row: int, spec: S.SheetSpec) -> None:
        """Grey italics, unlocked like the rows below (a locked row would stop a county sorting its list); the
        reader knows it by its content (see report_schema.example_state), wherever a sort puts it."""
        for col, column in enumerate(spec.columns):
            value = S.example_value(column, self.period.year)
            kind = {"number": "example_wan", "integer": "example_integer"}.get(column.kind, "example_text")
            if isinstance(value, (int, float)):
                ws.write_number(row, col, value, self.f[kind])
            elif value:
                ws.write_string(row, col, value, self.f[kind])

    def _column_format(self, column: S.Column):
        kind = column.kind
        if kind == "number":
            return self.f["wan"]
        if kind == "integer":
            return self.f["integer"]
        if kind == "date":
            return self.f["date"]
        return self.f["text_wrap"] if column.width >= 30 else self.f["text"]

    def _write_row(self, ws, row: int, spec: S.SheetSpec, values: Mapping[str, object]) -> None:
        for col, column in enumerate(spec.columns):
            value = values.get(column.key)
            if value is None or value == "":
                continue
            fmt = self._column_format(column)
            if isinstance(value, bool):
                ws.write_string(row, col, "是" if value else "否", fmt)
            elif isinstance(value, (int, float)):
                ws.write_number(row, col, value, fmt)
            elif isinstance(value, (dt.date, dt.datetime)):
                ws.write_datetime(row, col, _as_datetime(value), fmt)
            else:
                ws.write_string(row, col, str(value), fmt)

    def guide(self) -> None:
        """填表说明: every column of every list with whether it is required, what to enter and an example, on a
        sheet that prints (the notes on the headers do not); the reader never reads it."""
        ws = self.wb.add_worksheet(GUIDE_SHEET)
        f = self.f
        widths = (14, 22, 8, 62, 24)
        for col, width in enumerate(widths):
            ws.set_column(col, col, width)
        ws.merge_range(0, 0, 0, len(widths) - 1, "填表说明：各工作表的列、填写要求和示例", f["title"])
        ws.merge_range(1, 0, 1, len(widths) - 1, "示例只是格式示范，不是要填报的企业；本表不需要填写，也不会被读取。",
                       f["description"])
        for col, header in enumerate(("工作表", "列", "必填", "填写要求", "示例")):
            ws.write_string(2, col, header, f["header"])
        row = 3
        for spec in S.LIST_SHEETS:
            for column in spec.columns:
                choices = S.CODE_LISTS.get(column.choices, ())
                what = S.dated(column.hint, self.period.year) + (f"（可选：{'、'.join(choices)}）" if choices else "")
                values = (spec.name, column.header, "必填" if column.required else "选填", what,
                          _example(column, self.period))
                for col, value in enumerate(values):
                    ws.write_string(row, col, value, f["plain_wrap"])
                ws.set_row(row, wrapped_height([(what, widths[3]), (values[1], widths[1])]))
                row += 1
        ws.repeat_rows(2)
        print_fit(ws, widths, landscape=False)
        ws.protect("", PROTECTION)

    def reference(self, firms: Sequence[tuple[str, str, str]]) -> None:
        """A locked sheet listing the county's in-register enterprises (code, name, since when)."""
        ws = self.wb.add_worksheet(REFERENCE_SHEET)
        f = self.f
        ws.set_column(0, 0, 22)
        ws.set_column(1, 1, 36)
        ws.set_column(2, 2, 14)
        ws.merge_range(0, 0, 0, 2, f"{self.county.name}在库规上工业企业（市里提供，只读）", f["title"])
        ws.merge_range(1, 0, 1, 2, "填报“退库企业”时请从该表的下拉列表中选择统一社会信用代码；不在本表中的企业退库需核实。",
                       f["description"])
        ws.set_row(1, 30)
        for col, header in enumerate(("统一社会信用代码", "企业名称", "入规时间")):
            ws.write_string(2, col, header, f["header"])
        for row, (code, name, since) in enumerate(firms, start=3):
            ws.write_string(row, 0, code, f["plain"])
            ws.write_string(row, 1, name, f["plain"])
            ws.write_string(row, 2, since, f["plain"])
        last = max(3, 2 + len(firms))
        self.wb.define_name(REFERENCE_NAME, f"='{REFERENCE_SHEET}'!$A$4:$A${last + 1}")
        ws.freeze_panes(3, 0)
        ws.autofilter(2, 0, last, 2)
        ws.set_paper(9)
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(2)
        ws.protect("", {"autofilter": True, "sort": False})

    def _live_checks(self, ws, spec: S.SheetSpec, first: int, last: int) -> None:
        f = self.f
        ncols = len(spec.columns)
        top = first + 1  # 1-based
        row_range = f"${_col(0)}{top}:${_col(ncols - 1)}{top}"
        for col, column in enumerate(spec.columns):
            ref = f"{_col(col)}{top}"
            if column.required:
                ws.conditional_format(first, col, last, col, {
                    "type": "formula", "criteria": LC.empty_in_started_row(ref, row_range), "format": f["cf_error"]})
            if column.choices:
                ws.data_validation(first, col, last, col, {
                    "validate": "list", "source": f"={_list_name(column.choices)}",
                    "error_title": column.header, "error_message": f"请从下拉列表中选择{column.header}。",
                    "input_title": column.header[:32], "input_message": S.dated(column.hint, self.period.year)[:255]})
            elif column.kind == "uscc":
                if spec.key == "exits" and self.has_reference:  # pick the exiting firm from the register
                    ws.data_validation(first, col, last, col, {
                        "validate": "list", "source": f"={REFERENCE_NAME}", "error_type": "warning",
                        "error_title": "统一社会信用代码", "ignore_blank": True,
                        "error_message": f"该企业不在“{REFERENCE_SHEET}”中。请从下拉列表选择；确属在库企业的，请在“说明”中写明。"})
                else:
                    ws.data_validation(first, col, last, col, {
                        "validate": "custom", "value": LC.uscc_validation(ref), "error_type": "warning",
                        "error_title": "统一社会信用代码", "ignore_blank": True,
                        "error_message": "统一社会信用代码应为18位，且第18位校验码正确。请核对营业执照。"})
                ws.conditional_format(first, col, last, col, {
                    "type": "formula", "criteria": LC.uscc_invalid(ref), "format": f["cf_error"]})
                column_range = f"${_col(col)}${top}:${_col(col)}${last + 1}"
                ws.conditional_format(first, col, last, col, {
                    "type": "formula", "criteria": LC.duplicate_in_column(ref, column_range), "format": f["cf_error"]})
            elif column.kind == "industry":
                ws.data_validation(first, col, last, col, {
                    "validate": "custom", "value": LC.industry_validation(ref), "error_type": "warning",
                    "error_title": "行业代码", "ignore_blank": True,
                    "error_message": "行业代码应为4位数字，工业为06-46大类（如 3311）。"})
            elif column.kind in ("number", "integer"):
                ws.data_validation(first, col, last, col, {
                    "validate": "decimal" if column.kind == "number" else "integer",
                    "criteria": ">=", "value": 0, "error_title": column.header,
                    "error_message": f"“{column.header}”请填写不小于0的{'数字' if column.kind == 'number' else '整数'}。"})
            elif column.kind == "date":
                ws.data_validation(first, col, last, col, _date_validation(column.header, self.period.year))
            if column.key == "revenue" and spec.key in _LIVE_RANGES:
                low, high = _LIVE_RANGES[spec.key](self.policy.thresholds)
                ws.conditional_format(first, col, last, col, {
                    "type": "formula", "criteria": LC.outside(ref, low, high), "format": f["cf_hint"]})


def _col(index: int) -> str:
    return cell_address(1, index)[:-1]


def _as_datetime(value: dt.date | dt.datetime) -> dt.datetime:
    return value if isinstance(value, dt.datetime) else dt.datetime(value.year, value.month, value.day)


def _date_validation(label: str, year: int) -> dict:
    return {"validate": "date", "criteria": "between", "minimum": dt.date(2000, 1, 1), "maximum": dt.date(2099, 12, 31),
            "error_title": label, "error_message": f"“{label}”请填写日期，如 {year}-07-05。"}


GUIDE_SHEET = "填表说明"


def _example(column: S.Column, period) -> str:
    """The example row's value as text, for the 填表说明 sheet."""
    value = S.example_value(column, period.year)
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def write_county_workbook(path: Path, policy: Policy, county: County, period: Period, stamp: Stamp, *,
                          cover: Mapping[str, object] | None = None,
                          lists: Mapping[str, Sequence[Mapping[str, object]]] | None = None,
                          reference: Sequence[tuple[str, str, str]] | None = None,
                          created: dt.datetime | None = None, macros: bool = False, policy_digest: str = "") -> Path:
    """Write the workbook atomically; ``cover`` and ``lists`` pre-fill it (samples, pre-filled templates);
    ``reference`` (code, name, since) adds the read-only sheet of the county's in-register enterprises. The
    workbook carries what its check needs of ``policy`` (domain.carried_policy), with the policy file's digest."""
    lists = lists or {}
    with atomic_output(Path(path)) as temp:
        workbook = new_workbook(temp, title=f"{county.name} {period} 规上工业企业报表", created=created)
        writer = _Writer(workbook, policy, county, period)
        writer.has_reference = reference is not None
        writer.macros = macros
        if macros:
            add_macros(workbook, COUNTY_VBA_MODULES)
        writer.cover(cover or {})
        for spec in S.LIST_SHEETS:
            writer.list_sheet(spec, lists.get(spec.key, ()))
        writer.guide()
        if reference is not None:
            writer.reference(reference)
        writer.helper()
        add_stamp_sheet(workbook, stamp, protect=True, more=carried_rows(policy, policy_digest))
        workbook.close()
    return Path(path)
