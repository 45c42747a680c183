"""应入尽入's department files as data: the classification shipped, column aliases, units, kinds, codes, headers and
totals (toolkit/domain/department_data.py, toolkit/domain/industries.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from toolkit.domain import department_data as D
from toolkit.domain.department_data import Kind
from toolkit.domain.uscc import with_check_character
from toolkit.services.screening import classification

FIRM = with_check_character("91430200MA4L000A0")
FIRM2 = with_check_character("91430211MA4L000B1")


def id_card_passing_the_check_character() -> str:
    """A 居民身份证号码 (valid birth date and MOD 11-2 check) whose 18th character is also the GB 32100 check
    character of its first 17: it passes a naive credit-code check."""
    from stdnum.cn import uscc

    for serial in range(1000):
        first17 = f"43020319850612{serial:03d}"
        if D.looks_like_id_card(first17 + uscc.calc_check_digit(first17)):
            return first17 + uscc.calc_check_digit(first17)
    raise AssertionError("no such number in the range")


def columns_of(rows: list[list]) -> list[list]:
    width = max(len(r) for r in rows)
    return [[r[i] if i < len(r) else None for r in rows] for i in range(width)]


def read(rows: list[list], kind: Kind | None = None, above: list[list] | None = None) -> D.DepartmentTable:
    at, found = D.find_header(rows, kind)
    return D.read_table("税务.xlsx", "Sheet1", rows[:at], columns_of(rows[at:]), kind=found, header_row=at + 1)


def test_the_classification_has_20_sections_and_97_divisions_41_of_them_industry():
    gbt = classification()
    assert len(gbt.sections) == 20 and len(gbt.divisions) == 97
    assert gbt.industrial_divisions == [f"{n:02d}" for n in range(6, 47)] and len(gbt.industrial_divisions) == 41
    assert gbt.divisions["13"] == "农副食品加工业"
    assert gbt.divisions["26"] == "化学原料和化学制品制造业"
    assert gbt.divisions["44"] == "电力、热力生产和供应业"
    assert gbt.sections["C"] == "制造业" and gbt.section_of["36"] == "C"
    assert gbt.industrial("3311") and not gbt.industrial("05") and not gbt.industrial("47")


@pytest.mark.parametrize("title, kind, key", [
    ("纳税人识别号", Kind.TAX, "code"), ("统一社会信用代码", Kind.TAX, "code"), ("税款所属期", Kind.TAX, "month"),
    ("申报销售额（元）", Kind.TAX, "sales"), ("开票销售额(万元)", Kind.TAX, "sales"), ("国标行业", Kind.TAX, "industry"),
    ("企业名称", Kind.REGISTRATION, "name"), ("成立 日期", Kind.REGISTRATION, "established"),
    ("住所", Kind.REGISTRATION, "address"), ("登记机关", Kind.REGISTRATION, "authority"),
    ("户号", Kind.POWER, "account"), ("电费年月", Kind.POWER, "month"), ("用电量(kWh)", Kind.POWER, "kwh"),
    ("用电量（千瓦时）", Kind.POWER, "kwh"),
])
def test_columns_are_taken_by_the_departments_own_names(title, kind, key):
    assert D.mapping(["无关", title], kind) == {key: 1}


def test_the_first_alias_present_is_taken_when_two_columns_could_serve():
    assert D.mapping(["开票销售额（元）", "申报销售额（元）"], Kind.TAX)["sales"] == 1


@pytest.mark.parametrize("title_unit, notes, expected", [
    ("元", [], ("元", "列标题")), ("万元", [], ("万元", "列标题")), ("", ["金额单位：万元"], ("万元", "表上方的单位说明")),
    ("", ["单位:元"], ("元", "表上方的单位说明")), ("元", ["单位：元"], ("元", "列标题")),
])
def test_the_sales_unit_is_read_from_the_title_or_a_note(title_unit, notes, expected):
    assert D.sales_unit(title_unit, notes) == expected


@pytest.mark.parametrize("title_unit, notes", [("", []), ("", ["单位：元", "单位：万元"]), ("元", ["单位：万元"])])
def test_a_unit_that_cannot_be_told_is_refused(title_unit, notes):
    assert isinstance(D.sales_unit(title_unit, notes), str)


@pytest.mark.parametrize("header, kind", [
    (["纳税人识别号", "纳税人名称", "所属期", "销售额（元）"], Kind.TAX),
    (["统一社会信用代码", "企业名称", "成立日期", "登记状态", "住所"], Kind.REGISTRATION),
    (["户号", "户名", "月份", "用电量(kWh)"], Kind.POWER),
    (["户号", "户名", "统一社会信用代码", "电费年月", "用电量"], Kind.POWER),
])
def test_the_kind_is_told_by_the_columns(header, kind):
    assert D.find_header([["2024年数据"], [], header], None) == (2, kind)


def test_a_header_without_a_key_column_is_not_a_header_and_the_reason_names_the_column():
    rows = [["纳税人识别号", "纳税人名称", "销售额（元）"]]
    assert D.find_header(rows) is None
    assert "所属期" in D.why_no_header(rows)
    assert "找不到表头" in D.why_no_header([["说明"], ["甲", "乙"]])


def test_a_header_of_two_kinds_at_once_is_ambiguous():
    with pytest.raises(D.AmbiguousKind):
        D.find_header([["纳税人识别号", "纳税人名称", "所属期", "销售额（元）", "户号", "户名", "月份", "用电量"]])


def test_a_credit_code_passes_and_other_codes_are_refused_never_repaired():
    assert D.code_problem(FIRM) is None
    assert D.code_problem(" " + FIRM.lower() + " ") is None
    assert D.code_problem(with_check_character("92430200MA4L000A0")) is None  # 个体工商户: a code, kept
    assert "身份证" in D.code_problem(id_card_passing_the_check_character())
    assert "数字形式" in D.code_problem(9.14302e17)
    assert "科学计数法" in D.code_problem("9.14302E+17")
    assert "第 1—2 位" in D.code_problem(with_check_character("94430200MA4L000A0"))
    assert "第 3—8 位" in D.code_problem(with_check_character("9143A200MA4L000A0"))
    assert "校验位" in D.code_problem(FIRM[:-1] + ("0" if FIRM[-1] != "0" else "1"))
    assert "17 位" in D.code_problem(FIRM[:-1])


def test_an_id_card_number_passing_the_naive_check_fails_on_its_first_two_positions_too():
    number = id_card_passing_the_check_character()
    from toolkit.domain.uscc import check_uscc

    assert check_uscc(number) is None or check_uscc(number).code == "E104"  # the naive check lets it through
    assert number[1] not in D.AUTHORITY_TYPES[number[0]]


@pytest.mark.parametrize("value, month", [
    ("2024-03", "2024-03"), ("202403", "2024-03"), (202403.0, "2024-03"), ("2024年3月", "2024-03"),
    ("2024-03-01至2024-03-31", "2024-03"), (dt.date(2024, 3, 1), "2024-03"), ("2024.3", "2024-03"),
    ("2024-13", None), ("三月", None), ("", None),
])
def test_months_as_departments_write_them(value, month):
    assert D.month_of(value) == month


def tax_rows(sales_title: str = "申报销售额（元）") -> list[list]:
    return [["2024年1-3月纳税人申报销售额"], ["注：数据来源金税系统"],
            ["纳税人识别号", "纳税人名称", "所属期", sales_title, "国标行业", "登记状态"],
            [FIRM, "甲公司", "2024-01", "1,234,500.00", "C3311", "正常"],
            [FIRM, "甲公司", "2024-02", 2000000, "C3311", "正常"],
            [FIRM2, "乙公司", "2024-01", "0", "F5191", "正常"],
            ["合计", "", "", 3234500, "", ""],
            ["制表人：张三"]]


def test_a_tax_table_with_a_title_a_note_and_a_total_row_is_read_in_wan():
    table = read(tax_rows())
    assert not table.problems and table.kind is Kind.TAX and table.header_row == 3
    assert table.unit == "元" and table.unit_from == "列标题"
    assert table.records == [(FIRM, "甲公司", "2024-01", "123.45", "C3311", "正常", 4),
                             (FIRM, "甲公司", "2024-02", "200", "C3311", "正常", 5),
                             (FIRM2, "乙公司", "2024-01", "0", "F5191", "正常", 6)]
    assert table.months == ("2024-01", "2024-02")
    assert table.skipped[0].startswith("第 7 行（合计行") and "制表人" in table.skipped[1]
    assert table.taken["销售额"] == "“申报销售额（元）”（D 列）"


def test_sales_in_wan_are_kept_as_given():
    assert read(tax_rows("销售额（万元）")).records[0][3] == "1234500.00"


def test_a_total_row_amid_the_data_is_refused():
    rows = tax_rows()
    rows.insert(5, ["小计", "", "", 3234500])
    table = read(rows)
    assert table.problems and "合计行夹在数据中间" in table.problems[0].message and "第 6 行" in table.problems[0].where


def test_a_month_twice_for_one_taxpayer_is_refused_with_its_rows():
    rows = tax_rows()
    rows.insert(5, [FIRM, "甲公司", "202402", "5"])
    table = read(rows)
    assert len(table.problems) == 1 and "第 5、6 行" in table.problems[0].message


def test_id_card_numbers_and_lost_digits_are_refused_row_by_row():
    rows = tax_rows()
    rows[3][0] = id_card_passing_the_check_character()
    rows[4][0] = 9.14302e17
    table = read(rows)
    assert [p.where for p in table.problems] == ["“税务.xlsx”工作表“Sheet1” 第 4 行 A 列（纳税人识别号）",
                                                 "“税务.xlsx”工作表“Sheet1” 第 5 行 A 列（纳税人识别号）"]


def test_a_sales_column_without_unit_is_refused():
    table = read(tax_rows("销售额"))
    assert table.problems and "单位" in table.problems[0].message and not table.records


def test_power_in_ten_thousand_kwh_is_kept_in_kwh():
    rows = [["户号", "户名", "月份", "用电量（万kWh）"], ["0701", "甲公司", "2024-01", "1.5"]]
    table = read(rows)
    assert table.records == [("0701", "甲公司", "", "2024-01", "15000.0", 2)] and table.unit == "万kWh"


def test_a_registration_extract_keeps_dates_and_refuses_a_firm_twice():
    rows = [["统一社会信用代码", "企业名称", "成立日期", "登记状态", "住所", "登记机关", "经营范围"],
            [FIRM, "甲公司", dt.datetime(2023, 10, 8), "存续", "荷塘区", "株洲市市场监督管理局", "金属结构制造"],
            [FIRM2, "乙公司", "2015/3/2", "在业", "", "", ""]]
    table = read(rows)
    assert [r[2] for r in table.records] == ["2023-10-08", "2015-03-02"]
    rows.append([FIRM, "甲公司", "2023-10-08", "存续"])
    assert "出现了 2 次" in read(rows).problems[0].message


@pytest.mark.parametrize("text, bad", [
    ("纳税人识别号,纳税人名称\n", False), ("ÄÉË°ÈËÃû³Æ,ËùÊôÆÚ\n", True), ("锟斤拷,x", True), ("a\ufffdb", True),
])
def test_garbled_text_is_told(text, bad):
    assert (D.garbled(text) is not None) == bad


def test_numbers_keep_their_digits():
    assert D.number_of("1,234.50") == Decimal("1234.50") and D.number_of(0.1) == Decimal("0.1")
    assert D.number_of("一百") is None and D.number_of(True) is None


def two_row_rows() -> list[list]:
    """As a tax system exports with merged cells: titles spanning both header rows stand in the top row, and
    销售额（万元） spans 申报销售额 and 其中：免税销售额 below it."""
    return [["2022年7—12月纳税人申报销售额", "", "", "", "", ""], ["数据来源：金税三期", "", "", "", "", ""],
            ["纳税人识别号", "纳税人名称", "税款所属期", "销售额（万元）", "", "国标行业"],
            ["", "", "", "申报销售额", "其中：免税销售额", ""],
            [FIRM, "甲公司", "2022-07", 12.5, 0, "C3311"],
            [FIRM2, "乙公司", "2022-07", 3, 0, "C3311"]]


def test_a_two_row_header_with_merged_titles_is_read_with_the_groups_unit():
    rows = two_row_rows()
    assert D.find_header(rows) == (2, Kind.TAX)
    titles, height = D.header_titles(rows, 2)
    assert height == 2 and titles[3:5] == ["申报销售额（万元）", "其中：免税销售额（万元）"] and titles[0] == "纳税人识别号"
    table = D.read_table("税务.xlsx", "Sheet1", rows[:2], columns_of([titles, *rows[4:]]), kind=Kind.TAX,
                         header_row=3, header_rows=2)
    assert not table.problems and table.unit == "万元" and table.header_row == 3
    assert table.taken["销售额"] == "“申报销售额（万元）”（D 列）"
    assert [(r[0], r[3], r[-1]) for r in table.records] == [(FIRM, "12.5", 5), (FIRM2, "3", 6)]


def test_a_one_row_header_is_not_merged_with_a_data_row_nor_a_note_with_the_header():
    rows = tax_rows()
    assert D.header_titles(rows, 2) == (rows[2], 1)  # the row below has digits: data, not titles
    assert D.header_titles(rows, 1)[1] == 1  # a one-cell note above the header is no top row of it
    assert D.find_header(rows) == (2, Kind.TAX)
    below_a_filled_title = [["纳税人识别号", "纳税人名称", "所属期", "销售额（元）"], ["说明", "", "", ""]]
    assert D.header_titles(below_a_filled_title, 0)[1] == 1  # nothing stands under an empty top cell


def _imported(name: str, kind: Kind, first: str = "", last: str = "") -> D.ImportedFile:
    return D.ImportedFile(name, name, kind, "", "UTF-8", "", "", {}, first, last, 0, "")


@pytest.mark.parametrize("earlier, later, replaced", [
    (("2024-01", "2024-06"), ("2024-01", "2024-09"), True),  # a cumulative extract
    (("2024-01", "2024-06"), ("2024-06", "2024-06"), True),  # one shared month (the boundary)
    (("2024-01", "2024-06"), ("2024-07", "2024-09"), False),  # the next months only: both kept whole
    (("2024-07", "2024-09"), ("2024-01", "2024-06"), False),  # sent out of order, not overlapping
])
def test_a_later_file_replaces_the_rows_it_gives_again_in_the_months_both_cover(earlier, later, replaced):
    import polars as pl

    files = [_imported("早.csv", Kind.TAX, *earlier), _imported("晚.csv", Kind.TAX, *later)]
    month = earlier[0]
    parts = [pl.LazyFrame({"code": ["A", "B"], "month": [month, month], "sales_wan": ["1", "2"], "f": ["早", "早"]}),
             pl.LazyFrame({"code": ["A"], "month": [month], "sales_wan": ["5"], "f": ["晚"]})]
    rows = D.current_rows(parts, files).collect().rows()
    if replaced:  # A's month from the later file only; B (not in it) kept
        assert rows == [("B", month, "2", "早"), ("A", month, "5", "晚")]
        assert len(D.superseded_notes(files)) == 1 and "以后导入的文件为准" in D.superseded_notes(files)[0]
    else:
        assert rows == [("A", month, "1", "早"), ("B", month, "2", "早"), ("A", month, "5", "晚")]
        assert D.superseded_notes(files) == []


def test_a_power_account_and_a_registration_are_replaced_by_their_own_keys():
    import polars as pl

    power = [_imported("电1.csv", Kind.POWER, "2024-01", "2024-02"),
             _imported("电2.csv", Kind.POWER, "2024-02", "2024-03")]
    parts = [pl.LazyFrame({"account": ["1", "1", "2"], "month": ["2024-01", "2024-02", "2024-02"],
                           "kwh": ["1", "2", "3"]}),
             pl.LazyFrame({"account": ["1"], "month": ["2024-02"], "kwh": ["9"]})]
    assert D.current_rows(parts, power).collect()["kwh"].to_list() == ["1", "3", "9"]
    registration = [_imported("登记1.xlsx", Kind.REGISTRATION), _imported("登记2.xlsx", Kind.REGISTRATION)]
    parts = [pl.LazyFrame({"code": ["A", "B"], "status": ["存续", "存续"]}),
             pl.LazyFrame({"code": ["A"], "status": ["注销"]})]
    assert D.current_rows(parts, registration).collect().rows() == [("B", "存续"), ("A", "注销")]
    (note,) = D.superseded_notes(registration)
    assert note.startswith("市场监管登记信息“登记1.xlsx”与其后导入的“登记2.xlsx”有重复的企业：同一企业以后导入的文件为准")
    assert D.superseded_notes(power, by="电2.csv") and not D.superseded_notes(power, by="电1.csv")
