"""Money's text forms at their boundaries (domain.money; #35): 万元 in running text, in columns, percentages."""

from __future__ import annotations

from decimal import Decimal

import pytest

from toolkit.domain.money import (decimal_text, figures, part, percent_text, share, wan, wan_column, wan_places,
                                  wan_text, yuan)


@pytest.mark.parametrize("amount, text", [
    (0, "0元"),  # nothing is never “0万元”
    (500, "500元"),
    (999, "999元"),
    (1000, "0.1万元"),  # whole thousands read as 万元
    (6500, "6,500元"),
    (10000, "1万元"),
    (18000, "1.8万元"),
    (100000, "10万元"),
    (100500, "100,500元"),
])
def test_a_standard_in_running_text(amount, text):
    assert wan_text(amount) == text


@pytest.mark.parametrize("amount, text", [(0, "0"), (740000, "74"), (33333, "3.3333"), (10000, "1"), (5, "0.0005")])
def test_wan_is_exact(amount, text):
    assert wan(amount) == text


@pytest.mark.parametrize("amounts, places", [((), 2), ((740000,), 2), ((33333,), 4), ((100,), 2), ((10,), 3),
                                              ((740000, 12345), 4)])
def test_a_column_of_wan_has_two_places_or_as_many_as_exactness_needs(amounts, places):
    assert wan_places(*amounts) == places


@pytest.mark.parametrize("amount, places, text", [(9050000, 2, "905.00"), (33333, 4, "3.3333"),
                                                   (123456789, 2, "12,345.68")])
def test_wan_column(amount, places, text):
    assert wan_column(amount, places) == text


@pytest.mark.parametrize("value, text", [(Decimal("10"), "10"), (Decimal("1.80"), "1.8"), (Decimal("100"), "100"),
                                          (3, "3"), (Decimal("0.50"), "0.5")])
def test_decimal_text_drops_trailing_zeros_only_after_the_point(value, text):
    assert decimal_text(value) == text


@pytest.mark.parametrize("ratio, text", [(0.5, "50%"), (0.333, "33.3%"), (1, "100%"), (0.3, "30%"), (0, "0%")])
def test_percent_text(ratio, text):
    assert percent_text(ratio) == text


@pytest.mark.parametrize("value, exact", [(0.3, Decimal("0.3")), (1, Decimal("1")), ("0.25", Decimal("0.25")),
                                          (Decimal("0.7"), Decimal("0.7"))])
def test_shares_are_exact(value, exact):
    assert share(value) == exact


@pytest.mark.parametrize("amount, rounded", [(Decimal("0.5"), 1), (Decimal("1.5"), 2), (Decimal("2.4999"), 2),
                                              (Decimal("2.5"), 3), (7, 7)])
def test_yuan_rounds_half_up(amount, rounded):
    assert yuan(amount) == rounded


@pytest.mark.parametrize("amount, ratio, result", [(100000, 0.3, 30000), (33333, 0.5, 16667), (10, 0.25, 3)])
def test_part(amount, ratio, result):
    assert part(amount, ratio) == result


def test_figures_separate_thousands():
    assert figures(1234500) == "1,234,500"
