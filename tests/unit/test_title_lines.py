"""Titles broken between words, in a trapezoid or diamond (GB/T 9704 7.3.3): a table of the titles we issue."""

from __future__ import annotations

import pytest

from toolkit.domain.title_lines import break_title, width, words

LINE = 20  # 二号 characters across the 156 mm type area


@pytest.mark.parametrize("title, lines", [
    ("关于对2022年1-6月新增规模以上工业企业未按要求报送报表县市区的通报批评",
     ["关于对2022年1-6月新增规模以上工业企业", "未按要求报送报表县市区的通报批评"]),
    ("关于表扬2022年1-12月新增规模以上工业企业工作成效明显县市区的通报",
     ["关于表扬2022年1-12月新增", "规模以上工业企业工作成效明显县市区的通报"]),
    ("关于2022年1-9月全市新增规模以上工业企业工作情况的通报",
     ["关于2022年1-9月全市新增", "规模以上工业企业工作情况的通报"]),
    ("关于催报2022年1-9月规模以上工业企业培育情况报表的通知",
     ["关于催报2022年1-9月", "规模以上工业企业培育情况报表的通知"]),
    ("关于2022年度规模以上工业企业培育奖励资金拟兑现企业名单的公示",
     ["关于2022年度规模以上工业企业", "培育奖励资金拟兑现企业名单的公示"]),
    ("关于对2022年1-6月新增规模以上工业企业工作推进不力和未按要求报送报表县市区的通报批评",
     ["关于对2022年1-6月新增", "规模以上工业企业工作推进不力", "和未按要求报送报表县市区的通报批评"]),
    ("关于拨付奖励资金的请示", ["关于拨付奖励资金的请示"]),  # fits: one line
])
def test_titles_we_issue(title, lines):
    assert break_title(title, LINE) == lines
    assert "".join(lines) == title


@pytest.mark.parametrize("title", [
    "关于对2022年1-6月新增规模以上工业企业未按要求报送报表县市区的通报批评",
    "关于2022年度第2批规模以上工业企业培育奖励资金拟兑现企业名单的公示",
])
def test_no_line_is_too_wide_and_nothing_is_cut_inside_a_term_or_a_number(title):
    lines = break_title(title, LINE)
    assert len(lines) > 1 and all(width(line) <= LINE for line in lines)
    for term in ("规模以上工业企业", "2022年", "1-6月", "通报批评", "县市区", "第2批", "奖励资金", "拟兑现"):
        if term in title:
            assert any(term in line for line in lines), term  # whole on one line


def test_names_passed_in_stay_whole():
    assert "株洲经开区" in words("关于表扬株洲经开区的通报", ["株洲经开区"])


def test_punctuation_stays_with_its_word():
    assert words("关于（第2批）奖励、兑现的请示")[1] == "（第2批）"
    assert "奖励、" in words("关于（第2批）奖励、兑现的请示")


def test_a_very_long_title_is_filled_quickly_and_a_word_wider_than_a_line_is_left_to_the_word_processor():
    long = "关于" + "株洲市某某某某有限责任公司、" * 30 + "的通报"
    lines = break_title(long, LINE)
    assert "".join(lines) == long and all(width(line) <= LINE for line in lines)
    name = "株洲" + "某" * 25 + "公司"  # one word wider than a line: no break can help, the title is left whole
    assert break_title(f"关于表扬{name}的通报", LINE, [name]) == [f"关于表扬{name}的通报"]


# the titles as issued (official_label writes 1—9月 with the 一字线) across the real type area, the way
# break_title_lines calls it: 156 mm of 二号 less one character of margin
from toolkit.domain import gbt9704 as G  # noqa: E402
from toolkit.domain.title_lines import set_width  # noqa: E402

REAL = (G.PAGE_WIDTH - G.MARGIN_LEFT - G.MARGIN_RIGHT) / 20 / G.TITLE_PT - 1


def _shape(lines: list[str]) -> str:
    """梯形 (each line no shorter, or no longer, than the one before), 菱形 (rising to one longest line, then
    falling) or 沙漏 (a short line between two longer ones: what GB/T 9704 7.3.3 rules out), by set width."""
    w = [set_width(line) for line in lines]
    if len(w) < 3 or all(a <= b + 0.25 for a, b in zip(w, w[1:])) or all(a + 0.25 >= b for a, b in zip(w, w[1:])):
        return "梯形"
    middle = w[1:-1]
    return "沙漏" if min(middle) < min(w[0], w[-1]) - 0.25 else "菱形"


@pytest.mark.parametrize("title", [
    "关于表扬2022年1—3月新增规模以上工业企业工作成效明显县市区的通报",
    "关于表扬2022年1—9月新增规模以上工业企业工作成效明显县市区的通报",
    "关于表扬2022年1—12月新增规模以上工业企业工作成效明显县市区的通报",
    "关于对2022年1—12月新增规模以上工业企业工作推进不力县市区的通报批评",
    "关于对2022年1—6月新增规模以上工业企业未按要求报送报表县市区的通报批评",
    "关于对2022年1—6月新增规模以上工业企业工作推进不力和未按要求报送报表县市区的通报批评",
    "关于2022年1—9月全市新增规模以上工业企业工作情况的通报",
    "关于催报2022年1—9月规模以上工业企业培育情况报表的函",
    "关于拨付2022年度规模以上工业企业培育奖励资金（第2批）的请示",
])
def test_the_titles_we_issue_are_trapezoids_or_diamonds_as_they_are_set_never_hourglasses(title):
    lines = break_title(title, REAL)
    assert "".join(lines) == title and all(set_width(line) <= REAL for line in lines)
    assert _shape(lines) in ("梯形", "菱形"), (lines, [set_width(line) for line in lines])


def test_the_2022_praise_title_no_longer_sets_long_short_long():
    # rendered 86.5 / 76.8 / 92.1 mm before (#36): the digits and the space set around them made line 1 the
    # wider of the first two; now the break after 工作 gives a diamond
    assert break_title("关于表扬2022年1—9月新增规模以上工业企业工作成效明显县市区的通报", REAL) == [
        "关于表扬2022年1—9月", "新增规模以上工业企业工作", "成效明显县市区的通报"]
    assert _shape(["关于表扬2022年1—9月", "新增规模以上工业企业", "工作成效明显县市区的通报"]) == "沙漏"


def test_the_space_set_between_chinese_and_digits_counts():
    assert set_width("新增规模") == 4 and set_width("2022") == 2
    assert set_width("关于表扬2022年") == pytest.approx(4 + 2 + 1 + 2 * 0.2)
