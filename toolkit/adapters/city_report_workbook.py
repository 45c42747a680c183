"""The province reporting template (#39, ``domain.city_report``): one workbook per 市州 and period, for a 市州 that
does not run guishang — its 县市区 listed and locked, drop-down lists for the 县市区, the kinds and the reasons, credit
codes kept as text, and the stamp that tells the province's intake what it is."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from toolkit.adapters.atomic import atomic_output
from toolkit.adapters.xlsx_styles import add_stamp_sheet, formats, new_workbook, print_fit
from toolkit.domain import city_report as R
from toolkit.domain import report_schema as S
from toolkit.domain.periods import Period
from toolkit.domain.policy import County, Policy
from toolkit.domain.stamp import Stamp

ROWS = 1000  # rows made ready (formatted, with lists) below each list's header
HEADER = 2  # 0-based: a title, a note, then the header


def write_city_report(path: Path, policy: Policy, unit: County, period: Period, stamp: Stamp, *,
                      created: dt.datetime | None = None) -> Path:
    """The 市州 ``unit``'s template for ``period`` under ``policy`` (the province's), written whole to ``path``."""
    created = created or dt.datetime.now().replace(microsecond=0)
    members = [m.name for m in unit.members]
    with atomic_output(Path(path)) as temp:
        wb = new_workbook(temp, title=f"{unit.name}{period}规上工业企业报表（报省）", created=created)
        f = formats(wb)
        _cover(wb, f, policy, unit, period)
        _units(wb, f, policy, unit, period, members)
        _list(wb, f, R.ENTRIES, f"{unit.name}新增入规企业名单（{period.label}，本年累计）", R.ENTRY_HEADERS, members,
              {3: S.ENTRY_KINDS, 4: S.ENTRY_MODES},
              "本年1月至报送期已入统的新增规上工业企业，每家一行；已报过的企业不要删除。县市区、入规类型、入库方式从下拉列表选择；"
              "入规月份如 2022-03；“来源文件”“行号”可填县市区报表的文件名和行号，便于省里追溯。")
        _list(wb, f, R.EXITS, f"{unit.name}退库企业名单（{period.label}，本年累计）", R.EXIT_HEADERS, members,
              {4: S.EXIT_REASONS}, "本年1月至报送期退出规上名录的企业，每家一行。退库月份如 2022-05。")
        add_stamp_sheet(wb, stamp)
        wb.close()
    return Path(path)


def _cover(wb, f, policy: Policy, unit: County, period: Period) -> None:
    ws = wb.add_worksheet(R.COVER)
    ws.set_column(0, 0, 100)
    lines = [
        (f"{unit.name}规上工业企业报表（报{policy.region}，{period.label}）", f["title_left"]),
        (f"报送期：{period}。本表供未使用本工具的市州填报；使用本工具的市州直接报送本工具生成的汇总表。", f["plain_wrap"]),
        (f"“{R.UNITS}”：每个县市区一行（名称已填好，请勿改动），填写对县市区报表的受理情况（已受理、被退回、未报送）、"
         "新增（新建投产、小升规、其他类型和合计）、退库，以及市州给县市区定的本年新增目标、净增目标。", f["plain_wrap"]),
        (f"“{R.ENTRIES}”“{R.EXITS}”：本年1月至报送期的累计名单，每家企业一行；各县市区的新增合计、退库须与名单中该县市区的行数一致。",
         f["plain_wrap"]),
        ("统一社会信用代码请按营业执照逐位填写（本表按文本保存，不会丢失末位）；省里收到后逐行校验并发回校验结果。", f["plain_wrap"]),
    ]
    for row, (text, fmt) in enumerate(lines):
        ws.set_row(row, 36 if row else 28)
        ws.write_string(row, 0, text, fmt)


def _units(wb, f, policy: Policy, unit: County, period: Period, members: list[str]) -> None:
    ws = wb.add_worksheet(R.UNITS)
    widths = [16, 10, 9, 9, 9, 9, 8, 12, 10, 8]
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)
    ws.write_string(0, 0, f"{unit.name}各县市区情况（{period.label}）", f["title_left"])
    ws.write_string(1, 0, "新增合计 = 新建投产 + 小升规 + 其他类型，须等于“新增入规企业”中该县市区的行数；退库须等于“退库企业”中的行数。",
                    f["note_left"])
    for col, header in enumerate(R.UNIT_HEADERS):
        ws.write_string(HEADER, col, header, f["header"])
    count = wb.add_format({"font_size": 11, "num_format": "0", "locked": False, "border": 1,
                           "border_color": "#8EA9C1"})
    for offset, name in enumerate(members):
        row = HEADER + 1 + offset
        ws.write_string(row, 0, name, f["locked_value"])
        for col in range(1, len(R.UNIT_HEADERS)):
            ws.write_blank(row, col, None, f["input_text"] if col == 1 else count)
    last = HEADER + len(members)
    ws.data_validation(HEADER + 1, 1, last, 1, {"validate": "list", "source": list(R.STATUSES)})
    ws.data_validation(HEADER + 1, 2, last, len(R.UNIT_HEADERS) - 1,
                       {"validate": "integer", "criteria": ">=", "value": 0,
                        "error_message": "请填非负整数（家）。"})
    ws.freeze_panes(HEADER + 1, 1)
    print_fit(ws, widths, repeat_columns=1)


def _list(wb, f, name: str, title: str, headers: tuple[str, ...], members: list[str],
          choices: dict[int, tuple[str, ...]], note: str) -> None:
    ws = wb.add_worksheet(name)
    widths = {"县市区": 12, "统一社会信用代码": 21, "企业名称": 30, "来源文件": 30}
    for col, header in enumerate(headers):
        ws.set_column(col, col, widths.get(header, 11), f["text"])
        ws.write_string(HEADER, col, header, f["header"])
    ws.write_string(0, 0, title, f["title_left"])
    ws.write_string(1, 0, note, f["note_left"])
    ws.set_row(HEADER, 32)
    ws.data_validation(HEADER + 1, 0, HEADER + ROWS, 0, {"validate": "list", "source": members})
    for col, values in choices.items():
        ws.data_validation(HEADER + 1, col, HEADER + ROWS, col, {"validate": "list", "source": list(values)})
    ws.freeze_panes(HEADER + 1, 2)
    ws.autofilter(HEADER, 0, HEADER + ROWS, len(headers) - 1)
    print_fit(ws, [widths.get(h, 11) for h in headers], repeat_columns=1)
    ws.repeat_rows(HEADER)
