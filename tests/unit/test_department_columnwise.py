"""The column-wise department-file checks (polars expressions over whole columns) give what the row-by-row reader
gave — the same records, the same Chinese messages naming file, sheet, row and column, in the same order, the same
rows left out — on tables built to be wrong in every way a department's export can be, read as a workbook gives
cells (numbers, dates) and as a csv gives them (text). The row-by-row reader is kept as the oracle in
tests/unit/department_rowwise.py."""

from __future__ import annotations

import datetime as dt
import random

import polars as pl
import pytest

from department_rowwise import read_table_rowwise
from toolkit.domain import department_data as D
from toolkit.domain.department_data import Kind
from toolkit.domain.uscc import ALPHABET, with_check_character

HEADERS = {
    Kind.TAX: ["纳税人识别号", "纳税人名称", "所属期", "销售额", "国标行业", "登记状态", "备注"],
    Kind.REGISTRATION: ["统一社会信用代码", "企业名称", "成立日期", "登记状态", "住所", "登记机关", "经营范围"],
    Kind.POWER: ["户号", "户名", "统一社会信用代码", "电费年月", "用电量"],
}


def good_code(rng: random.Random) -> str:
    return with_check_character("91" + rng.choice(["430200", "430211", "430223"]) + "MA4" +
                                "".join(rng.choice(ALPHABET) for _ in range(6)))


def id_card(rng: random.Random) -> str:
    while True:
        born = f"{rng.randint(1950, 2005)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
        first = f"430203{born}{rng.randint(0, 999):03d}"
        code = first + "10X98765432"[sum(int(c) * w for c, w in zip(first, D._ID_WEIGHTS)) % 11]
        if D.looks_like_id_card(code):
            return code


def code_cell(rng: random.Random, workbook: bool):
    good = good_code(rng)
    choices = [good, good, good, good.lower(), f" {good} ", id_card(rng), "9.14302E+17", good[:17],
               good[:-1] + ("0" if good[-1] != "0" else "1"), "12430200MA4L00001", with_check_character("12430200" +
               "MA4L0000"), with_check_character("11430200MA4L0000"), "9143020OMA4L00001", ""]
    if workbook:
        choices += [914302001234567890.0, 9143020012345678]
    return rng.choice(choices)


def month_cell(rng: random.Random, workbook: bool):
    month = rng.randint(1, 12)
    choices = [f"2024-{month:02d}", f"2024{month:02d}", f"2024年{month}月", f"2024-{month:02d}-01至2024-{month:02d}-28",
               "2024-13", "", "上月", "1999-05", "2024031"]
    if workbook:
        choices += [dt.date(2024, month, 1), dt.datetime(2024, month, 1), 202400 + month]
    return rng.choice(choices)


def amount_cell(rng: random.Random, workbook: bool):
    value = rng.uniform(-1000, 5_000_000)
    choices = [f"{value:.2f}", f"{value:,.2f}", f"{value:.0f}", "0", "0.00", "-0", "", "无", "1.5E+3", "+5", ".5", "007",
               "12，345.6", "100", "2000.00", "300000", "１２"]
    if workbook:
        choices += [round(value, 2), int(value), 1e16, 12345600.0, True]
    return rng.choice(choices)


def date_cell(rng: random.Random, workbook: bool):
    choices = ["2023-10-08", "2019/5/20", "20230108", "2023-02-30", "", "不详", "2023年1月2日"]
    if workbook:
        choices += [dt.date(2015, 3, 2), dt.datetime(2021, 10, 1, 0, 0)]
    return rng.choice(choices)


def text_cell(rng: random.Random) -> str:
    return rng.choice(["株洲甲机械有限公司", "乙 公司", "丙　公司 ", "", "存续", "正常", "C3311 金属结构制造"])


def data_row(rng: random.Random, kind: Kind, workbook: bool, codes: list[str]) -> list:
    reuse = rng.choice(codes) if codes and rng.random() < 0.2 else None
    if kind is Kind.TAX:
        return [reuse or code_cell(rng, workbook), text_cell(rng), month_cell(rng, workbook),
                amount_cell(rng, workbook), text_cell(rng), text_cell(rng), ""]
    if kind is Kind.REGISTRATION:
        return [reuse or code_cell(rng, workbook), text_cell(rng), date_cell(rng, workbook), text_cell(rng),
                "株洲市天元区黄河路1号", "株洲市天元区市场监督管理局", "金属制品"]
    return [rng.choice(["0701", "0702", "0703", "", reuse or "0704"]), text_cell(rng),
            rng.choice(["", code_cell(rng, workbook)]), month_cell(rng, workbook), amount_cell(rng, workbook)]


def build(seed: int, kind: Kind, workbook: bool) -> tuple[list[list], list[list]]:
    """(rows above the header, the table's rows with the header first)."""
    rng = random.Random(seed)
    header = list(HEADERS[kind])
    above = [["2024年纳税人申报销售额"]]
    if kind is Kind.TAX:
        header[3] = rng.choice(["销售额（元）", "申报销售额（万元）", "销售额"])
        if header[3] == "销售额":
            above.append([rng.choice(["单位：元", "单位：万元", "说明：无"])])
    if kind is Kind.POWER:
        header[4] = rng.choice(["用电量(kWh)", "用电量（万kWh）", "用电量"])
    rows, codes = [header], []
    clean = rng.random() < 0.3  # some tables are right everywhere: records and duplicates are compared
    for _ in range(rng.randint(0, 40)):
        draw = rng.random() if not clean else 1
        if draw < 0.04:
            rows.append(["合计", "", "", "123"][:len(header)])
        elif draw < 0.07:
            rows.append([rng.choice(["注：本表数据来源金税三期", "※说明：仅供参考", "制表人：张三"])])
        elif draw < 0.1:
            rows.append([""] * len(header))
        else:
            row = data_row(rng, kind, workbook, codes)
            if clean:
                row = clean_row(rng, kind, row)
            codes.append(row[0])
            rows.append(row)
    if clean and rng.random() < 0.5:  # totals and notes below the table
        rows += [["合计", "", "", "123"][:len(header)], ["制表人：张三"]]
    return above, rows


