"""Two files of one county and period: the workbook's own saved time decides, whatever the file times say
(chat apps reset them at download); the city can take the other file explicitly, and that choice is kept
in the audit trail and survives a rebuild."""

from __future__ import annotations

import datetime as dt
import re

from county_files import entry, firm, write_report
from conftest import new_workspace
from toolkit.cli import main
from toolkit.domain.periods import Period
from toolkit.services.consolidation import status
from toolkit.services.workspace import Workspace, init_workspace


def _two_files(tmp_path, policy):
    root = new_workspace(tmp_path / "工作区")
    rows = [entry(firm(policy, "荷塘区", n), "2022-03") for n in range(3)]
    wrong = write_report(root / "收件箱", policy, "荷塘区", "2022-06", rows[:1], name="荷塘区_2022-06（原）.xlsx",
                         saved=dt.datetime(2022, 7, 4, 10, 2), mtime=1_657_100_000)  # downloaded last
    right = write_report(root / "收件箱", policy, "荷塘区", "2022-06", rows, name="荷塘区_2022-06（更正）.xlsx",
                         saved=dt.datetime(2022, 7, 5, 9, 15), mtime=1_657_000_000)
    return root, wrong, right


def _counted(root, county: str = "荷塘区", period: Period = Period(2022, 6)) -> tuple[str, int]:
    summary = status(Workspace.at(root), period)
    row = next(s for s in summary.statuses if s.county == county)
    figures = next(f for f in summary.counties if f.county == county)
    return row.file, figures.new


def test_the_later_saved_workbook_counts_whatever_the_file_times_say(tmp_path, policy, capsys, monkeypatch,
                                                                     china_clock):
    monkeypatch.setenv("COLUMNS", "300")
    root, wrong, right = _two_files(tmp_path, policy)
    assert wrong.stat().st_mtime > right.stat().st_mtime
    main(["consolidate", "--workspace", str(root), "--period", "2022-06"])
    out = capsys.readouterr().out
    assert "以工作簿保存时间最晚的“荷塘区_2022-06（更正）.xlsx”为准（保存于 2022-07-05 17:15）" in out  # Beijing time
    assert _counted(root) == (right.name, 3)


def test_the_city_can_take_the_other_file_and_a_rebuild_keeps_the_choice(tmp_path, policy, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "300")
    root, wrong, right = _two_files(tmp_path, policy)
    main(["consolidate", "--workspace", str(root), "--period", "2022-06"])
    assert main(["choose", "--workspace", str(root), "--period", "2022-06", "--county", "荷塘区",
                 "--file", wrong.name, "--note", "更正件经核实有误，仍以原件为准"]) == 0
    out = capsys.readouterr().out
    assert "已指定" in out and "guishang consolidate" in out
    assert _counted(root) == (wrong.name, 1)
    assert main(["rebuild", "--workspace", str(root)]) == 0
    assert _counted(root) == (wrong.name, 1)  # the choice is journalled: a rebuilt store keeps it
    assert main(["choose", "--workspace", str(root), "--period", "2022-06", "--county", "荷塘区",
                 "--file", "没有这个文件.xlsx"]) == 2
    assert "已收到" in capsys.readouterr().out


def test_a_file_without_a_saved_time_falls_back_to_the_order_of_receipt(tmp_path, policy):
    from toolkit.domain.submissions import pick_current

    class Row:
        def __init__(self, id, name, received, saved):
            self.id, self.sha256, self.file_name, self.received_at, self.saved_at = id, f"h{id}", name, received, saved

    first, second = Row(1, "甲.xlsx", "2022-07-01 09:00:00", "2022-07-05 01:00:00"), Row(2, "乙.xlsx", "2022-07-02 09:00:00", "")
    pick = pick_current([first, second])
    assert pick.current is second and "无法按保存时间比较" in pick.reason
    assert pick_current([first, second], chosen_sha256="h1", chosen_at="2022-07-03 10:00:00").current is first
    both = Row(3, "丙.xlsx", "2022-07-02 09:00:00", "2022-07-04 01:00:00")
    assert pick_current([first, both]).current is first  # saved later, although received earlier


