"""应入尽入's rules, boundary by boundary: who is listed, as what, with which flags, under which county — and who is
not (a decoy for every rule)."""

from __future__ import annotations

from decimal import Decimal

import polars as pl
import pytest

from toolkit.demo.zhuzhou_policy import zhuzhou_policy
from toolkit.domain import screening as R
from toolkit.domain.periods import Period
from toolkit.domain.uscc import with_check_character
from toolkit.services.screening import classification

POLICY = zhuzhou_policy()
CLASSES = classification()
TAX = ["code", "name", "month", "sales_wan", "industry", "status", "row", "file"]
REG = ["code", "name", "established", "status", "address", "authority", "scope", "row", "file"]
POWER = ["account", "name", "code", "month", "kwh", "row", "file"]
M21 = [f"2021-{m:02d}" for m in range(1, 13)]
M22 = [f"2022-{m:02d}" for m in range(1, 10)]


def code(n: int, area: str = "430223") -> str:
    """Area 430223 is 攸县's alone: the code tells the county when nothing else does."""
    return with_check_character(f"91{area}MA4L{n:05d}")


def tax(*firms) -> pl.DataFrame:
    rows = []
    for c, name, industry, amounts, status in firms:
        for i, (month, amount) in enumerate(amounts):
            rows.append((c, name, month, f"{Decimal(str(amount)):f}", industry, status, i + 2, "税务.csv"))
    return pl.DataFrame(rows, schema=TAX, orient="row")


def firm(c, amounts, *, name="株洲某机械有限公司", industry="C3311", status="正常"):
    return (c, name, industry, amounts, status)


def months(values, when=M22):
    return list(zip(when, values))


def flat(total: float, when=M22):
    """``total`` spread over the months, exact to the millionth of 万元 the tax data keep (the last month takes
    the remainder)."""
    part = (Decimal(str(total)) / len(when)).quantize(Decimal("0.01"))
    return [(m, part) for m in when[:-1]] + [(when[-1], Decimal(str(total)) - part * (len(when) - 1))]


def reg(*rows) -> pl.DataFrame:
    return pl.DataFrame([(*r, i + 2, "登记.xlsx") for i, r in enumerate(rows)], schema=REG, orient="row")


NO_REG = pl.DataFrame(schema=REG)
NO_POWER = pl.DataFrame(schema=POWER)


def run(taxes, *, registration=NO_REG, power=NO_POWER, held=None, period=Period(2022, 9)) -> R.Screen:
    return R.screen(period, tax=taxes, registration=registration, power=power, held=held or {},
                    counties=POLICY.counties, classes=CLASSES)


def only(s: R.Screen) -> R.Candidate:
    assert len(s.candidates) == 1, s.candidates
    return s.candidates[0]


@pytest.mark.parametrize("text, division", [
    ("3311", "33"), ("C3311", "33"), ("C3311 金属结构制造", "33"), ("33", "33"), ("金属结构制造（3311）", "33"),
    ("C 制造业", "C"), ("c", "C"), ("F5191", "51"), ("", ""), ("制造业", ""), ("331", "33"), ("12345", ""),
])
def test_the_division_is_read_as_the_tax_office_writes_it(text, division):
    assert R.division_of(text) == division


@pytest.mark.parametrize("division, expected", [
    ("05", False), ("06", True), ("13", True), ("46", True), ("47", False), ("51", False),
    ("B", True), ("D", True), ("F", False), ("", None), ("99", None),
])
def test_industry_is_sections_b_c_d(division, expected):
    assert R.industrial(division, CLASSES) is expected


@pytest.mark.parametrize("status, out", [
    ("存续（在营、开业、在册）", False), ("正常", False), ("", False), ("注销", True), ("吊销，未注销", True),
    ("迁出", True), ("非正常户", True), ("注册未经营", True), ("停业", True), ("歇业", True), ("清算", True),
])
def test_inactive_statuses(status, out):
    assert R.inactive(status) is out


@pytest.mark.parametrize("a, b, same", [
    ("株洲甲机械有限责任公司", "株洲甲机械有限公司", True), ("株洲 甲（机械）有限公司", "株洲甲(机械)有限公司", True),
    ("株洲甲机械有限公司", "株洲乙机械有限公司", False),
])
def test_names_compared_across_departments(a, b, same):
    assert (R.name_key(a) == R.name_key(b)) is same
    frame = pl.DataFrame({"n": [a, b]})
    assert frame.select(R.name_key_expr(pl.col("n")))["n"].to_list() == [R.name_key(a), R.name_key(b)]


