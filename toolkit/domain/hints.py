"""What the user should do next, as data: a coded action and its parameters.

Services never name a command or a button. They attach a ``Hint`` to a message (a ``UserError``, a warning of
a run), and each entry point renders it in its own terms: the command line as a command line (``toolkit.cli.
hints``, checked against the real parser by a test), the Excel buttons as the button to press where there is
one (``toolkit.excel.hints``), the coming workbench as a link. ``Action.title`` is the entry-neutral wording.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Action(str, Enum):
    INIT_WORKSPACE = "init_workspace"  # dir
    EXPORT_POLICY = "export_policy"  # dir: write the sample policy workbook there
    CHECK_POLICY = "check_policy"  # file
    CONSOLIDATE = "consolidate"  # workspace, period
    CONTROL_WORKBOOK = "control_workbook"  # workspace: write the city control workbook again
    ASSIGN = "assign"  # workspace, uscc, year: settle a firm claimed by two counties
    IMPORT_CONFIRMED = "import_confirmed"  # workspace, period: the statistics office's confirmed list
    IMPORT_TAXES = "import_taxes"  # workspace, year: the tax office's figures
    NOTICES_DRAFT = "notices_draft"  # workspace, period
    REWARDS_DRAFT = "rewards_draft"  # workspace, year
    REWARDS_APPROVE = "rewards_approve"  # workspace, year: the year's first batch
    REWARDS_APPROVE_EARLY = "rewards_approve_early"  # workspace, year: approve before the year has ended
    REWARDS_NEW_BATCH = "rewards_new_batch"  # workspace, year
    REWARDS_PAID = "rewards_paid"  # workspace, year, batch
    REWARDS_SHOW = "rewards_show"  # workspace, year
    EXCEL_SETUP = "excel_setup"  # nothing
    LINT_DOC = "lint_doc"  # file: a 公文 whose layout departs from GB/T 9704
    IMPORT_STARTING = "import_starting"  # workspace: the statistics office's register at the plan's start
    IMPORT_DEPARTMENTS = "import_departments"  # workspace: 应入尽入's tax, registration and power files

    @property
    def title(self) -> str:
        """What the action does, in words any entry point can use."""
        return _TITLES[self]

    @property
    def parameters(self) -> tuple[str, ...]:
        return _PARAMETERS[self]


_TITLES = {
    Action.INIT_WORKSPACE: "建立工作区",
    Action.EXPORT_POLICY: "写出样例政策参数工作簿",
    Action.CHECK_POLICY: "检查政策参数工作簿，逐项列出问题",
    Action.CONSOLIDATE: "导入并汇总该报送期",
    Action.CONTROL_WORKBOOK: "重新生成市级控制台",
    Action.ASSIGN: "认定该企业的归属",
    Action.IMPORT_CONFIRMED: "导入统计部门的确认名单",
    Action.IMPORT_TAXES: "导入税务部门的税收数据",
    Action.NOTICES_DRAFT: "只生成本期公文的草稿（不签发、不封账）",
    Action.REWARDS_DRAFT: "只生成奖励资金草稿（不审批）",
    Action.REWARDS_APPROVE: "审批该年度奖励资金",
    Action.REWARDS_APPROVE_EARLY: "在年度结束前审批奖励资金（请示中写明）",
    Action.REWARDS_NEW_BATCH: "追加审批一批奖励资金",
    Action.REWARDS_PAID: "登记该批奖励资金已拨付",
    Action.REWARDS_SHOW: "查看该年度已审批的批次",
    Action.EXCEL_SETUP: "检查本机安装并配置 Excel",
    Action.LINT_DOC: "逐项检查公文版式（含排版后的页面）",
    Action.IMPORT_STARTING: "导入规划起始时的规上工业企业名录",
    Action.IMPORT_DEPARTMENTS: "导入税务、市场监管、电力部门的数据",
}
_PARAMETERS = {
    Action.INIT_WORKSPACE: ("dir",),
    Action.EXPORT_POLICY: ("dir",),
    Action.CHECK_POLICY: ("file",),
    Action.CONSOLIDATE: ("workspace", "period"),
    Action.CONTROL_WORKBOOK: ("workspace",),
    Action.ASSIGN: ("workspace", "uscc", "year"),
    Action.IMPORT_CONFIRMED: ("workspace", "period"),
    Action.IMPORT_TAXES: ("workspace", "year"),
    Action.NOTICES_DRAFT: ("workspace", "period"),
    Action.REWARDS_DRAFT: ("workspace", "year"),
    Action.REWARDS_APPROVE: ("workspace", "year"),
    Action.REWARDS_APPROVE_EARLY: ("workspace", "year"),
    Action.REWARDS_NEW_BATCH: ("workspace", "year"),
    Action.REWARDS_PAID: ("workspace", "year", "batch"),
    Action.REWARDS_SHOW: ("workspace", "year"),
    Action.EXCEL_SETUP: (),
    Action.LINT_DOC: ("file",),
    Action.IMPORT_STARTING: ("workspace",),
    Action.IMPORT_DEPARTMENTS: ("workspace",),
}


@dataclass(frozen=True)
class Hint:
    action: Action
    params: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, action: Action, **params: object) -> "Hint":
        unknown = set(params) - set(action.parameters)
        missing = set(action.parameters) - set(params)
        if unknown or missing:
            raise ValueError(f"{action.value}: parameters {sorted(action.parameters)}, given {sorted(params)}")
        return cls(action, tuple((key, str(params[key])) for key in action.parameters))

    def get(self, key: str) -> str:
        return dict(self.params)[key]


@dataclass(frozen=True)
class Advice:
    """A sentence for the user, with what to do about it when there is something to do."""

    text: str
    hint: Hint | None = None
