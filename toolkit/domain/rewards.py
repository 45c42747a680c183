"""Reward funds (奖励资金), section 四 of the city plan, as pure functions over whole yuan.

- Newly built and commissioned (新建投产) and below-scale grown above (小升规) enterprises with tax
  formed in the entry year get the city standard (100,000 / 60,000 yuan, from the policy workbook).
- The reward is paid in two tranches where the policy says so (first share in the entry year, the rest
  in the following year if the enterprise is still in the register at the reference period).
- 就高: where the county has its own standard for the kind, the enterprise gets the higher of the two,
  once. Our reading (a policy parameter): the city bears its cost-sharing share of the city standard
  only, the county the rest.
- Self-reported figures do not pay money on their own: a first tranche needs the statistics office's
  confirmed entry list and the tax office's figure for the year; every difference is listed.

Everything here is data in, data out: the service hands in the candidates, the evidence and the
ledger, and records what comes back.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Iterable

from toolkit.domain.money import part, percent_text, share, wan_text
from toolkit.domain.periods import Period
from toolkit.domain.policy import Policy
from toolkit.domain import reward_reasons as R
from toolkit.domain.reward_reasons import ReasonKind, group_of

CITY_STANDARD, PAYABLE = "city_standard", "payable"  # what the city's share applies to (就高 reading)
CITY_BASIS_LABELS = {CITY_STANDARD: "市级标准", PAYABLE: "兑现金额"}
TRANCHE_LABELS = {1: "首期", 2: "第二期"}
WHOLE = 0  # tranche number of a reward that is not split


@dataclass(frozen=True)
class Entitlement:
    """What one enterprise of a kind in a county is entitled to, split by tranche and by payer."""

    kind: str
    city_standard: int
    county_standard: int  # 0: the county has no standard of its own for the kind
    payable: int
    city_total: int
    first: int
    first_city: int
    split: bool
    rule: str

    @property
    def county_total(self) -> int:
        return self.payable - self.city_total

    @property
    def first_county(self) -> int:
        return self.first - self.first_city

    @property
    def second(self) -> int:
        return self.payable - self.first

    @property
    def second_city(self) -> int:
        return self.city_total - self.first_city

    @property
    def second_county(self) -> int:
        return self.second - self.second_city


def setup_problems(policy: Policy) -> list[str]:
    """What the policy workbook lacks for rewards, each as a sentence saying where to fill it in."""
    problems = []
    if not policy.rewards:
        problems.append("政策参数工作簿的“奖励标准”表中没有市级奖励标准。")
    shared = {s.county for s in policy.cost_sharing}
    missing = [c for c in policy.county_names if c not in shared]
    if missing:
        problems.append(f"政策参数工作簿的“市县分担”表中缺少{'、'.join(missing)}的市县分担比例。")
    return problems


def entitlement(policy: Policy, county: str, kind: str) -> Entitlement | None:
    """None when the kind has no city standard (外地迁入 and the like are not rewarded by the city)."""
    standard = next((r for r in policy.rewards if r.entry_kind == kind), None)
    if standard is None:
        return None
    sharing = next(s for s in policy.cost_sharing if s.county == county)
    own = next((p for p in policy.county_rewards if p.county == county and p.entry_kind == kind), None)
    county_standard = own.amount_yuan if own else 0
    payable = max(standard.amount_yuan, county_standard)
    basis = standard.amount_yuan if policy.reward_city_basis == CITY_STANDARD else payable
    city_total = min(part(basis, sharing.city_share), payable)
    first_share = share(standard.first_share) if standard.split else Decimal(1)
    first = part(payable, first_share)
    first_city = part(city_total, first_share)
    parts = [f"{kind}市级标准{wan_text(standard.amount_yuan)}"]
    if own is not None:
        higher = "县级标准较高，" if county_standard > standard.amount_yuan else "市级标准不低于县级标准，"
        parts.append(f"{county}县级标准{wan_text(county_standard)}，{higher}就高兑现{wan_text(payable)}")
    parts.append(f"市级承担{CITY_BASIS_LABELS[policy.reward_city_basis]}的{percent_text(sharing.city_share)}"
                 f"即{wan_text(city_total)}，其余{wan_text(payable - city_total)}由县级承担")
    if standard.split:
        parts.append(f"分两期兑现，首期{percent_text(standard.first_share)}")
    return Entitlement(kind, standard.amount_yuan, county_standard, payable, city_total, first, first_city,
                       standard.split, "；".join(parts))


# --- evidence --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Candidate:
    """An entry of the year as the county reported it (from its latest accepted year-to-date list)."""

    uscc: str
    name: str
    county: str
    kind: str
    month: str  # 入规月份, "2022-03"
    reported_tax: Decimal | None  # the county's 当年税收（万元）, None when blank
    source: str  # file, sheet and row
    claimants: str = ""  # while its attribution is pending: the counties that all report it (“荷塘区、天元区”)


@dataclass(frozen=True)
class Confirmation:
    """An entry on the statistics office's confirmed list."""

    uscc: str
    name: str
    county: str
    kind: str  # '' when the list has no 入规类型 column
    source: str