@pytest.mark.parametrize("text, county", [
    ("株洲市天元区市场监督管理局", "天元区"), ("株洲县市场监督管理局", "渌口区"), ("株洲经济技术开发区管委会", "株洲经开区"),
    ("攸 县市场监督管理局", "攸县"), ("株洲市市场监督管理局", ""), ("醴陵市某路，原属攸县", "醴陵市"), ("", ""),
])
def test_the_county_named_by_an_authority_or_address(text, county):
    assert R.county_in_text(text, POLICY.counties) == county


@pytest.mark.parametrize("area, county", [("430223", "攸县"), ("430281", "醴陵市"), ("430211", ""), ("430200", ""),
                                          ("430999", "")])
def test_the_county_of_a_code_only_when_one_county_takes_its_area(area, county):
    assert R.county_of_code(code(1, area), POLICY.counties) == county


@pytest.mark.parametrize("values, expected", [
    ([100, 100, 100, 301], (4, 3.01)), ([100, 100, 100, 300], None), ([100, 400], None),
    ([0, 100, 100, 0, 500], (5, 5.0)), ([None, 100, 100, 100], None),
])
def test_a_month_far_above_the_others_is_questioned(values, expected):
    got = R.swing(values)
    assert (got if got is None else (got[0], round(got[1], 2))) == expected


# ---- kinds and their boundaries ------------------------------------------------------------------------------------

def test_this_years_sales_at_the_threshold_reach_it_and_a_hundredth_of_a_yuan_less_does_not():
    at = run(tax(firm(code(1), flat(2000.0))))
    assert only(at).kind == R.REACHED and "2,000.00万元" in only(at).reason
    below = run(tax(firm(code(1), [*flat(1999.999999)])))
    assert all(c.kind != R.REACHED for c in below.candidates)


def test_last_years_full_year_reaches_it_on_the_annual_batchs_basis():
    s = run(tax(firm(code(1), flat(2000.0, M21) + flat(900.0))))
    assert only(s).kind == R.REACHED and only(s).last_year == pytest.approx(2000.0)
    assert "2021年全年" in only(s).reason and "年度入库" in only(s).route
    just_below = run(tax(firm(code(1), flat(1999.99, M21) + flat(900.0))))
    assert not just_below.candidates  # 900 by September projects to 1,200: not likely either
    a_hundredth_of_a_yuan_less = run(tax(firm(code(1), flat(1999.999999, M21) + flat(900.0))))
    assert not a_hundredth_of_a_yuan_less.candidates  # this year's rows add nothing to last year's sum


def test_last_year_is_not_judged_when_the_data_miss_a_month_of_it():
    s = run(tax(firm(code(1), flat(2400.0, M21[1:]) + flat(900.0))))
    assert not s.candidates and not s.last_year_covered
    assert any("未覆盖 2021 年全部 12 个月" in n for n in s.notes)


def test_calendar_year_not_twelve_trailing_months():
    # 1,500 in Oct–Dec 2021 and 1,000 in 2022: 2,500 over the trailing twelve months, neither calendar year reaches
    s = run(tax(firm(code(1), [(m, 500.0) for m in M21[9:]] + flat(1000.0))))
    assert all(c.kind != R.REACHED for c in s.candidates)


@pytest.mark.parametrize("established, listed", [("2021-10-01", True), ("2021-09-30", False), ("2022-06-01", True)])
def test_the_new_build_window_opens_on_the_first_of_october_of_last_year(established, listed):
    c = code(1)
    s = run(tax(firm(c, flat(300.0, M22[5:]))), registration=reg((c, "株洲某机械有限公司", established, "存续", "",
                                                                   "攸县市场监督管理局", "")))
    assert [x.kind for x in s.candidates] == ([R.WINDOW] if listed else [])


def test_a_new_build_over_the_threshold_may_enter_now():
    c = code(1)
    s = run(tax(firm(c, flat(2100.0, M22[3:]))), registration=reg((c, "株洲某机械有限公司", "2022-01-05", "存续", "", "",
                                                                    "")))
    assert only(s).kind == R.REACHED and "可按月申报入库" in only(s).route and only(s).new_build
    assert "新建项目的备案（核准）文件" in only(s).materials


def test_likely_when_the_year_projects_over_the_threshold():
    s = run(tax(firm(code(1), flat(1800.0))))  # 1,800 by September: 2,400 straight-line
    assert only(s).kind == R.LIKELY and only(s).projection == pytest.approx(2400.0)
    assert only(s).projection_basis == "按月数直线推算" and only(s).pass_month == 10  # 2,000 in October passes
    assert not run(tax(firm(code(1), flat(1400.0)))).candidates  # 1,867: not likely


