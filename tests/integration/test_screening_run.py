"""`guishang screen run` end to end: the departments' files as they send them, the starting register, then the
city's candidates workbook (kept in the city) and each county's worklist with only its own firms; run again, nothing
new is written; without the starting register, nothing is screened and the clerk is told what to import."""

from __future__ import annotations

import openpyxl

from conftest import new_workspace
from county_files import register_file
from screening_data import CODES, M22, department_files
from toolkit.cli import main
from toolkit.domain.stamp import STAMP_SHEET, FileKind

def rows_of(path, sheet):
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return [list(r) for r in book[sheet].iter_rows(values_only=True)]
    finally:
        book.close()


def test_screen_run_lists_each_kind_under_its_county_and_keeps_the_city_file_in(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    ws = new_workspace(tmp_path / "ws")
    files = department_files(tmp_path)
    assert main(["screen", "import", *map(str, files), "--workspace", str(ws)]) == 0
    # without the starting register nothing is screened, and the clerk is told which command imports it
    assert main(["screen", "run", "--period", "2022-09", "--workspace", str(ws)]) != 0
    said = capsys.readouterr().out
    assert "尚未导入规划起始时的规上工业企业名录" in said and f"guishang register import --workspace {ws}" in said
    assert not (ws / "输出" / "应入尽入").exists()

    register_file(tmp_path / "名录.xlsx", [(CODES["held"], "株洲在库老厂有限公司", "430202", "荷塘区")])
    assert main(["register", "import", "--workspace", str(ws), str(tmp_path / "名录.xlsx")]) == 0
    capsys.readouterr()
    assert main(["screen", "run", "--period", "2022-09", "--workspace", str(ws)]) == 0
    said = capsys.readouterr().out
    assert "共列出 4 家，达标未入规 2 家，新建投产窗口 1 家，可能达标 1 家" in said

    folder = ws / "输出" / "应入尽入" / "2022-09"
    city = folder / "市级候选企业（仅限市级，不外发）" / "应入尽入候选企业_2022-09.xlsx"
    table = rows_of(city, "候选企业")
    header = table[2]
    listed = {row[header.index("统一社会信用代码")]: row for row in table[3:]}
    kind, county = header.index("类别"), header.index("县市区")
    assert {code: (row[county], row[kind]) for code, row in listed.items()} == {
        CODES["reached"]: ("天元区", "达标未入规"), CODES["new"]: ("天元区", "新建投产窗口"),
        CODES["likely"]: ("荷塘区", "可能达标"), CODES["last_year"]: ("攸县", "达标未入规")}
    assert listed[CODES["reached"]][header.index("本年累计销售额（万元）")] == 2700
    assert "2021年全年销售额2,160.00万元" in listed[CODES["last_year"]][header.index("依据")]
    not_listed = {row[1]: row[-1] for row in rows_of(city, "未列入的达标企业")[3:]}
    assert set(not_listed) == {CODES["closed"]} and "注销" in not_listed[CODES["closed"]]
    readme = {row[0]: row[1] for row in rows_of(city, "说明")[1:] if row[0]}
    assert readme["销售额达标而未列入"].startswith("已在库1家；非工业1家（51 批发业1家）（以上不逐一列出）")

    # each county's worklist: only its own firms, with the materials and the columns it fills in
    tianyuan = folder / "天元区_2022-09_应入尽入工作清单.xlsx"
    own = rows_of(tianyuan, "候选企业")
    codes = {row[0] for row in own[3:]}
    assert codes == {CODES["reached"], CODES["new"]}
    assert own[2][-5:] == ["联系企业日期", "是否已申报", "申报日期", "结果", "不符合或暂不申报的原因、说明"]
    assert "新建项目的备案（核准）文件" in own[3 + [r[0] for r in own[3:]].index(CODES["new"])][own[2].index(
        "需准备的申报材料")]
    everything = "".join(str(v) for row in rows_of(tianyuan, "候选企业") + rows_of(tianyuan, "月度销售额")
                         for v in row if v is not None)
    assert all(CODES[k] not in everything for k in ("likely", "last_year", "trade", "held"))
    empty = rows_of(folder / "芦淞区_2022-09_应入尽入工作清单.xlsx", "说明")
    assert any("本期未筛出本县市区的应入尽入候选企业" in str(r[1]) for r in empty)

    # the same screen again writes nothing new
    before = sorted(p.name for p in folder.rglob("*.xlsx"))
    assert main(["screen", "run", "--period", "2022-09", "--workspace", str(ws)]) == 0
    assert sorted(p.name for p in folder.rglob("*.xlsx")) == before
    # the outputs are not reports: dropped into the inbox, they are not taken for one
    stamp = {row[0]: row[1] for row in rows_of(tianyuan, STAMP_SHEET) if row and row[0]}
    assert stamp["文件类型"] == FileKind.SCREENING.value and stamp["县市区"] == "天元区"
    assert not FileKind.SCREENING.is_submission


def test_what_a_screen_listed_is_kept_prefills_the_follow_up_sheet_and_survives_a_rebuild(tmp_path, capsys):
    from toolkit.domain.periods import Period
    from toolkit.services.workspace import Workspace

    ws = new_workspace(tmp_path / "ws")
    register_file(tmp_path / "名录.xlsx", [(CODES["held"], "株洲在库老厂有限公司", "430202", "荷塘区")])
    assert main(["register", "import", "--workspace", str(ws), str(tmp_path / "名录.xlsx")]) == 0
    assert main(["screen", "import", *map(str, department_files(tmp_path)), "--workspace", str(ws)]) == 0
    assert main(["screen", "run", "--period", "2022-09", "--workspace", str(ws)]) == 0

    def kept():
        store = Workspace(ws).open_store()
        try:
            return [(f.uscc, f.county, f.kind) for f in store.screening.screened(Period(2022, 9))]
        finally:
            store.close()

    listed = kept()
    assert len(listed) == 4 and (CODES["new"], "天元区", "新建投产窗口") in listed
    assert main(["rebuild", "--workspace", str(ws)]) == 0
    assert kept() == listed

    # the county's next template carries its firms to follow, 跟进中 until it says otherwise
    out = tmp_path / "模板"
    assert main(["template", "--workspace", str(ws), "--period", "2022-10", "--county", "天元区", "--out", str(out)]) == 0
    (template,) = out.glob("*.xlsx")
    rows = rows_of(template, "应入尽入跟踪")
    followed = {row[0]: row[5] for row in rows[4:] if row[0]}
    assert followed == {CODES["reached"]: "跟进中", CODES["new"]: "跟进中"}


def test_the_countys_answers_come_back_with_its_return_and_the_summary_shows_the_funnel(tmp_path, policy, capsys):
    """天元区 answers in its next return: 甲 applied, 戊 (new build) found not to qualify with the reason; 丁 of
    荷塘区 entered — its county lists it as 新增, so it counts as entered without any answer; 攸县 says nothing."""
    import datetime as dt

    from county_files import entry, write_report

    ws = new_workspace(tmp_path / "ws")
    register_file(tmp_path / "名录.xlsx", [(CODES["held"], "株洲在库老厂有限公司", "430202", "荷塘区")])
    assert main(["register", "import", "--workspace", str(ws), str(tmp_path / "名录.xlsx")]) == 0
    assert main(["screen", "import", *map(str, department_files(tmp_path)), "--workspace", str(ws)]) == 0
    assert main(["screen", "run", "--period", "2022-09", "--workspace", str(ws)]) == 0
    answers = [{"uscc": CODES["reached"], "name": "株洲甲机械有限公司", "contacted": dt.date(2022, 10, 12),
                "applied": "已申报", "applied_on": dt.date(2022, 10, 20), "result": "跟进中"},
               {"uscc": CODES["new"], "name": "株洲戊新材料有限公司", "contacted": dt.date(2022, 10, 13),
                "result": "不符合条件", "reason": "核实为贸易业务，营业收入主要为代销"}]
    write_report(ws / "收件箱", policy, "天元区", "2022-10", more={"follow_up": answers})
    write_report(ws / "收件箱", policy, "荷塘区", "2022-10",
                 entries=[{**entry(CODES["likely"], "2022-10"), "name": "株洲丁化工有限公司", "industry": "2614"}])
    capsys.readouterr()
    main(["consolidate", "--workspace", str(ws), "--period", "2022-10"])
    (summary,) = (ws / "输出" / "汇总").glob("*_2022-10.xlsx")
    funnel = {row[0]: row[1:10] for row in rows_of(summary, "应入尽入")[3:] if row[0]}
    # 筛出, 自报, 已联系, 已申报, 已入库, 不符合条件, 企业暂不申报, 未反馈
    assert funnel["天元区"][:8] == [2, 0, 2, 1, 0, 1, 0, 0]
    assert funnel["荷塘区"][:8] == [1, 0, 1, 1, 1, 0, 0, 0]
    assert funnel["攸县"][:8] == [1, 0, 0, 0, 0, 0, 0, 1]
    assert funnel["全市"][:8] == [4, 0, 3, 2, 1, 1, 0, 1]
    firms = {row[1]: row for row in rows_of(summary, "应入尽入明细")[3:] if row[1]}
    assert firms[CODES["likely"]][4:6] == ["已入库", "2022-10入库（荷塘区报表新增）"]
    assert firms[CODES["new"]][4] == "不符合条件" and firms[CODES["new"]][10] == "核实为贸易业务，营业收入主要为代销"
    assert firms[CODES["new"]][12] == 6 and firms[CODES["new"]][11].startswith("天元区_2022-10")  # its source row
    assert firms[CODES["last_year"]][4] == "未反馈"


def test_a_listed_firm_on_the_confirmed_list_is_closed_as_entered(tmp_path, capsys):
    """The statistics office's confirmed list names 戊 (a new build) as entered in November: the funnel counts it
    as 已入库 with that source, whatever its county wrote — here nothing at all."""
    from test_confirmed import confirmed_file
    from toolkit.domain.periods import Period
    from toolkit.services.screening import funnel_at
    from toolkit.services.workspace import Workspace

    ws = new_workspace(tmp_path / "ws")
    register_file(tmp_path / "名录.xlsx", [(CODES["held"], "株洲在库老厂有限公司", "430202", "荷塘区")])
    assert main(["register", "import", "--workspace", str(ws), str(tmp_path / "名录.xlsx")]) == 0
    assert main(["screen", "import", *map(str, department_files(tmp_path)), "--workspace", str(ws)]) == 0
    assert main(["screen", "run", "--period", "2022-09", "--workspace", str(ws)]) == 0
    listed = confirmed_file(tmp_path / "确认名单.xlsx", [(CODES["new"], "株洲戊新材料有限公司", "天元区", "新增", "2022-11")])
    assert main(["register", "import", "--workspace", str(ws), "--confirmed", "--period", "2022-12", str(listed)]) == 0
    workspace = Workspace(ws)
    store = workspace.open_store()
    try:
        view = funnel_at(store, workspace.policy(), Period(2022, 12))
        before = funnel_at(store, workspace.policy(), Period(2022, 10))  # entered in November: not yet in October
    finally:
        store.close()
    stage = {f.uscc: (f.stage, f.entered_by) for f in view.followed}
    assert stage[CODES["new"]] == ("已入库", "2022-11入库（统计局确认名单）")
    assert {f.uscc: f.stage for f in before.followed}[CODES["new"]] == "未反馈"
    assert view.rows[-1].entered == 1 and view.rows[-1].screened == 4


def test_a_corrected_extract_replaces_the_months_it_repeats_and_both_outputs_say_so(tmp_path, capsys, monkeypatch):
    """The tax office resends 2022-01…09 for one firm after a 更正申报: its sales are taken from the new file, not
    added to the old ones; the city's workbook and the county's worklist say which files overlapped."""
    monkeypatch.setenv("COLUMNS", "200")
    ws = new_workspace(tmp_path / "ws")
    files = department_files(tmp_path)
    corrected = tmp_path / "税务申报销售额（更正后）.csv"
    corrected.write_text("纳税人识别号,纳税人名称,所属期,销售额（元）,国标行业,登记状态\n" + "".join(
        f"{CODES['reached']},株洲甲机械有限公司,{m},3100000,C3311,正常\n" for m in M22), encoding="utf-8")
    assert main(["screen", "import", *map(str, files), "--workspace", str(ws)]) == 0
    assert main(["screen", "import", str(corrected), "--workspace", str(ws)]) == 0
    said = capsys.readouterr().out
    assert "与其后导入的“税务申报销售额（更正后）.csv”月份重叠（2022-01至2022-09）" in said
    register_file(tmp_path / "名录.xlsx", [(CODES["held"], "株洲在库老厂有限公司", "430202", "荷塘区")])
    assert main(["register", "import", "--workspace", str(ws), str(tmp_path / "名录.xlsx")]) == 0
    assert main(["screen", "run", "--period", "2022-09", "--workspace", str(ws)]) == 0
    folder = ws / "输出" / "应入尽入" / "2022-09"
    table = rows_of(folder / "市级候选企业（仅限市级，不外发）" / "应入尽入候选企业_2022-09.xlsx", "候选企业")
    header = table[2]
    listed = {row[header.index("统一社会信用代码")]: row for row in table[3:]}
    assert listed[CODES["reached"]][header.index("本年累计销售额（万元）")] == 2790  # 310 × 9, not 300 × 9 + 310 × 9
    readme = {row[0]: row[1] for row in rows_of(folder / "市级候选企业（仅限市级，不外发）" /
                                                "应入尽入候选企业_2022-09.xlsx", "说明")[1:] if row[0]}
    assert "同一纳税人同一月份以后导入的文件为准" in readme["说明"]
    worklist = rows_of(folder / "天元区_2022-09_应入尽入工作清单.xlsx", "说明")
    assert any("同一纳税人同一月份以后导入的文件为准" in str(r[1]) for r in worklist)
