"""A county checks its workbook against the rules its template carries; when the city's policy has changed since
(a threshold, the units, a due date) or the template was made from the built-in sample, the consolidation says
so beside the file, naming each difference — the county's own "通过" may not be the city's (#33)."""

from __future__ import annotations

import dataclasses
import json

import openpyxl
import pytest

from county_files import entry, firm, write_report
from toolkit.domain.calendar import MONTHLY, QUARTERLY
from toolkit.domain.carried_policy import carried_policy, carried_rows, rule_differences
from toolkit.domain.periods import Period
from toolkit.services import consolidation
from toolkit.services.workspace import init_workspace


def _with(policy, **thresholds):
    return dataclasses.replace(policy, thresholds=dataclasses.replace(policy.thresholds, **thresholds), builtin=False)


def test_the_template_carries_each_periods_kind_and_an_older_template_reads_as_quarterly(policy):
    carried = carried_policy(carried_rows(policy)).policy
    assert [(r.period, r.kind) for r in carried.calendar] == [(r.period, r.kind) for r in policy.calendar]
    assert {r.kind for r in carried.calendar} == {QUARTERLY, MONTHLY}
    rows = carried_rows(policy)
    older = json.loads(rows[0][1])
    older["calendar"] = [row[:3] for row in older["calendar"]]  # a template made before 类型
    rows[0][1] = json.dumps(older, ensure_ascii=False)
    assert {r.kind for r in carried_policy(rows).policy.calendar} == {QUARTERLY}


@pytest.mark.parametrize("change,said", [
    ({"above_scale": 2500}, "规模以上标准 2,000 万元（现行 2,500 万元）"),
    ({"pool_low": 800.5}, "重点培育库下限 1,000 万元（现行 800.5 万元）"),
    ({"at_risk_below": 3000}, None),  # unchanged: nothing said
])
def test_each_threshold_the_check_uses_is_compared(policy, change, said):
    carried, current = _with(policy), _with(policy, **change)
    found = rule_differences(carried, current)
    assert (found == []) if said is None else (said in found)


def test_units_dates_and_the_sample_are_named(policy):
    current = _with(policy)
    assert rule_differences(policy, current) == ["模板按内置样例生成"]  # the template was made from the sample
    fewer = dataclasses.replace(current, counties=current.counties[:-1])
    assert any(f"模板中没有{current.counties[-1].name}" in s for s in rule_differences(fewer, current))
    first = current.calendar[0]
    moved = dataclasses.replace(current, calendar=(dataclasses.replace(first, due=first.due.replace(day=1)),
                                                   *current.calendar[1:]))
    assert any(s.startswith(f"{first.period} 报送截止") for s in rule_differences(moved, current))
    assert rule_differences(current, current) == []


def test_the_consolidation_names_a_workbook_checked_against_other_rules(tmp_path, policy):
    workspace, _ = init_workspace(tmp_path / "工作区")
    book = openpyxl.load_workbook(workspace.policy_path)
    for row in book["营收标准"].iter_rows(min_row=3):
        if row[0].value == "规模以上标准（万元）":
            row[1].value = 2500  # the city raised it after the templates went out
    book.save(workspace.policy_path)
    current = workspace.policy()
    rows = [entry(firm(current, "攸县", 1), "2022-05")]
    write_report(workspace.inbox, current, "攸县", "2022-06", rows)  # made from the city's policy now
    old = _with(policy)  # the city's policy as it was (the sample's figures, from the workspace file)
    write_report(workspace.inbox, old, "荷塘区", "2022-06", [entry(firm(current, "荷塘区", 1), "2022-05")])
    run = consolidation.consolidate(workspace, Period(2022, 6), parallel=False)
    said = {n.file[:2]: n.message for n in run.notes}
    assert "注意" not in said["攸县"]
    assert "模板附带的政策参数与市里现行的不同（规模以上标准 2,000 万元（现行 2,500 万元））" in said["荷塘"]
    assert "以本次按现行参数的校验为准" in said["荷塘"]