def test_own_last_year_shape_is_used_when_known():
    # last year: half the year's sales in Q4; this year the same shape, 1,200 by September
    last = [(m, 50.0) for m in M21[:9]] + [(m, 150.0) for m in M21[9:]]
    this = [(m, 1200.0 / 9) for m in M22]
    s = run(tax(firm(code(1), last + this)))
    assert only(s).kind == R.LIKELY and only(s).projection_basis == "本企业上年同期累计占比"
    assert only(s).projection == pytest.approx(2400.0)


@pytest.mark.parametrize("why, kwargs", [
    ("行业", {"industry": ""}),
    ("无法识别", {"industry": "制造业"}),
    ("登记状态", {"status": "注销"}),
])
def test_big_firms_kept_off_for_a_reason_someone_should_see_are_shown(why, kwargs):
    s = run(tax(firm(code(1), flat(5000.0), **kwargs)))
    assert not s.candidates and not s.big_not_listed
    assert len(s.not_listed) == 1 and why in s.not_listed[0].reason


def test_big_firms_kept_off_for_the_obvious_reasons_are_counted():
    held, trade, build = code(1), code(2), code(3)
    s = run(tax(firm(held, flat(5000.0)), firm(trade, flat(5000.0), industry="F5191"),
                firm(build, flat(3000.0), industry="E4710"), firm(code(4), flat(900.0), industry="F5191")),
            held={held: "规划起始名录"})
    assert not s.candidates and not s.not_listed
    assert s.big_not_listed == {"已在库": 1, "非工业（51 批发业）": 1, "非工业（47 房屋建筑业）": 1}
    assert s.big_not_listed_text() == "已在库1家；非工业2家（47 房屋建筑业1家、51 批发业1家）"


def test_registration_status_keeps_a_deregistered_firm_off():
    c = code(1)
    s = run(tax(firm(c, flat(5000.0))), registration=reg((c, "株洲某机械有限公司", "2010-01-01", "注销", "", "", "")))
    assert not s.candidates and "注销" in s.not_listed[0].reason and not s.big_not_listed


def test_small_firms_are_neither_listed_nor_shown():
    s = run(tax(firm(code(1), flat(100.0))))
    assert not s.candidates and not s.not_listed


# ---- counties and flags --------------------------------------------------------------------------------------------

def test_county_from_the_authority_then_the_address_then_the_code():
    a, b, c, d = code(1, "430211"), code(2, "430211"), code(3, "430223"), code(4, "430211")
    s = run(tax(*(firm(x, flat(2500.0)) for x in (a, b, c, d))), registration=reg(
        (a, "株洲某机械有限公司", "2010-01-01", "存续", "株洲市荷塘区", "株洲市天元区市场监督管理局", ""),
        (b, "株洲某机械有限公司", "2010-01-01", "存续", "株洲市荷塘区新华路", "株洲市市场监督管理局", ""),
        (c, "株洲某机械有限公司", "2010-01-01", "存续", "", "", "")))
    got = {x.code: (x.county, x.county_from) for x in s.candidates}
    assert got == {a: ("天元区", "登记机关"), b: ("荷塘区", "住所"), c: ("攸县", "信用代码"), d: ("", "")}
    flags = {x.code: x.flags for x in s.candidates}
    assert any("不属于荷塘区" in f for f in flags[b])  # 430211 is not 荷塘区's area
    assert not any("不属于" in f for f in flags[a])
    assert any("市场监管登记信息中无此信用代码" in f for f in flags[d])


def test_names_that_disagree_between_tax_and_registration():
    c = code(1)
    s = run(tax(firm(c, flat(2500.0), name="株洲甲机械有限责任公司")),
            registration=reg((c, "株洲甲机械有限公司", "2010-01-01", "存续", "", "", "")))
    assert not any("不一致" in f for f in only(s).flags)
    s = run(tax(firm(c, flat(2500.0), name="株洲乙贸易有限公司")),
            registration=reg((c, "株洲甲机械有限公司", "2010-01-01", "存续", "", "", "")))
    assert any("不一致" in f for f in only(s).flags)