@dataclass(frozen=True)
class TaxFigure:
    """The tax office's figure: tax formed in the year, in 万元."""

    uscc: str
    name: str
    tax_wan: Decimal
    source: str


@dataclass(frozen=True)
class ExitRecord:
    uscc: str
    period: str  # 退库月份
    reason: str
    source: str


@dataclass(frozen=True)
class Evidence:
    year: int
    confirmed: dict[str, Confirmation] | None  # None: no confirmed list of the year imported yet
    confirmed_through: str  # the period of that list
    taxes: dict[str, TaxFigure] | None  # None: the tax office's figures of the year not imported yet
    exits: dict[str, ExitRecord] = field(default_factory=dict)  # exits after the reward's entry
    confirmed_final: bool = False  # the confirmed list is the office's final list of the year (终审名单)
    taxes_final: bool = False  # the tax figures are the year's final (全年定稿): a zero then excludes, else defers


def taxes_final(year: int, declared: bool, imported_at: str, final_month: int | None) -> bool:
    """Whether the tax list of ``year`` holds the year's final figures (全年定稿): declared so on import, or
    imported (``imported_at``, "YYYY-MM-DD …") from the policy's 上年税收数据定稿月份 of the next year on."""
    if declared:
        return True
    return final_month is not None and bool(imported_at) and imported_at >= f"{year + 1}-{final_month:02d}-01"


def before_year_end(year: int, approved_at: str) -> bool:
    """A batch approved (``approved_at``, "YYYY-MM-DD …") before the year it rewards has ended: its tax figures are
    the year's so far, and the 请示 says so."""
    return bool(approved_at) and approved_at < f"{year + 1}-01-01"


# --- what comes out ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class RewardLine:
    """One tranche of one enterprise's reward: the unit of the ledger."""

    uscc: str
    name: str
    county: str
    kind: str
    entry_year: int
    entry_month: str
    tranche: int  # 1 first, 2 second, 0 a reward that is not split
    amount: int  # 本次兑现
    city_amount: int
    payable: int  # 奖励标准 after 就高
    city_standard: int
    county_standard: int
    rule: str
    source: str
    tax_wan: str = ""  # the tax office's figure, as text
    second: int = 0  # for a first tranche: the second tranche it leaves due
    second_city: int = 0

    @property
    def county_amount(self) -> int:
        return self.amount - self.city_amount

    @property
    def key(self) -> tuple[str, int, int]:
        return (self.uscc, self.entry_year, self.tranche)

    @property
    def tranche_label(self) -> str:
        return TRANCHE_LABELS.get(self.tranche, "一次性")


@dataclass(frozen=True)
class LedgerEntry:
    """A line of the ledger with the batch that approved it."""

    line: RewardLine
    batch_year: int
    batch_seq: int


@dataclass(frozen=True)
class Exclusion:
    """An enterprise not paid in this batch, and why (``code``: its kind in ``reward_reasons``; ``reason``: the
    sentence written for it); ``later``: it may be paid once the reason is gone."""

    uscc: str
    name: str
    county: str
    kind: str
    entry_year: int
    tranche: int
    reason: str
    later: bool
    source: str
    code: str = ""  # '' in batches approved before the codes existed

    @classmethod
    def of(cls, why: ReasonKind, /, uscc: str, name: str, county: str, kind: str, entry_year: int, tranche: int,
           source: str, **params: object) -> "Exclusion":
        """An exclusion of kind ``why``; ``params`` fill its sentence."""
        return cls(uscc, name, county, kind, entry_year, tranche, why.reason(**params), why.later, source, why.code)

    @property
    def group(self) -> str:
        return group_of(self.code)


@dataclass(frozen=True)
class Mismatch:
    """A difference between the county's report and the statistics or tax office's figures."""

    uscc: str
    name: str
    county: str
    subject: str  # 新增名单 / 入规类型 / 当年税收 / 县市区
    county_says: str
    authority_says: str
    effect: str


