"""Plain functions behind the city control workbook's worksheet functions (UDFs).

Each takes the policy and plain values and returns a plain value, or raises UserError with a Chinese
sentence; ``toolkit.excel.udfs`` only adapts them to Excel.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from toolkit.domain.money import capitals
from toolkit.domain.policy import Policy
from toolkit.domain.rewards import entitlement, setup_problems
from toolkit.domain.text import normalise_code
from toolkit.domain.uscc import check_uscc
from toolkit.services.errors import UserError

MEASURES = {"新增": "new", "净增": "net"}


def _county(policy: Policy, name: object) -> str:
    county = policy.find_county(name)
    if county is None:
        raise UserError(f"没有“{name}”，可选：{'、'.join(policy.county_names)}")
    return county.name


def _whole(value: object, what: str) -> int:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise UserError(f"{what}应为数字，而不是“{value}”") from None
    if number != number.to_integral_value():
        raise UserError(f"{what}应为整数，而不是“{value}”")
    return int(number)


def county_target(policy: Policy, county: object, year: object, measure: object = "新增") -> int:
    """A county's annual target (年度目标) for new (新增) or net (净增) entries, from the targets annex."""
    name, year = _county(policy, county), _whole(year, "年度")
    if measure not in MEASURES:
        raise UserError(f"目标类型应为“新增”或“净增”，而不是“{measure}”")
    target = policy.new_target(name, year) if MEASURES[measure] == "new" else policy.net_target(name, year)
    if target is None:
        raise UserError(f"政策参数中没有{name}{year}年的{measure}目标")
    return target


def uscc_is_valid(code: object) -> bool:
    """Whether a unified social credit code (统一社会信用代码) is well formed with a correct check character."""
    if code is None or str(code).strip() == "":
        return False
    return check_uscc(normalise_code(code)) is None


def reward_amount(policy: Policy, kind: object, tax: object, county: object = None) -> int:
    """The reward (whole yuan) for an enterprise of ``kind`` with ``tax`` formed that year: the city standard,
    or with ``county`` the amount paid after 就高; 0 when the kind is not rewarded or the tax is missing."""
    problems = setup_problems(policy)
    if problems:
        raise UserError(problems[0])
    standard = next((r for r in policy.rewards if r.entry_kind == str(kind).strip()), None)
    if standard is None:
        return 0
    try:
        has_tax = Decimal(str(tax if tax is not None else 0).strip() or 0) > 0
    except (InvalidOperation, ValueError):
        raise UserError(f"税收应为数字，而不是“{tax}”") from None
    if standard.requires_tax and not has_tax:
        return 0
    if county in (None, ""):
        return standard.amount_yuan
    rights = entitlement(policy, _county(policy, county), standard.entry_kind)
    return rights.payable if rights else 0


def amount_in_capitals(amount: object) -> str:
    """人民币壹拾万元整 for 100000: whole yuan in Chinese capitals (大写)."""
    value = _whole(amount, "金额")
    if value < 0:
        raise UserError("金额不能为负数")
    return capitals(value)
