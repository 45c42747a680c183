"""Unified social credit codes (统一社会信用代码, GB 32100-2015).

The check character is computed by python-stdnum; this module only adds what the policy needs:
the registering area (positions 3-8) and the organisation type (position 2, '1' = enterprise).
"""

from __future__ import annotations

from dataclasses import dataclass

from stdnum.cn import uscc as _stdnum_uscc

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100 code characters, in value order
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)  # GB 32100 position weights
ENTERPRISE_TYPE = "1"  # position 2 for enterprises registered by market regulation


@dataclass(frozen=True)
class UsccProblem:
    code: str  # finding code
    expected: str = ""  # never a computed check character (E103): the typo may be in any of the 18 positions


def check_uscc(code: str) -> UsccProblem | None:
    """None when the (already normalised) code is a well-formed USCC with a valid check character."""
    if len(code) != 18 or any(c not in ALPHABET for c in code):
        return UsccProblem("E102")
    try:
        _stdnum_uscc.validate(code)
    except _stdnum_uscc.InvalidChecksum:
        return UsccProblem("E103")
    except _stdnum_uscc.ValidationError:
        return UsccProblem("E102")
    if code[1] != ENTERPRISE_TYPE:
        return UsccProblem("E104", ENTERPRISE_TYPE)
    return None


def area_code(code: str) -> str:
    """The 6-digit administrative division code of the registering authority (positions 3-8)."""
    return code[2:8]


def with_check_character(first17: str) -> str:
    """Complete 17 characters with their check character (used by the sample generator and tests)."""
    return first17 + _stdnum_uscc.calc_check_digit(first17)
