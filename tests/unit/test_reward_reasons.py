"""Why a firm is not paid: a coded catalogue. Documents count exclusions by code, so rewording a reason never
changes a 请示; every kind states its parameters and renders only with exactly those."""

from __future__ import annotations

import dataclasses

import pytest

from toolkit.domain import reward_reasons as R
from toolkit.domain.rewards import Batch, Exclusion
from toolkit.services.reward_documents import excluded_text

SAMPLE = {"claimants": "天元区、株洲经开区", "year": 2022, "month": "2022-11", "through": "2022-06", "why": "渌口区尚无2023年已受理的报表",
          "entry_kind": "外地迁入", "rewarded": "新建投产、小升规", "said": "当年形成税收0万元", "period": "2022-10",
          "exit_reason": "停产"}


def test_codes_are_unique_and_deferrals_are_told_from_exclusions():
    assert len(R.KINDS) == len({k.code for k in R.KINDS.values()})
    assert all(k.code.startswith("J1") == k.later for k in R.KINDS.values())  # J1xx defer, J2xx exclude
    assert all(k.title and k.description and k.group for k in R.KINDS.values())


@pytest.mark.parametrize("kind", list(R.KINDS.values()), ids=lambda k: k.code)
def test_every_kind_renders_with_exactly_its_parameters(kind):
    text = kind.reason(**{p: SAMPLE[p] for p in kind.parameters})
    assert "{" not in text and all(str(SAMPLE[p]) in text for p in kind.parameters)
    with pytest.raises(ValueError):
        kind.reason(**{p: SAMPLE[p] for p in kind.parameters}, extra="x")


def _excluded(why: R.ReasonKind, n: int = 1) -> list[Exclusion]:
    return [Exclusion.of(why, uscc=f"{why.code}-{i}", name=f"企业{i}", county="荷塘区", kind="新建投产", entry_year=2022, tranche=1,
                         source="x", **{p: SAMPLE[p] for p in why.parameters}) for i in range(n)]


def test_the_request_counts_exclusions_by_code_not_by_their_wording():
    exclusions = _excluded(R.NO_TAX, 2) + _excluded(R.EXITED) + _excluded(R.NOT_CONFIRMED, 3)
    reworded = [dataclasses.replace(x, reason="（措辞已修改）") for x in exclusions]
    for batch_exclusions in (exclusions, reworded):
        text = excluded_text(Batch(2022, 1, [], batch_exclusions, [], ["荷塘区"]), "县市区")
        assert text.startswith("另有6家（次）本批未予兑现：当年未形成税收2家，已退库1家，") and "暂缓3家" in text


def test_an_exclusion_from_before_the_codes_is_counted_as_other():
    legacy = Exclusion("U", "企业", "荷塘区", "新建投产", 2022, 1, "2022年未形成税收（…）", False, "x")  # no code
    assert legacy.code == "" and legacy.group == R.OTHER_GROUP
    assert "其他原因1家" in excluded_text(Batch(2022, 1, [], [legacy], [], ["荷塘区"]), "县市区")


def test_a_firm_two_counties_report_is_one_firm_in_the_counts():
    """#18: the firm 天元区 and 株洲经开区 both report waits once — each county sees its claim, the city counts it once."""
    from toolkit.domain.rewards import totals

    claims = [Exclusion.of(R.PENDING_ATTRIBUTION, uscc="U1", name="企业", county=county, kind="新建投产", entry_year=2022,
                           tranche=1, source="x", claimants="天元区、株洲经开区") for county in ("天元区", "株洲经开区")]
    other = _excluded(R.NO_TAX)
    batch = Batch(2022, 1, [], [*claims, *other], [], ["天元区", "株洲经开区", "荷塘区"])
    text = excluded_text(batch, "县市区")
    assert text.startswith("另有2家（次）本批未予兑现：当年未形成税收1家，") and "暂缓1家" in text
    rows, city = totals(["天元区", "株洲经开区", "荷塘区"], [], batch.exclusions)
    assert {t.county: t.excluded for t in rows} == {"天元区": 1, "株洲经开区": 1, "荷塘区": 1} and city.excluded == 2
    from toolkit.domain.rewards import distinct

    assert [x.county for x in distinct(batch.exclusions)] == ["天元区、株洲经开区", "荷塘区"]
