"""A consolidation judges again only the counties a change can reach; the others keep what their last judgment
gave. Over random years of resubmissions (firms moved between counties, claimed twice, dropped, exited, lists
that start failing the register check and then pass), city decisions and foreign writes, the store after every
run is exactly what judging every county again gives: statuses, notes and cross findings."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from county_files import entry, exit_row, firm, write_report
from conftest import new_workspace
from toolkit.domain.submissions import SubmissionStatus
from toolkit.domain.periods import Period
from toolkit.services.consolidation import judging as consolidation
from toolkit.services.consolidation import ConsolidationRun, assign, consolidate
from toolkit.services.workspace import Workspace

COUNTIES = ["天元区", "攸县", "醴陵市", "茶陵县", "炎陵县", "芦淞区"]
PERIODS = ["2022-03", "2022-06"]
LATER = dt.datetime(2022, 7, 1, 9, 0)  # resubmissions are saved after the first workbooks, one minute apart


def _state(store, period: str) -> list[tuple]:
    """Every submission of the period as a judgment leaves it: status, note and cross findings in order."""
    return [(s.id, s.county, s.status, s.status_note,
             [tuple(r) for r in store.db.execute(
                 "SELECT code, level, message, sheet, row, column_name, cell, value, explained, advisory FROM findings "
                 "WHERE submission_id = ? AND origin = 'cross' ORDER BY rowid", (s.id,))])
            for s in store.submissions.all(period=Period.parse(period))]


def _judged_again(workspace: Workspace, period: str) -> list[tuple]:
    """The period's state had every county been judged again (inside a transaction that is rolled back)."""
    store = workspace.open_store()
    try:
        store.db.execute("BEGIN IMMEDIATE")
        try:  # each county's current file, in the order a consolidation takes them
            when = Period.parse(period)
            current = consolidation._settle_duplicates(store, when, ConsolidationRun(when))
            consolidation._judge(store, workspace.policy(), when, current, incremental=False)
            return _state(store, period)
        finally:
            store.db.execute("ROLLBACK")
    finally:
        store.close()


def _stored(workspace: Workspace, period: str) -> list[tuple]:
    store = workspace.open_store()
    try:
        return _state(store, period)
    finally:
        store.close()


@pytest.fixture
def judged(monkeypatch):
    """The counties each judgment judged (cross-checked), run by run."""
    runs: list[set[str]] = []
    check = consolidation.cross_check

    def counting(sub, prior):
        if runs:
            runs[-1].add(sub.county)
        return check(sub, prior)

    monkeypatch.setattr(consolidation, "cross_check", counting)
    return runs


def _claims(workspace: Workspace, period: str) -> dict[str, set[str]]:
    """USCC -> the counties whose accepted list of the period enters it."""
    store = workspace.open_store()
    try:
        claims: dict[str, set[str]] = {}
        for sub in store.submissions.accepted():
            if str(sub.period) == period:
                for listing in sub.entries:
                    claims.setdefault(listing.uscc, set()).add(sub.county)
        return claims
    finally:
        store.close()


def _lists(rng: random.Random, policy, county: str, period: str, shared: list[str]) -> tuple[list, list]:
    """A county's year-to-date lists: mostly its own firms, now and then another county's (a double claim, or a
    firm the register holds elsewhere), an exit of a firm someone entered, or of one nobody knows."""
    own = [firm(policy, county, n) for n in rng.sample(range(8), rng.randint(1, 5))]
    borrowed = rng.sample(shared, rng.choice([0, 0, 1, 2]))
    month = period[:5] + "0" + str(rng.randint(1, int(period[-1])))
    entries = [entry(uscc, month) for uscc in dict.fromkeys(own + borrowed)]
    exits = [exit_row(uscc, month) for uscc in rng.sample(shared, rng.choice([0, 0, 1]))
             if uscc not in own + borrowed]
    if rng.random() < 0.15:
        exits.append(exit_row(firm(policy, county, 90 + rng.randint(0, 5)), month))  # nobody entered it
    return entries, exits


