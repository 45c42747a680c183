"""The province's own figures, boundary by boundary (toolkit/domain/province_figures.py): tiers by rank, revenue
bands, survival of last year's entrants, and 县市区 counted from the firms the province counted."""

from __future__ import annotations

import pytest

from toolkit.demo.hunan_policy import hunan_policy
from toolkit.domain.figures import CountyFigures
from toolkit.domain.periods import Period
from toolkit.domain.province_figures import (NO_REVENUE, SUB_UNIT, UnitLine, entry_quality, sub_unit_figures,
                                             tiers)
from toolkit.domain.register import Listing, Source
from toolkit.services.screening import classification

RULES = hunan_policy().assessment


def _ranked(*ranks) -> list[CountyFigures]:
    ranked = sum(r is not None for r in ranks)
    return [CountyFigures(f"市{i}", "已受理", 10, 0.5, rank=r, ranked=ranked) for i, r in enumerate(ranks)]


@pytest.mark.parametrize("ranks, expected", [
    ((1, 2, 3), ["第一梯队", "第二梯队", "第三梯队"]),  # 3 ranked: ⌈1⌉, ⌈2⌉
    ((1, 2, 3, 4), ["第一梯队", "第一梯队", "第二梯队", "第三梯队"]),  # 4: ⌈1.33⌉ = 2, ⌈2.67⌉ = 3
    ((1, 2, 3, 4, 5, 6), ["第一梯队", "第一梯队", "第二梯队", "第二梯队", "第三梯队", "第三梯队"]),  # 6: 2, 4 exactly
    ((1, 1, 3), ["第一梯队", "第一梯队", "第三梯队"]),  # tied ranks share a tier
])
def test_tiers_by_rank_thirds(ranks, expected):
    assert list(tiers(_ranked(*ranks)).values()) == expected


def test_a_unit_without_a_rank_has_no_tier():
    assert tiers(_ranked(1, None, 2)) == {"市0": "第一梯队", "市2": "第二梯队"}


def _entry(n: int, *, revenue=2500, kind="小升规", industry="3311", tax=1.0, unit="株洲市", sub="荷塘区") -> Listing:
    return Listing("entry", f"U{n}", f"企业{n}", unit, Period(2022, 6), Period(2022, 3), kind,
                   Source("株洲市汇总表.xlsx", "0" * 64, "新增明细", 4 + n),
                   {"revenue": revenue, "industry": industry, "tax": tax, SUB_UNIT: sub})


@pytest.mark.parametrize("revenue, band", [(2000, "2000万—3000万元"), (2999.99, "2000万—3000万元"),
                                           (3000, "3000万—5000万元"), (4999.99, "3000万—5000万元"),
                                           (5000, "5000万—1亿元"), (9999.99, "5000万—1亿元"),
                                           (10000, "1亿元及以上"), (1999.99, "2000万元以下"), ("", NO_REVENUE),
                                           (None, NO_REVENUE)])
def test_revenue_bands_are_closed_below_and_open_above(revenue, band):
    quality = entry_quality([_entry(1, revenue=revenue)], classification())
    assert quality.by_band[band] == 1 and sum(quality.by_band.values()) == 1


def test_kinds_divisions_tax_and_trades_that_are_not_industry():
    entries = [_entry(1), _entry(2, industry="3312"), _entry(3, kind="新建投产", industry="1711", tax=0),
               _entry(4, industry="5191", tax="")]
    quality = entry_quality(entries, classification())
    assert quality.by_kind == {"小升规": 3, "新建投产": 1}
    assert quality.by_division[0] == ("33", "金属制品业", 2)
    assert [d[0] for d in quality.by_division] == ["33", "17", "51"]  # most first, then by code (not by name)
    assert quality.paid_tax == 2 and quality.not_industry == ["U4"]


def test_survival_counts_last_years_entrants_not_exited_since():
    last = [_entry(n) for n in range(4)]
    quality = entry_quality([_entry(9)], classification(), last_year=last, exited={"U1", "U7"})
    assert (quality.last_year_entrants, quality.still_in, quality.survival) == (4, 3, 0.75)
    assert entry_quality([], classification(), last_year=[]).survival is None


def test_sub_units_count_the_provinces_counted_firms_with_their_cities_targets():
    units = {"株洲市": [UnitLine("荷塘区", "已受理", 4, 2), UnitLine("攸县", "被退回", 5, 2),
                     UnitLine("芦淞区", "已受理", 2, 1)],
             "湘潭市": [UnitLine("雨湖区", "已受理", 1, 1)]}
    entries = [_entry(1), _entry(2), _entry(3, sub="芦淞区"), _entry(4, unit="湘潭市", sub="雨湖区")]
    exits = [Listing("exit", "X1", "退库企业", "株洲市", Period(2022, 6), Period(2022, 2), "停产",
                     Source("株洲市汇总表.xlsx", "0" * 64, "退库明细", 4), {SUB_UNIT: "荷塘区"})]
    got = {s.figures.county: s for s in sub_unit_figures(units, entries, exits, {"芦淞区": 1}, 0.5, RULES)}
    assert (got["荷塘区"].figures.new, got["荷塘区"].figures.exits, got["荷塘区"].figures.completion) == (2, 1, 0.5)
    assert got["荷塘区"].figures.pending == 0 and got["荷塘区"].unit == "株洲市" and got["雨湖区"].unit == "湘潭市"
    assert got["攸县"].figures.new is None and got["攸县"].within is None  # returned by its city: no figures
    assert (got["芦淞区"].figures.new, got["芦淞区"].figures.pending) == (1, 1)
    assert got["雨湖区"].figures.rank == 1 and got["雨湖区"].within == 1 and got["雨湖区"].within_of == 1
    assert (got["荷塘区"].figures.rank, got["芦淞区"].figures.rank) == (2, 2)  # 50% each, after 雨湖区's 100%
    assert (got["荷塘区"].within, got["芦淞区"].within, got["荷塘区"].within_of) == (1, 1, 2)
