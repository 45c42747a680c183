"""The city's policy as data (政策参数): units, targets annex, goals, thresholds, reward rules.

Nothing here assumes Zhuzhou, ten units or 2022-2025: the values come from the policy workbook.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from toolkit.domain.calendar import MONDAY_TO_FRIDAY, ReportingPeriod, WorkingDays
from toolkit.domain.level import Level
from toolkit.domain.text import normalise_name


EXAMPLE_WORD = "示例数据"  # the mark on a policy sheet whose values the plan does not give: the city replaces them


@dataclass(frozen=True)
class ExampleMark:
    """A policy sheet still marked as example data, and the cell that says so (where the city deletes it)."""

    sheet: str
    cell: str = "A2"


@dataclass(frozen=True)
class Placeholder:
    """A value of the policy workbook that stands for something not written yet (王××, 示例): an issued document
    that would carry it is refused, naming the cell."""

    sheet: str
    cell: str  # A1 address
    column: str  # the column's label
    value: str


@dataclass(frozen=True)
class County:
    """A reporting unit (县市区; for a province, 市州)."""

    name: str
    aliases: tuple[str, ...] = ()
    division_code: str = ""  # GB/T 2260 code; '' for zones without one (株洲经开区)
    uscc_prefixes: tuple[str, ...] = ()  # accepted area-code prefixes of USCC positions 3-8
    base_register: int | None = None  # 规划起始在库企业数, entered by the city
    members: tuple[County, ...] = ()  # a 市州's 县市区 (所辖县市区 sheet); empty at city level

    def accepts_area(self, area: str) -> bool:
        """True when the USCC area code is one this unit accepts (empty prefixes accept all)."""
        return not self.uscc_prefixes or any(area.startswith(p) for p in self.uscc_prefixes)


@dataclass(frozen=True)
class CityGoals:
    """City-level goals beside the annex (年均新增/净增, 在库总数); a province's plan may state no 年均新增 (None)."""

    avg_new_per_year: int | None
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
    """Praise and criticism (表扬/通报批评): the plan gives no thresholds, these are documented defaults.

    The plan evaluates 净增数、新增数、目标完成率; by default the ranking is by completion rate, so that counties
    with large targets are not favoured by absolute numbers; the city may weigh all three (weight_*).
    """

    praise_min_lead_points: float = 0.0  # 表扬：完成率领先时序进度至少（百分点）
    praise_top_share: float = 1 / 3  # 表扬：完成率排名位于前（占单位数的比例）
    praise_min_net: int = 1  # 表扬：净增数至少（家）
    criticise_behind_points: float = 20.0  # 批评：完成率落后时序进度超过（百分点）
    criticise_months: tuple[int, ...] = (3, 6, 9, 12)  # 批评只在这些报送月份作出（季末、年末）
    criticise_not_submitted: bool = True  # 批评：未报送或报表被退回
    criticise_negative_net: bool = True  # 批评：净增数为负
    # 排名：the seed's 聚焦净增数、新增数、目标完成率 — each measure is scored against the best accepted county
    # (negative counts as 0) and weighted; completion alone (the default) ranks by completion rate
    weight_completion: float = 1.0  # 排名：目标完成率权重
    weight_new: float = 0.0  # 排名：新增数权重
    weight_net: float = 0.0  # 排名：净增数权重

    @property
    def weighted(self) -> bool:
        """The rank is a weighted score of the three measures, not the completion rate alone."""
        return self.weight_new > 0 or self.weight_net > 0

    @property
    def weights_text(self) -> str:
        """“新增数40%、净增数30%、目标完成率30%”: how the score is made, for every reason that cites it."""
        total = self.weight_new + self.weight_net + self.weight_completion
        parts = [(name, w) for name, w in (("新增数", self.weight_new), ("净增数", self.weight_net),
                                           ("目标完成率", self.weight_completion)) if w > 0]
        return "、".join(f"{name}{w / total:.0%}" for name, w in parts)

    def praise_places(self, units: int) -> int:
        """How many top places by completion rate can be praised (at least one)."""
        return max(1, int(units * self.praise_top_share + 1e-9))


DOCUMENT_TYPES = {  # key -> 文种 as the policy workbook names it
    "bulletin": "工作情况通报",
    "praise": "表扬通报",
    "criticism": "通报批评",
    "reminder": "催报通知",
    "reward_request": "奖励资金请示",
    "dispatch": "调度通报",  # the monthly 调度 period's notice (issued instead of the quarterly set)
}


