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
from toolkit.domain.tables import Rows, cell, find_label

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
        "calendar": [[str(r.period), r.due.isoformat(), r.resubmit_days] for r in policy.calendar],
        "holidays": sorted(d.isoformat() for d in policy.working_days.holidays),
        "workdays": sorted(d.isoformat() for d in policy.working_days.workdays),
        "examples": [m.sheet for m in policy.examples], "builtin": policy.builtin, "digest": digest,
    }
    return [[LABEL, json.dumps(data, ensure_ascii=False, separators=(",", ":"))]]


def carried_policy(rows: Rows, made_at: str = "") -> CarriedPolicy | None:
    """The policy a stamp sheet carries; None when it carries none (a template made before templates carried
    it) or what it carries cannot be read (then the check must be given a policy)."""
    index = find_label(rows, LABEL)
    if index is None:
        return None
    try:
        data = json.loads(str(cell(rows, index, 1) or ""))
        if data.get("format") != FORMAT:
            return None
        working = WorkingDays(frozenset(dt.date.fromisoformat(d) for d in data["holidays"]),
                              frozenset(dt.date.fromisoformat(d) for d in data["workdays"]))
        policy = Policy(
            region=data["region"], total_label=data["total_label"], unit_label=data["unit_label"],
            plan_title=data["plan_title"], first_year=int(data["first_year"]), last_year=int(data["last_year"]),
            counties=tuple(County(name, tuple(aliases), code, tuple(prefixes))
                           for name, aliases, code, prefixes in data["counties"]),
            new_targets={}, total_new_targets={}, thresholds=Thresholds(**data["thresholds"]),
            calendar=tuple(ReportingPeriod(Period.parse(p), dt.date.fromisoformat(due), int(days), working)
                           for p, due, days in data["calendar"]),
            working_days=working, examples=tuple(ExampleMark(sheet) for sheet in data["examples"]),
            builtin=bool(data["builtin"]))
    except (ValueError, KeyError, TypeError):
        return None
    return CarriedPolicy(policy, str(data.get("digest", "")), made_at)
