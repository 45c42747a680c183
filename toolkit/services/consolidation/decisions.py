"""The city's decisions over the usual rules: which county a firm claimed twice belongs to (认定归属) and which
of a county's files counts (指定报表); each recorded, journalled and the periods judged again."""

from __future__ import annotations

from dataclasses import dataclass

from toolkit.domain.periods import Period
from toolkit.domain.policy import Policy
from toolkit.domain.hints import Action, Hint
from toolkit.domain.submissions import Submission, own_name, saved_time
from toolkit.ports.store import Store
from toolkit.services.clock import now_text
from toolkit.services.closing import keep_policy
from toolkit.services.consolidation.judging import rejudge
from toolkit.services.errors import UserError
from toolkit.services.workspace import Workspace


@dataclass(frozen=True)
class Assigned:
    """A firm claimed by several counties, attributed to one (认定归属)."""

    county: str
    claimants: list[str]  # the counties whose accepted lists of the year report it as new


@dataclass(frozen=True)
class Chosen:
    """A county's file the city takes for a period over the usual rule (指定报表)."""

    county: str
    file_name: str  # its path in the inbox


def assign(workspace: Workspace, uscc: str, county_name: str, year: int, note: str = "") -> Assigned:
    """Record which county an enterprise claimed by several counties belongs to (认定归属)."""
    policy = workspace.policy()
    county = policy.find_county(county_name)
    if county is None:
        raise UserError(f"政策参数中没有“{county_name}”。可选：{'、'.join(policy.county_names)}。")
    with workspace.writing("认定归属") as store:
        claimants = sorted({s.county for s in store.submissions.accepted() if s.period.year == year
                            for e in s.entries if e.uscc == uscc})
        if not claimants:
            raise UserError(f"{year} 年已受理的报表中没有统一社会信用代码为“{uscc}”的新增企业。请核对代码和年份。")
        if county.name not in claimants:
            raise UserError(f"“{uscc}”在 {year} 年只由{'、'.join(claimants)}报为新增，不能认定给{county.name}。")
        with store.transaction():
            at = now_text()
            apply_assignment(store, policy, uscc, year, county.name, note, at)
            workspace.archive.record({"event": "assign", "uscc": uscc, "year": year, "county": county.name,
                                      "note": note, "at": at, "policy": keep_policy(workspace, workspace.archive)})
        return Assigned(county.name, claimants)


def choose(workspace: Workspace, period: Period, county_name: str, file_name: str, note: str = "") -> Chosen:
    """The city takes one of a county's files for a period, over the usual rule (the latest saved workbook);
    recorded with the decision time and journalled."""
    policy = workspace.policy()
    county = policy.find_county(county_name)
    if county is None:
        raise UserError(f"政策参数中没有“{county_name}”。可选：{'、'.join(policy.county_names)}。")
    with workspace.writing(f"指定报表{period}") as store:
        if period in store.decisions.closures():
            raise UserError(f"{period} 已封账，封账时计入的报表不能再改。")
        received = store.submissions.all(period=period, county=county.name)
        wanted = file_name.strip().replace("\\", "/").strip("/")
        matches = [s for s in received if s.file_name == wanted]
        if not matches and "/" not in wanted:  # a bare name: enough when no two folders hold a file of that name
            matches = [s for s in received if own_name(s.file_name) == wanted]
            if len({s.file_name for s in matches}) > 1:
                raise UserError(f"{county.name} {period} 收到的文件中有 {len(matches)} 个都叫“{wanted}”，在收件箱的不同文件夹里："
                                f"{_received_list(matches)}。请写出收件箱中的路径（如“{matches[-1].file_name}”）。")
        if not matches:
            known = _received_list(received) or "没有任何文件"
            raise UserError(f"{county.name} {period} 没有收到名为“{wanted}”的报表（已收到：{known}）。",
                            Hint.of(Action.CONSOLIDATE, workspace=workspace.root, period=period))
        chosen = max(matches, key=lambda s: s.id)  # the same name received twice: the later content
        with store.transaction():
            at = now_text()
            apply_choice(store, policy, period, county.name, chosen.sha256, note, at)
            workspace.archive.record({"event": "choose", "period": str(period), "county": county.name,
                                      "sha256": chosen.sha256, "name": chosen.file_name, "note": note, "at": at,
                                      "policy": keep_policy(workspace, workspace.archive)})
        return Chosen(county.name, chosen.file_name)


def _received_list(rows: list[Submission]) -> str:
    """Each file by its path in the inbox, with when it came and when it says it was saved: what tells two apart."""
    return "、".join(f"“{s.file_name}”（{s.received_at} 收到" + (f"，保存于 {saved_time(s.saved_at)}）" if s.saved_at else "）")
                    for s in rows)


def apply_choice(store: Store, policy: Policy, period: Period, county: str, sha256: str, note: str, at: str) -> None:
    store.submissions.choose(period, county, sha256, at, note)
    rejudge(store, policy, {period})


def apply_assignment(store: Store, policy: Policy, uscc: str, year: int, county: str, note: str, at: str) -> None:
    """Record the decision and re-judge that year, so that the findings follow it at once
    (W202 becomes W206 for the other claimants)."""
    store.decisions.set_attribution(uscc, year, county, note, at)
    rejudge(store, policy, {s.period for s in store.submissions.all() if s.period.year == year})