@dataclass(frozen=True)
class BatchRecord:
    """An approved batch as the store keeps it (its lines are read separately)."""

    id: int
    year: int
    seq: int
    approved_at: str
    policy_sha256: str
    total: int
    paid_at: str
    paid_on: str
    paid_note: str
    exclusions: list[Exclusion]
    mismatches: list[Mismatch]


@dataclass
class Proposal:
    lines: list[RewardLine] = field(default_factory=list)
    exclusions: list[Exclusion] = field(default_factory=list)
    mismatches: list[Mismatch] = field(default_factory=list)
    approved_before: int = 0  # tranches that were due here but are already in the ledger

    def extend(self, other: "Proposal") -> None:
        self.lines += other.lines
        self.exclusions += other.exclusions
        self.mismatches += other.mismatches
        self.approved_before += other.approved_before

    @property
    def total(self) -> int:
        return sum(line.amount for line in self.lines)


def _tax_text(value: Decimal | None) -> str:
    return "未填" if value is None else f"{value:f}万元"


def first_tranches(policy: Policy, candidates: Iterable[Candidate], evidence: Evidence,
                   approved: set[tuple[str, int, int]]) -> Proposal:
    """The entry year's tranche (or the whole reward) of every eligible entry, and every exclusion."""
    out = Proposal()
    year = evidence.year
    seen: set[str] = set()
    for c in candidates:
        seen.add(c.uscc)

        def exclude(why: ReasonKind, entry_kind: str = c.kind, /, **params: object) -> None:
            out.exclusions.append(Exclusion.of(why, uscc=c.uscc, name=c.name, county=c.county, kind=entry_kind,
                                               entry_year=year, tranche=1, source=c.source, **params))

        def differ(subject: str, county_says: str, authority_says: str, effect: str) -> None:
            out.mismatches.append(Mismatch(c.uscc, c.name, c.county, subject, county_says, authority_says, effect))

        confirmation = evidence.confirmed.get(c.uscc) if evidence.confirmed is not None else None
        if c.claimants:
            exclude(R.PENDING_ATTRIBUTION, claimants=c.claimants)
            if confirmation is not None and confirmation.county:  # evidence for the city's attribution
                differ("县市区", f"{c.claimants}均报为新增", confirmation.county,
                       f"统计部门确认名单列为{confirmation.county}；市里据此认定归属后可追加兑现")
            continue
        kind = c.kind
        if confirmation is not None and confirmation.kind and confirmation.kind != c.kind:
            differ("入规类型", c.kind, confirmation.kind, f"按统计部门确认的“{confirmation.kind}”计奖")
            kind = confirmation.kind
        if confirmation is not None and confirmation.county != c.county:
            differ("县市区", c.county, confirmation.county, "按市里受理的报表和认定计入，请核实")
        rights = entitlement(policy, c.county, kind)
        if rights is None:
            exclude(R.NOT_REWARDED_KIND, kind, entry_kind=kind, rewarded="、".join(r.entry_kind for r in policy.rewards))
            continue
        tranche = 1 if rights.split else WHOLE
        if (c.uscc, year, tranche) in approved:
            out.approved_before += 1
            continue
        if evidence.confirmed is None:
            exclude(R.NO_CONFIRMED_LIST, kind, year=year)
            continue
        if confirmation is None:
            if Period.parse(c.month) > Period.parse(evidence.confirmed_through):
                exclude(R.AFTER_CONFIRMED_LIST, kind, month=c.month, through=evidence.confirmed_through)
            elif evidence.confirmed_final:  # evidence to the contrary: the office's final list leaves it out
                exclude(R.NOT_IN_FINAL_LIST, kind, year=year, through=evidence.confirmed_through)
                differ("新增名单", "报为新增", "终审名单中没有", "不予兑现")
            else:  # not yet confirmed: wait for the office
                exclude(R.NOT_CONFIRMED, kind, year=year, through=evidence.confirmed_through)
                differ("新增名单", "报为新增", "未确认", "暂缓兑现；统计部门确认后可追加")
            continue
        standard = next(r for r in policy.rewards if r.entry_kind == kind)
        tax = evidence.taxes.get(c.uscc) if evidence.taxes is not None else None
        if standard.requires_tax:
            if evidence.taxes is None:
                exclude(R.NO_TAX_LIST, kind, year=year)
                continue
            if tax is None:  # missing is not zero: wait for a tax list that names the firm
                exclude(R.NOT_ON_TAX_LIST, kind, year=year)
                if c.reported_tax is not None and c.reported_tax > 0:
                    differ("当年税收", _tax_text(c.reported_tax), "税务数据中没有该企业",
                           "暂缓兑现；税务部门补充数据后可追加")
                continue
            if tax.tax_wan <= 0 and not evidence.taxes_final:  # the year's tax may still form: wait
                exclude(R.TAX_NOT_YET_FORMED, kind, year=year, said=f"{tax.tax_wan:f}万元")
                continue
            if tax.tax_wan <= 0:
                exclude(R.NO_TAX, kind, year=year, said=f"当年形成税收{tax.tax_wan:f}万元")
                if c.reported_tax is not None and c.reported_tax > 0:
                    differ("当年税收", _tax_text(c.reported_tax), _tax_text(tax.tax_wan), "以税务部门数据为准，不予兑现")
                continue
            if c.reported_tax is None or abs(c.reported_tax - tax.tax_wan) >= Decimal("0.01"):
                differ("当年税收", _tax_text(c.reported_tax), _tax_text(tax.tax_wan), "以税务部门数据为准")
        gone = evidence.exits.get(c.uscc)
        if gone is not None:
            exclude(R.EXITED, kind, period=gone.period, exit_reason=gone.reason)
            continue
        out.lines.append(RewardLine(
            c.uscc, c.name, c.county, kind, year, c.month, tranche, rights.first, rights.first_city, rights.payable,
            rights.city_standard, rights.county_standard, rights.rule + _first_note(rights, year),
            c.source, "" if tax is None else f"{tax.tax_wan:f}", rights.second, rights.second_city))
    if evidence.confirmed is not None:
        for uscc, confirmation in evidence.confirmed.items():
            if uscc not in seen:
                out.mismatches.append(Mismatch(uscc, confirmation.name, confirmation.county, "新增名单", "未填报",
                                               f"统计确认新增（{confirmation.source}）",
                                               "未纳入本批；县市区补报并受理后可追加"))
    return out


