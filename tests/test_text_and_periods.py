import datetime as dt

import pytest

from toolkit.domain.periods import BadPeriod, Period
from toolkit.domain.text import NotANumber, clean_text, is_blank, normalise_code, normalise_name, parse_number


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
