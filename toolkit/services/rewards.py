"""Use case: the year's reward batch (guishang rewards) and its ledger.

One command a year: first tranches for the year's eligible entries (confirmed by the statistics
office, with tax formed that year per the tax office) and second tranches for last year's first
tranches whose enterprise is still in the register at the reference period. An approved batch goes
into the ledger (one row per enterprise and tranche, never twice), its documents are written, and
the year's periods are closed (封账). Running again shows the batch instead of approving again;
``new_batch`` approves only what is not in the ledger yet; ``draft`` computes and writes without
approving. Marking a batch as paid is recorded.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from toolkit.domain.hints import Action, Advice, Hint
from toolkit.domain.outcomes import Outcome
from toolkit.domain.periods import Period
from toolkit.domain.policy import Policy
from toolkit.domain.register import RegisterRow, contested, counted_entries, effective
from toolkit.domain import gbt9704 as G
from toolkit.domain import policy_layout as L
from toolkit.domain.rewards import (Batch, Candidate, Confirmation, Evidence, ExitRecord, Proposal, Reference, RewardLine,
                                    before_year_end, distinct, first_tranches, second_tranches, setup_problems,
                                    taxes_final)
from toolkit.domain.reward_reasons import KINDS, waiting_reasons
from toolkit.domain.submissions import SubmissionStatus
from toolkit.ports.store import Store
from toolkit.services.clock import now_text
from toolkit.services.closing import close_in, keep_policy
from toolkit.services.doc_check import LayoutCheck, check_layout
from toolkit.services.errors import UserError
from toolkit.services.documents import allocate_number, refuse_examples
from toolkit.services.reward_documents import check_templates, write_batch
from toolkit.services.workspace import Workspace

@dataclass
class RewardRun:
    year: int
    batch: Batch | None = None  # approved (or drafted) now
    existing: list[Batch] = field(default_factory=list)  # shown instead of approving again
    files: list[Path] = field(default_factory=list)
    folder: Path | None = None
    warnings: list[Advice] = field(default_factory=list)
    not_yet_approved: int = 0  # payable now but in no batch (when existing batches are shown)
    # firms (and tranches) not payable yet but may be later, by reason title (``show``): what an approval now leaves
    waiting: dict[str, int] = field(default_factory=dict)
    closed: list[Period] = field(default_factory=list)  # periods closed by issuing the batch
    nothing: str = ""  # why no batch was approved
    pdf_problem: str = ""
    layout: LayoutCheck = field(default_factory=LayoutCheck)  # the after-issue layout check of the request
    follow_up: Hint | None = None  # how to approve what is payable now, when earlier batches were shown instead

    @property
    def request(self) -> Path | None:
        return next((p for p in self.files if p.suffix == ".docx" and "请示" in p.stem), None)

    @property
    def exit_code(self) -> Outcome:
        return Outcome.FINDINGS if self.nothing else Outcome.OK


# --- evidence from the store -------------------------------------------------------------------------
def _decimal(value: object) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def candidates(store: Store, policy: Policy, year: int, latest_lists: dict) -> list[Candidate]:
    """The year's entries from each county's latest accepted list (``latest_lists``: ``effective()`` of the
    accepted submissions); a firm claimed by two counties waits."""
    latest = [s for (_, y), s in latest_lists.items() if y == year]
    disputed = contested(latest)
    attributions = store.decisions.attributions()
    out = []
    order = {name: index for index, name in enumerate(policy.county_names)}
    for sub in sorted(latest, key=lambda s: (order.get(s.county, len(order)), s.county)):
        counted, pending, _elsewhere = counted_entries(sub, disputed, attributions)
        for listing, waiting in [(x, False) for x in counted] + [(x, True) for x in pending]:
            claimants = "、".join(sorted({r.county for r in disputed.get(listing.uscc, [])}))
            out.append(Candidate(
                listing.uscc, listing.name, sub.county, listing.code, str(listing.month or listing.period),
                _decimal(listing.values.get("tax")), listing.source.label, claimants if waiting else ""))
    return out


def evidence(store: Store, policy: Policy, year: int, register: list[RegisterRow]) -> Evidence:
    periods = store.register.confirmed_periods(year)
    confirmed, through, final = None, None, False
    if periods:
        through = periods[-1]
        confirmed = {c.uscc: Confirmation(c.uscc, c.name, c.county, c.kind, c.source)
                     for c in store.register.confirmed(through) or () if c.change == "entry"}
        final = bool((store.register.confirmed_info(through) or {}).get("final"))
    figures = store.department.taxes(year)
    taxes = None if figures is None else {t.uscc: t for t in figures}
    info = store.department.taxes_info(year) or {}
    return Evidence(year, confirmed, str(through or ""), taxes, exits_after_entry(register, year), final,
                    taxes_final(year, bool(info.get("final")), str(info.get("at", "")), policy.tax_final_month))


def exits_after_entry(register: list[RegisterRow], entry_year: int) -> dict[str, ExitRecord]:
    """Exits of enterprises that entered in ``entry_year`` (the same stay in the register)."""
    return {r.uscc: ExitRecord(r.uscc, r.exit_period, r.exit_reason, r.exit_source) for r in register
            if r.exit_period and r.entry_period.startswith(f"{entry_year}-")}


def references(policy: Policy, year: int, latest_lists: dict) -> dict[str, Reference]:
    """Per county: the period at which last year's enterprises must still be in the register."""
    latest = {county: sub.period for (county, y), sub in latest_lists.items() if y == year}
    out = {}
    for county in policy.county_names:
        period = latest.get(county)
        if period is None:
            out[county] = Reference("", f"{county}尚无{year}年已受理的报表")
        elif policy.second_tranche_month is None:
            out[county] = Reference(str(period))
        elif period < Period(year, policy.second_tranche_month):
            out[county] = Reference("", f"须有{county}{year}年{policy.second_tranche_month}月及以后的已受理报表")
        else:
            out[county] = Reference(str(Period(year, policy.second_tranche_month)))
    return out


