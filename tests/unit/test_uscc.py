import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from conftest import examples
from stdnum.cn import uscc as stdnum_uscc

from toolkit.domain import reward_reasons
from toolkit.domain.findings import KINDS, make_finding
from toolkit.domain.uscc import ALPHABET, ENTERPRISE_TYPE, WEIGHTS, area_code, check_uscc, with_check_character

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


@settings(max_examples=examples(300), deadline=None)
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




def test_the_weights_and_alphabet_are_gb_32100s():
    """The table the workbook's in-Excel check and the columnar check compute with (W_i = 3^(i-1) mod 31, the
    31 characters without I, O, Z, S, V), against the standard's own definition."""
    assert WEIGHTS == tuple(pow(3, i, 31) for i in range(17))
    assert ALPHABET == "".join(c for c in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ" if c not in "IOZSV")
    assert ENTERPRISE_TYPE == "1"


@settings(max_examples=examples(200), deadline=None)
@given(first17=st.text(alphabet=ALPHABET, min_size=17, max_size=17))
def test_the_check_character_from_the_weights_is_stdnums(first17):
    """An independent implementation (python-stdnum) on generated codes: the weights and alphabet give its check
    character, and a code is accepted exactly when stdnum accepts it."""
    total = sum(ALPHABET.index(c) * w for c, w in zip(first17, WEIGHTS))
    ours = ALPHABET[(31 - total % 31) % 31]
    assert ours == stdnum_uscc.calc_check_digit(first17)
    for last in (ours, ALPHABET[(ALPHABET.index(ours) + 1) % 31]):
        code = first17 + last
        problem = check_uscc(code)
        assert (problem is None or problem.code == "E104") == stdnum_uscc.is_valid(code)
        assert (problem is not None and problem.code == "E104") == (stdnum_uscc.is_valid(code) and code[1] != "1")


@pytest.mark.parametrize("code, area", [(GOOD, "430211"), ("91" + "123456" + "X" * 10, "123456")])
def test_the_area_is_positions_three_to_eight(code, area):
    assert area_code(code) == area


@pytest.mark.parametrize("code", [GOOD.lower(), GOOD[:8] + "-" + GOOD[9:], " " + GOOD[1:]])
def test_a_code_not_yet_normalised_is_malformed_here(code):
    """check_uscc takes normalised codes (upper case, no separators): anything else is E102, even where stdnum,
    which cleans as it goes, would accept it."""
    assert check_uscc(code).code == "E102"
