"""Closing a period (封账): once a period's figures are issued (notices, a reward batch), they must not change.

The policy workbook in force is kept in the archive with each closure and each journalled event, so that a
closed period is always shown, and a rebuilt store always judged, by the rules it was issued under.
"""

from __future__ import annotations

from toolkit.domain.periods import Period
from toolkit.domain.policy import Policy
from toolkit.domain.hints import Action, Hint
from toolkit.ports.files import ArchiveError
from toolkit.ports.store import Store
from toolkit.ports.tools import Archive, tools
from toolkit.services.clock import now_text
from toolkit.services.errors import UserError
from toolkit.services.workspace import Workspace


def close_period(workspace: Workspace, period: Period, reason: str) -> tuple[bool, str]:
    """Close a period (封账) once its figures are issued; returns (newly closed, when)."""
    with workspace.writing(f"封账{period}") as store:
        closed = store.decisions.closures().get(period)
        if closed is not None:
            return False, closed.closed_at
        if not any(s.status.judged for s in store.submissions.all(period=period)):
            raise UserError(f"{period} 还没有汇总过任何报表，不能封账。",
                            Hint.of(Action.CONSOLIDATE, workspace=workspace.root, period=period))
        with store.transaction():
            at = now_text()
            close_in(workspace, store, period, reason, at)
        return True, at


def close_in(workspace: Workspace, store: Store, period: Period, reason: str, at: str) -> None:
    """Close a period inside the caller's transaction, journalled with the policy in force."""
    policy_sha = keep_policy(workspace, workspace.archive)
    store.decisions.close_period(period, at, reason, policy_sha)
    workspace.archive.record({"event": "close", "period": str(period), "at": at, "reason": reason,
                              "policy": policy_sha})


def keep_policy(workspace: Workspace, archive: Archive) -> str:
    """The policy workbook in force for this run, archived, so that a rebuild uses the same rules."""
    sha = tools().files.sha256_of(workspace.policy_path)
    archive.keep(workspace.policy_path, sha)
    return sha


def policy_for(workspace: Workspace, store: Store, period: Period, in_force: Policy | None = None) -> Policy:
    """The policy a period's figures rest on: for a closed period, the one in force when it was closed; else the
    one in force (``in_force``, when the caller has read it already: a national plan takes a quarter second)."""
    closed = store.decisions.closures().get(period)
    if closed is None:
        return in_force if in_force is not None else workspace.policy()
    try:
        return tools().workbooks.read_policy(workspace.archive.find(closed.policy_sha256))
    except ArchiveError:
        raise UserError(f"{period} 封账时所用的政策参数不在存档中，无法按封账时的口径显示。请从备份恢复“数据库/存档”。") from None
