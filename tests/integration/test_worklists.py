"""Each county's 培育工作清单 (#37) recomputes from that county's own workbook, and names no other county's firm.

The shipped 2022-09 reports are edited as in test_pipeline_sheets (a pool firm at 2000 万元, one just under, a firm
in two counties' pools, an expected month gone by, problems past their deadline and one due that very day) and
consolidated; every accepted county's worklist is then opened with openpyxl and its rows compared with what that
county's workbook says, read here with openpyxl — not with the code under test.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import openpyxl

from county_files import edit_workbook, list_rows
from toolkit.demo.samples import accept_examples
from toolkit.domain.periods import Period
from toolkit.services.consolidation import consolidate
from toolkit.services.workspace import init_workspace

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
PERIOD = Period(2022, 9)
AS_OF = dt.date(2022, 10, 8)  # the sample policy's 报送日历: 2022-09 is due on 2022-10-08
FIRST = 5  # first data row of a county's list sheet
NO_MEASURES = ("", "无", "暂无", "/", "-", "—", "——")


def _table(book, sheet: str) -> list[dict]:
    rows = list(book[sheet].iter_rows(values_only=True))
    return [dict(zip(rows[2], r)) for r in rows[3:] if any(v not in (None, "") for v in r)]


def _date(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else dt.date.fromisoformat(str(value)[:10])


def _workspace(tmp_path: Path):
    workspace, _ = init_workspace(tmp_path / "工作区")
    shutil.copy2(SAMPLES / "政策参数.xlsx", workspace.policy_path)
    accept_examples(workspace.policy_path)
    for folder in ("2022-09", "2022-09补报"):
        for path in sorted((SAMPLES / "县区报表" / folder).glob("*.xlsx")):
            shutil.copy2(path, workspace.inbox / path.name)
    tianyuan = workspace.inbox / "天元区_2022-09_规上工业企业报表.xlsx"
    youxian = workspace.inbox / "攸县_2022-09_规上工业企业报表.xlsx"
    shared = [c.value for c in openpyxl.load_workbook(tianyuan)["重点培育企业"][FIRST]]
    edit_workbook(tianyuan, [("重点培育企业", FIRST, 4, 2000), ("重点培育企业", FIRST, 8, "已督促申报"),
                     ("重点培育企业", FIRST + 1, 4, 1999.99), ("重点培育企业", FIRST + 2, 6, "2022-08"),
                     ("问题台账", FIRST, 5, dt.datetime(2022, 9, 1)), ("问题台账", FIRST, 6, "办理中"),
                     ("问题台账", FIRST, 7, "正在协调"),
                     ("问题台账", FIRST + 1, 5, dt.datetime(2022, 10, 8)), ("问题台账", FIRST + 1, 6, "未办结"),
                     ("问题台账", FIRST + 1, 7, "正在协调"),
                     ("退规风险企业", FIRST + 1, 5, "暂无"), ("退规风险企业", FIRST + 1, 7, "措施待定")])  # no measures
    free = FIRST + len(list_rows(openpyxl.load_workbook(youxian), "重点培育企业"))
    shared[7] = "厂区在两县交界，两县均在培育"
    edit_workbook(youxian, [("重点培育企业", free, col, value) for col, value in enumerate(shared, start=1) if value is not None])
    return workspace, tianyuan


def test_each_county_worklist_holds_its_own_rows_to_act_on(tmp_path):
    workspace, tianyuan = _workspace(tmp_path)
    run = consolidate(workspace, PERIOD)
    accepted = [s.file for s in run.summary.statuses if s.status == "已受理"]
    assert len(accepted) == 10
    folder = workspace.output / "工作清单" / str(PERIOD)
    assert sorted(p.name for p in run.worklists) == sorted(f"{n.split('_')[0]}_{PERIOD}_培育工作清单.xlsx"
                                                            for n in accepted)
    assert {p.parent for p in run.worklists} == {folder}

    books = {name.split("_")[0]: openpyxl.load_workbook(workspace.inbox / name, data_only=True) for name in accepted}
    pools = {county: list_rows(b, "重点培育企业") for county, b in books.items()}
    holders = {}
    for county, rows in pools.items():
        for _, v in rows:
            holders.setdefault(v[0], set()).add(county)
    totals = {"push": 0, "stalled": 0, "helpless": 0, "overdue": 0, "empty": 0}
    for county, book in books.items():
        pool, risk, ledger = pools[county], list_rows(book, "退规风险企业"), list_rows(book, "问题台账")
        push = sorted(((n, v) for n, v in pool if v[3] is not None and float(v[3]) >= 2000),
                      key=lambda nv: (-float(nv[1][3]), nv[0]))
        stalled = [n for n, v in pool if (v[5] and str(v[5])[:7] < str(PERIOD)) or len(holders[v[0]]) > 1]
        helpless = [n for n, v in risk if (v[4] or "").strip() in NO_MEASURES or float(v[2]) >= 3000]
        overdue = sorted(((n, (AS_OF - _date(v[4])).days) for n, v in ledger
                          if v[5] != "已办结" and (AS_OF - _date(v[4])).days > 0), key=lambda x: (-x[1], x[0]))

        out = openpyxl.load_workbook(folder / f"{county}_{PERIOD}_培育工作清单.xlsx", read_only=True)
        assert out.sheetnames[:5] == ["说明", "应入尽入", "停滞", "风险帮扶", "逾期问题"]
        got = {s: _table(out, s) for s in ("应入尽入", "停滞", "风险帮扶", "逾期问题")}
        assert [(r["来源行号"], r["统一社会信用代码"]) for r in got["应入尽入"]] == [(n, v[0]) for n, v in push]
        assert [r["本年累计营业收入（万元）"] for r in got["应入尽入"]] == [float(v[3]) for _, v in push]
        assert sorted(r["来源行号"] for r in got["停滞"]) == sorted(stalled)
        # the at-risk firms the county's own workbook shows without measures (the register check may add more)
        assert set(helpless) <= {r["来源行号"] for r in got["风险帮扶"]}
        assert [(r["来源行号"], r["逾期天数"]) for r in got["逾期问题"]] == overdue
        # never another county's firm: every code on every list is in this county's own workbook
        own = {v[0] for _, v in (*pool, *risk, *ledger)}
        for rows in got.values():
            assert {r["统一社会信用代码"] for r in rows} <= own
            assert all(r["处理情况（县市区填写）"] in (None, "") for r in rows)
        readme = [r for r in out["说明"].iter_rows(values_only=True)]
        assert readme[1] == ("县市区", county) and ("依据报表", f"{county}_{PERIOD}_规上工业企业报表.xlsx") in readme
        if not any(got.values()):
            assert ("结论", "本期无需处理的事项。") in readme
            totals["empty"] += 1
        totals["push"] += len(push)
        totals["stalled"] += len(stalled)
        totals["overdue"] += len(overdue)
        totals["helpless"] += len(helpless)
    # the edits reach the lists: 天元区's firm at 2000 (not the one at 1999.99), the shared firm on both counties'
    # 停滞 lists with 天元区's month gone by, and its problem 37 days overdue (not the one due on the day itself)
    tianyuan_lists = openpyxl.load_workbook(folder / f"天元区_{PERIOD}_培育工作清单.xlsx", read_only=True)
    assert [r["来源行号"] for r in _table(tianyuan_lists, "应入尽入")] == [FIRST]
    assert (FIRST, 37) in [(r["来源行号"], r["逾期天数"]) for r in _table(tianyuan_lists, "逾期问题")]
    assert FIRST + 1 not in [r["来源行号"] for r in _table(tianyuan_lists, "逾期问题")]
    assert [(r["来源行号"], r["帮扶措施（一企一策）"]) for r in _table(tianyuan_lists, "风险帮扶")] == [(FIRST + 1, "暂无")]
    assert totals["empty"] == 0  # every county has a problem overdue at 2022-09 (an empty list: see the next test)
    assert totals["push"] == 1 and totals["stalled"] >= 3 and totals["overdue"] >= 1 and totals["helpless"] >= 1

    # consolidated again, with a worklist dropped into the inbox by mistake: skipped (its hidden stamp says what it
    # is), and the same names replaced by the latest (no second set beside the first)
    shutil.copy2(folder / f"攸县_{PERIOD}_培育工作清单.xlsx", workspace.inbox / f"攸县_{PERIOD}_培育工作清单.xlsx")
    written = _written(folder)
    again = consolidate(workspace, PERIOD)
    assert [n.message for n in again.notes if n.file.endswith("培育工作清单.xlsx")] == [
        "这是系统生成的“培育工作清单”，不是县市区报表，已跳过。"]
    assert sorted(again.worklists) == sorted(run.worklists)
    assert len(list(folder.glob("*.xlsx"))) == len(accepted)
    assert _written(folder) == written  # nothing they say changed: none written again

    # a worklist gone is written again, alone; without the fingerprints every one is — beside the earlier ones,
    # which may have been sent: none is written over
    (folder / f"攸县_{PERIOD}_培育工作清单.xlsx").unlink()
    consolidate(workspace, PERIOD)
    now = _written(folder)
    assert {name for name in now if now[name] != written.get(name)} == {f"攸县_{PERIOD}_培育工作清单.xlsx"}
    (folder.parent / ".工作清单指纹.json").unlink()
    consolidate(workspace, PERIOD)
    after = _written(folder)
    assert {name: after[name] for name in now} == now  # every earlier file keeps its bytes
    assert len(after) == 2 * len(now) and all("（2）" in name for name in set(after) - set(now))


def _written(folder: Path) -> dict[str, tuple[int, int]]:
    """Each file's inode and modification time: a file written again (renamed into place) changes both."""
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in folder.glob("*.xlsx")}


