"""The user documentation of every coded outcome — the findings of a check and the reasons a firm is not paid —
generated from the catalogues, with the thresholds of the city's own policy workbook filled in
(``guishang codes``; the shipped docs/问题代码.md is this for the sample policy, kept in step by a test)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from toolkit.domain import reward_reasons
from toolkit.domain.findings import FIELD_MEANINGS, KINDS, FindingKind
from toolkit.domain.policy import Policy

SECTIONS: tuple[tuple[str, Callable[[str], bool]], ...] = (
    ("文件和工作簿", lambda code: code[1] == "0" and code[0] in "EW"),
    ("单元格（县市区填报时即可改正）", lambda code: code[1] == "1" and code[0] in "EW"),
    ("跨文件核对（市里汇总时）", lambda code: code[1] == "2" and code[0] in "EW"),
    ("市州汇总表（省里汇总时）", lambda code: code[1] == "3" and code[0] in "EW"),
    ("导入统计部门的名录", lambda code: code[0] == "R"),
    ("导入税务部门的数据", lambda code: code[0] == "T"),
    ("政策参数工作簿", lambda code: code[0] == "P"),
)


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


def policy_facts(policy: Policy) -> dict[str, str]:
    """What descriptions may cite from the policy workbook: the revenue thresholds and the rewarded kinds."""
    facts = {field.name: _number(getattr(policy.thresholds, field.name))
             for field in dataclasses.fields(policy.thresholds)}
    facts["rewarded"] = "、".join(r.entry_kind for r in policy.rewards) or "无"
    return facts


def _message(kind: FindingKind) -> str:
    return kind.template.format(**{name: f"〔{FIELD_MEANINGS.get(name, name)}〕" for name in kind.parameters})


def _cell(text: str) -> str:
    return text.replace("|", "｜").replace("\n", " ")


def codes_markdown(policy: Policy, source: str, how_to_regenerate: str = "") -> str:
    """The whole catalogue as Markdown; ``how_to_regenerate``: the entry point's sentence on making it again."""
    facts = policy_facts(policy)
    lines = [
        "# 问题代码和奖励未兑现原因",
        "",
        f"本文件按政策参数（{source}）生成，其中的标准取自该政策参数工作簿，请勿手工修改。{how_to_regenerate}",
        "",
        "## 问题的两个级别",
        "",
        "- **错误**：不改正不能受理；",
        "- **提示**：需要核实；情况属实的，在该行“说明”列（封面为“情况说明”）写明原因，写明后视为已说明，不阻止受理。",
        "  标为“供市里”的提示由市里核实，县市区不必说明。",
        "",
        "“提示内容”中〔〕里是每条问题填入的具体内容。",
    ]
    for title, belongs in SECTIONS:
        kinds = [k for code, k in KINDS.items() if belongs(code)]
        lines += ["", f"## {title}", "", "| 代码 | 级别 | 名称 | 提示内容 | 何时报告（本市参数） |", "|---|---|---|---|---|"]
        for kind in kinds:
            level = kind.level.value + (("（供省里）" if kind.code[1] == "3" else "（供市里）") if kind.advisory else "")
            when = kind.description.format(**facts) if kind.description else ""
            lines.append(f"| {kind.code} | {level} | {_cell(kind.title)} | {_cell(_message(kind))} | {_cell(when)} |")
    lines += ["", "## 奖励资金未兑现的原因", "",
              "审批奖励资金时，每家未兑现的企业（每一期）都写明原因代码和原因。J1 开头的是**暂缓兑现**：原因消除后"
              "（统计确认、认定归属、导入税务数据、核验在库）可追加审批；J2 开头的是**不予兑现**。"
              "请示和审批表按代码分类计数。", "",
              "| 代码 | 处理 | 名称 | 写入明细的原因 | 说明（本市参数） |", "|---|---|---|---|---|"]
    for kind in reward_reasons.KINDS.values():
        treatment = "暂缓兑现" if kind.later else "不予兑现"
        reason = kind.template.format(**{name: f"〔{reward_reasons.FIELD_MEANINGS[name]}〕" for name in kind.parameters})
        lines.append(f"| {kind.code} | {treatment} | {_cell(kind.title)} | {_cell(reason)} | "
                     f"{_cell(kind.description.format(**facts))} |")
    return "\n".join(lines) + "\n"