def ledger(store: Store, *, batch_id: int) -> list[RewardLine]:
    return [entry.line for entry in store.rewards.lines(batch_id=batch_id)]


def propose(store: Store, policy: Policy, year: int) -> Proposal:
    """Everything due for ``year`` that the ledger does not hold yet, and every exclusion and difference."""
    approved = store.rewards.approved_keys()
    latest_lists = effective(store.submissions.accepted())
    register = store.register.rows()
    proposal = first_tranches(policy, candidates(store, policy, year, latest_lists),
                              evidence(store, policy, year, register), approved)
    last_year = store.rewards.lines(entry_year=year - 1)
    paid_in = {(e.line.uscc, e.line.entry_year): f"{e.batch_year}年第{e.batch_seq}批" for e in last_year}
    proposal.extend(second_tranches(year, [e.line for e in last_year],
                                    exits_after_entry(register, year - 1), references(policy, year, latest_lists),
                                    approved, paid_in))
    return proposal


def batches(store: Store, policy: Policy, year: int) -> list[Batch]:
    out = []
    for b in store.rewards.batches(year):
        out.append(Batch(year, b.seq, ledger(store, batch_id=b.id), b.exclusions, b.mismatches, policy.county_names,
                         b.approved_at, b.paid_on, b.paid_note))
    return out


# --- the run -----------------------------------------------------------------------------------------
def _warnings(workspace: Workspace, store: Store, year: int, proposal: Proposal) -> list[Advice]:
    out = []
    new_batch = Hint.of(Action.REWARDS_NEW_BATCH, workspace=workspace.root, year=year)
    months = [s.period for s in store.submissions.all() if s.status == SubmissionStatus.ACCEPTED and s.period.year == year]
    if months and max(months).month != 12:
        out.append(Advice(f"{year}年已受理的最新报送期为{max(months)}，不是12月：首期只含截至该期填报的新增企业，"
                          "其余企业可在以后追加审批。", new_batch))
    waiting = [x for x in distinct(proposal.exclusions) if x.later]  # a shared claim is one firm
    if waiting:
        out.append(Advice(f"另有{len(waiting)}家暂缓兑现（{waiting_reasons(x.code for x in waiting)}），条件具备后可追加审批。",
                          new_batch))
    unpaid = [b for b in store.rewards.batches(year - 1) if not b.paid_on]
    if unpaid:
        out.append(Advice(f"{year - 1}年度第{'、'.join(str(b.seq) for b in unpaid)}批尚未登记拨付，拨付后请登记。",
                          Hint.of(Action.REWARDS_PAID, workspace=workspace.root, year=year - 1, batch=unpaid[0].seq)))
    return out


