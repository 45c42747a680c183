"""Pre-filled templates (同源数据只填一次): what the city already knows goes into the county's workbook.

From the county's latest accepted report before the period: its cultivation pool and at-risk pool
(the clerk confirms or updates them), the problem-ledger items not yet done, and, within the same
year, the year-to-date entry and exit lists; its 重点项目 and 应入尽入跟踪 rows, and the firms of the city's latest
应入尽入 screen of the year that the county does not follow yet (to be followed, 跟进中). Plus a read-only sheet of the county's in-register
enterprises, from which exits are picked. Pre-filled rows are checked like typed ones.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from toolkit.domain import report_schema as S
from toolkit.domain.periods import Period
from toolkit.domain.submissions import SubmissionStatus
from toolkit.ports.store import Store

DONE = "已办结"
FOLLOWING = S.FOLLOW_RESULTS[0]  # 跟进中: a firm just handed to the county


@dataclass
class Prefill:
    lists: dict[str, list[dict]] = field(default_factory=dict)
    reference: list[tuple[str, str, str]] = field(default_factory=list)  # (USCC, name, since)
    source: str = ""  # "2022-03 已受理报表“…”" or "" when there was none

    def describe(self) -> str:
        labels = {"entries": "本年新增", "exits": "本年退库", "pool": "培育库", "at_risk": "风险库", "ledger": "未办结台账",
                  "projects": "重点项目", "follow_up": "应入尽入跟踪"}
        parts = [f"{labels[k]} {len(v)} 行" for k, v in self.lists.items() if v]
        parts.append(f"在库名录 {len(self.reference)} 家")
        return "，".join(parts) + (f"（来自 {self.source}）" if self.source else "（此前无已受理报表）")


def _typed(spec: S.SheetSpec, values: dict) -> dict:
    """Values as the template writer takes them: dates back to dates (the store keeps them as text)."""
    out = dict(values)
    for column in spec.columns:
        if column.kind == "date" and isinstance(out.get(column.key), str):
            try:
                out[column.key] = dt.date.fromisoformat(out[column.key][:10])
            except ValueError:
                pass
    return out


def prefill(store: Store, county: str, period: Period) -> Prefill:
    result = Prefill(reference=[(r.uscc, r.name, r.entry_period or r.entry_kind) for r in store.register.rows()
                                if r.county == county and not r.exit_period])
    earlier = [s for s in store.submissions.all(county=county)
               if s.status == SubmissionStatus.ACCEPTED and s.period < period]
    if earlier:
        _carried(store, result, max(earlier, key=lambda s: s.period), period)
    _screened(store, result, county, period)
    return result


def _screened(store: Store, result: Prefill, county: str, period: Period) -> None:
    """The county's firms of the year's latest screen on or before the period that it does not follow yet."""
    screened = store.screening.latest_screen(period)
    if screened is None:
        return
    rows = result.lists.setdefault("follow_up", [])
    followed = {r.get("uscc") for r in rows}
    rows += [{"uscc": f.uscc, "name": f.name, "result": FOLLOWING} for f in store.screening.screened(screened)
             if f.county == county and f.uscc not in followed]


def _carried(store: Store, result: Prefill, last, period: Period) -> None:
    result.source = f"{last.period} 已受理报表“{last.file_name}”"
    same_year = last.period.year == period.year
    for spec in S.LIST_SHEETS:
        if spec.key in ("entries", "exits") and not same_year:
            continue
        rows = [_typed(spec, v) for v in store.submissions.list_rows(last.id, spec.key)]
        if spec.key == "ledger":
            rows = [r for r in rows if r.get("status") != DONE]
        result.lists[spec.key] = rows


def prefill_templates(workspace, counties, period: Period) -> dict[str, Prefill]:
    """Pre-fills for the given counties, read from the workspace's store (read only)."""
    store = workspace.open_store()
    try:
        return {county.name: prefill(store, county.name, period) for county in counties}
    finally:
        store.close()
