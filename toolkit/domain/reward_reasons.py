"""Why an enterprise is not paid in a reward batch: a coded catalogue, like the findings' catalogue.

Each kind has a stable code, whether it defers (暂缓: the firm may be paid in a later batch once the reason is
gone) or excludes (不予兑现), the group documents count it under (the 请示 says “当年未形成税收的3家”), a title,
the sentence written for each firm (a template whose fields are the kind's parameters) and a description for
the user documentation. Documents group exclusions by code, never by reading the sentence.
"""

from __future__ import annotations

from dataclasses import dataclass
from string import Formatter


@dataclass(frozen=True)
class ReasonKind:
    code: str
    later: bool  # 暂缓 (may be paid later) rather than 不予兑现
    group: str  # what the documents count it as
    title: str
    template: str
    description: str

    @property
    def parameters(self) -> tuple[str, ...]:
        return tuple(name for _, name, _, _ in Formatter().parse(self.template) if name)

    def reason(self, **params: object) -> str:
        if set(params) != set(self.parameters):
            raise ValueError(f"{self.code}: parameters {sorted(self.parameters)}, given {sorted(params)}")
        return self.template.format(**params)


# what each sentence field holds, for the user documentation
FIELD_MEANINGS = {"claimants": "报为新增的县市区", "year": "年度", "month": "入规月份", "through": "确认名单截至的报送期",
                  "why": "缺少的报表", "entry_kind": "入规类型", "rewarded": "奖励的入规类型", "said": "税务部门的数据",
                  "period": "退库月份", "exit_reason": "退库原因"}

DEFERRED_GROUP = "暂缓兑现"
OTHER_GROUP = "其他原因"  # exclusions recorded before the codes existed

PENDING_ATTRIBUTION = ReasonKind(
    "J101", True, DEFERRED_GROUP, "归属待认定", "归属待认定（{claimants}均报为新增），市里认定后可追加",
    "同一企业被两个以上县市区报为本年新增。市里认定归属之前不计入任何一方，也不兑现；认定后可追加审批。")
NO_CONFIRMED_LIST = ReasonKind(
    "J102", True, DEFERRED_GROUP, "尚无统计确认名单", "尚未导入统计部门确认的{year}年新增名单",
    "首期奖励以统计部门确认的新增名单为准。名单导入之前只能生成草稿，企业暂缓兑现。")
AFTER_CONFIRMED_LIST = ReasonKind(
    "J103", True, DEFERRED_GROUP, "晚于确认名单", "入规月份{month}晚于统计部门确认名单（截至{through}），待确认",
    "企业的入规月份晚于已导入的统计部门确认名单所截至的月份，待下一份确认名单核实后可追加审批。")
NOT_CONFIRMED = ReasonKind(
    "J104", True, DEFERRED_GROUP, "未经统计确认", "不在统计部门确认的{year}年新增名单（截至{through}）中",
    "县市区报为新增，但不在统计部门确认的新增名单中。统计部门确认后可追加审批。")
NO_TAX_LIST = ReasonKind(
    "J105", True, DEFERRED_GROUP, "尚无税务数据", "尚未导入税务部门{year}年税收数据",
    "要求当年形成税收的奖励类型，以税务部门的数据为准。数据导入之前企业暂缓兑现。")
NOT_ON_TAX_LIST = ReasonKind(
    "J107", True, DEFERRED_GROUP, "不在税务数据中", "税务部门{year}年的数据中还没有该企业",
    "税务部门的数据中没有该企业，不等于当年税收为零：暂缓兑现，税务部门补充数据、确认形成税收后可追加审批。")
TAX_NOT_YET_FORMED = ReasonKind(
    "J108", True, DEFERRED_GROUP, "税收尚未形成", "税务部门{year}年的数据截至目前为{said}（尚非全年定稿数据），形成税收后可追加",
    "市方案要求入规当年形成税收，但年度未结束、全年税务数据定稿之前，税收为零只说明“目前还没有”：暂缓兑现，"
    "以后的税务数据显示形成税收即可追加审批。全年定稿的数据（导入时注明为定稿，或在政策参数“上年税收数据定稿月份”之后导入）"
    "中税收仍为零的，不予兑现（J202）。")
REGISTER_UNVERIFIED = ReasonKind(
    "J106", True, DEFERRED_GROUP, "在库待核验", "{why}，在库情况待核验",
    "第二期奖励要求企业在次年约定月份仍在库。该县市区还没有足以核验的已受理报表时，第二期暂缓兑现。")
NOT_REWARDED_KIND = ReasonKind(
    "J201", False, "不属奖励类型", "不属奖励类型", "入规类型“{entry_kind}”不在市级奖励范围（奖励{rewarded}）",
    "市方案只奖励政策参数“奖励标准”表中列出的入规类型（{rewarded}），其他类型不予兑现。")
NO_TAX = ReasonKind(
    "J202", False, "当年未形成税收", "当年未形成税收", "{year}年未形成税收（{said}），不符合奖励条件",
    "市方案要求入规当年形成税收。税务部门全年定稿的数据显示当年税收为零的，不予兑现（数据中没有该企业的暂缓兑现，见 J107；"
    "数据尚非全年定稿的暂缓兑现，见 J108）。")
NOT_IN_FINAL_LIST = ReasonKind(
    "J205", False, "终审未确认", "统计部门终审未确认", "不在统计部门{year}年终审确认的新增名单（截至{through}）中，不予兑现",
    "统计部门的年度终审名单（导入时注明为终审）中没有该企业：这是相反的证据，不予兑现。名单不是终审的，同样情况暂缓兑现（J104）。")
EXITED = ReasonKind(
    "J203", False, "已退库", "已退库", "已于{period}退库（{exit_reason}），不予奖励",
    "企业在审批前已退库，不予奖励。")
EXITED_BEFORE_SECOND = ReasonKind(
    "J204", False, "已退库", "第二期前已退库", "已于{period}退库（{exit_reason}），第二期不予兑现",
    "第二期奖励要求企业在入规次年约定月份仍在库；此前已退库的，第二期不予兑现。")

KINDS: dict[str, ReasonKind] = {k.code: k for k in (
    PENDING_ATTRIBUTION, NO_CONFIRMED_LIST, AFTER_CONFIRMED_LIST, NOT_CONFIRMED, NO_TAX_LIST, NOT_ON_TAX_LIST,
    TAX_NOT_YET_FORMED, REGISTER_UNVERIFIED,
    NOT_REWARDED_KIND, NO_TAX, NOT_IN_FINAL_LIST, EXITED, EXITED_BEFORE_SECOND)}


def group_of(code: str) -> str:
    kind = KINDS.get(code)
    return kind.group if kind else OTHER_GROUP


def waiting_reasons(codes, words: dict[str, str] | None = None) -> str:
    """Deferrals counted by their own reasons, for a sentence: “不在税务数据中9家，归属待认定1家”; ``words``: a
    document's own wording for some codes instead of the short titles."""
    counts: dict[str, int] = {}
    for code in codes:
        title = (words or {}).get(code) or (KINDS[code].title if code in KINDS else "待核实")
        counts[title] = counts.get(title, 0) + 1
    return "，".join(f"{title}{n}家" for title, n in counts.items())
