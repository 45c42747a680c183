import pytest
from stdnum.cn import uscc as stdnum_uscc

from toolkit.domain.uscc import area_code, check_uscc, with_check_character

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


def test_wrong_check_character_names_the_right_one():
    wrong = GOOD[:-1] + ("0" if GOOD[-1] != "0" else "1")
    assert check_uscc(wrong).expected == GOOD[-1]