def test_a_county_with_nothing_to_act_on_gets_a_list_saying_so(tmp_path):
    from toolkit.adapters.worklist_workbook import write_worklist
    from toolkit.domain.stamp import FileKind, Stamp
    from toolkit.domain.worklist import Worklist

    empty = Worklist("攸县", Period(2022, 9), "攸县_2022-09_规上工业企业报表.xlsx", dt.date(2022, 10, 8), "报送日历截止日",
                     True)
    path = write_worklist(tmp_path / "攸县.xlsx", empty, Stamp(FileKind.WORKLIST, "2022.2", "攸县", "2022-09"))
    book = openpyxl.load_workbook(path, read_only=True)
    readme = [tuple(r[:2]) for r in book["说明"].iter_rows(values_only=True)]
    assert ("结论", "本期无需处理的事项。") in readme and book["逾期问题"].max_row >= 3


def test_a_worklist_fingerprint_changes_with_what_it_says():
    from toolkit.domain import pipeline as P
    from toolkit.domain.worklist import worklist
    from toolkit.services.kept_outputs import fingerprint
    from toolkit.domain.register import ListRow

    def lists(deadline):
        item = ListRow("问题台账", 5, "91430200MA4AAAAA01", "企业", {"problem": "用地", "assigned_to": "县自然资源局",
                                                                 "deadline": deadline, "status": "办理中"})
        p = P.pipeline(PERIOD, [P.CountyLists("攸县", "攸县.xlsx", ledger=(item,))], ["攸县"], {}, {},
                       register_checked=False, due=AS_OF)
        return worklist(p, "攸县", "攸县.xlsx")

    assert fingerprint(lists("2022-09-01")) == fingerprint(lists("2022-09-01"))
    assert fingerprint(lists("2022-09-01")) != fingerprint(lists("2022-09-02"))  # 37 days overdue, then 36


def test_consolidate_names_the_worklists_folder(tmp_path, capsys):
    from toolkit.cli import main

    workspace, _ = _workspace(tmp_path)
    main(["consolidate", "--workspace", str(workspace.root), "--period", str(PERIOD)])
    out = "".join(capsys.readouterr().out.split())  # the console may wrap a long line anywhere
    folder = workspace.output / "工作清单" / str(PERIOD)
    assert f"已受理单位的培育工作清单10份（随校验结果发回）：{folder}" in out
