"""Each county's 培育工作清单 (issue #37, worklist slice): what the city sends back with the results of a
consolidation, from the period's pipeline — only the county's own rows, one list per task.

- 应入尽入: pool firms whose year-to-date revenue has reached 2000 万元 (push them to apply), highest first; not
  one already in the register (it goes on 停滞, to leave the pool);
- 停滞: pool firms whose expected entry month is past, already in the register (to remove), or in two counties'
  pools (to settle), in the report's order;
- 风险帮扶: at-risk firms with a finding (no measures; not in the register or at 3000 万元 when those fire);
- 逾期问题: open problem-ledger items past their deadline on the as-of date, most overdue first (a deadline that is
  the as-of date is not overdue; 已办结 never is).

Pure: built from a Pipeline and the county's accepted file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Mapping

from toolkit.domain.periods import Period
from toolkit.domain.pipeline import AT_THRESHOLD, IN_REGISTER, LedgerItem, Pipeline, PoolRow, RiskRow

NOTHING = "本期无需处理的事项"


@dataclass(frozen=True)
class Stalled:
    row: PoolRow
    reasons: tuple[str, ...]  # the pool flags other than the threshold's


@dataclass(frozen=True)
class Worklist:
    county: str
    period: Period
    file: str  # the county's accepted report the lists come from
    as_of: dt.date
    as_of_basis: str
    register_checked: bool
    push: tuple[PoolRow, ...] = ()
    stalled: tuple[Stalled, ...] = ()
    at_risk: tuple[RiskRow, ...] = ()
    overdue: tuple[LedgerItem, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.push or self.stalled or self.at_risk or self.overdue)

    @property
    def items(self) -> int:
        return len(self.push) + len(self.stalled) + len(self.at_risk) + len(self.overdue)


def worklist_name(county: str, period: Period) -> str:
    """天元区_2022-09_培育工作清单.xlsx: named as the county's own report is (file_names.file_name)."""
    return f"{county}_{period}_培育工作清单.xlsx"


def _at_threshold(row: PoolRow) -> bool:
    """Reached 2000 万元 and not yet in the register (one that is already in it is to leave the pool, not apply)."""
    return AT_THRESHOLD in row.flags and not any(f.startswith(IN_REGISTER) for f in row.flags)


def _of(p: Pipeline, county: str, pool: list[PoolRow], at_risk: list[RiskRow], ledger: list[LedgerItem],
        file: str) -> Worklist:
    push = sorted((r for r in pool if _at_threshold(r)), key=lambda r: (-(r.revenue or 0.0), r.origin.row))
    stalled = tuple(Stalled(r, reasons) for r in pool
                    if (reasons := tuple(f for f in r.flags if f != AT_THRESHOLD)))
    helped = tuple(r for r in at_risk if r.flags)
    overdue = sorted((i for i in ledger if i.overdue_days is not None),
                     key=lambda i: (-(i.overdue_days or 0), i.origin.row))
    return Worklist(county, p.period, file, p.as_of, p.as_of_basis, p.register_checked, tuple(push), stalled,
                    helped, tuple(overdue))


def worklist(p: Pipeline, county: str, file: str) -> Worklist:
    """The worklist of one county with an accepted report (``file``), from the city's pipeline of the period."""
    return worklists(p, {county: file})[0]


def worklists(p: Pipeline, accepted: Mapping[str, str]) -> list[Worklist]:
    """One worklist per county with an accepted report (``accepted``: county -> its file), in the order given;
    a county with nothing to act on gets one too, saying so (it knows it was checked). One pass over the
    pipeline's rows, however many counties."""
    rows: dict[str, tuple[list, list, list]] = {county: ([], [], []) for county in accepted}
    for part, items in enumerate((p.pool, p.at_risk, p.ledger)):
        for item in items:
            if item.county in rows:
                rows[item.county][part].append(item)
    return [_of(p, county, *rows[county], file) for county, file in accepted.items()]
