"""The department-file reader as it was before its checks went column-wise (row by row, a Python tuple a row),
kept as the oracle the column-wise reader is held to: same records, same messages, in the same order
(tests/unit/test_department_columnwise.py). Not used by the product."""

from __future__ import annotations

from decimal import Decimal

from toolkit.domain.department_data import (FIELDS, MAX_PROBLEMS, NOTE_WORDS, TOTAL_WORDS, WAN, COLUMNS,
                                            DepartmentTable, Kind, Problem, cell_text, code_problem, column_name,
                                            date_of, mapping, month_of, normal_title, number_of, sales_unit)


def _is_total(cells: list[str]) -> bool:
    return any(text.startswith(TOTAL_WORDS) for text in cells[:4] if text) or \
        any(text in TOTAL_WORDS for text in cells if text)


def _is_note(cells: list[str]) -> bool:
    filled = [text for text in cells if text]
    return len(filled) == 1 and filled[0].lstrip("*※").startswith(NOTE_WORDS)


def read_table_rowwise(file: str, sheet: str, above: list[list], columns: list[list], *, kind: Kind,
               header_row: int, csv: bool = False, encoding: str = "",
               header_rows: int = 1) -> tuple[DepartmentTable, list[tuple]]:
    """The records of one department table. ``above``: the rows above the header (titles, notes; row-major);
    ``columns``: the table column by column, each starting with its title; ``header_row``: the header's 1-based
    row in the file; ``header_rows``: 2 for a two-row header (``header_titles``)."""
    table = DepartmentTable(file, sheet, encoding, kind, header_row=header_row)
    records: list[tuple] = []
    place = f"“{file}”" + (f"工作表“{sheet}”" if sheet else "")
    header = [column[0] if column else None for column in columns]
    found = mapping(header, kind)
    specs = {spec.key: spec for spec in FIELDS[kind]}
    for key, at in found.items():
        table.taken[specs[key].label] = f"“{cell_text(header[at])}”（{column_name(at, csv)}）"

    def problem(row: int | None, key: str | None, message: str) -> None:
        if len(table.problems) < MAX_PROBLEMS:
            where = place + (f" 第 {row} 行" if row else "") + \
                (f" {column_name(found[key], csv)}（{specs[key].label}）" if key else "")
            table.problems.append(Problem(where, message))

    scale = Decimal(1)
    if kind is Kind.TAX:
        unit = sales_unit(normal_title(header[found["sales"]])[1], [cell_text(c) for r in above for c in r])
        if isinstance(unit, str):
            problem(None, "sales", unit)
            return table, records
        table.unit, table.unit_from = unit
        scale = WAN if table.unit == "元" else Decimal(1)
    elif kind is Kind.POWER:
        title_unit = normal_title(header[found["kwh"]])[1]
        table.unit, table.unit_from = ("万kWh", "列标题") if "万" in title_unit else ("kWh", "列标题" if title_unit else "")
        scale = WAN if table.unit == "万kWh" else Decimal(1)
    height = max((len(column) for column in columns), default=0)
    get = {key: columns[at] for key, at in found.items()}

    def value(key: str, index: int):
        column = get.get(key)
        return column[index] if column is not None and index < len(column) else None

    ended_at: int | None = None  # the first total row
    for index in range(1, height):
        row = header_row + header_rows - 1 + index
        cells = [cell_text(column[index]) if index < len(column) else "" for column in columns]
        if not any(cells):
            continue
        if _is_total(cells):
            table.skipped.append(f"第 {row} 行（合计行，不计入）")
            ended_at = ended_at or row
            continue
        if _is_note(cells):
            table.skipped.append(f"第 {row} 行（表下说明：{next(c for c in cells if c)[:20]}）")
            continue
        if ended_at is not None:
            problem(ended_at, None, f"合计行夹在数据中间（其后第 {row} 行还有数据）：合计行只能在表的末尾。"
                                    "请部门删去中间的合计、小计行后重新导出，以免重复计算。")
            return table, records
        record = _record(kind, index, row, value, problem, scale)
        if record is not None:
            records.append(record)
    if not records and not table.problems:
        problem(None, None, "表头下面没有数据行。请确认文件是否导出完整。")
    _duplicates(records, kind, problem)
    return table, records


def _record(kind: Kind, index: int, row: int, value, problem, scale: Decimal) -> tuple | None:
    bad = False

    def text(key: str, required: bool = True) -> str:
        nonlocal bad
        got = cell_text(value(key, index))
        if required and not got:
            problem(row, key, "为空。每一行都须有这一项；如果这一行是合计或说明，请删去后重新导出。")
            bad = True
        return got

    def code(key: str, required: bool = True) -> str:
        nonlocal bad
        raw = value(key, index)
        if raw is None or cell_text(raw) == "":
            text(key, required)
            return ""
        said = code_problem(raw)
        if said:
            problem(row, key, said)
            bad = True
            return ""
        return cell_text(raw).upper()

    def month(key: str) -> str:
        nonlocal bad
        raw = value(key, index)
        got = month_of(raw)
        if got is None:
            problem(row, key, f"“{cell_text(raw)}”不是年月（应如 2024-03、202403 或 2024年3月）。")
            bad = True
        return got or ""

    def amount(key: str) -> Decimal:
        nonlocal bad
        raw = value(key, index)
        got = number_of(raw)
        if got is None:
            problem(row, key, f"“{cell_text(raw)}”不是数字。" if cell_text(raw) else "为空。每个月都须有数字（没有即填 0）。")
            bad = True
        return got or Decimal(0)

    if kind is Kind.TAX:  # sales in 万元 (``scale``: 10000 when the file gives 元)
        record = (code("code"), text("name"), month("month"), f"{amount('sales') / scale:f}",
                  text("industry", False), text("status", False), row)
    elif kind is Kind.REGISTRATION:
        established = date_of(value("established", index))
        if established is None:
            problem(row, "established", f"“{cell_text(value('established', index))}”不是日期（应如 2023-10-08）。")
            bad = True
        record = (code("code"), text("name"), established or "", text("status"), text("address", False),
                  text("authority", False), text("scope", False), row)
    else:
        record = (text("account"), text("name"), code("code", False), month("month"),
                  f"{amount('kwh') * scale:f}", row)
    return None if bad else record


def _duplicates(records: list[tuple], kind: Kind, problem) -> None:
    """A taxpayer's (an account's) month given twice, a firm registered twice: which is right cannot be told."""
    columns = COLUMNS[kind]
    keys = {Kind.TAX: ("code", "month"), Kind.POWER: ("account", "month"), Kind.REGISTRATION: ("code",)}[kind]
    at = [columns.index(key) for key in keys]
    rows: dict[tuple, list[int]] = {}
    for record in records:
        rows.setdefault(tuple(record[i] for i in at), []).append(record[-1])
    label = {Kind.TAX: "纳税人识别号", Kind.POWER: "户号", Kind.REGISTRATION: "统一社会信用代码"}[kind]
    for key, where in rows.items():
        if len(where) > 1:
            what = f"{label} {key[0]}" + (f" 的 {key[1]}" if len(key) > 1 else "")
            problem(None, None, f"{what} 出现了 {len(where)} 次（第 {'、'.join(map(str, where))} 行），不知以哪一行为准。"
                                f"请部门核对后每{'月' if len(key) > 1 else '家'}只留一行（更正申报请给更正后的数字）。")