def test_power_flags_sales_without_power_and_power_without_sales():
    c = code(1)
    sales = months([300, 300, 300, 300, 300, 300, 300, 0, 300])
    power_rows = [("0731001", "株洲某机械有限公司", "", m, "1000" if m not in ("2022-03",) else "0", i + 2, "电.csv")
                  for i, m in enumerate(M22)]
    s = run(tax(firm(c, sales)), power=pl.DataFrame(power_rows, schema=POWER, orient="row"))
    flags = only(s).flags
    assert "3月有销售无用电" in flags and "8月有用电无销售" in flags
    assert only(s).accounts == ("0731001",) and only(s).kwh == pytest.approx(8000.0)  # matched by name
    none = run(tax(firm(c, sales)), power=pl.DataFrame(
        [("0731009", "别的厂", "", "2022-01", "10", 2, "电.csv")], schema=POWER, orient="row"))
    assert any("未找到该企业的用电户" in f for f in only(none).flags)
    assert not any("用电" in f for f in only(run(tax(firm(c, sales)))).flags)  # no power data: not judged


def test_a_swing_is_a_flag_with_the_month_and_the_ratio():
    s = run(tax(firm(code(1), months([100, 100, 100, 100, 100, 100, 100, 100, 1500]))))
    assert any(f.startswith("9月销售额1,500.00万元，是其他月份中位数的15.0倍") for f in only(s).flags)


def test_the_screen_month_follows_the_data_and_says_so():
    s = run(tax(firm(code(1), flat(2500.0, M22[:6]))), period=Period(2022, 9))
    assert s.period == Period(2022, 6) and any("只到 2022-06" in n for n in s.notes)
    with pytest.raises(ValueError):
        run(tax(firm(code(1), flat(2500.0, M21))), period=Period(2022, 9))


def test_tally_per_county_and_city():
    s = run(tax(firm(code(1), flat(2500.0)), firm(code(2), flat(1800.0)), firm(code(3, "430211"), flat(2500.0))))
    rows = {name: (kinds, flagged) for name, kinds, flagged in s.tally(POLICY.county_names)}
    assert rows["攸县"][0] == {R.REACHED: 1, R.WINDOW: 0, R.LIKELY: 1}
    assert rows["县市区未定"][0][R.REACHED] == 1 and rows["全市"][0][R.REACHED] == 2


# ---- the funnel --------------------------------------------------------------------------------------------------

def answer(uscc, result="跟进中", *, contacted="", applied="", applied_on="", reason="", row=5):
    return R.Answer(uscc, "某公司", contacted, applied, applied_on, result, reason, "天元区.xlsx", "应入尽入跟踪", row)


@pytest.mark.parametrize("given, entered_by, stage", [
    (None, "", R.NO_ANSWER),
    (None, "2022-10入库（统计局确认名单）", "已入库"),  # the confirmed list closes it, answer or not
    (answer("X"), "", R.NOT_CONTACTED),
    (answer("X", contacted="2022-10-09"), "", "已联系"),
    (answer("X", contacted="2022-10-09", applied="已申报"), "", "已申报"),
    (answer("X", applied_on="2022-10-20"), "", "已申报"),
    (answer("X", "已入库"), "", "已入库"),  # by the county's word: the sheet says it awaits the confirmed list
    (answer("X", "不符合条件", reason="全年不足2000万元"), "", "不符合条件"),
    (answer("X", "企业暂不申报", contacted="2022-10-09", reason="担心负担"), "", "企业暂不申报"),
    (answer("X", "不符合条件"), "2022-12入库（天元区报表）", "已入库"),
])
def test_each_firm_stands_where_the_register_or_the_county_says(given, entered_by, stage):
    assert R.stage_of(given, entered_by) == stage


def test_the_funnel_counts_each_county_and_the_city():
    listed = [R.ListedFirm("A", "甲", "天元区", R.REACHED, ""), R.ListedFirm("B", "乙", "天元区", R.WINDOW, ""),
              R.ListedFirm("C", "丙", "天元区", R.LIKELY, ""), R.ListedFirm("D", "丁", "攸县", R.REACHED, ""),
              R.ListedFirm("E", "戊", "", R.REACHED, "")]
    answers = {"天元区": [answer("A", contacted="2022-10-09", applied="已申报"), answer("B", "不符合条件", reason="x"),
                        answer("Z", contacted="2022-10-01")]}
    rows, followed = R.funnel(["天元区", "攸县"], listed, answers, {"C": "2022-11入库（统计局确认名单）"})
    by = {r.county: r for r in rows}
    assert by["天元区"] == R.FunnelRow("天元区", screened=3, own=1, contacted=4, applied=2, entered=1, not_qualified=1,
                                       declined=0, no_answer=0)
    assert by["攸县"] == R.FunnelRow("攸县", 1, 0, 0, 0, 0, 0, 0, 1)
    assert by["县市区未定"].screened == 1 and by["县市区未定"].no_answer == 1  # the city decides, then hands it on
    assert by["全市"].screened == 5 and by["全市"].own == 1 and by["全市"].entered == 1
    assert {f.uscc: f.stage for f in followed} == {"A": "已申报", "B": "不符合条件", "C": "已入库", "Z": "已联系",
                                                  "D": R.NO_ANSWER, "E": R.NO_ANSWER}
    assert next(f for f in followed if f.uscc == "Z").kind == R.OWN_KIND


