import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.cn import uscc as stdnum_uscc

from toolkit.domain import reward_reasons
from toolkit.domain.findings import KINDS, make_finding
from toolkit.domain.uscc import ALPHABET, area_code, check_uscc, with_check_character

GOOD = with_check_character("91430211MA4L12345")


def test_generated_code_is_valid_for_stdnum():
    assert stdnum_uscc.is_valid(GOOD)
    assert check_uscc(GOOD) is None
    assert area_code(GOOD) == "430211"


@pytest.mark.parametrize("code, finding", [
    (GOOD[:-1], "E102"),  # 17 characters
    (GOOD + "1", "E102"),  # 19 characters
    (GOOD[:10] + "I" + GOOD[11:], "E102"),  # I is not a code character
    (GOOD[:-1] + ("0" if GOOD[-1] != "0" else "1"), "E103"),  # wrong check character
    (with_check_character("92430211MA4L12345"), "E104"),  # an individual business (个体工商户)
    (with_check_character("93430211MA4L12345"), "E104"),  # a farmers' cooperative
    (with_check_character("52430211MA4L12345"), "E104"),  # a social organisation
])
def test_uscc_problems(code, finding):
    problem = check_uscc(code)
    assert (problem.code if problem else None) == finding


@settings(max_examples=300, deadline=None)
@given(body=st.text(alphabet=ALPHABET, min_size=9, max_size=9), position=st.integers(0, 17),
       typo=st.sampled_from(ALPHABET))
def test_a_typo_anywhere_is_never_answered_with_a_computed_check_character(body, position, typo):
    """Following "the check character should be X" on a typo in positions 1-17 makes a well-formed code of a firm
    that does not exist: E103 asks for all 18 characters to be compared with the licence and names no character."""
    good = with_check_character("91430211" + body)
    wrong = good[:position] + typo + good[position + 1:]
    problem = check_uscc(wrong)
    if problem is None or problem.code != "E103":
        return
    assert problem.expected == ""
    finding = make_finding("E103", value=wrong, expected=problem.expected)
    corrected = wrong[:17] + with_check_character(wrong[:17])[-1]
    assert corrected not in finding.message and "应为" not in finding.message
    assert "18位" in finding.message and "营业执照" in finding.message


def test_no_message_in_the_catalogue_computes_a_check_character():
    """Every kind's message and description (what a clerk reads in results, the workbench and docs/问题代码.md):
    none offers a check character or 'should be' for a code's characters."""
    for code, kind in {**KINDS, **reward_reasons.KINDS}.items():
        for text in (kind.template, kind.description):
            assert not re.search(r"校验[码位]\S{0,4}应为|应为.{0,6}校验[码位]|按前17位算出", text), (code, text)
    assert "{expected}" not in KINDS["E103"].template