@pytest.mark.parametrize("seed", range(4))
def test_judging_only_what_a_change_reaches_gives_what_judging_everything_gives(tmp_path, policy, judged, seed):
    rng = random.Random(seed)
    root = new_workspace(tmp_path / "ws")
    workspace = Workspace.at(root)
    inbox = workspace.inbox
    shared = [firm(policy, county, n) for county in COUNTIES[:3] for n in range(3)]
    sent = 0
    skipped_somewhere = False
    for period in PERIODS:
        for county in COUNTIES:
            write_report(inbox / period, policy, county, period, *_lists(rng, policy, county, period, shared))
        judged.append(set())
        consolidate(workspace, Period.parse(period), write=False, parallel=False)
        assert _stored(workspace, period) == _judged_again(workspace, period)
        for step in range(7):
            county = rng.choice(COUNTIES)
            sent += 1
            if rng.random() < 0.2:  # the city settles a double claim: the whole year is judged again
                claims = _claims(workspace, period)
                disputed = sorted(uscc for uscc, owners in claims.items() if len(owners) > 1)
                if disputed:
                    uscc = rng.choice(disputed)
                    judged.append(set())
                    assign(workspace, uscc, rng.choice(sorted(claims[uscc])), 2022)
                    for p in PERIODS[:PERIODS.index(period) + 1]:
                        assert _stored(workspace, p) == _judged_again(workspace, p)
                    continue
            entries, exits = _lists(rng, policy, county, period, shared)
            write_report(inbox / period, policy, county, period, entries, exits,
                         name=f"{county}_{period}_第{sent}次.xlsx", saved=LATER + dt.timedelta(minutes=sent))
            judged.append(set())
            consolidate(workspace, Period.parse(period), write=False, parallel=False)
            skipped_somewhere |= len(judged[-1]) < len(COUNTIES)
            assert _stored(workspace, period) == _judged_again(workspace, period), (seed, period, step)
    assert skipped_somewhere  # else this compared judging everything with itself


def test_anything_else_changed_means_everything_is_judged_again(tmp_path, policy, judged):
    """A changed input (a decision, another period's acceptance) or a judgment written over by something else
    (an older tool) leaves nothing to trust: every county is judged again."""
    root = new_workspace(tmp_path / "ws")
    workspace = Workspace.at(root)
    for county in COUNTIES:
        write_report(workspace.inbox, policy, county, "2022-06",
                     [entry(firm(policy, county, n), "2022-05") for n in range(3)])
    consolidate(workspace, Period(2022, 6), write=False, parallel=False)

    def resend(county: str, serial: int) -> set[str]:
        write_report(workspace.inbox, policy, county, "2022-06",
                     [entry(firm(policy, county, n), "2022-05") for n in range(serial)],
                     name=f"{county}_2022-06_改{serial}.xlsx", saved=LATER + dt.timedelta(minutes=serial))
        judged.append(set())
        consolidate(workspace, Period(2022, 6), write=False, parallel=False)
        reached = set(judged[-1])
        assert _stored(workspace, "2022-06") == _judged_again(workspace, "2022-06")
        return reached

    assert resend("攸县", 4) == {"攸县"}  # nobody else lists its firms
    store = workspace.open_store()
    try:  # an older tool judged the period again and wrote its own note
        store.db.execute("UPDATE submissions SET status_note = '旧版本写入' WHERE county = '醴陵市' AND status = ?",
                         (SubmissionStatus.ACCEPTED,))
    finally:
        store.close()
    assert resend("攸县", 5) == set(COUNTIES)
    (liling,) = [s for s in _stored(workspace, "2022-06") if s[1] == "醴陵市" and s[2] == SubmissionStatus.ACCEPTED]
    assert liling[3] == ""  # the note a judgment gives, back

    write_report(workspace.inbox / "3月", policy, "茶陵县", "2022-03", [entry(firm(policy, "茶陵县", 0), "2022-02")])
    consolidate(workspace, Period(2022, 3), write=False, parallel=False)  # another period's acceptance changed
    assert resend("攸县", 6) == set(COUNTIES)
    assert resend("攸县", 7) == {"攸县"}


