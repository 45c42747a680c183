"""The statistics office's confirmed list against the counties' lists: every mismatch, nothing preferred."""

from __future__ import annotations

import openpyxl

from county_files import entry, exit_row, firm, write_report
from test_rebuild import snapshot
from conftest import new_workspace
from toolkit.cli import main
from toolkit.domain.periods import Period
from toolkit.services.consolidation import status
from toolkit.services.workspace import Workspace


def confirmed_file(path, rows):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "确认名单"
    sheet.append(["2022年1-6月规模以上工业企业入退库确认名单"])
    sheet.append(["统一社会信用代码", "详细名称", "所属县市区", "变动类型", "变动月份"])
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path


def test_every_difference_is_reported_and_neither_side_preferred(tmp_path, policy, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "250")
    root = new_workspace(tmp_path / "ws")
    a, b, c, e = (firm(policy, "天元区", n) for n in (1, 2, 3, 5))
    d, y = firm(policy, "攸县", 1), firm(policy, "攸县", 90)
    x = firm(policy, "天元区", 90)
    write_report(root / "收件箱", policy, "天元区", "2022-06", [entry(a, "2022-02"), entry(b, "2022-03"), entry(c, "2022-04")],
                 [exit_row(x, "2022-05")])
    write_report(root / "收件箱", policy, "攸县", "2022-06", [entry(d, "2022-02")])
    main(["consolidate", "--workspace", str(root), "--period", "2022-06"])
    workspace = Workspace.at(root)
    before = status(workspace, Period(2022, 6))
    capsys.readouterr()

    listing = confirmed_file(tmp_path / "统计确认名单.xlsx", [
        (a, "株洲甲有限公司", "天元区", "新增", "2022-02"),
        (b, "株洲乙有限公司", "攸县", "新增", "2022-03"),  # the office has it in 攸县
        (e, "株洲戊有限公司", "天元区", "新增", "2022-06"),  # 天元区 did not report it
        (d, "攸县丁有限公司", "攸县", "新增", "2022-02"),
        (x, "株洲庚有限公司", "天元区", "退库", "2022-05"),
        (y, "攸县己有限公司", "攸县", "退库", "2022-04"),  # 攸县 did not report it
    ])
    assert main(["register", "import", "--workspace", str(root), "--confirmed", "--period", "2022-06", str(listing)]) == 0
    out = capsys.readouterr().out
    assert "新增 4 家、退库 2 家" in out and "有差异" in out

    after = status(workspace, Period(2022, 6))
    found = {(f.file.split("_")[0], f.code, f.value) for f in after.findings if f.code.startswith("W2") and f.code >= "W208"}
    assert found == {("天元区", "W208", b), ("天元区", "W208", c), ("天元区", "W210", e),
                     ("攸县", "W210", b), ("攸县", "W211", y)}
    b_message = next(f.message for f in after.findings if f.code == "W208" and f.value == b)
    assert "属于攸县" in b_message
    # nothing silently preferred: figures and acceptance are the counties' own
    assert [(f.county, f.new, f.exits) for f in after.counties] == [(f.county, f.new, f.exits) for f in before.counties]
    assert [s.status for s in after.statuses] == [s.status for s in before.statuses]
    rows = {r.county: r for r in after.reconciliation}
    tianyuan, youxian = rows["天元区"], rows["攸县"]
    assert (tianyuan.reported_new, tianyuan.confirmed_new, tianyuan.new_unconfirmed, tianyuan.new_unreported) == (3, 2, 2, 1)
    assert (youxian.reported_new, youxian.confirmed_new, youxian.new_unconfirmed, youxian.new_unreported) == (1, 2, 0, 1)
    assert (youxian.reported_exits, youxian.confirmed_exits, youxian.exits_unreported) == (0, 1, 1)
    assert rows["荷塘区"].reported_new is None

    main(["consolidate", "--workspace", str(root), "--period", "2022-06"])
    (book, *_) = sorted((root / "输出" / "汇总").glob("*.xlsx"))[-1:]
    sheet = openpyxl.load_workbook(book)["统计核对"]
    assert any(r[0] == "天元区" and r[-1] == "有差异" for r in sheet.iter_rows(min_row=4, values_only=True))

    figures = snapshot(workspace, ("2022-06",))
    workspace.store_path.unlink()
    assert main(["rebuild", "--workspace", str(root)]) == 0
    assert snapshot(workspace, ("2022-06",)) == figures


def test_a_confirmed_list_with_mistakes_is_refused(tmp_path, policy, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "250")
    root = new_workspace(tmp_path / "ws")
    listing = confirmed_file(tmp_path / "名单.xlsx", [
        (firm(policy, "天元区", 1), "株洲甲有限公司", "天元区", "迁入", "2022-02"),  # row 3: unknown change
        (firm(policy, "天元区", 2), "株洲乙有限公司", "天元区", "新增", "2022-09"),  # row 4: after the period
    ])
    assert main(["register", "import", "--workspace", str(root), "--confirmed", "--period", "2022-06", str(listing)]) == 1
    out = capsys.readouterr().out
    assert "确认名单!D3" in out and "迁入" in out and "2022-09" in out and "未导入" in out
    assert main(["register", "import", "--workspace", str(root), "--confirmed", str(listing)]) == 2  # no --period