# ---- boundaries the mutation run asked for ------------------------------------------------------------------------

def test_the_earliest_named_county_wins_and_at_one_place_the_longest_name():
    from toolkit.domain.policy import County

    counties = [County("东区"), County("东区新城"), County("西区")]
    assert R.county_in_text("东区新城管理局", counties) == "东区新城"
    assert R.county_in_text("西区某路，原东区", counties) == "西区"
    assert R.county_in_text("某路，东区", counties) == "东区"
    assert R.county_in_text("东区", [County("东区新城"), County("东区")]) == "东区"


@pytest.mark.parametrize("values, expected", [
    ([100, 100, 100, 500, 400], (4, 5.0)),  # the larger of two swings
    ([100, 100, 100, 500, 500], (4, 5.0)),  # a tie: the first
    ([0.5, 0.5, 0.5, 2.0], (4, 4.0)),  # half a 万元 is a month with sales
])
def test_the_worst_swing_is_named(values, expected):
    got = R.swing(values)
    assert (got[0], round(got[1], 2)) == expected


def test_the_tally_has_no_undecided_row_when_every_firm_has_a_county():
    s = run(tax(firm(code(1), flat(2500.0))))
    assert [name for name, _, _ in s.tally(POLICY.county_names)][-2:] == ["醴陵市", "全市"]


def test_evidence_names_the_rows_one_or_a_span():
    s = run(tax(firm(code(1), flat(2500.0, M22[:1]))), period=Period(2022, 1))
    assert only(s).sources == "税务：税务.csv（第2行）"
    assert only(run(tax(firm(code(1), flat(2500.0))))).sources == "税务：税务.csv（第2—10行）"


def test_january_alone_is_screened_without_a_projection():
    s = run(tax(firm(code(1), flat(2100.0, M22[:1])), firm(code(2), flat(1900.0, M22[:1]))), period=Period(2022, 1))
    assert s.period == Period(2022, 1) and not any("只到" in n for n in s.notes)
    assert [(c.code, c.kind, c.projection) for c in s.candidates] == [(code(1), R.REACHED, None)]


def test_data_beyond_the_year_screen_the_whole_year():
    s = run(tax(firm(code(1), flat(2500.0, [*M22, "2022-10", "2022-11", "2022-12", "2023-01"]))),
            period=Period(2022, 12))
    assert s.period == Period(2022, 12) and not any("只到" in n for n in s.notes)
    assert only(s).ytd == pytest.approx(192.31 * 12)  # January 2023 is not 2022's


def test_last_year_is_not_judged_with_a_gap_in_it():
    gap = [m for m in M21 if m != "2021-07"]
    s = run(tax(firm(code(1), flat(2400.0, gap) + flat(900.0))))
    assert not s.last_year_covered and not s.candidates


def test_last_years_months_are_summed_not_this_years():
    # 2021: 1,000; 2022: 2,100 by September. Reached on this year's basis, and last year's figure is 2021's own
    s = run(tax(firm(code(1), flat(1000.0, M21) + flat(2100.0))))
    assert only(s).last_year == pytest.approx(1000.0) and "2022年1—9月" in only(s).reason
    assert only(s).months[:9] == pytest.approx([2100.0 / 9] * 8 + [2100.0 - 8 * round(2100.0 / 9, 2)], abs=0.01)


def test_the_departments_rows_may_come_as_scans():
    """A store hands a province's rows over as scans (read a column at a time): the same screen as from frames."""
    c = code(1)
    taxes = tax(firm(c, flat(2500.0), name="株洲甲机械有限责任公司"), firm(code(2), flat(1800.0)))
    registration = reg((c, "株洲甲机械有限公司", "2022-01-10", "存续", "", "攸县市场监督管理局", ""))
    power = pl.DataFrame([("0731001", "别的厂", "", "2022-03", "10", 2, "电.csv")], schema=POWER, orient="row")
    eager = run(taxes, registration=registration, power=power)
    lazy = R.screen(Period(2022, 9), tax=taxes.lazy(), registration=registration.lazy(), power=power.lazy(), held={},
                    counties=POLICY.counties, classes=CLASSES)
    assert lazy == eager and len(lazy.candidates) == 2 and R.frame_rows(taxes.lazy()) == 18


# ---- more boundaries (the second mutation run) ---------------------------------------------------------------------

