"""The user documentation of the codes is generated from the catalogues (docs/问题代码.md for the sample
policy) and shows each city's own thresholds."""

from __future__ import annotations

import dataclasses

from conftest import ROOT
from toolkit.cli.files import REGENERATE_CODES
from toolkit.domain import reward_reasons
from toolkit.domain.findings import KINDS
from toolkit.services.codes import codes_markdown


def test_the_shipped_code_documentation_is_what_the_catalogues_generate(policy):
    committed = (ROOT / "docs" / "问题代码.md").read_text(encoding="utf-8")
    assert committed == codes_markdown(policy, "内置样例（株洲 2022—2025）", REGENERATE_CODES), "run `make docs`"


def test_every_code_is_documented_once_with_its_level_and_title(policy):
    text = codes_markdown(policy, "x")
    for code, kind in {**KINDS, **reward_reasons.KINDS}.items():
        rows = [line for line in text.splitlines() if line.startswith(f"| {code} |")]
        assert len(rows) == 1 and kind.title in rows[0], code
    assert "{" not in text  # every template field shown as 〔what it holds〕, every threshold filled


def test_a_city_sees_its_own_thresholds(policy):
    city = dataclasses.replace(policy, thresholds=dataclasses.replace(policy.thresholds, above_scale=2500, pool_low=800))
    text = codes_markdown(city, "某市")
    assert "规模以上标准为 2,500 万元" in text and "重点培育库收 800 万元至 2,000 万元" in text
    assert "规模以上标准为 2,000 万元" in codes_markdown(policy, "样例")


def test_every_kind_has_a_title_a_description_and_its_parameters():
    for kind in [*KINDS.values(), *reward_reasons.KINDS.values()]:
        assert kind.title and kind.description, kind.code
        assert isinstance(kind.parameters, tuple), kind.code
    assert KINDS["E103"].parameters == ("seen",) and KINDS["E005"].parameters == ("seen", "expected", "holder") and KINDS["W119"].policy_parameters == ("above_scale",)
