"""What a consolidated period amounts to: status, figures, assessment, detail rows and findings.

Built by the consolidation service from the store; written by the summary workbook and printed by
the command line. Plain data, no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from toolkit.domain.assessment import Decision
from toolkit.domain.figures import CityFigures, CountyFigures, CountyStatus
from toolkit.domain.findings import Finding
from toolkit.domain.periods import Period
from toolkit.domain.pipeline import Pipeline
from toolkit.domain.province_figures import EntryQuality, SubUnitFigures
from toolkit.domain.screening import FunnelView
from toolkit.domain.tracking import Tracking, YearOutlook
from toolkit.domain.reconcile import ReconcileRow
from toolkit.domain.register import Listing
from toolkit.domain.submissions import Closure

COUNTED = "计入"
PENDING = "待认定"


@dataclass(frozen=True)
class StatusRow:
    """报送情况 of one county for the period."""

    county: str
    status: CountyStatus
    file: str = ""
    received_at: str = ""
    errors: int = 0
    hints: int = 0  # 提示 the county must correct or explain
    unexplained: int = 0
    note: str = ""  # e.g. which earlier file this one replaced
    sha256: str = ""  # of the file, to prove which version was consolidated
    to_verify: int = 0  # advisory 提示 found across files, for the city to verify (待核实)
    causes: tuple[str, ...] = ()  # of a returned report: the kinds of its errors (报送期不符, 文件无法读取, …)


@dataclass(frozen=True)
class DetailRow:
    """An accepted entry or exit with how it counts and where it came from."""

    listing: Listing
    counted: str  # 计入 / 待认定 / 属其他单位（X）


@dataclass(frozen=True)
class PendingClaim:
    """An enterprise two or more counties report as new in the year (待认定)."""

    uscc: str
    name: str
    year: int
    claims: tuple[Listing, ...]
    decided: str = ""  # the county the city attributed it to, if any


@dataclass(frozen=True)
class Adjustment:
    """A submission received after its period was closed (封账): recorded beside the signed figures."""

    period: Period
    county: str
    file: str
    received_at: str
    reason: str  # the county's 情况说明 on the cover
    new_closed: int | None  # entries in the closed figures (None: the county had no accepted report then)
    new_now: int
    exits_closed: int | None
    exits_now: int
    errors: int


@dataclass
class PeriodSummary:
    region: str
    period: Period
    statuses: list[StatusRow]
    counties: list[CountyFigures]
    city: CityFigures
    decisions: list[Decision]
    entries: list[DetailRow] = field(default_factory=list)
    exits: list[DetailRow] = field(default_factory=list)
    pending: list[PendingClaim] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    unit_label: str = "县市区"
    closed: Closure | None = None  # when and why the period was closed (封账), with the decisions in force then
    adjustments: list[Adjustment] = field(default_factory=list)  # to closed periods of the year, up to this one
    confirmed_source: str = ""  # the statistics office's confirmed list for the period, if imported
    reconciliation: list[ReconcileRow] = field(default_factory=list)
    pipeline: Pipeline | None = None  # the counties' pools, at-risk firms and problem ledgers (培育库, 风险库, 问题台账)
    tracking: Tracking | None = None  # the same followed through the year's returns up to the period
    outlook: YearOutlook | None = None  # the year's forecast at the period (预测)
    screening: FunnelView | None = None  # 应入尽入: the year's latest screen and each listed firm followed
    # a province's own (#39): each accepted 市州's 县市区, the 市州's tiers, the quality of the counted entrants
    sub_units: list[SubUnitFigures] = field(default_factory=list)
    tiers: dict[str, str] = field(default_factory=dict)
    quality: EntryQuality | None = None

    def decision(self, county: str) -> Decision | None:
        if len(getattr(self, "_by_county", ())) != len(self.decisions):
            self._by_county = {d.county: d for d in self.decisions}
        return self._by_county.get(county)