def _check_ready(workspace: Workspace, store: Store, policy: Policy, year: int, draft: bool) -> None:
    problems = setup_problems(policy)
    if policy.document("reward_request") is None:
        problems.append("政策参数工作簿的“发文设置”表中缺少“奖励资金请示”的发文机关、主送、签发人等设置。")
    if problems:
        raise UserError("".join(problems) + "请补充后再运行。")
    if draft:
        return
    draft_hint = Hint.of(Action.REWARDS_DRAFT, workspace=workspace.root, year=year)
    if not store.register.confirmed_periods(year):
        raise UserError(f"尚未导入统计部门确认的{year}年新增名单，首期奖励无法核定。请先导入；只想预览时可先生成草稿。",
                        Hint.of(Action.IMPORT_CONFIRMED, workspace=workspace.root, period=f"{year}-12"), draft_hint)
    if store.department.taxes_info(year) is None:
        raise UserError(f"尚未导入税务部门{year}年的企业税收数据，首期奖励无法核定。请先导入；只想预览时可先生成草稿。",
                        Hint.of(Action.IMPORT_TAXES, workspace=workspace.root, year=year), draft_hint)
    refuse_examples(policy, workspace.policy_path, L.REWARDS_NEED, L.REWARDS_WHAT,
                    draft_hint)


def make_rewards(workspace: Workspace, year: int, *, new_batch: bool = False, draft: bool = False,
                 day: dt.date | None = None, number: bool = False, templates: Path | None = None,
                 pdf: bool = False, early: bool = False, batches_seen: int | None = None) -> RewardRun:
    """Draft or approve the year's batch — the one rule for every door (command line, workbench, button).

    Once a batch of the year is approved, another (追加) is approved only when the person approving asked for
    one (``new_batch``: ``--new-batch``, the workbench's 追加审批 button); otherwise the approved batches are
    shown with what is payable now and ``follow_up`` says how to approve it. A door that showed the batches
    before the person confirmed passes how many it showed (``batches_seen``): one approved meanwhile refuses.
    Approving before the year has ended (``early``) must be asked for too: the tax of the year is not all known,
    firms without it wait, and the 请示 says when it was approved."""
    policy = workspace.policy()
    run = RewardRun(year)
    if not draft and not early and before_year_end(year, now_text()):
        raise UserError(f"{year}年度尚未结束：现在审批，企业的当年税收只是截至目前的数据，税收为零的企业只能暂缓兑现，"
                        f"请示中也要写明是在年度结束前审批的。确需现在审批的，请明确选择在年度结束前审批；"
                        f"只想预览时可先生成草稿。",
                        Hint.of(Action.REWARDS_APPROVE_EARLY, workspace=workspace.root, year=year),
                        Hint.of(Action.REWARDS_DRAFT, workspace=workspace.root, year=year))
    with workspace.writing(f"奖励{year}") as store:
        if not any(s.period.year in (year, year - 1) for s in store.submissions.all()):
            raise UserError(f"数据库中没有{year}年（或{year - 1}年）的任何报表。请先汇总该年的报表。")
        _check_ready(workspace, store, policy, year, draft)
        existing = batches(store, policy, year)
        if batches_seen is not None and batches_seen != len(existing) and not draft:
            raise UserError(f"在您核对之后，{year}年度的已审批批次已有变化（核对时 {batches_seen} 批，现在 {len(existing)} 批），"
                            f"未审批。请重新核对待审批的企业和金额后再确认。",
                            Hint.of(Action.REWARDS_SHOW, workspace=workspace.root, year=year))
        proposal = propose(store, policy, year)
        run.warnings = _warnings(workspace, store, year, proposal)
        if existing and not (new_batch or draft):
            run.existing = existing
            run.not_yet_approved = len(proposal.lines)
            if proposal.lines:
                run.follow_up = Hint.of(Action.REWARDS_NEW_BATCH, workspace=workspace.root, year=year)
            return run
        if not proposal.lines and not draft:
            run.nothing = (f"{year}年度没有可兑现的企业" + ("（已审批的都已在以前批次中）" if proposal.approved_before else "")
                           + "，未生成新批次。")
            return run
        batch = Batch(year, 0, proposal.lines, proposal.exclusions, proposal.mismatches, policy.county_names)
        check_templates(workspace, policy, batch, templates)  # never an approved batch without its documents
        if not draft:
            with store.transaction():
                at = now_text()
                policy_sha = keep_policy(workspace, workspace.archive)
                exclusions = [asdict(x) for x in proposal.exclusions]
                mismatches = [asdict(x) for x in proposal.mismatches]
                batch.seq = store.rewards.add_batch(year, at, policy_sha, proposal.lines, exclusions, mismatches)
                batch.approved_at = at
                workspace.archive.record({"event": "reward_batch", "year": year, "seq": batch.seq, "at": at,
                                          "policy": policy_sha, "lines": [asdict(x) for x in proposal.lines],
                                          "exclusions": exclusions, "mismatches": mismatches})
                closed = store.decisions.closures()
                for period in sorted({s.period for s in store.submissions.all()
                                      if s.period.year == year and s.status.judged}):
                    if period not in closed:
                        close_in(workspace, store, period, f"已审批{batch.label}奖励资金", at)
                        run.closed.append(period)
        run.batch = batch
        number_text = _doc_number(workspace, store, policy, batch, number, day)
    run.folder, run.files, run.pdf_problem = write_batch(workspace, policy, batch, day=day, number=number_text,
                                                         templates=templates, pdf=pdf)
    run.layout = check_layout([run.request] if run.request else [])
    return run


