import datetime as dt
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from conftest import examples

from toolkit.adapters.xlsx_styles import LINE_POINTS, MAX_ROW_POINTS, text_columns, wrapped_height
from toolkit.domain.periods import BadPeriod, Period
from toolkit.domain.text import (CELL_LIMIT, NotANumber, cell_text, clean_text, hidden_characters, is_blank, normalise_code,
                                 normalise_name, parse_number, plain_code, plain_text, safe_text, shown)


@pytest.mark.parametrize("raw, expected", [
    ("2022-06", Period(2022, 6)), ("2022/6", Period(2022, 6)), ("2022.06", Period(2022, 6)),
    ("2022年6月", Period(2022, 6)), ("202206", Period(2022, 6)), ("２０２２－０６", Period(2022, 6)),
    (dt.date(2022, 3, 15), Period(2022, 3)), (dt.datetime(2022, 11, 1), Period(2022, 11)), (" 2022-6 ", Period(2022, 6)),
])
def test_months_as_clerks_type_them(raw, expected):
    assert Period.parse(raw) == expected


@pytest.mark.parametrize("raw", ["2022-13", "6月", "", "abc", "2022-00", "22-06"])
def test_not_a_month(raw):
    with pytest.raises(BadPeriod):
        Period.parse(raw)


def test_period_label_and_months():
    assert Period(2022, 6).label == "2022年1-6月"
    assert Period(2022, 1).label == "2022年1月"
    # a 公文 writes a range with the 一字线 (GB/T 15834); file names keep the hyphen
    assert Period(2022, 6).official_label == "2022年1—6月" and Period(2022, 1).official_label == "2022年1月"
    assert [str(p) for p in Period(2022, 3).months_of_year_so_far()] == ["2022-01", "2022-02", "2022-03"]


@pytest.mark.parametrize("raw, expected", [
    (2600.5, 2600.5), ("2600.5", 2600.5), ("２６００．５", 2600.5), (" 1,234.50 ", 1234.5), ("１，２３４", 1234.0), (7, 7.0),
])
def test_numbers_stored_as_text(raw, expected):
    assert parse_number(raw) == expected


@pytest.mark.parametrize("raw", ["约2000", "", None, "12..5", True, float("nan")])
def test_not_numbers(raw):
    with pytest.raises(NotANumber):
        parse_number(raw)


@pytest.mark.parametrize("raw, expected", [("攸 县", "攸县"), ("　攸县　", "攸县"), ("株洲经开区 ", "株洲经开区")])
def test_names_compare_without_spaces(raw, expected):
    assert normalise_name(raw) == expected


@pytest.mark.parametrize("raw, expected", [
    ("91430211ma4l1234x5", "91430211MA4L1234X5"), ("９１４３０２１１ＭＡ４Ｌ１２３４Ｘ５", "91430211MA4L1234X5"),
    (" 91430211-MA4L1234X5 ", "91430211MA4L1234X5"),
])
def test_codes_normalised(raw, expected):
    assert normalise_code(raw) == expected


def test_clean_text_and_blank():
    assert clean_text(13807331234.0) == "13807331234"
    assert clean_text("  张三\u3000") == "张三"
    assert is_blank("\u3000 ") and is_blank(None) and not is_blank(0)


def test_hidden_characters_are_shown_as_marks_any_font_can_draw():
    typed = "株洲\x07恒达\u202e司\x00"
    assert hidden_characters(typed) == ["\x07", "\u202e", "\x00"]
    assert shown(typed) == "株洲[U+0007]恒达[U+202E]司[U+0000]"
    assert safe_text("甲\n乙\t丙\x1b") == "甲\n乙\t丙[U+001B]"  # line breaks and tabs are text
    assert hidden_characters("甲\n乙") == [] and hidden_characters("甲\n乙", one_line=True) == ["\n"]


def test_long_text_is_cut_and_says_so():
    assert shown("长" * 500) == "长" * 120 + "…（共 500 字）"
    held = cell_text("😀" * CELL_LIMIT)  # an emoji takes two of a cell's UTF-16 units
    assert len(held.encode("utf-16-le")) // 2 <= CELL_LIMIT and held.endswith(f"原文共 {CELL_LIMIT:,} 字）")
    assert cell_text("短文本") == "短文本"


def test_wrapped_rows_get_the_height_their_lines_need():
    assert text_columns("株洲ABC") == 7
    assert wrapped_height([("一行就够", 20), ("ABC", 6)]) is None
    assert wrapped_height([("字" * 30, 21)]) == 3 * LINE_POINTS  # 60 units in 20 usable: three lines
    assert wrapped_height([("甲\n乙\n丙", 30)]) == 3 * LINE_POINTS
    assert wrapped_height([("字" * 100_000, 10)]) == MAX_ROW_POINTS


_TRICKY = st.text(alphabet=st.sampled_from(list("a攸县0Z -_\t\n\r\u3000\u00a0\u200b\ufeff\u202e\x07\x7f１Ａ")), max_size=8)


@settings(max_examples=examples(500), deadline=None)
@given(st.one_of(_TRICKY, st.text(max_size=12)))
def test_the_fast_paths_for_plain_cells_change_nothing(text):
    # parsing takes a plain cell as it is; that must be exactly what the full cleaning would give
    if plain_text(text):
        assert clean_text(text) == text and safe_text(text) == text
        assert hidden_characters(text, one_line=True) == [] and hidden_characters(text) == []
    if plain_code(text):
        assert normalise_code(text) == text
    assert is_blank(text) == (re.sub(r"[\s\u3000\u00a0\u200b\ufeff]+", "", text) == "")