def _first_note(rights: Entitlement, year: int) -> str:
    if not rights.split:
        return f"；{year}年一次性兑现"
    return f"；{year}年兑现首期{rights.first:,}元，余{rights.second:,}元次年在库时兑现"


@dataclass(frozen=True)
class Reference:
    """The period at which a county's enterprises must still be in the register for a second tranche."""

    period: str  # '' when there is none yet
    why_none: str = ""


def second_tranches(year: int, due: Iterable[RewardLine], exits: dict[str, ExitRecord],
                    references: dict[str, Reference], approved: set[tuple[str, int, int]],
                    batches: dict[tuple[str, int], str] | None = None) -> Proposal:
    """The second tranche of last year's first tranches (from the ledger, never re-derived)."""
    out = Proposal()
    batches = batches or {}
    for first in due:
        if first.tranche != 1 or first.second <= 0 or first.entry_year != year - 1:
            continue
        if (first.uscc, first.entry_year, 2) in approved:
            out.approved_before += 1
            continue
        paid_in = batches.get((first.uscc, first.entry_year), f"{first.entry_year}年")
        reference = references.get(first.county, Reference("", f"{first.county}尚无{year}年已受理的报表"))
        gone = exits.get(first.uscc)
        if gone is not None and (not reference.period or gone.period <= reference.period):
            out.exclusions.append(Exclusion.of(R.EXITED_BEFORE_SECOND, uscc=first.uscc, name=first.name,
                                               county=first.county, kind=first.kind, entry_year=first.entry_year,
                                               tranche=2, source=gone.source, period=gone.period,
                                               exit_reason=gone.reason))
            continue
        if not reference.period:
            out.exclusions.append(Exclusion.of(R.REGISTER_UNVERIFIED, uscc=first.uscc, name=first.name,
                                               county=first.county, kind=first.kind, entry_year=first.entry_year,
                                               tranche=2, source=first.source, why=reference.why_none))
            continue
        rule = (f"{paid_in}已兑现首期{first.amount:,}元；截至{reference.period}仍在库，"
                f"兑现第二期{first.second:,}元（按首期审批时的标准和分担）")
        out.lines.append(RewardLine(
            first.uscc, first.name, first.county, first.kind, first.entry_year, first.entry_month, 2, first.second,
            first.second_city, first.payable, first.city_standard, first.county_standard, rule, first.source,
            first.tax_wan))
    return out