def _doc_number(workspace: Workspace, store: Store, policy: Policy, batch: Batch, number: bool, day: dt.date | None) -> str:
    """The request's 发文字号: one given before is kept; --number gives the next free one (in the year it is
    signed: --date, else the approval's); otherwise left blank for the office."""
    settings = policy.document("reward_request")
    key = f"{batch.year}第{batch.seq}批"
    given = store.papers.number_given("reward_request", key) if batch.seq else None
    if given:
        return given.text
    year = day.year if day else int(batch.approved_at[:4]) if batch.approved_at else dt.date.today().year
    value = None
    if number and batch.seq:
        with store.transaction():
            value = allocate_number(workspace, store, "reward_request", key, settings.number_prefix, year, now_text())
    return G.doc_number(settings.number_prefix, year, value)


def reissue(workspace: Workspace, year: int, seq: int, *, day: dt.date | None = None, number: bool = False,
            templates: Path | None = None, pdf: bool = False) -> RewardRun:
    """Write an approved batch's documents again (e.g. dated for signing): a new version, nothing approved."""
    policy = workspace.policy()
    with workspace.writing(f"奖励{year}第{seq}批公文") as store:
        batch = next((b for b in batches(store, policy, year) if b.seq == seq), None)
        if batch is None:
            known = "、".join(f"第{b.seq}批" for b in batches(store, policy, year)) or "没有任何批次"
            raise UserError(f"{year}年度没有第{seq}批奖励资金（已有：{known}）。请核对年度和批次。",
                            Hint.of(Action.REWARDS_SHOW, workspace=workspace.root, year=year))
        if policy.document("reward_request") is None:
            raise UserError("政策参数工作簿的“发文设置”表中缺少“奖励资金请示”的设置。请补充后再运行。")
        number_text = _doc_number(workspace, store, policy, batch, number, day)
    run = RewardRun(year, batch=batch)
    run.folder, run.files, run.pdf_problem = write_batch(workspace, policy, batch, day=day, number=number_text,
                                                         templates=templates, pdf=pdf)
    run.layout = check_layout([run.request] if run.request else [])
    return run