def test_last_periods_workbook_renamed_loses_to_the_same_named_correction_in_a_subfolder(tmp_path, policy, capsys,
                                                                                       monkeypatch, china_clock):
    """攸县 first sends last period's workbook renamed to this period (its cover says 2022-06) and an .xls copy, then
    the corrected workbook under the same name in a subfolder of the inbox, saved two seconds *earlier*: the
    correction counts without the city choosing, every file is named by its path, and each returned file keeps
    its own results workbook (numbered, never written over), as many as the console counts."""
    monkeypatch.setenv("COLUMNS", "300")
    root = new_workspace(tmp_path / "工作区")
    inbox, name = root / "收件箱", "攸县_2022-09_规上工业企业报表.xlsx"
    rows = [entry(firm(policy, "攸县", n), "2022-03") for n in range(4)]
    write_report(inbox, policy, "攸县", "2022-06", rows[:2], name=name, saved=dt.datetime(2022, 10, 8, 9, 0, 2))
    (inbox / name.replace(".xlsx", ".xls")).write_bytes(b"\xd0\xcf\x11\xe0 not really a workbook")
    assert main(["consolidate", "--workspace", str(root), "--period", "2022-09"]) != 0
    out = capsys.readouterr().out
    results = root / "输出" / "校验结果"
    first = sorted(p.name for p in results.iterdir())
    assert first == ["攸县_2022-09_规上工业企业报表_校验结果.xlsx", "攸县_2022-09_规上工业企业报表_校验结果（2）.xlsx"]
    assert "2 份校验结果" in out
    before = {p.name: p.read_bytes() for p in results.iterdir()}

    (inbox / "更正").mkdir()
    write_report(inbox / "更正", policy, "攸县", "2022-09", rows, name=name, saved=dt.datetime(2022, 10, 8, 9, 0, 0))
    main(["consolidate", "--workspace", str(root), "--period", "2022-09"])
    out = capsys.readouterr().out
    assert f"“{name}”的封面是其他报送期" in out and f"以“更正/{name}”为准" in out
    summary = status(Workspace.at(root), Period(2022, 9))
    row = next(s for s in summary.statuses if s.county == "攸县")
    assert (row.file, row.status) == (f"更正/{name}", "已受理")
    assert next(f for f in summary.counties if f.county == "攸县").new == 4
    assert {p.name: p.read_bytes() for p in results.iterdir() if p.name in before} == before  # never written over

    # the city can still take either file, named by its path inside the inbox (a file at the inbox's top by its name)
    assert main(["choose", "--workspace", str(root), "--period", "2022-09", "--county", "攸县", "--file", name]) == 0
    assert _counted(root, "攸县", Period(2022, 9)) == (name, None)  # returned (E005): nothing counted
    assert main(["choose", "--workspace", str(root), "--period", "2022-09", "--county", "攸县",
                 "--file", f"更正\\{name}"]) == 0  # as a Windows clerk types it
    assert _counted(root, "攸县", Period(2022, 9)) == (f"更正/{name}", 4)
    assert main(["choose", "--workspace", str(root), "--period", "2022-09", "--county", "攸县",
                 "--file", "别处/" + name]) == 2
    out = capsys.readouterr().out
    assert f"“{name}”（" in out and f"“更正/{name}”（" in out and "保存于 2022-10-08 17:00）" in out


def test_saved_and_receipt_times_read_side_by_side_are_on_one_clock(tmp_path, policy, capsys, monkeypatch):
    """Receipt times are the machine's; a workbook's saved time (UTC in the file) is shown on the same clock, so a
    file saved and sent a moment ago reads saved and received within that moment — on a machine in UTC (CI) as on
    one in China's time zone."""
    import time

    monkeypatch.setenv("COLUMNS", "300")
    for zone in ("UTC0", "CST-8"):
        monkeypatch.setenv("TZ", zone)
        time.tzset()
        root = new_workspace(tmp_path / zone / "工作区")
        folder = root / "收件箱" / "更正"
        folder.mkdir()
        name = "攸县_2022-06_规上工业企业报表.xlsx"
        just_now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)
        rows = [entry(firm(policy, "攸县", n), "2022-05") for n in range(1, 3)]
        write_report(root / "收件箱", policy, "攸县", "2022-06", rows[:1], name=name, saved=just_now)
        write_report(folder, policy, "攸县", "2022-06", rows, name=name, saved=just_now)
        main(["consolidate", "--workspace", str(root), "--period", "2022-06"])
        capsys.readouterr()
        assert main(["choose", "--workspace", str(root), "--period", "2022-06", "--county", "攸县", "--file",
                     "别处/" + name]) == 2
        out = capsys.readouterr().out
        said = re.search(r"“更正/[^”]+”（([\d-]+ [\d:]+) 收到，保存于 ([\d-]+ [\d:]+)）", out)
        assert said, out
        received, saved = (dt.datetime.fromisoformat(t) for t in said.groups())
        assert abs((received - saved).total_seconds()) < 120, (zone, said.groups())
    monkeypatch.undo()
    time.tzset()


def test_a_file_received_and_replaced_in_one_run_has_one_line_in_the_inbox_table(tmp_path, policy):
    """An .xls that cannot be read beside the county's .xlsx: one line says it could not be read and that the
    .xlsx counts instead (not a second 被替换 line for the same file)."""
    from toolkit.services import consolidation

    workspace, _ = init_workspace(tmp_path / "工作区")
    rows = [entry(firm(policy, "攸县", n), "2022-05") for n in range(1, 3)]
    sent = write_report(workspace.inbox, policy, "攸县", "2022-06", rows)
    sent.with_suffix(".xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)  # an Excel 97 header
    run = consolidation.consolidate(workspace, Period(2022, 6), parallel=False)
    files = [n.file for n in run.notes]
    assert sorted(files) == sorted([sent.name, sent.with_suffix(".xls").name])
    old = next(n for n in run.notes if n.file.endswith(".xls"))
    assert old.what == "无法读取" and f"以“{sent.name}”为准" in old.message and "不再计入" in old.message
    later = consolidation.consolidate(workspace, Period(2022, 6), parallel=False)
    assert not any(n.what == "被替换" for n in later.notes)  # settled once: nothing said again
