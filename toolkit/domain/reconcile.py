"""Counties' lists against the statistics office's confirmed list, per county (统计核对).

Self-reported figures must be checkable: every difference is counted here and listed as a finding
on the county's workbook (W208-W211). Neither side is silently preferred: the figures stay the
counties' accepted lists, and the differences are shown beside them.
"""

from __future__ import annotations

from dataclasses import dataclass

from toolkit.domain.register import Submitted


@dataclass(frozen=True)
class ReconcileRow:
    county: str
    reported_new: int | None  # None: no accepted report this period
    confirmed_new: int
    new_unconfirmed: int  # reported by the county, not in the confirmed list for it
    new_unreported: int  # confirmed for the county, not in its report
    reported_exits: int | None
    confirmed_exits: int
    exits_unconfirmed: int
    exits_unreported: int

    @property
    def agrees(self) -> bool:
        return self.reported_new is not None and not (self.new_unconfirmed or self.new_unreported
                                                      or self.exits_unconfirmed or self.exits_unreported)


def reconcile(counties: list[str], accepted: dict[str, Submitted],
              confirmed: dict[str, dict[str, tuple[str, str]]]) -> list[ReconcileRow]:
    """``confirmed``: change ("entry"/"exit") -> USCC -> (county, source)."""
    rows = []
    for county in counties:
        mine = {change: {u for u, (c, _) in firms.items() if c == county} for change, firms in confirmed.items()}
        sub = accepted.get(county)
        if sub is None:
            rows.append(ReconcileRow(county, None, len(mine.get("entry", ())), 0, 0, None, len(mine.get("exit", ())),
                                     0, 0))
            continue
        entries, exits = {x.uscc for x in sub.entries}, {x.uscc for x in sub.exits}
        new_c, exit_c = mine.get("entry", set()), mine.get("exit", set())
        rows.append(ReconcileRow(county, len(entries), len(new_c), len(entries - new_c), len(new_c - entries),
                                 len(exits), len(exit_c), len(exits - exit_c), len(exit_c - exits)))
    return rows
