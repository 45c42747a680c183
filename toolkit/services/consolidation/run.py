"""Use case: consolidate a period (导入并汇总 / guishang consolidate): take in the inbox, judge, write the summary
workbook and the results sent back, all under the workspace's lock and in one transaction."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from toolkit.domain.city_summary import digest_rows
from toolkit.domain.file_names import derived_name
from toolkit.domain.periods import Period
from toolkit.domain.policy import Policy
from toolkit.domain.report import CountyReport
from toolkit.domain.stamp import FileKind
from toolkit.domain.submissions import SubmissionStatus, own_name
from toolkit.domain.file_check import FileCheck
from toolkit.ports.tools import tools
from toolkit.services.checking import generated_stamp
from toolkit.services.clock import now_text
from toolkit.services.closing import keep_policy, policy_for
from toolkit.services.consolidation.judging import ConsolidationRun, Stopwatch, bulk_work, run_period
from toolkit.services.consolidation.summary import period_summary
from toolkit.services.consolidation.worklists import write_worklists
from toolkit.services.errors import UserError
from toolkit.services.intake import Progress, scan_inbox
from toolkit.services.workspace import Workspace


SUMMARY_DIR_NAME = "汇总"


RESULTS_DIR_NAME = "校验结果"


def consolidate(workspace: Workspace, period: Period, *, on_file: Progress | None = None,
                write: bool = True, parallel: bool = True, timings: dict[str, float] | None = None) -> ConsolidationRun:
    """Import the inbox for ``period`` into the store and write the period's summary workbook.

    Every new file is copied into the archive and the run is written to the archive's journal before
    the store commits, so that ``rebuild`` can always recreate the store. ``timings`` (for the
    benchmark) receives the seconds spent in each stage.
    """
    with bulk_work():
        return _consolidate(workspace, period, on_file=on_file, write=write, parallel=parallel, timings=timings)


def _consolidate(workspace: Workspace, period: Period, *, on_file: Progress | None, write: bool, parallel: bool,
                 timings: dict[str, float] | None) -> ConsolidationRun:
    clock = Stopwatch(timings)
    policy = workspace.policy()
    if not workspace.inbox.is_dir():
        raise UserError(f"工作区中没有“{workspace.inbox.name}”文件夹。请新建该文件夹并放入县市区报回的报表。")
    run = ConsolidationRun(period)
    files, run.notes = scan_inbox(workspace.inbox)
    archive = workspace.archive
    received_at = now_text()
    with workspace.writing(f"汇总{period}") as store:
        with store.transaction():
            clock.lap("准备")
            recorded = run_period(store, policy, period, files, received_at, run, parallel=parallel,
                                  on_file=on_file, clock=clock, archive=archive)
            for item in recorded:
                if not item.archived:  # the reader could not keep it: copied and checked here, or an error said
                    archive.keep(item.incoming.path, item.incoming.sha256)
            policy_sha256 = keep_policy(workspace, archive)
            archive.record({"event": "consolidate", "period": str(period), "at": received_at,
                            "policy": policy_sha256,
                            "files": [{"sha256": r.incoming.sha256, "name": r.incoming.name, "mtime": r.incoming.mtime}
                                      for r in recorded]})
            clock.lap("存档")
        summary_policy = policy_for(workspace, store, period, policy)  # a closed period's: the policy at closing
        run.summary = period_summary(store, summary_policy, period)
        closed = store.decisions.closures().get(period)
        if closed is not None and not recorded:
            # the one rule for a closed period at every door: a late report is taken in as an adjustment (and a
            # summary with it written); with nothing new, nothing is written — no second summary of signed figures
            run.unchanged = (f"{period} 已于 {closed.closed_at[:10]} 封账，收件箱中没有该期新的报表：封账的数字不变，"
                             "未重新生成汇总表。封账后收到的补报放入收件箱后再导入，记为调整。")
            return run
        # what each new file's county must act on (advisory findings are for the city only); and the results
        # a killed run owed but never wrote (the store committed, the files did not follow)
        results_dir = workspace.output / RESULTS_DIR_NAME
        new_ids = {r.submission_id for r in recorded}
        sent = store.submissions.sent_back(period)
        owed = [row for row in store.submissions.all(period)
                if row.id in new_ids or (row.status != SubmissionStatus.SUPERSEDED and write and row.id not in sent
                                         and not (results_dir / results_name(row.file_name)).exists())]
        # the county is sent what it can fix or explain; what only the city can verify (advisory: W202, W204,
        # W206-W212) stays in the summary's findings for the city
        owed_findings = store.submissions.findings_of(owed, named=False)
        to_send_back = {row.id: (row, [f for f in owed_findings[row.id] if not f.advisory]) for row in owed}
        to_send_back = {k: v for k, v in to_send_back.items() if v[1]}
        clock.lap("计算汇总")
        if write:  # still holding the workspace: two runs never number their outputs alike
            now = dt.datetime.now().replace(microsecond=0)
            # the digest names the policy the figures rest on: a closed period's as closed, else the one in force
            digest = digest_rows(run.summary, summary_policy, closed.policy_sha256 if closed else policy_sha256,
                                 closed)
            run.summary_files = tools().workbooks.write_summary(
                _summary_path(workspace, policy, period), run.summary, summary_policy,
                generated_stamp(FileKind.SUMMARY, now, period=period), created=now, more=digest)
            clock.lap("写汇总表")
            run.worklists = write_worklists(workspace.output, run.summary, now)
            clock.lap("写工作清单")
            for row, findings in to_send_back.values():
                check = FileCheck(Path(row.file_name), findings, CountyReport(row.file_name, county=row.county,
                                                                               period=period))
                # numbered "（2）" beside an earlier file's results of the same name (the .xls beside the .xlsx,
                # one name in two folders): what went back to a county is never written over
                path = tools().workbooks.write_results(results_path(results_dir, row.file_name), [check],
                                     generated_stamp(FileKind.RESULTS, now, row.county, period), created=now)
                store.submissions.record_sent_back(row.id, path.name, now_text())
                run.results.append(path)
            clock.lap("写校验结果")
    return run


def results_name(file_name: str) -> str:
    """The plain name of the results sent back for one county's file (named after the file)."""
    return derived_name(Path(own_name(file_name)).stem, "_校验结果.xlsx")


def results_path(folder: Path, file_name: str) -> Path:
    """Where the results for one county's file go: named after the file, numbered when the name is taken."""
    return tools().files.unused_path(folder, results_name(file_name)[:-len(".xlsx")], ".xlsx")


def _summary_path(workspace: Workspace, policy: Policy, period: Period) -> Path:
    """A new file every time: never over an existing summary (a clerk may have annotated it)."""
    return tools().files.unused_path(workspace.output / SUMMARY_DIR_NAME, f"{policy.region}规上工业企业汇总表_{period}", ".xlsx")
