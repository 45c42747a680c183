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