def clean_row(rng: random.Random, kind: Kind, row: list) -> list:
    row = list(row)
    if kind is Kind.POWER:
        row[0] = f"07{rng.randint(0, 9999):04d}"
        row[2], row[3], row[4] = "", f"2024-{rng.randint(1, 12):02d}", str(rng.randint(0, 9_000))
    else:
        row[0] = good_code(rng)
        row[2] = f"2024-{rng.randint(1, 12):02d}" if kind is Kind.TAX else "2023-10-08"
        if kind is Kind.TAX:
            row[3] = rng.choice([f"{rng.uniform(0, 3e6):.2f}", str(rng.randint(0, 10 ** 7)), "0.00"])
    row[1] = row[1] or "甲公司"
    row[3] = row[3] or "存续"
    return row


def columns_of(rows: list[list], workbook: bool) -> tuple[list[list], list]:
    width = max(len(r) for r in rows)
    lists = [[r[i] if i < len(r) else None for r in rows] for i in range(width)]
    if workbook:
        return lists, lists
    as_text = [[None if v in (None, "") else str(v) for v in column] for column in lists]  # what polars gives
    return as_text, [pl.Series(column, dtype=pl.Utf8) for column in as_text]


@pytest.mark.parametrize("kind", list(Kind))
@pytest.mark.parametrize("workbook", [True, False])
def test_the_column_wise_checks_say_what_the_row_by_row_reader_said(kind, workbook):
    compared = with_records = 0
    for seed in range(80):
        above, rows = build(seed * 7 + len(kind.value), kind, workbook)
        oracle_columns, columns = columns_of(rows, workbook)
        old, records = read_table_rowwise("税务.xlsx", "Sheet1" if workbook else "", above, oracle_columns, kind=kind,
                                          header_row=len(above) + 1, csv=not workbook)
        new = D.read_table("税务.xlsx", "Sheet1" if workbook else "", above, columns, kind=kind,
                           header_row=len(above) + 1, csv=not workbook)
        assert new.problems == old.problems, seed
        assert new.skipped == old.skipped and new.taken == old.taken, seed
        assert (new.unit, new.unit_from) == (old.unit, old.unit_from), seed
        if not old.problems:
            assert new.records == records, seed
            with_records += bool(records)
        compared += 1
    assert compared == 80 and with_records >= 5


def test_amounts_are_written_as_decimal_writes_them():
    texts = ["12345600.5", "300000", "2000.00", "100", "0", "0.00", "-0", "-12.30", "0.5", "5", "10000.5",
             "123456789012345.67", "999999999999999999", "1234567890123456789.5"]  # beyond 18 digits: Decimal
    from decimal import Decimal

    assert D._shift(pl.Series(texts), -4).to_list() == [f"{Decimal(t) / 10000:f}" for t in texts]
    assert D._shift(pl.Series(texts), 4).to_list() == [f"{Decimal(t) * 10000:f}" for t in texts]
    assert D._shift(pl.Series(texts), 0).to_list() == texts


def test_a_credit_code_is_told_from_its_check_character_over_whole_columns():
    rng = random.Random(3)
    codes = [good_code(rng) for _ in range(200)]
    broken = [c[:-1] + ALPHABET[(ALPHABET.index(c[-1]) + 1) % 31] for c in codes]
    valid = D._codes_valid(pl.Series(codes + broken)).to_list()
    assert valid == [True] * 200 + [False] * 200
    assert all(D.code_problem(c) is None for c in codes) and all(D.code_problem(c) for c in broken)


def test_a_table_read_a_batch_at_a_time_says_what_it_says_read_at_once():
    """The csv reader feeds a province's extract a batch at a time: messages (a month twice across two batches, a
    total row amid the data in a later batch), skipped rows and records are those of the table read at once."""
    for seed in range(40):
        above, rows = build(seed, Kind.TAX, False)
        rows += [rows[1]] if len(rows) > 1 else []  # the first row again, in the last batch: a duplicate
        _, columns = columns_of(rows, False)
        whole = D.read_table("税务.csv", "", above, columns, kind=Kind.TAX, header_row=len(above) + 1, csv=True)
        reader = D.TableReader("税务.csv", "", above, [c[0] for c in columns], kind=Kind.TAX,
                               header_row=len(above) + 1, csv=True)
        kept = []
        for start in range(1, max(len(rows), 2), 7):
            records = reader.feed([c.slice(start, 7) for c in columns])
            if records is None:
                break
            kept.append(records)
        batched = reader.finish(pl.concat(kept).lazy() if kept else None)
        assert batched.problems == whole.problems and batched.skipped == whole.skipped, seed
        assert batched.records == whole.records and batched.months == whole.months, seed
