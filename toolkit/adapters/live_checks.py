"""Excel formulas that flag the simplest mistakes as the clerk types, with no macro and no Python.

Excel refuses array constants, unions and intersections in conditional-formatting and validation
formulas and caps validation formulas at 255 characters, so every constant lives in a defined name
on the hidden helper sheet. Each function takes the top-left cell of the range (relative reference).
"""

from __future__ import annotations

from toolkit.domain.uscc import ALPHABET, WEIGHTS

HELPER_SHEET = "_lists"
NAME_USCC_CHARS = "USCC_CHARS"  # the 31 code characters in value order
NAME_USCC_WEIGHTS = "USCC_WEIGHTS"  # the 17 position weights, one row
NAME_USCC_POSITIONS = "USCC_POS"  # 1..17, one row
MAX_VALIDATION_FORMULA = 255


def uscc_valid(ref: str) -> str:
    """TRUE when ``ref`` is 18 characters with the right GB 32100 check character (spaces trimmed)."""
    code = f"UPPER(TRIM({ref}))"
    check = (f"MID({NAME_USCC_CHARS},MOD(31-MOD(SUMPRODUCT((FIND(MID({code},{NAME_USCC_POSITIONS},1),"
             f"{NAME_USCC_CHARS})-1)*{NAME_USCC_WEIGHTS}),31),31)+1,1)")
    return f"AND(LEN(TRIM({ref}))=18,IFERROR({check}=RIGHT({code},1),FALSE))"


def uscc_validation(ref: str) -> str:
    """Data-validation formula: empty or a valid code."""
    return f"=OR(LEN(TRIM({ref}))=0,{uscc_valid(ref)})"


def uscc_invalid(ref: str) -> str:
    """Conditional-format formula: something typed that is not a valid code."""
    return f"=AND(LEN(TRIM({ref}))>0,NOT({uscc_valid(ref)}))"


def duplicate_in_column(ref: str, column_range: str) -> str:
    return f"=AND(LEN(TRIM({ref}))>0,COUNTIF({column_range},{ref})>1)"


def empty_in_started_row(ref: str, row_range: str) -> str:
    return f"=AND(COUNTA({row_range})>0,LEN(TRIM({ref}))=0)"


def outside(ref: str, low: float | None, high: float | None) -> str:
    """A number below ``low`` or at/above ``high`` (either may be None)."""
    tests = []
    if low is not None:
        tests.append(f"{ref}<{low:g}")
    if high is not None:
        tests.append(f"{ref}>={high:g}")
    condition = tests[0] if len(tests) == 1 else f"OR({','.join(tests)})"
    return f"=AND(ISNUMBER({ref}),{condition})"


def industry_validation(ref: str) -> str:
    """4-digit GB/T 4754 class code of an industrial division (06-46)."""
    return (f"=OR(LEN(TRIM({ref}))=0,IFERROR(AND(LEN(TRIM({ref}))=4,ISNUMBER(--TRIM({ref})),"
            f"--LEFT(TRIM({ref}),2)>=6,--LEFT(TRIM({ref}),2)<=46),FALSE))")


def helper_constants() -> dict[str, list]:
    """What the helper sheet must hold for these formulas."""
    return {NAME_USCC_CHARS: [ALPHABET], NAME_USCC_WEIGHTS: list(WEIGHTS), NAME_USCC_POSITIONS: list(range(1, 18))}