def test_position_first_then_length_whatever_the_order_of_the_counties():
    from toolkit.domain.policy import County

    assert R.county_in_text("西区东区新城", [County("西区"), County("东区新城")]) == "西区"
    assert R.county_in_text("东区新城", [County("东区新城"), County("东区")]) == "东区新城"


@pytest.mark.parametrize("divisions, said", [
    (8, "（01 农业1家、02 林业1家、03 畜牧业1家、04 渔业1家、05 农、林、牧、渔专业及辅助性活动1家、47 房屋建筑业1家、"
        "48 土木工程建筑业1家、49 建筑安装业1家）"),
    (9, "、49 建筑安装业1家等）"),
])
def test_the_count_of_big_firms_names_eight_divisions_then_says_more(divisions, said):
    codes = ["0111", "0211", "0311", "0411", "0511", "4710", "4811", "4910", "5011"][:divisions]
    s = run(tax(*(firm(code(n), flat(3000.0), industry=c) for n, c in enumerate(codes))))
    text = s.big_not_listed_text()
    assert text.startswith(f"非工业{divisions}家（") and text.endswith(said) and "已在库" not in text


def test_firms_at_the_threshold_are_big_whether_held_or_on_last_years_basis():
    held, old = code(1), code(2)
    s = run(tax(firm(held, flat(2000.0)), firm(old, flat(2000.0, M21) + flat(100.0, M22[:1]), industry="F5191")),
            held={held: "规划起始名录"})
    assert s.big_not_listed == {"已在库": 1, "非工业（51 批发业）": 1}


def test_last_years_basis_lists_a_firm_without_sales_this_year():
    s = run(tax(firm(code(1), flat(2000.0, M21)), firm(code(2), flat(100.0))))
    assert [(c.code, c.kind) for c in s.candidates] == [(code(1), R.REACHED)]
    assert only(s).ytd == 0 and "2021年全年销售额2,000.00万元" in only(s).reason


def test_last_year_is_last_year_only():
    s = run(tax(firm(code(1), flat(1500.0, [f"2020-{m:02d}" for m in range(1, 13)]) + flat(1000.0, M21) + flat(900.0))))
    assert not s.candidates  # 2020's sales are not 2021's


def test_a_gap_in_last_december_is_a_gap():
    s = run(tax(firm(code(1), flat(2400.0, M21[:11]) + flat(900.0))))
    assert not s.last_year_covered and any("未覆盖 2021 年全部 12 个月" in n for n in s.notes)


def test_the_name_is_the_latest_up_to_the_screen_month():
    rows = [(m, "株洲甲机械有限公司" if m < "2022-09" else "株洲甲智能装备有限公司") for m in M22]
    frame = pl.DataFrame([(code(1), name, m, "300", "C3311", "正常", i + 2, "税务.csv") for i, (m, name) in
                          enumerate(rows)], schema=TAX, orient="row")
    assert only(run(frame)).name == "株洲甲智能装备有限公司"
    assert only(run(frame, period=Period(2022, 8))).name == "株洲甲机械有限公司"


def test_data_ending_in_october_screen_to_october():
    s = run(tax(firm(code(1), flat(2500.0, [*M22, "2022-10"]))), period=Period(2022, 12))
    assert s.period == Period(2022, 10) and any("只到 2022-10" in n for n in s.notes)
    assert only(s).months[9] is not None and only(s).months[10] is None


def test_december_counts_and_its_power_too():
    c = code(1)
    months_ = [*M22, "2022-10", "2022-11", "2022-12"]
    power = pl.DataFrame([("0731001", "株洲某机械有限公司", c, m, "1000", i + 2, "电.csv") for i, m in enumerate(months_)],
                         schema=POWER, orient="row")
    s = run(tax(firm(c, flat(2400.0, months_))), power=power, period=Period(2022, 12))
    assert only(s).months[11] == pytest.approx(200.0) and only(s).kwh == pytest.approx(12000.0)
    assert "电力：户号 0731001" in only(s).sources and not only(s).flags[:-1]


def test_the_notes_say_what_was_not_imported():
    c = code(1)
    registration = reg((c, "株洲某机械有限公司", "2010-01-01", "存续", "", "", ""))
    power = pl.DataFrame([("0731001", "株洲某机械有限公司", c, "2022-03", "10", 2, "电.csv")], schema=POWER, orient="row")
    bare = " ".join(run(tax(firm(c, flat(2500.0)))).notes)
    assert "未导入电力数据" in bare and "未导入市场监管登记信息" in bare
    full = " ".join(run(tax(firm(c, flat(2500.0))), registration=registration, power=power).notes)
    assert "未导入" not in full