def test_a_flipped_acceptance_reaches_the_counties_sharing_its_firms(tmp_path, policy, judged):
    """A county whose own change makes another county's list fail (or pass) reaches, through that county's
    entries, a third county that claims one of them: its dispute findings follow."""
    root = new_workspace(tmp_path / "ws")
    workspace = Workspace.at(root)
    shared = firm(policy, "醴陵市", 1)
    write_report(workspace.inbox, policy, "攸县", "2022-06", [entry(firm(policy, "攸县", 0), "2022-05")])
    write_report(workspace.inbox, policy, "醴陵市", "2022-06", [entry(shared, "2022-05")])
    moved = {**entry(shared, "2022-05"), "note": "企业已迁入本县，工商登记在醴陵市"}  # the area hint explained
    write_report(workspace.inbox, policy, "茶陵县", "2022-06", [moved])  # claimed twice
    write_report(workspace.inbox, policy, "炎陵县", "2022-06", [entry(firm(policy, "炎陵县", 0), "2022-05")])
    consolidate(workspace, Period(2022, 6), write=False, parallel=False)
    codes = {s[1]: {f[0] for f in s[4]} for s in _stored(workspace, "2022-06")}
    assert "W202" in codes["醴陵市"] and "W202" in codes["茶陵县"]
    # 醴陵市 resubmits with an error of its own (an entry without its code): rejected, its claim no longer stands
    write_report(workspace.inbox, policy, "醴陵市", "2022-06", [entry(shared, "2022-05"), entry("", "2022-05")],
                 name="醴陵市_2022-06_改.xlsx", saved=LATER)
    judged.append(set())
    consolidate(workspace, Period(2022, 6), write=False, parallel=False)
    assert judged[-1] == {"醴陵市", "茶陵县"}  # 攸县 and 炎陵县 share nothing with them
    assert _stored(workspace, "2022-06") == _judged_again(workspace, "2022-06")
    state = {s[1]: s for s in _stored(workspace, "2022-06") if SubmissionStatus(s[2]).judged}
    assert state["醴陵市"][2] == SubmissionStatus.REJECTED
    assert "W202" not in {f[0] for f in state["茶陵县"][4]}  # no longer disputed: the other claim was rejected


def test_a_flip_reaches_on_through_the_flipped_countys_firms(tmp_path, policy, judged):
    """攸县's change flips 醴陵市 (a firm 醴陵市 dropped is now kept by nobody: E205), and 醴陵市's rejection ends a
    double claim with 茶陵县, who shares nothing with 攸县: the reach runs on until no acceptance flips."""
    root = new_workspace(tmp_path / "ws")
    workspace = Workspace.at(root)
    dropped, both = firm(policy, "醴陵市", 1), firm(policy, "醴陵市", 2)
    write_report(workspace.inbox / "3月", policy, "醴陵市", "2022-03", [entry(dropped, "2022-02")])
    consolidate(workspace, Period(2022, 3), write=False, parallel=False)
    explained = {"note": "企业已迁入本县，工商登记在醴陵市"}
    write_report(workspace.inbox, policy, "攸县", "2022-06",
                 [entry(firm(policy, "攸县", 0), "2022-05"), {**entry(dropped, "2022-05"), **explained}])
    write_report(workspace.inbox, policy, "醴陵市", "2022-06", [entry(both, "2022-05")])
    write_report(workspace.inbox, policy, "茶陵县", "2022-06",
                 [{**entry(both, "2022-05"), **explained}, entry(firm(policy, "茶陵县", 0), "2022-05")])
    consolidate(workspace, Period(2022, 6), write=False, parallel=False)
    state = {s[1]: s for s in _stored(workspace, "2022-06")}
    assert state["醴陵市"][2] == SubmissionStatus.ACCEPTED and "W212" in {f[0] for f in state["醴陵市"][4]}  # 攸县 keeps it
    assert "W202" in {f[0] for f in state["茶陵县"][4]}

    write_report(workspace.inbox, policy, "攸县", "2022-06", [entry(firm(policy, "攸县", 0), "2022-05")],
                 name="攸县_2022-06_改.xlsx", saved=LATER)
    judged.append(set())
    consolidate(workspace, Period(2022, 6), write=False, parallel=False)
    assert judged[-1] == {"攸县", "醴陵市", "茶陵县"}
    assert _stored(workspace, "2022-06") == _judged_again(workspace, "2022-06")
    state = {s[1]: s for s in _stored(workspace, "2022-06") if SubmissionStatus(s[2]).judged}
    assert state["醴陵市"][2] == SubmissionStatus.REJECTED and "E205" in {f[0] for f in state["醴陵市"][4]}
    assert "W202" not in {f[0] for f in state["茶陵县"][4]}
