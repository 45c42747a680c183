"""The policy a county workbook carries (模板附带的政策参数): what its check needs, written by the city into the
template's hidden stamp sheet, so that a county checks its workbook against the city's own rules with no policy
file — the command line's ``check``, the self-check page and the 校验本表 button alike.

It holds the units (names, aliases, codes, USCC prefixes), the revenue thresholds, the reporting calendar with
its holidays, the sheets still marked 示例数据, whether it is the built-in sample, and the digest of the policy
workbook it came from. Targets, rewards and documents stay with the city: the check does not use them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

from toolkit.domain.calendar import ReportingPeriod, WorkingDays
from toolkit.domain.periods import Period
from toolkit.domain.policy import County, ExampleMark, Policy, Thresholds
from toolkit.domain.tables import Rows, labelled_json

LABEL = "政策参数摘要"  # the stamp sheet's row that holds it
FORMAT = 1


@dataclasses.dataclass(frozen=True)
class CarriedPolicy:
    """A policy read back from a workbook: the policy (what the check needs), where it came from, in words."""

    policy: Policy
    digest: str  # SHA-256 of the policy workbook it was made from ('' when not known)
    made_at: str  # when the template was made

    @property
    def source(self) -> str:
        origin = "内置样例" if self.policy.builtin else f"{self.policy.region}的政策参数"
        return f"模板附带的{origin}（{self.made_at[:10]} 生成模板时）" if self.made_at else f"模板附带的{origin}"


def carried_rows(policy: Policy, digest: str = "") -> list[list[str]]:
    """The stamp sheet's extra row for ``policy`` (one JSON cell: a template's cells hold 32,767 characters)."""
    data = {
        "format": FORMAT, "region": policy.region, "total_label": policy.total_label, "unit_label": policy.unit_label,
        "plan_title": policy.plan_title, "first_year": policy.first_year, "last_year": policy.last_year,
        "counties": [[c.name, list(c.aliases), c.division_code, list(c.uscc_prefixes)] for c in policy.counties],
        "thresholds": dataclasses.asdict(policy.thresholds),
        "calendar": [[str(r.period), r.due.isoformat(), r.resubmit_days, r.kind] for r in policy.calendar],
        "holidays": sorted(d.isoformat() for d in policy.working_days.holidays),
        "workdays": sorted(d.isoformat() for d in policy.working_days.workdays),
        "examples": [m.sheet for m in policy.examples], "builtin": policy.builtin, "digest": digest,
    }
    return [[LABEL, json.dumps(data, ensure_ascii=False, separators=(",", ":"))]]


def carried_policy(rows: Rows, made_at: str = "") -> CarriedPolicy | None:
    """The policy a stamp sheet carries; None when it carries none (a template made before templates carried
    it) or what it carries cannot be read (then the check must be given a policy)."""
    data = labelled_json(rows, LABEL, FORMAT)
    if data is None:
        return None
    try:
        working = WorkingDays(frozenset(dt.date.fromisoformat(d) for d in data["holidays"]),
                              frozenset(dt.date.fromisoformat(d) for d in data["workdays"]))
        policy = Policy(
            region=data["region"], total_label=data["total_label"], unit_label=data["unit_label"],
            plan_title=data["plan_title"], first_year=int(data["first_year"]), last_year=int(data["last_year"]),
            counties=tuple(County(name, tuple(aliases), code, tuple(prefixes))
                           for name, aliases, code, prefixes in data["counties"]),
            new_targets={}, total_new_targets={}, thresholds=Thresholds(**data["thresholds"]),
            calendar=tuple(ReportingPeriod(Period.parse(row[0]), dt.date.fromisoformat(row[1]), int(row[2]), working,
                                           *row[3:4])  # a template made before 类型 carries three fields
                           for row in data["calendar"]),
            working_days=working, examples=tuple(ExampleMark(sheet) for sheet in data["examples"]),
            builtin=bool(data["builtin"]))
    except (ValueError, KeyError, TypeError):
        return None
    return CarriedPolicy(policy, str(data.get("digest", "")), made_at)


_THRESHOLD_WORDS = {"above_scale": "规模以上标准", "pool_low": "重点培育库下限", "pool_high": "重点培育库上限",
                    "at_risk_below": "退规风险库标准", "new_entry_typical_max": "新增企业营收常见上限",
                    "yuan_suspect_from": "疑似按元填报的界限"}


def _wan(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


def rule_differences(carried: Policy, current: Policy) -> list[str]:
    """Where the rules a county's own check used (the policy its template carries) differ from the city's policy
    now, in words ("规模以上标准 2,000 万元（现行 2,500 万元）"); [] when the check's rules are the same. A change of
    targets, rewards or documents is not one: the check does not use them."""
    said = []
    if carried.builtin and not current.builtin:
        said.append("模板按内置样例生成")
    elif carried.region != current.region:
        said.append(f"地区为{carried.region}（现行为{current.region}）")
    for field in dataclasses.fields(Thresholds):
        was, now = getattr(carried.thresholds, field.name), getattr(current.thresholds, field.name)
        if was != now:
            said.append(f"{_THRESHOLD_WORDS[field.name]} {_wan(was)} 万元（现行 {_wan(now)} 万元）")
    if carried.counties != current.counties:
        names = [c.name for c in carried.counties]
        gone = [c.name for c in current.counties if c.name not in names]
        said.append(f"{current.unit_label}的名称、代码或区划不同" + (f"（模板中没有{'、'.join(gone)}）" if gone else ""))
    dues = {r.period: r.due for r in current.calendar}
    moved = [f"{r.period} 报送截止 {r.due:%Y-%m-%d}（现行 {dues[r.period]:%Y-%m-%d}）"
             for r in carried.calendar if r.period in dues and dues[r.period] != r.due]
    said.extend(moved[:2] + ([f"等 {len(moved)} 期报送截止日期"] if len(moved) > 2 else []))
    return said