def test_a_shown_firm_carries_its_figures():
    s = run(tax(firm(code(1), flat(1000.0, M21) + flat(5000.0), industry="")))
    (shown,) = s.not_listed
    assert shown.ytd == pytest.approx(5000.0) and shown.last_year == pytest.approx(1000.0)


def test_the_window_sentence_and_a_new_builds_projection_from_its_first_month():
    c = code(1)
    s = run(tax(firm(c, [(m, 300.0) for m in M22[5:]])),
            registration=reg((c, "株洲某机械有限公司", "2022-05-20", "存续", "", "攸县市场监督管理局", "")))
    got = only(s)
    assert got.reason == "2022-05-20成立（2021年10月1日以后），2022年1—9月销售额1,200.00万元"
    # producing from June: by September 4 of its 7 months (straight-line from its start), so 1,200 ÷ 4/7
    assert got.projection == pytest.approx(2100.0) and got.projection_basis == "按月数直线推算"
    assert got.status == "存续" and got.pass_month == 12  # 1,500 in October, 1,800, then 2,100 in December


def test_february_is_projected():
    s = run(tax(firm(code(1), flat(400.0, M22[:2]))), period=Period(2022, 2))
    assert only(s).kind == R.LIKELY and only(s).projection == pytest.approx(2400.0)


def test_own_shape_needs_last_years_first_months():
    late = [(m, 0.0) for m in M21[:2]] + [(m, 200.0) for m in M21[2:]]  # nothing in 1–2月 of 2021
    s = run(tax(firm(code(1), late + flat(1800.0))))
    assert only(s).projection_basis != "本企业上年同期累计占比"


def test_the_tax_status_shows_without_a_registration():
    assert only(run(tax(firm(code(1), flat(2500.0), status="正常户")))).status == "正常户"


def test_power_is_matched_by_the_registered_name_too():
    c = code(1)
    power = pl.DataFrame([("0731001", "株洲（甲）机械有限公司", "", m, "1000", i + 2, "电.csv") for i, m in enumerate(M22)],
                         schema=POWER, orient="row")
    s = run(tax(firm(c, flat(2500.0), name="株洲甲科技有限公司")), power=power,
            registration=reg((c, "株洲(甲)机械有限责任公司", "2010-01-01", "存续", "", "", "")))
    assert only(s).accounts == ("0731001",)


def test_power_flags_only_the_months_the_power_data_cover():
    c = code(1)
    covered = [m for m in M22 if "2022-03" <= m <= "2022-05"]
    power = pl.DataFrame([("0731001", "株洲某机械有限公司", c, m, "0" if m == "2022-03" else "100", i + 2, "电.csv")
                          for i, m in enumerate(covered)], schema=POWER, orient="row")
    flags = only(run(tax(firm(c, flat(2500.0))), power=power)).flags
    assert [f for f in flags if "用电" in f] == ["3月有销售无用电"]  # February and June are outside the power data


def test_the_area_flag_names_the_codes_area():
    c = code(1, "430211")
    s = run(tax(firm(c, flat(2500.0))), registration=reg((c, "株洲某机械有限公司", "2010-01-01", "存续", "",
                                                            "攸县市场监督管理局", "")))
    assert "信用代码登记地（430211）不属于攸县" in only(s).flags


def test_a_funnel_without_undecided_firms_has_no_row_for_them():
    rows, _ = R.funnel(["天元区"], [R.ListedFirm("A", "甲", "天元区", R.REACHED, "")], {}, {})
    assert [r.county for r in rows] == ["天元区", "全市"]


# ---- the third mutation run's edges -------------------------------------------------------------------------------

def test_evidence_starts_with_last_januarys_row():
    s = run(tax(firm(code(1), flat(2000.0, M21) + flat(100.0, M22[:1]))))
    assert only(s).sources == "税务：税务.csv（第2—14行）"  # 2021-01 is the first row read, 2022-01 the last


def test_a_new_build_without_sales_this_year_is_not_in_the_window():
    c = code(1)
    s = run(tax(firm(c, [(m, 700.0) for m in M21[9:]]), firm(code(2), flat(100.0, M21) + flat(100.0))),
            registration=reg((c, "株洲某机械有限公司", "2021-10-05", "存续", "", "", "")))
    assert s.last_year_covered and not s.candidates  # 2,100 in 2021's last quarter, nothing in 2022: not listed


def test_a_projection_of_exactly_2000_is_likely():
    s = run(tax(firm(code(1), months([250.0, 125.0, 125.0]))), period=Period(2022, 3))
    assert only(s).kind == R.LIKELY and only(s).projection == pytest.approx(2000.0)


