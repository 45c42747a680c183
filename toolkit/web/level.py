"""What the workbench says and offers at the workspace's level (#39): a city consolidating its 县市区, or a province
consolidating its 市州 with the same pages. The words come from the policy's level (``toolkit.domain.level``);
the pages a province's summaries carry no data for (培育, 应入尽入, 奖励) leave its menu and answer with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from toolkit.domain.level import Level
from toolkit.domain.policy import Policy
from toolkit.services.errors import told

MENU = (("city.status_page", "报送情况"), ("city.inbox_page", "收件箱"), ("city.consolidate_page", "汇总"),
        ("city.pipeline_page", "培育"), ("city.screening_page", "应入尽入"), ("city.assign_page", "认定"),
        ("city.notices_page", "公文"), ("city.rewards_page", "奖励"), ("city.policy_page", "政策参数"))

# the city's pages a province has no data for, by the module of their routes: (menu title, what is missing, where
# that work is done instead)
NOT_AT_PROVINCE = {
    "toolkit.web.city.pipeline": ("培育", "各县市区的培育库、退规风险企业和问题台账",
                                  "培育工作在各市州的工作区中进行，请查看各市州的培育页或其报来的汇总表"),
    "toolkit.web.city.screening": ("应入尽入", "部门数据、应入尽入候选企业和各县市区的核实进展",
                                   "应入尽入的筛选和核实由各市州在其工作区中进行"),
    "toolkit.web.city.rewards": ("奖励", "奖励批次、企业税收和奖励兑现",
                                 "新入规企业的奖励由各市州按本地政策认定和兑现"),
}
LEFT_OUT_ENDPOINTS = {"city.pipeline_page", "city.screening_page", "city.rewards_page"}


@dataclass(frozen=True)
class Terms:
    """The level's words, as the pages use them (a template global ``terms``)."""

    level: Level

    @property
    def province(self) -> bool:
        return self.level is Level.PROVINCE

    @property
    def unit(self) -> str:
        """The reporting units: 县市区 / 市州."""
        return self.level.unit_label

    @property
    def total(self) -> str:
        """The whole: 全市 / 全省."""
        return self.level.total_label

    @property
    def by(self) -> str:
        """Who consolidates: 市里 / 省里."""
        return self.level.consolidator

    @property
    def office(self) -> str:
        """The consolidating level's own: 市级 / 省级."""
        return f"{self.level.label}级"

    @property
    def short(self) -> str:
        """The units in the self-check page's titles: 县区 / 市州."""
        return "县区" if self.level is Level.CITY else self.unit

    @property
    def self_check(self) -> str:
        """The self-check page's menu title: 县区自查 / 市州自查."""
        return f"{self.short}自查"

    @property
    def bureau(self) -> str:
        """Where a unit sends a file the workbench could not check: 市工信局 / 省工信厅."""
        return "市工信局" if self.level is Level.CITY else "省工信厅"

    @property
    def menu(self) -> tuple[tuple[str, str], ...]:
        """The workspace's menu: every page at city level; at province level, those with data."""
        return tuple(item for item in MENU if not (self.province and item[0] in LEFT_OUT_ENDPOINTS))


def terms_of(policy: Policy | None) -> Terms:
    """The words of ``policy``'s level; a city's without a policy (a county's self-check with the policy it carries)."""
    return Terms(policy.level if policy is not None else Level.CITY)


def not_at_province(module: str) -> tuple[str, str] | None:
    """(page title, why) when the route in ``module`` has no data at province level; None for the others."""
    left_out = NOT_AT_PROVINCE.get(module)
    if left_out is None:
        return None
    title, missing, instead = left_out
    return title, (f"省级工作区汇总各市州报来的汇总表，汇总表中不含{missing}，所以省级没有“{title}”页。"
                   f"{instead}。")


def terms_now(site: dict) -> Terms:
    """The words of the level the workbench works at: the workspace's policy as its file is now, else the policy
    named at start; a policy that cannot be read (its page says why) leaves the city's words."""
    workspace = site["workspace"] or site["policy_workspace"]
    try:
        return terms_of(workspace.policy() if workspace is not None else site["policy"])
    except Exception as error:
        if told(error) is None:
            raise
        return terms_of(site["policy"])