@dataclass(frozen=True)
class DocumentSettings:
    """Who issues a document type to whom (发文设置): set per type, because a city bureau may write to
    county departments but a criticism of county governments comes from the city government office or
    the command headquarters the plan names."""

    doc_type: str  # a key of DOCUMENT_TYPES
    mark: str  # 发文机关标志, e.g. 株洲市工业和信息化局文件
    signer: str  # 发文机关署名
    number_prefix: str  # 发文字号前缀, e.g. 株工信发
    recipients: str  # 主送机关
    copy_to: str  # 抄送机关
    printer: str  # 印发机关
    disclosure: str  # 公开属性: 主动公开 / 依申请公开 / 不予公开
    reply_days: int = 15  # 整改或报送期限（天）
    issuer_person: str = ""  # 签发人 (上行文 such as a 请示 carry it beside the number)
    contact: str = ""  # 联系人及电话, for the 附注 of a 请示 and the 公示
    address: str = ""  # 通讯地址: where a 公示's objections and a 函's replies are sent
    email: str = ""  # 电子邮箱


def even_time_progress() -> tuple[float, ...]:
    """时序进度 by convention: months elapsed / 12."""
    return tuple(round(m / 12, 10) for m in range(1, 13))


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
    reward_city_basis: str = "city_standard"  # 就高: the city's share applies to its own standard ("payable": to all)
    display_days: int = 5  # 公示期（工作日）
    tax_final_month: int | None = None  # 上年税收数据定稿月份: from this month of the next year a tax list is final
    assessment: AssessmentRules = AssessmentRules()
    time_progress: tuple[float, ...] = field(default_factory=even_time_progress)  # 1..12 -> expected share
    documents: tuple[DocumentSettings, ...] = ()  # 发文设置, one per document type
    calendar: tuple[ReportingPeriod, ...] = ()  # 报送日历: due dates; empty when the workbook has none
    working_days: WorkingDays = MONDAY_TO_FRIDAY  # 节假日: official holidays and 调休; the calendar counts with it
    examples: tuple[ExampleMark, ...] = ()  # sheets still marked 示例数据: documents citing them cannot be issued
    placeholders: tuple[Placeholder, ...] = ()  # values not written yet (王××): documents carrying them cannot be issued
    builtin: bool = False  # the built-in sample (内置样例): used only when asked for by name, and said on its outputs
    level: Level = Level.CITY  # 基本信息 row 层级: a province's units are 市州, each with its 县市区 (County.members)

    def placeholders_in(self, *sheets: str) -> list[Placeholder]:
        """The placeholders among ``sheets``, in the workbook's order."""
        return [p for p in self.placeholders if p.sheet in sheets]

    def examples_in(self, *sheets: str) -> list[ExampleMark]:
        """The marks among ``sheets``, in the order asked."""
        marked = {m.sheet: m for m in self.examples}
        return [marked[s] for s in sheets if s in marked]

    def is_example(self, sheet: str) -> bool:
        return any(m.sheet == sheet for m in self.examples)


    @property
    def years(self) -> list[int]:
        return list(range(self.first_year, self.last_year + 1))

    @property
    def county_names(self) -> list[str]:
        return [c.name for c in self.counties]

    @cached_property
    def _county_index(self) -> dict[str, County]:
        index: dict[str, County] = {}
        for county in self.counties:
            for label in (county.name, *county.aliases):
                index.setdefault(normalise_name(label), county)
        return index

    def find_county(self, name: object) -> County | None:
        """The unit called ``name`` (by name or alias, spaces and full-width forms ignored)."""
        key = normalise_name(name)
        return self._county_index.get(key) if key else None

    @cached_property
    def _member_index(self) -> dict[str, tuple[County, County]]:
        index: dict[str, tuple[County, County]] = {}
        for unit in self.counties:
            for member in unit.members:
                for label in (member.name, *member.aliases):
                    index.setdefault(normalise_name(label), (unit, member))
        return index

    def unit_of(self, name: object) -> County | None:
        """The unit (市州) holding the member (县市区) called ``name``, by name or alias; None at city level."""
        key = normalise_name(name)
        found = self._member_index.get(key) if key else None
        return found[0] if found else None

    def member(self, name: object) -> County | None:
        """The member (县市区) called ``name``, by name or alias, in whichever unit holds it."""
        key = normalise_name(name)
        found = self._member_index.get(key) if key else None
        return found[1] if found else None

    def new_target(self, county: str, year: int) -> int | None:
        return self.new_targets.get(county, {}).get(year)

    def net_target(self, county: str, year: int) -> int | None:
        return self.net_targets.get(county, {}).get(year)

    def document(self, doc_type: str) -> DocumentSettings | None:
        return next((d for d in self.documents if d.doc_type == doc_type), None)

    def expected_progress(self, month: int) -> float:
        """时序进度 for a report month: the share of the annual target expected by then."""
        return self.time_progress[month - 1]

    @property
    def base_register_total(self) -> int | None:
        """规划起始在库企业数 of the whole region, when every unit has it."""
        bases = [c.base_register for c in self.counties]
        return None if not bases or None in bases else sum(bases)
