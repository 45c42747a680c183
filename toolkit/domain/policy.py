"""The city's policy as data (政策参数): units, targets annex, goals, thresholds, reward rules.

Nothing here assumes Zhuzhou, ten units or 2022-2025: the values come from the policy workbook.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from toolkit.domain.text import normalise_name


@dataclass(frozen=True)
class County:
    """A reporting unit (县市区; for a province, 市州)."""

    name: str
    aliases: tuple[str, ...] = ()
    division_code: str = ""  # GB/T 2260 code; '' for zones without one (株洲经开区)
    uscc_prefixes: tuple[str, ...] = ()  # accepted area-code prefixes of USCC positions 3-8
    base_register: int | None = None  # 规划起始在库企业数, entered by the city

    def accepts_area(self, area: str) -> bool:
        """True when the USCC area code is one this unit accepts (empty prefixes accept all)."""
        return not self.uscc_prefixes or any(area.startswith(p) for p in self.uscc_prefixes)


@dataclass(frozen=True)
class CityGoals:
    """City-level goals beside the annex (年均新增/净增, 在库总数)."""

    avg_new_per_year: int
    avg_net_per_year: int
    goal_first_year: int
    goal_last_year: int
    total_in_register: int
    total_in_register_year: int


@dataclass(frozen=True)
class Thresholds:
    """Revenue thresholds in 万元."""

    above_scale: float = 2000  # 规模以上标准
    pool_low: float = 1000  # 重点培育库下限
    pool_high: float = 2000  # 重点培育库上限
    at_risk_below: float = 3000  # 退规风险库：年主营业务收入低于
    new_entry_typical_max: float = 100000  # 新增企业营收常见上限, above it a 千元 slip is suspected
    yuan_suspect_from: float = 1000000  # 万元列中达到此值即疑似按元填报


@dataclass(frozen=True)
class RewardStandard:
    """City reward standard for one entry kind (奖励标准)."""

    entry_kind: str
    amount_yuan: int
    requires_tax: bool = True  # 需当年形成税收
    split: bool = True  # 分两期兑现
    first_share: float = 0.5  # 首期比例


@dataclass(frozen=True)
class CostSharing:
    """City/county shares of a reward (市县分担比例), per county."""

    county: str
    city_share: float
    county_share: float


@dataclass(frozen=True)
class CountyRewardPolicy:
    """A county's own reward standard, paid by the higher (就高)."""

    county: str
    entry_kind: str
    amount_yuan: int
    document: str = ""


@dataclass(frozen=True)
class AssessmentRules:
    """Praise and criticism thresholds (the plan gives none: documented defaults)."""

    praise_min_ratio: float = 1.0  # 表扬：目标完成率不低于时序进度的倍数
    praise_top_by_net: int = 3  # 表扬：净增数排名前 N
    criticise_below_ratio: float = 0.5  # 批评：目标完成率低于时序进度的倍数
    criticise_negative_net: bool = True  # 批评：净增为负


@dataclass(frozen=True)
class Policy:
    region: str  # 株洲市
    total_label: str  # 全市 (the annex's total row)
    unit_label: str  # 县市区 (or 市州)
    plan_title: str
    first_year: int
    last_year: int
    counties: tuple[County, ...]
    new_targets: dict[str, dict[int, int]]  # county -> year -> 新增目标
    total_new_targets: dict[int, int]  # year -> city total
    net_targets: dict[str, dict[int, int]] = field(default_factory=dict)  # declared by counties
    goals: CityGoals | None = None
    thresholds: Thresholds = Thresholds()
    rewards: tuple[RewardStandard, ...] = ()
    second_tranche_month: int | None = None  # None: the latest accepted period of the next year
    cost_sharing: tuple[CostSharing, ...] = ()
    county_rewards: tuple[CountyRewardPolicy, ...] = ()
    assessment: AssessmentRules = AssessmentRules()

    @property
    def years(self) -> list[int]:
        return list(range(self.first_year, self.last_year + 1))

    @property
    def county_names(self) -> list[str]:
        return [c.name for c in self.counties]

    def find_county(self, name: object) -> County | None:
        """The unit called ``name`` (by name or alias, spaces and full-width forms ignored)."""
        key = normalise_name(name)
        if not key:
            return None
        for county in self.counties:
            if key == normalise_name(county.name) or key in {normalise_name(a) for a in county.aliases}:
                return county
        return None

    def new_target(self, county: str, year: int) -> int | None:
        return self.new_targets.get(county, {}).get(year)

    def net_target(self, county: str, year: int) -> int | None:
        return self.net_targets.get(county, {}).get(year)