def test_power_matched_without_use_is_still_named_as_evidence():
    c = code(1)
    power = pl.DataFrame([("0731001", "株洲某机械有限公司", c, m, "0", i + 2, "电.csv") for i, m in enumerate(M22)],
                         schema=POWER, orient="row")
    got = only(run(tax(firm(c, flat(2500.0))), power=power))
    assert "电力：户号 0731001" in got.sources and got.kwh == 0 and got.accounts == ("0731001",)


def test_january_has_no_month_to_pass():
    s = run(tax(firm(code(1), flat(2100.0, M22[:1]))), period=Period(2022, 1))
    assert only(s).pass_month == 0 and only(s).low is None


@pytest.mark.parametrize("sales, power, flags", [
    (0.0, 0.0, []),  # neither sales nor power: nothing to question
    (0.5, 10.0, []),  # half a 万元 of sales with power: both
    (300.0, 1.0, []),  # one kWh is power used
    (0.0, 10.0, ["5月有用电无销售"]),
    (300.0, 0.0, ["5月有销售无用电"]),  # May is the power data's last month: still covered
])
def test_power_and_sales_month_by_month(sales, power, flags):
    c = code(1)
    covered = ["2022-03", "2022-04", "2022-05"]
    rows = [("0731001", "株洲某机械有限公司", c, m, str(power) if m == "2022-05" else "100", i + 2, "电.csv")
            for i, m in enumerate(covered)]
    sales_rows = [(m, sales if m == "2022-05" else 300.0) for m in M22]
    got = only(run(tax(firm(c, sales_rows)), power=pl.DataFrame(rows, schema=POWER, orient="row")))
    assert [f for f in got.flags if "用电" in f] == flags


@pytest.mark.parametrize("third, listed", [(Decimal("124.999"), True), (Decimal("124.99"), False)])
def test_a_projection_counts_to_the_hundredth_of_a_wan(third, listed):
    # 1–3月 is a quarter of the year straight-line: 499.999 projects 1,999.996 (2,000.00 to the hundredth: likely),
    # 499.99 projects 1,999.96 (not)
    s = run(tax(firm(code(1), months([Decimal(250), Decimal(125), third]))), period=Period(2022, 3))
    assert bool(s.candidates) is listed


def test_evidence_starts_with_last_year_not_the_year_before():
    s = run(tax(firm(code(1), flat(900.0, [f"2020-{m:02d}" for m in range(1, 13)]) + flat(2000.0, M21)
                     + flat(100.0, M22[:1]))))
    assert only(s).sources == "税务：税务.csv（第14—26行）"  # 2020's twelve rows (2–13) are not last year's


def test_a_firm_registered_twice_is_taken_from_its_last_row():
    """Two rows of one firm (two sheets of an extract): the last one read stands, here its deregistration."""
    c = code(1)
    s = run(tax(firm(c, flat(5000.0))), registration=reg(
        (c, "株洲某机械有限公司", "2010-01-01", "存续", "", "", ""),
        (c, "株洲某机械有限公司", "2010-01-01", "注销", "", "", "")))
    assert not s.candidates and "注销" in s.not_listed[0].reason
    s = run(tax(firm(c, flat(5000.0))), registration=reg(
        (c, "株洲某机械有限公司", "2010-01-01", "注销", "", "", ""),
        (c, "株洲某机械有限公司", "2010-01-01", "存续", "", "", "")))
    assert [x.code for x in s.candidates] == [c] and not s.not_listed


def test_the_latest_status_and_industry_up_to_the_screen_month_are_taken():
    """A firm that was 正常 and industrial until August and then declared 注销 and a trade: September decides; a
    blank industry in September leaves August's; October, after the screen month, is not read."""
    c = code(1)
    rows = [(c, "株洲某机械有限公司", m, "300", "C3311" if m < "2022-09" else "", "正常", i + 2, "税务.csv")
            for i, m in enumerate(M22[:8] + ["2022-09"])]
    rows += [(c, "株洲某机械有限公司", "2022-10", "300", "F5191", "注销", 20, "税务.csv")]
    s = run(pl.DataFrame(rows, schema=TAX, orient="row"), period=Period(2022, 9))
    assert [x.code for x in s.candidates] == [c]  # 2700 万元 by September, still industrial and active
    rows[8] = (c, "株洲某机械有限公司", "2022-09", "300", "", "注销", 10, "税务.csv")
    s = run(pl.DataFrame(rows, schema=TAX, orient="row"), period=Period(2022, 9))
    assert not s.candidates and "注销" in s.not_listed[0].reason
