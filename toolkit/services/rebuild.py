"""Use case: rebuild the store from the archive (guishang rebuild).

Replays the archive's journal in order, with the archived files and the policy workbook that was in
force for each run, into a new store; only when that succeeds does the new store take the old one's
place (the old one is kept among the backups). A failed rebuild changes nothing.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.domain.calendar import Reminder
from toolkit.domain.periods import Period
from toolkit.domain.policy import Policy
from toolkit.ports.files import ArchiveError
from toolkit.ports.store import Store
from toolkit.ports.tools import tools
from toolkit.services.consolidation import ConsolidationRun, apply_assignment, apply_choice, run_period
from toolkit.services.errors import UserError
from toolkit.services.intake import Incoming, Progress
from toolkit.services.register import (apply_confirmed, apply_starting, apply_taxes, read_register_list,
                                       read_tax_list)
from toolkit.services.rewards import replay_batch, replay_paid
from toolkit.services.screening import EVENT as IMPORT_DEPARTMENT, SCREEN_EVENT, replay_department, replay_screen
from toolkit.services.workspace import Workspace, prune_backups


@dataclass
class RebuildReport:
    runs: int = 0
    files: int = 0
    decisions: int = 0  # attributions, register, confirmed and tax lists, closings, reward batches, department files
    periods: set[str] = field(default_factory=set)
    replaced: Path | None = None  # where the old store went


def rebuild(workspace: Workspace, *, on_event: Progress | None = None) -> RebuildReport:
    archive = workspace.archive
    try:
        events = list(archive.events())
    except ArchiveError as error:
        raise UserError(str(error)) from None
    if not events:
        raise UserError("存档日志中没有任何记录，无法重建。（存档在“数据库/存档”中，每次汇总时自动写入。）")
    report = RebuildReport()
    with workspace.locked():
        fresh = workspace.store_path.with_name(workspace.store_path.name + ".rebuilding")
        fresh.unlink(missing_ok=True)
        store = tools().open_store(fresh, create=True)
        try:
            policies: dict[str, Policy] = {}
            for index, event in enumerate(events, start=1):
                if on_event:
                    on_event(index, len(events), event.get("event", ""))
                policy = _policy(archive, policies, event["policy"])
                with store.transaction():
                    _replay(store, archive, policy, event, report)
        except ArchiveError as error:
            store.close()
            fresh.unlink(missing_ok=True)
            raise UserError(f"{error}原数据库未改动。") from None
        except BaseException:
            store.close()
            fresh.unlink(missing_ok=True)
            raise
        store.close()
        if workspace.store_path.exists():
            report.replaced = workspace.backup_path("重建前")
            report.replaced.parent.mkdir(parents=True, exist_ok=True)
            os.replace(workspace.store_path, report.replaced)
            prune_backups(workspace.backups)
        os.replace(fresh, workspace.store_path)
    return report


def _policy(archive, cache: dict[str, Policy], sha: str) -> Policy:
    if sha not in cache:
        cache[sha] = tools().workbooks.read_policy(archive.find(sha))
    return cache[sha]


def _replay(store: Store, archive, policy: Policy, event: dict, report: RebuildReport) -> None:
    kind = event.get("event")
    if kind == "consolidate":
        period = Period.parse(event["period"])
        files = [Incoming(archive.find(f["sha256"]), f["name"], f["sha256"], f["mtime"]) for f in event["files"]]
        run_period(store, policy, period, files, event["at"], ConsolidationRun(period))
        report.runs += 1
        report.files += len(files)
        report.periods.add(str(period))
    elif kind == "import_starting":
        firms, findings = read_register_list(archive.find(event["sha256"]), policy, event["name"])
        if findings:
            raise ArchiveError(f"存档中的名录“{event['name']}”按当时的政策参数读取有误，无法重建。")
        apply_starting(store, policy, firms, event["sha256"], event["name"], event["at"])
        report.decisions += 1
    elif kind == "import_confirmed":
        period = Period.parse(event["period"])
        firms, findings = read_register_list(archive.find(event["sha256"]), policy, event["name"], confirmed=True)
        if findings:
            raise ArchiveError(f"存档中的确认名单“{event['name']}”按当时的政策参数读取有误，无法重建。")
        apply_confirmed(store, policy, period, firms, event["sha256"], event["name"], event["at"], bool(event.get("final")))
        report.decisions += 1
    elif kind == "import_taxes":
        figures, findings = read_tax_list(archive.find(event["sha256"]), event["name"], int(event["year"]))
        if findings:
            raise ArchiveError(f"存档中的税收数据“{event['name']}”读取有误，无法重建。")
        if event.get("supplement"):  # a 补充名单 added to the year's list
            store.department.add_taxes(int(event["year"]), figures, event["sha256"], event["name"], event["at"])
        else:
            apply_taxes(store, int(event["year"]), figures, event["sha256"], event["name"], event["at"],
                        bool(event.get("final")))
        report.decisions += 1
    elif kind == IMPORT_DEPARTMENT:  # 应入尽入: a department's file (tax, registration, power)
        replay_department(store, archive.find(event["sha256"]), event)
        report.decisions += 1
    elif kind == SCREEN_EVENT:  # 应入尽入: what a screen listed, from the data imported before it
        replay_screen(store, policy, archive.root, event)
        report.decisions += 1
    elif kind == "reward_batch":
        replay_batch(store, event)
        report.decisions += 1
    elif kind == "reward_paid":
        replay_paid(store, event)
        report.decisions += 1
    elif kind == "reminder":  # a 催报通知 issued, which a later criticism cites
        reminder = Reminder(dt.date.fromisoformat(event["day"]), event["number"], tuple(event["counties"]))
        store.papers.record_reminder(Period.parse(event["period"]), reminder)
        report.decisions += 1
    elif kind == "doc_number":
        store.papers.restore_number(event["doc_type"], event["period"], event["prefix"], int(event["year"]),
                                 int(event["number"]), event["at"])
        report.decisions += 1
    elif kind == "close":
        store.decisions.close_period(Period.parse(event["period"]), event["at"], event.get("reason", ""),
                                     event["policy"])
        report.decisions += 1
    elif kind == "choose":
        apply_choice(store, policy, Period.parse(event["period"]), event["county"], event["sha256"], event.get("note", ""),
                     event["at"])
        report.decisions += 1
    elif kind == "assign":
        apply_assignment(store, policy, event["uscc"], int(event["year"]), event["county"], event.get("note", ""),
                         event["at"])
        report.decisions += 1
    else:
        raise ArchiveError(f"存档日志中有本版本不认识的记录“{kind}”（可能由更新版本的工具写入）。请升级工具后再重建。")