def mark_paid(workspace: Workspace, year: int, seq: int, paid_on: dt.date, note: str = "") -> str:
    """Record that a batch was paid (拨付); returns the date recorded."""
    with workspace.writing(f"拨付{year}第{seq}批") as store:
        found = next((b for b in store.rewards.batches(year) if b.seq == seq), None)
        if found is None:
            known = "、".join(f"第{b.seq}批" for b in store.rewards.batches(year)) or "没有任何批次"
            raise UserError(f"{year}年度没有第{seq}批奖励资金（已有：{known}）。请核对年度和批次。",
                            Hint.of(Action.REWARDS_SHOW, workspace=workspace.root, year=year))
        if found.paid_on:
            raise UserError(f"{year}年度第{seq}批已于{found.paid_on}登记拨付（{found.paid_at} 记录），不再重复登记。")
        with store.transaction():
            at = now_text()
            store.rewards.mark_paid(year, seq, at, paid_on.isoformat(), note)
            workspace.archive.record({"event": "reward_paid", "year": year, "seq": seq, "at": at,
                                      "paid_on": paid_on.isoformat(), "note": note,
                                      "policy": keep_policy(workspace, workspace.archive)})
    return paid_on.isoformat()


def show(workspace: Workspace, year: int) -> RewardRun:
    """The year's batches and what is due but not approved, read-only."""
    return _overview_now(workspace, year).shown


def _tell_waiting(run: RewardRun, proposal: Proposal) -> None:
    run.not_yet_approved = len(proposal.lines)
    for exclusion in distinct(proposal.exclusions):
        if exclusion.later:
            title = KINDS[exclusion.code].title if exclusion.code in KINDS else exclusion.reason
            run.waiting[title] = run.waiting.get(title, 0) + 1


# --- rebuild -----------------------------------------------------------------------------------------
def replay_batch(store: Store, event: dict) -> None:
    store.rewards.add_batch(int(event["year"]), event["at"], event["policy"], [RewardLine(**x) for x in event["lines"]],
                           event["exclusions"], event["mismatches"], seq=int(event["seq"]))


def replay_paid(store: Store, event: dict) -> None:
    store.rewards.mark_paid(int(event["year"]), int(event["seq"]), event["at"], event["paid_on"], event.get("note", ""))


@dataclass(frozen=True)
class Overview:
    """A year's rewards as a page shows them: the batches approved, the year as ``show`` says it, and what an
    approval now would hold (None: the policy's reward settings are incomplete)."""

    shown: RewardRun
    due: Batch | None


_OVERVIEWS: dict[tuple, Overview] = {}
_OVERVIEWS_LOCK = threading.Lock()


def overview(workspace: Workspace, year: int) -> Overview:
    """``show`` and ``pending`` from one proposal, remembered while neither the store nor the policy file changes
    (their sizes and times, as the file system has them): a page viewed again costs nothing, and any write —
    an import, an approval, a new policy — is a new key. Read only."""
    key = (str(workspace.root), year, *_stamp(workspace.store_path), *_stamp(workspace.policy_path))
    with _OVERVIEWS_LOCK:
        known = _OVERVIEWS.get(key)
    if known is not None:
        return known
    found = _overview_now(workspace, year)
    with _OVERVIEWS_LOCK:
        if len(_OVERVIEWS) > 32:
            _OVERVIEWS.clear()
        _OVERVIEWS[key] = found
    return found


def _overview_now(workspace: Workspace, year: int) -> Overview:
    """The year's batches, what waits and what an approval now would hold, from one proposal (read only)."""
    policy = workspace.policy()
    store = workspace.open_store()
    try:
        shown = RewardRun(year, existing=batches(store, policy, year))
        due = None
        if not setup_problems(policy):
            proposal = propose(store, policy, year)
            _tell_waiting(shown, proposal)
            due = Batch(year, 0, proposal.lines, proposal.exclusions, proposal.mismatches, policy.county_names)
    finally:
        store.close()
    return Overview(shown, due)


def _stamp(path: Path) -> tuple[int, int]:
    try:
        stat = path.stat()
    except OSError:
        return (0, 0)
    return (stat.st_mtime_ns, stat.st_size)


def pending(workspace: Workspace, year: int) -> Batch | None:
    """What an approval now would hold (read only, nothing written): the due lines with their exclusions, as an
    unnumbered batch; None when the policy's reward settings are incomplete (the message comes on approval)."""
    return _overview_now(workspace, year).due
