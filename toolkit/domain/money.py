"""Money: integer yuan, Decimal arithmetic, amounts in Chinese capitals (大写).

Rewards are whole yuan. Shares come from the policy workbook as numbers (0.3); they are read through
their shortest decimal text, so 0.3 is exactly 3/10 here and never 0.29999…, and every rounding is
half-up to the yuan, done once, in one place.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def share(value: float | int | str | Decimal) -> Decimal:
    """A ratio as an exact decimal (0.3 -> Decimal('0.3'))."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(str(value))


def yuan(amount: Decimal | int) -> int:
    """Round to whole yuan, half up (四舍五入)."""
    return int(Decimal(amount).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def part(amount: int, ratio: float | Decimal) -> int:
    """``ratio`` of a whole-yuan amount, in whole yuan."""
    return yuan(Decimal(amount) * share(ratio))


def capitals(amount: int) -> str:
    """人民币壹拾万零伍佰元整: "人民币" directly followed by the amount in capitals, ending in 整."""
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
        raise ValueError(f"amount must be whole, non-negative yuan: {amount!r}")
    import cn2an  # 0.1 s to import: only the reward documents need it, not every button press

    return "人民币" + cn2an.an2cn(amount, "rmb")


def decimal_text(value: Decimal | int) -> str:
    """An exact number without trailing zeros or exponent: 10, 1.8, 3.3333."""
    text = f"{Decimal(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def percent_text(ratio: float | Decimal) -> str:
    """A share as an exact percentage: 0.5 -> 50%, 0.333 -> 33.3%."""
    return decimal_text(share(ratio) * 100) + "%"


def wan(amount: int) -> str:
    """Whole yuan as exact 万元: 740,000 -> 74; 33,333 -> 3.3333."""
    return decimal_text(Decimal(amount) / 10000)


def wan_places(*amounts: int) -> int:
    """Decimal places for a column of 万元 figures: two as offices write them, more only where a figure
    needs them to stay exact to the yuan (at most four)."""
    needed = [len(wan(a).partition(".")[2]) for a in amounts]
    return max([2, *needed])


def wan_column(amount: int, places: int) -> str:
    """Whole yuan in 万元 with ``places`` decimals, exact (places from ``wan_places``): 9,050,000 -> 905.00."""
    return f"{Decimal(amount) / 10000:,.{places}f}"


def wan_text(amount: int) -> str:
    """10 万元, 1.8 万元, 6,500 元: how an officer writes a standard in running text."""
    if amount and amount % 1000 == 0:
        return wan(amount) + "万元"
    return f"{amount:,}元"


def figures(amount: int) -> str:
    """1,234,500 (thousands separated, as in the approval form)."""
    return f"{amount:,}"