@dataclass
class Batch:
    """An approved batch (or a draft: seq 0) with everything its documents and workbooks show."""

    year: int
    seq: int  # 0: a draft, not approved
    lines: list[RewardLine]
    exclusions: list[Exclusion]
    mismatches: list[Mismatch]
    counties: list[str]
    approved_at: str = ""
    paid_on: str = ""
    paid_note: str = ""

    @property
    def label(self) -> str:
        return f"{self.year}年度第{self.seq}批" if self.seq else f"{self.year}年度（草稿）"

    @property
    def total(self) -> int:
        return sum(line.amount for line in self.lines)

    @property
    def totals(self) -> tuple[list["CountyTotals"], "CountyTotals"]:
        return totals(self.counties, self.lines, self.exclusions)


# --- summaries ---------------------------------------------------------------------------------------
@dataclass
class CountyTotals:
    county: str
    first_count: int = 0
    first_amount: int = 0
    second_count: int = 0
    second_amount: int = 0
    city_amount: int = 0
    county_amount: int = 0
    excluded: int = 0

    @property
    def amount(self) -> int:
        return self.first_amount + self.second_amount

    @property
    def count(self) -> int:
        return self.first_count + self.second_count


def totals(counties: Iterable[str], lines: Iterable[RewardLine],
           exclusions: Iterable[Exclusion] = ()) -> tuple[list[CountyTotals], CountyTotals]:
    """Per-county subtotals in the policy's order, and the city total (the sum of the counties)."""
    by_county = {name: CountyTotals(name) for name in counties}
    for line in lines:
        t = by_county.setdefault(line.county, CountyTotals(line.county))
        if line.tranche == 2:
            t.second_count += 1
            t.second_amount += line.amount
        else:
            t.first_count += 1
            t.first_amount += line.amount
        t.city_amount += line.city_amount
        t.county_amount += line.county_amount
    for exclusion in exclusions:  # each county counts its own claim of a firm two counties report
        by_county.setdefault(exclusion.county, CountyTotals(exclusion.county)).excluded += 1
    city = CountyTotals("合计")
    for t in by_county.values():
        for name in ("first_count", "first_amount", "second_count", "second_amount", "city_amount", "county_amount"):
            setattr(city, name, getattr(city, name) + getattr(t, name))
    city.excluded = len(distinct(exclusions))  # the city counts the firm once
    return list(by_county.values()), city


def _one_row_per(items: Iterable, key, **joined: str) -> list:
    """One row per ``key``: rows that differ only in the claimant (a firm two counties both report, 归属待认定)
    become the first row naming every claimant (“天元区、株洲经开区”, sorted as the J101 sentence names them)
    and joining the fields in ``joined`` (field name → separator) in the order they came."""
    rows: dict = {}
    for item in items:
        rows.setdefault(key(item), []).append(item)
    out = []
    for same in rows.values():
        first = same[0]
        if len(same) > 1:
            first = replace(first, county="、".join(sorted({x.county for x in same})),
                            **{name: sep.join(dict.fromkeys(getattr(x, name) for x in same))
                               for name, sep in joined.items()})
        out.append(first)
    return out


def distinct(exclusions: Iterable[Exclusion]) -> list[Exclusion]:
    """One exclusion per firm and tranche: a shared claim is one firm, not two, with every claim's source."""
    return _one_row_per(exclusions, lambda x: (x.uscc, x.entry_year, x.tranche), source="；")


def disputed(exclusions: Iterable[Exclusion]) -> tuple[list[Exclusion], list[Exclusion]]:
    """(the exclusions of firms one county claims, one row per firm two or more counties claim): a firm whose
    attribution is pending (归属待认定) counts under none of its claimants until the city settles it, so that the
    counties' counts add up to the city's; its row names every claimant."""
    exclusions = list(exclusions)
    claimants: dict[tuple[str, int, int], set[str]] = defaultdict(set)
    for x in exclusions:
        claimants[(x.uscc, x.entry_year, x.tranche)].add(x.county)
    shared = {key for key, counties in claimants.items() if len(counties) > 1}
    own = [x for x in exclusions if (x.uscc, x.entry_year, x.tranche) not in shared]
    return own, [x for x in distinct(exclusions) if (x.uscc, x.entry_year, x.tranche) in shared]


def distinct_mismatches(mismatches: Iterable[Mismatch]) -> list[Mismatch]:
    """One row per difference: a firm two counties both report has the same difference under each claimant."""
    return _one_row_per(mismatches, lambda m: (m.uscc, m.subject, m.county_says, m.authority_says))


def group_by_county(items, counties: Iterable[str]) -> dict[str, list]:
    """Items (lines, exclusions, mismatches) per county, in the policy's order."""
    grouped: dict[str, list] = defaultdict(list)
    for item in items:
        grouped[item.county].append(item)
    order = list(counties)
    return {name: grouped[name] for name in order + sorted(set(grouped) - set(order)) if grouped[name]}
