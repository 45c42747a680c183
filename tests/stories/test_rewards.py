"""The reward batch as the bureau runs it on the shipped samples: 2022, then a simulated 2023 with exits.

Evidence (confirmed list, tax list) is required, every exclusion has its reason, the ledger never pays a
tranche twice, the second tranche comes from the ledger, the documents are written and conform, and a
rebuild from the archive gives the same ledger.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3

import docx
import openpyxl
import pytest

from conftest import ROOT, SAMPLE_REPORTS, docx_text, settled_policy
from toolkit.adapters.docx_lint import lint_docx
from toolkit.adapters.office_pdf import to_pdf
from toolkit.adapters.rendered_lint import check_rendered, read_pdf
from toolkit.cli import main
from toolkit.domain.money import capitals, wan

OFFICES = ROOT / "samples" / "部门数据"
CONFIRMED = str(OFFICES / "{}年规上工业企业新增退库确认名单（统计局）.xlsx")
TAXES = str(OFFICES / "{}年新入规企业税收（税务局）.xlsx")


def run(*argv) -> int:
    return main([str(a) for a in argv])


def ledger(root) -> list[tuple]:
    with sqlite3.connect(root / "数据库" / "guishang.sqlite") as db:
        return db.execute("SELECT uscc, county, kind, entry_year, tranche, amount, city_amount, second FROM reward_lines "
                          "ORDER BY uscc, tranche").fetchall()


@pytest.fixture(scope="module")
def year_2022(tmp_path_factory):
    """The samples of 2022 consolidated, with the statistics office's and the tax office's lists imported."""
    root = tmp_path_factory.mktemp("rewards") / "工作区"
    run("init", root)
    settled_policy(root)
    for period in ("2022-03", "2022-06", "2022-12"):
        for path in (SAMPLE_REPORTS / period).glob("*.xlsx"):
            shutil.copy(path, root / "收件箱")
        run("consolidate", "--workspace", root, "--period", period)
    return root


def _copy(root, tmp_path):
    return shutil.copytree(root, tmp_path / "工作区")


def test_no_money_without_the_offices_figures(year_2022, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    year_2022 = _copy(year_2022, tmp_path)
    assert run("rewards", "approve", "--workspace", year_2022, "--year", 2022) == 2
    assert "尚未导入统计部门确认的2022年新增名单" in capsys.readouterr().out
    assert run("register", "import", "--workspace", year_2022, "--confirmed", "--period", "2022-12",
               CONFIRMED.format(2022)) == 0
    assert run("rewards", "approve", "--workspace", year_2022, "--year", 2022) == 2
    assert "尚未导入税务部门2022年" in capsys.readouterr().out
    assert run("rewards", "draft", "--workspace", year_2022, "--year", 2022) == 0  # a preview is allowed
    out = capsys.readouterr().out
    assert "草稿：未审批" in out and ledger(year_2022) == []
    assert (year_2022 / "输出" / "奖励" / "2022年度（草稿）" / "2022年度（草稿）奖励资金请示.docx").is_file()
    assert run("tax", "import", "--workspace", year_2022, "--year", 2022, TAXES.format(2022)) == 0
    assert run("tax", "import", "--workspace", year_2022, "--year", 2022, TAXES.format(2022)) == 0
    assert "已导入过，内容相同" in capsys.readouterr().out


@pytest.fixture(scope="module")
def batch_2022(year_2022, tmp_path_factory):
    """The 2022 batch approved (the tests below go on in this workspace in file order: 2022, then 2023)."""
    root = _copy(year_2022, tmp_path_factory.mktemp("batch"))
    assert run("register", "import", "--workspace", root, "--confirmed", "--period", "2022-12", CONFIRMED.format(2022)) == 0
    assert run("tax", "import", "--workspace", root, "--year", 2022, TAXES.format(2022)) == 0
    assert run("rewards", "approve", "--workspace", root, "--year", 2022, "--date", "2023-03-15", "--number") == 0
    return root


def _workbook_rows(path, sheet):
    ws = openpyxl.load_workbook(path, data_only=True)[sheet]
    return [r for r in ws.iter_rows(min_row=4, values_only=True) if any(v is not None for v in r)]


def test_the_2022_batch_follows_the_rules(batch_2022):
    lines = ledger(batch_2022)
    assert lines and all(x[4] == 1 for x in lines)
    kinds = {(county, kind): (amount, city, second) for _u, county, kind, _y, _t, amount, city, second in lines}
    assert kinds[("荷塘区", "新建投产")] == (50_000, 25_000, 50_000)  # half now, city 50%, half next year
    assert kinds[("攸县", "小升规")] == (40_000, 9_000, 40_000)  # 就高: 攸县's own 80,000; city 30% of its 60,000
    assert kinds[("醴陵市", "新建投产")] == (75_000, 15_000, 75_000)  # 就高: 醴陵市's own 150,000
    folder = batch_2022 / "输出" / "奖励" / "2022年度第1批"
    city_book = folder / "明细" / "2022年度第1批奖励明细（全市）.xlsx"
    excluded = {(r[0], r[7]) for r in _workbook_rows(city_book, "未兑现")}
    codes = {r[6] for r in _workbook_rows(city_book, "未兑现")}
    assert {"J202", "J101", "J104", "J203"} <= codes  # each reason with its code (domain.reward_reasons)
    reasons = " ".join(reason for _c, reason in excluded)
    assert "未形成税收" in reasons and "归属待认定" in reasons and "不在统计部门确认的2022年新增名单" in reasons
    assert any(c == "荷塘区" and "已于2022-10退库（停产）" in r for c, r in excluded)  # entered and left in 2022
    subjects = {(r[0], r[3]) for r in _workbook_rows(city_book, "核对差异")}
    assert {("炎陵县", "入规类型"), ("醴陵市", "当年税收"), ("荷塘区", "当年税收"), ("石峰区", "新增名单"),
            ("渌口区", "当年税收")} <= subjects
    paid = _workbook_rows(city_book, "兑现明细")
    assert len(paid) == len(lines) and sum(r[8] for r in paid) == sum(x[5] for x in lines)
    county_book = folder / "明细" / "2022年度第1批奖励明细（攸县）.xlsx"
    assert {r[1] for r in _workbook_rows(county_book, "兑现明细")} == {"攸县"}
    # #18: a firm two counties both report is one row in the city's list, naming both; each county sees its claim
    rows = _workbook_rows(city_book, "未兑现")
    keys = [(r[2], r[4], r[5]) for r in rows]
    assert len(keys) == len(set(keys))
    shared = [r for r in rows if r[6] == "J101"]
    assert shared and all("、" in r[0] for r in shared)
    for county in shared[0][0].split("、"):
        own = _workbook_rows(folder / "明细" / f"2022年度第1批奖励明细（{county}）.xlsx", "未兑现")
        assert [(r[0], r[2]) for r in own if r[6] == "J101"] == [(county, shared[0][2])]
    # the statistics office's county is shown beside the claims, once, as evidence for the city's attribution
    evidence = [r for r in _workbook_rows(city_book, "核对差异") if r[2] == shared[0][2]]
    assert len(evidence) == 1 and evidence[0][0] == shared[0][0] and evidence[0][3] == "县市区"
    assert evidence[0][4] == f"{shared[0][0]}均报为新增" and evidence[0][5] in shared[0][0].split("、")
    assert f"统计部门确认名单列为{evidence[0][5]}" in evidence[0][6]


def test_the_documents_are_ready_for_signature(batch_2022):
    folder = batch_2022 / "输出" / "奖励" / "2022年度第1批"
    request = folder / "2022年度第1批奖励资金请示.docx"
    assert lint_docx(request) == []
    text = docx_text(request)
    total = sum(x[5] for x in ledger(batch_2022))
    assert "妥否，请批示。" in text and "签发人：李建国" in text and "株工信呈〔2023〕1号" in text
    # a leader's reading: the sum in 万元 with capitals, a table by county, the sharing rule and 就高
    assert f"{wan(total)}万元（{capitals(total)}）" in text and "附件：2022年度奖励资金拟兑现企业名单" in text
    assert "分担比例为：各区5∶5，各县市3∶7。" in text
    assert "醴陵市（新建投产15万元）、攸县（小升规8万元）县级标准较高，就高兑现，高出部分由县级承担。" in text
    assert "另有" in text and "本批未予兑现：" in text and "明细表" not in text  # no document that is not attached
    body = docx.Document(str(request)).tables[0]
    rows = [[c.text for c in r.cells] for r in body.rows]
    assert rows[0] == ["县市区", "企业（家）", "奖励资金", "市级承担", "县级承担"]
    assert rows[-1][0] == "合计" and rows[-1][1] == str(len(ledger(batch_2022)))
    assert rows[-1][2] == f"{total / 10000:,.2f}"
    assert sum(int(r[1]) for r in rows[1:-1]) == len(ledger(batch_2022))
    assert text.count("市人民政府：") == 1  # one main recipient
    form = docx_text(folder / "2022年度第1批奖励资金审批表.docx")
    for box in ("经办人", "审核人", "分管领导意见", "主要领导意见", f"合计金额（大写）：{capitals(total)}"):
        assert box in form
    assert "株工信呈〔2023〕1号" in form and "资金来源：" in form  # its basis: the request, by number
    display = docx_text(folder / "2022年度第1批拟兑现企业名单公示.docx")
    assert "公示期为5个工作日（2023年3月15日至2023年3月21日）" in display
    assert "通讯地址：株洲市天元区" in display and "电子邮箱：" in display and "联系人：王晓明" in display


def test_the_years_periods_are_closed_and_a_rerun_approves_nothing(batch_2022, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    before = ledger(batch_2022)
    assert run("status", "--workspace", batch_2022, "--period", "2022-12") in (0, 1)
    assert "封账" in capsys.readouterr().out
    assert run("rewards", "approve", "--workspace", batch_2022, "--year", 2022) == 0
    out = capsys.readouterr().out
    assert "已审批过，未重复审批" in out and ledger(batch_2022) == before
    assert run("rewards", "approve", "--workspace", batch_2022, "--year", 2022, "--new-batch") == 1
    assert "没有可兑现的企业" in capsys.readouterr().out and ledger(batch_2022) == before


def test_a_late_attribution_is_paid_in_a_new_batch_only(batch_2022, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    with sqlite3.connect(batch_2022 / "数据库" / "guishang.sqlite") as db:
        exclusions = db.execute("SELECT exclusions FROM reward_batches WHERE seq = 1").fetchone()[0]
    pending = next(x for x in json.loads(exclusions) if "归属待认定" in x["reason"])
    before = ledger(batch_2022)
    assert run("assign", "--workspace", batch_2022, "--uscc", pending["uscc"], "--county", "天元区", "--year", 2022) == 0
    assert run("rewards", "show", "--workspace", batch_2022, "--year", 2022) == 0
    assert "另有 1 家（次）现在符合条件但尚未审批" in capsys.readouterr().out
    assert run("rewards", "approve", "--workspace", batch_2022, "--year", 2022, "--new-batch") == 0
    added = sorted(set(ledger(batch_2022)) - set(before))
    assert [(x[0], x[1]) for x in added] == [(pending["uscc"], "天元区")]
    assert (batch_2022 / "输出" / "奖励" / "2022年度第2批" / "2022年度第2批奖励资金请示.docx").is_file()


def test_payment_is_recorded_once(batch_2022, capsys):
    with pytest.raises(SystemExit) as refused:  # the payment date is required by the parser
        run("rewards", "paid", "--workspace", batch_2022, "--year", 2022, "--batch", 1)
    assert refused.value.code == 2
    assert run("rewards", "paid", "--workspace", batch_2022, "--year", 2022, "--batch", 1, "--date", "2023-04-20") == 0
    assert run("rewards", "paid", "--workspace", batch_2022, "--year", 2022, "--batch", 1, "--date", "2023-04-21") == 2
    assert "已于2023-04-20登记拨付" in capsys.readouterr().out
    assert run("rewards", "paid", "--workspace", batch_2022, "--year", 2022, "--batch", 9, "--date", "2023-04-21") == 2


def test_2023_pays_second_tranches_from_the_ledger_and_excludes_exits(batch_2022, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    root = batch_2022
    for path in (SAMPLE_REPORTS / "2023-12").glob("*.xlsx"):
        shutil.copy(path, root / "收件箱")
    run("consolidate", "--workspace", root, "--period", "2023-12")
    assert run("register", "import", "--workspace", root, "--confirmed", "--period", "2023-12",
               CONFIRMED.format(2023)) == 0
    assert run("tax", "import", "--workspace", root, "--year", 2023, TAXES.format(2023)) == 0  # in 元
    first_2022 = {x[0]: x for x in ledger(root) if x[3] == 2022}
    assert run("rewards", "approve", "--workspace", root, "--year", 2023, "--date", "2024-03-15") == 0
    after = ledger(root)
    second = {x[0]: x for x in after if x[3] == 2022 and x[4] == 2}
    first_2023 = [x for x in after if x[3] == 2023]
    assert first_2023 and second
    for uscc, line in second.items():
        assert line[5] == first_2022[uscc][7]  # the second tranche is what the ledger planned
    excluded = _workbook_rows(root / "输出" / "奖励" / "2023年度第1批" / "明细" / "2023年度第1批奖励明细（全市）.xlsx",
                              "未兑现")
    gone = {r[0]: r[7] for r in excluded if r[5] == "第二期"}
    assert {r[6] for r in excluded if r[5] == "第二期"} == {"J204"}
    assert set(gone) == {"芦淞区", "醴陵市", "攸县"} and "已于2023-05退库" in gone["芦淞区"]
    assert set(second) | {r[2] for r in excluded if r[5] == "第二期"} == set(first_2022)  # none forgotten


def test_rebuild_gives_the_same_ledger(batch_2022):
    before = ledger(batch_2022)
    assert run("rebuild", "--workspace", batch_2022) == 0
    assert ledger(batch_2022) == before


def test_tax_lists_must_state_their_unit(tmp_path, year_2022, capsys):
    from toolkit.adapters.xlsx_styles import new_workbook
    path = tmp_path / "税收.xlsx"
    wb = new_workbook(path, title="t")
    ws = wb.add_worksheet("Sheet1")
    for col, header in enumerate(("统一社会信用代码", "企业名称", "当年税收")):
        ws.write_string(0, col, header)
    ws.write_string(1, 0, "91430202MA4L12345X")
    wb.close()
    assert run("tax", "import", "--workspace", year_2022, "--year", 2021, path) == 1
    assert "没有注明单位" in capsys.readouterr().out


def test_libreoffice_renders_the_batch_and_recalculates_its_totals(batch_2022, tmp_path, soffice):
    import subprocess
    folder = batch_2022 / "输出" / "奖励" / "2022年度第1批"
    book = folder / "明细" / "2022年度第1批奖励明细（全市）.xlsx"
    total = sum(r[8] for r in _workbook_rows(book, "兑现明细"))
    for name, expected in (("2022年度第1批奖励资金请示.docx", "妥否，请批示。"),
                           ("2022年度第1批奖励资金审批表.docx", "主要领导意见"),
                           ("2022年度第1批拟兑现企业名单公示.docx", "现予公示")):
        result = soffice(folder / name, "pdf", tmp_path)
        pdf = tmp_path / name.replace(".docx", ".pdf")
        assert result.returncode == 0 and pdf.is_file(), result.stderr
        flat = "".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout.split())
        assert expected in flat and "—1—" in flat
    assert capitals(total) in "".join(subprocess.run(
        ["pdftotext", str(tmp_path / "2022年度第1批奖励资金请示.pdf"), "-"], capture_output=True, text=True).stdout.split())
    # what the eye sees (#19), rendered as the product renders (its fonts): the request's body, signature and
    # contact within two pages, its list on turned pages; the approval form's page 1 is the page signed
    request = read_pdf(to_pdf(folder / "2022年度第1批奖励资金请示.docx", tmp_path / "request.pdf"))
    dated = [line.page for page in request.lines for line in page if line.text == "2023年3月15日"]
    assert dated and dated[0] <= 2 and any(line.text.startswith("（联系人：") for line in request.lines[dated[0] - 1])
    assert request.sizes[2][0] > request.sizes[2][1]  # the attachment turned
    assert check_rendered(folder / "2022年度第1批奖励资金请示.docx", tmp_path / "request.pdf") == []
    form = read_pdf(to_pdf(folder / "2022年度第1批奖励资金审批表.docx", tmp_path / "form.pdf"))
    first = [line.text for line in form.lines[0]]
    totals = next(t for t in first if t.startswith("合计"))  # the county summary's total row, on one line
    assert f"{total:,}" in totals and totals.count(",") >= 4
    assert any(t.startswith("合计金额（大写）：" + capitals(total)) for t in first)
    for box in ("经办人", "审核人", "分管领导意见", "主要领导意见"):
        assert any(box in t for t in first), box
    assert "经办人" not in "".join(line.text for line in form.lines[1])  # page 2 is the firm list
    display = to_pdf(folder / "2022年度第1批拟兑现企业名单公示.docx", tmp_path / "display.pdf")
    assert check_rendered(folder / "2022年度第1批拟兑现企业名单公示.docx", display) == []
    listed = read_pdf(display)
    assert any(line.text == "2023年3月15日" for line in listed.lines[0])  # signed on page 1, the list after
    out = tmp_path / "recalculated"
    out.mkdir()
    assert soffice(book, "xlsx", out).returncode == 0
    summary = openpyxl.load_workbook(out / book.name, data_only=True)["汇总"]
    rows = [r for r in summary.iter_rows(min_row=5, values_only=True) if r[0] == "合计"]
    assert rows and rows[0][5] == total  # LibreOffice's own sum of the county rows


def test_a_broken_template_approves_nothing(year_2022, tmp_path, capsys):
    from toolkit.services.workspace import BUILT_IN_TEMPLATES
    root = _copy(year_2022, tmp_path)
    run("register", "import", "--workspace", root, "--confirmed", "--period", "2022-12", CONFIRMED.format(2022))
    run("tax", "import", "--workspace", root, "--year", 2022, TAXES.format(2022))
    mine = tmp_path / "模板"
    shutil.copytree(BUILT_IN_TEMPLATES, mine)
    broken = docx.Document()
    broken.add_paragraph("关于{{ year }}年度奖励资金的请示 {{ budget_line }}")
    broken.save(mine / "奖励资金请示.docx")
    assert run("rewards", "approve", "--workspace", root, "--year", 2022, "--templates", mine) == 2
    out = capsys.readouterr().out
    assert "未知的变量“budget_line”" in out and "本批未审批" in out
    assert ledger(root) == [] and not (root / "输出" / "奖励").exists()
    with sqlite3.connect(root / "数据库" / "guishang.sqlite") as db:
        assert db.execute("SELECT count(*) FROM closures WHERE period = '2022-12'").fetchone()[0] == 0


def test_an_approved_batch_can_be_reissued_dated_without_approving_again(batch_2022, capsys):
    before = ledger(batch_2022)
    assert run("rewards", "reissue", "--workspace", batch_2022, "--year", 2022, "--batch", 1, "--date", "2023-03-20") == 0
    folder = batch_2022 / "输出" / "奖励" / "2022年度第1批"
    again = folder / "2022年度第1批奖励资金请示（第2版）.docx"
    assert again.is_file() and "2023年3月20日" in docx_text(again) and ledger(batch_2022) == before
    assert "株工信呈〔2023〕1号" in docx_text(again)  # the number given at approval is kept


def test_a_firm_missing_from_the_tax_list_waits_and_is_paid_once_a_list_names_it(batch_2022, tmp_path):
    """Missing is not zero (#18): the firm the tax office's first list leaves out is deferred (J107, 可追加),
    not excluded; when the office sends a list that names it with tax, the next batch pays it, once."""
    root = _copy(batch_2022, tmp_path)
    city_book = root / "输出" / "奖励" / "2022年度第1批" / "明细" / "2022年度第1批奖励明细（全市）.xlsx"
    waiting = [r for r in _workbook_rows(city_book, "未兑现") if r[6] == "J107"]
    assert len(waiting) == 1 and waiting[0][8] == "是"  # 条件具备后可追加
    county, name, uscc = waiting[0][0], waiting[0][1], waiting[0][2]
    assert uscc not in {x[0] for x in ledger(root)}
    amended = tmp_path / "2022年新入规企业税收（税务局，补充）.xlsx"
    book = openpyxl.load_workbook(TAXES.format(2022))
    sheet = book.worksheets[0]
    sheet.append([uscc, name, 12.5])
    book.save(amended)
    assert run("tax", "import", "--workspace", root, "--year", 2022, amended) == 0
    assert run("rewards", "approve", "--workspace", root, "--year", 2022, "--new-batch") == 0
    paid = [x for x in ledger(root) if x[0] == uscc]
    assert len(paid) == 1 and paid[0][1] == county and paid[0][5] > 0  # in the second batch, once
    assert run("rewards", "approve", "--workspace", root, "--year", 2022, "--new-batch") == 1  # nothing more to pay
    assert len([x for x in ledger(root) if x[0] == uscc]) == 1


def test_a_supplementary_tax_list_adds_to_the_years_list_and_never_changes_a_figure(batch_2022, tmp_path, capsys):
    """The tax office's 补充名单 names the firm its first list left out: it joins the year's list (the others keep
    their figures), the next batch pays it; a supplement that changes a figure already given is refused whole,
    one before the year's list is refused, the same file twice changes nothing, and a rebuild replays it."""
    root = _copy(batch_2022, tmp_path)
    supplement = OFFICES / "2022年新入规企业税收（税务局，补充）.xlsx"

    def taxes():
        with sqlite3.connect(root / "数据库" / "guishang.sqlite") as db:
            return db.execute("SELECT uscc, tax_wan FROM taxes WHERE year = 2022 ORDER BY rowid").fetchall()

    before = taxes()
    changed = tmp_path / "补充（改了数字）.xlsx"
    book = openpyxl.load_workbook(supplement)
    book.worksheets[0].append([before[0][0], "原名单中的企业", float(before[0][1]) + 1])
    book.save(changed)
    capsys.readouterr()
    assert run("tax", "import", "--workspace", root, "--year", 2022, "--supplement", changed) == 2
    out = capsys.readouterr().out
    assert "改变了2022年名单中已有的税收数字" in out and before[0][0] in out and taxes() == before
    assert run("tax", "import", "--workspace", root, "--year", 2024, "--supplement", supplement) == 2
    assert "还没有导入税务部门2024年的税收名单" in capsys.readouterr().out

    assert run("tax", "import", "--workspace", root, "--year", 2022, "--supplement", supplement) == 0
    after = taxes()
    assert after[:len(before)] == before and len(after) == len(before) + 1
    assert run("tax", "import", "--workspace", root, "--year", 2022, "--supplement", supplement) == 0
    assert "已导入过，内容相同" in capsys.readouterr().out and taxes() == after
    added = after[-1][0]
    assert run("rewards", "approve", "--workspace", root, "--year", 2022, "--new-batch") == 0
    assert [x[1] for x in ledger(root) if x[0] == added] == ["渌口区"]
    kept = ledger(root)
    assert run("rebuild", "--workspace", root) == 0
    assert taxes() == after and ledger(root) == kept


def test_a_firm_the_offices_final_list_leaves_out_is_excluded_not_deferred(year_2022, tmp_path, capsys):
    """Not yet confirmed defers (J104, 可追加); the statistics office's final list of the year is evidence to
    the contrary (J205, 不予兑现). Declaring the same file final later counts as a new import."""
    root = _copy(year_2022, tmp_path)
    assert run("register", "import", "--workspace", root, "--confirmed", "--period", "2022-12", CONFIRMED.format(2022)) == 0
    assert run("tax", "import", "--workspace", root, "--year", 2022, TAXES.format(2022)) == 0
    assert run("rewards", "draft", "--workspace", root, "--year", 2022) == 0
    draft = root / "输出" / "奖励" / "2022年度（草稿）" / "明细" / "2022年度（草稿）奖励明细（全市）.xlsx"
    waiting = {r[2]: (r[6], r[8]) for r in _workbook_rows(draft, "未兑现") if r[0] == "石峰区" and r[6] in ("J104", "J205")}
    assert list(waiting.values()) == [("J104", "是")]
    capsys.readouterr()
    assert run("register", "import", "--workspace", root, "--confirmed", "--period", "2022-12", "--final",
               CONFIRMED.format(2022)) == 0
    assert "终审名单" in capsys.readouterr().out
    assert run("rewards", "draft", "--workspace", root, "--year", 2022) == 0
    again = max(draft.parent.glob("*（全市）*.xlsx"), key=lambda p: p.stat().st_mtime)
    final = {r[2]: (r[6], r[8]) for r in _workbook_rows(again, "未兑现") if r[2] in waiting}
    assert list(final.values()) == [("J205", "否")]
    assert run("rebuild", "--workspace", root) == 0
    with sqlite3.connect(root / "数据库" / "guishang.sqlite") as db:
        info = json.loads(db.execute("SELECT value FROM meta WHERE key = 'confirmed:2022-12'").fetchone()[0])
    assert info["final"] is True


def test_show_counts_what_is_payable_and_what_waits_before_any_approval(year_2022, tmp_path, capsys, monkeypatch):
    """``rewards show`` does what its help says: before any batch, the firms payable now (with the command that
    approves them, not "--new-batch") and those that wait, by reason."""
    monkeypatch.setenv("COLUMNS", "300")
    root = _copy(year_2022, tmp_path)
    assert run("register", "import", "--workspace", root, "--confirmed", "--period", "2022-12",
               CONFIRMED.format(2022)) == 0
    capsys.readouterr()
    assert run("rewards", "show", "--workspace", root, "--year", 2022) == 0
    out = capsys.readouterr().out
    assert "2022年度还没有审批过奖励资金批次" in out and "现在符合条件但尚未审批的：0 家（次）" in out
    assert re.search(r"暂缓兑现、条件具备后可追加的：\d+ 家（次）（尚无税务数据 \d+ 家", out)
    assert run("tax", "import", "--workspace", root, "--year", 2022, TAXES.format(2022)) == 0
    capsys.readouterr()
    assert run("rewards", "show", "--workspace", root, "--year", 2022) == 0
    out = capsys.readouterr().out
    payable = int(re.search(r"(\d+) 家（次）现在符合条件但尚未审批，可审批：guishang rewards approve", out).group(1))
    assert payable > 0 and "--new-batch" not in out and "不在税务数据中 1 家" in out
    assert ledger(root) == []  # read only


def test_a_mid_year_approval_defers_a_zero_tax_and_pays_it_once_the_tax_forms(year_2022, tmp_path, capsys,
                                                                            monkeypatch):
    """October: the tax office's figures so far give 株洲鹿原博创 0. Approving then must be asked for, and defers the
    firm (J108, 可追加) instead of refusing it for good; the 请示 says the batch was approved before the year ended.
    March of the next year: the final figures give it tax, and a new batch pays it; a firm still at 0 is excluded."""
    from toolkit.services import register, rewards

    monkeypatch.setenv("COLUMNS", "300")
    root = _copy(year_2022, tmp_path)
    late = "91430200MA4DNTFQ69"  # 0 in October, 2.5 万元 in the year's final figures
    for module in (register, rewards):
        monkeypatch.setattr(module, "now_text", lambda: "2022-10-20 10:00:00")
    assert run("register", "import", "--workspace", root, "--confirmed", "--period", "2022-12",
               CONFIRMED.format(2022)) == 0
    assert run("tax", "import", "--workspace", root, "--year", 2022, TAXES.format(2022)) == 0
    capsys.readouterr()
    assert run("rewards", "approve", "--workspace", root, "--year", 2022) == 2  # the year has not ended
    out = capsys.readouterr().out
    assert "2022年度尚未结束" in out and "--before-year-end" in out and ledger(root) == []
    assert run("rewards", "approve", "--workspace", root, "--year", 2022, "--before-year-end") == 0
    first = {row[0] for row in ledger(root)}
    assert first and late not in first
    folder = root / "输出" / "奖励" / "2022年度第1批"
    request = docx_text(next(folder.glob("*奖励资金请示.docx")))
    assert "本批于2022年度结束前审批" in request and "税收尚未形成" in request
    deferred = _workbook_rows(folder / "明细" / "2022年度第1批奖励明细（全市）.xlsx", "未兑现")
    assert any(late in row and "是" in row for row in deferred)  # 可追加

    final = tmp_path / "2022年新入规企业税收（税务局，全年）.xlsx"
    book = openpyxl.load_workbook(TAXES.format(2022))
    sheet = book.worksheets[0]
    row = next(r for r in sheet.iter_rows(min_row=4) if r[0].value == late)
    row[2].value = 2.5
    book.save(final)
    for module in (register, rewards):
        monkeypatch.setattr(module, "now_text", lambda: "2023-03-10 10:00:00")
    assert run("tax", "import", "--workspace", root, "--year", 2022, "--final", final) == 0
    assert run("rewards", "approve", "--workspace", root, "--year", 2022, "--new-batch") == 0
    second = {row[0] for row in ledger(root)} - first
    assert late in second
    still_zero = _workbook_rows(root / "输出" / "奖励" / "2022年度第2批" / "明细" / "2022年度第2批奖励明细（全市）.xlsx",
                                "未兑现")
    assert any("91430200MA4C47U4FD" in r and "J202" in r for r in still_zero)  # the final figures say 0


# --- one rule at every door (#33): a follow-up batch is asked for, the request's layout is checked ------------
def _import_2022_lists(root) -> None:
    assert run("register", "import", "--workspace", root, "--confirmed", "--period", "2022-12",
               CONFIRMED.format(2022)) == 0
    assert run("tax", "import", "--workspace", root, "--year", 2022, TAXES.format(2022)) == 0


def _approved_with_one_more_due(year_2022, tmp_path):
    """2022's first batch approved, then the firm whose county was undecided attributed: one line payable."""
    root = _copy(year_2022, tmp_path)
    _import_2022_lists(root)
    assert run("rewards", "approve", "--workspace", root, "--year", 2022, "--date", "2023-03-15") == 0
    with sqlite3.connect(root / "数据库" / "guishang.sqlite") as db:
        exclusions = json.loads(db.execute("SELECT exclusions FROM reward_batches WHERE seq = 1").fetchone()[0])
    pending = next(x for x in exclusions if "归属待认定" in x["reason"])
    assert run("assign", "--workspace", root, "--uscc", pending["uscc"], "--county", "天元区", "--year", 2022) == 0
    return root


def _workbench(root, tmp_path):
    from toolkit.services.workspace import Workspace
    from toolkit.web.app import create_app
    from toolkit.web.uploads import Uploads

    workspace = Workspace.at(root)
    uploads = Uploads(tmp_path / "uploads")
    uploads.root.mkdir()
    client = create_app(workspace.policy(), policy_source="工作区的政策参数.xlsx", workspace=workspace,
                        uploads=uploads).test_client()
    page = client.get("/rewards?year=2022").get_data(as_text=True)
    return client, page, uploads


def _form(page: str, action: str) -> dict[str, str]:
    form = re.search(rf'<form method="post" action="{re.escape(action)}"[^>]*>(.*?)</form>', page, re.S).group(1)
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))


def _job_page(client, response) -> str:
    import time
    job = response.headers["Location"]
    for _ in range(300):
        page = client.get(job + "/progress").get_data(as_text=True)
        if 'data-state="running"' not in page:
            return page
        time.sleep(0.1)
    raise AssertionError(page)


def test_a_follow_up_batch_is_approved_only_when_asked_for_at_every_door(year_2022, tmp_path, capsys, monkeypatch):
    """services.rewards.make_rewards holds the rule: the command line needs --new-batch, the workbench's form says
    追加审批 for the batches it showed (one approved since is refused), the button never adds a batch and says how."""
    from toolkit.adapters.file_book import FileBook
    from toolkit.excel import city
    from toolkit.services.control_book import write_control_workbooks
    from toolkit.services.workspace import Workspace

    monkeypatch.setenv("COLUMNS", "300")
    root = _approved_with_one_more_due(year_2022, tmp_path)
    before = ledger(root)
    # the button: shows the batch, adds none, names the command that does
    xlsm = write_control_workbooks(Workspace.at(root), year=2022).paths[0]
    book = FileBook(xlsm)
    run_ = city.make_rewards(__import__("xlwings").__version__, book=book)
    message, problem = book.messages[-1]
    assert run_.existing and run_.batch is None and ledger(root) == before
    assert "另有 1 家（次）现在符合条件，尚待追加审批" in message and "rewards approve" in message
    assert "--new-batch" in message and not problem
    # the command line without --new-batch: the same
    assert run("rewards", "approve", "--workspace", root, "--year", 2022) == 0
    assert "已审批过，未重复审批" in capsys.readouterr().out and ledger(root) == before
    # the workbench: a form from before the first batch (0 seen) is refused; the page's own form adds batch 2
    client, page, uploads = _workbench(root, tmp_path)
    try:
        fields = _form(page, "/rewards/approve")
        assert fields["batches"] == "1" and fields["new_batch"] == "yes" and "追加审批新一批" in page
        stale = {**fields, "batches": "0", "confirm": "yes", "day": "2023-04-01"}
        refused = _job_page(client, client.post("/rewards/approve", data=stale))
        assert 'data-state="failed"' in refused and "已审批批次已有变化（核对时 0 批，现在 1 批）" in refused
        assert ledger(root) == before
        confirmed = {**fields, "confirm": "yes", "day": "2023-04-01"}
        done = _job_page(client, client.post("/rewards/approve", data=confirmed))
        assert "2022年度第2批：合计" in done, done
    finally:
        uploads.close()
    assert len(ledger(root)) == len(before) + 1


def test_the_requests_layout_is_checked_after_issue_at_every_door(year_2022, tmp_path, capsys, monkeypatch):
    """services.doc_check.layout_reminders runs on the request each door wrote; all three say the same."""
    from docx.shared import Mm

    from toolkit.adapters.file_book import FileBook
    from toolkit.excel import city
    from toolkit.services.control_book import write_control_workbooks
    from toolkit.services.workspace import Workspace

    monkeypatch.setenv("COLUMNS", "300")
    root = _copy(year_2022, tmp_path)
    _import_2022_lists(root)
    template = root / "公文模板" / "奖励资金请示.docx"
    document = docx.Document(str(template))
    document.sections[0].left_margin = Mm(20)  # an office edited the template: GB/T 9704 wants 28 mm
    document.save(str(template))
    said = "左边距"
    assert run("rewards", "draft", "--workspace", root, "--year", 2022) == 0
    out = capsys.readouterr().out
    assert "版式提醒" in out and "奖励资金请示.docx" in out and said in out
    client, page, uploads = _workbench(root, tmp_path)
    try:
        done = _job_page(client, client.post("/rewards/draft", data=_form(page, "/rewards/draft")))
        assert 'id="layout"' in done and said in done.split('id="layout"')[1], done
    finally:
        uploads.close()
    xlsm = write_control_workbooks(Workspace.at(root), year=2022).paths[0]
    book = FileBook(xlsm)
    made = city.make_rewards(__import__("xlwings").__version__, book=book)
    message, problem = book.messages[-1]
    assert made.batch.seq == 1 and made.layout and problem
    assert "版式提醒：2022年度第1批奖励资金请示.docx" in message and said in message
    assert "guishang lint-doc" in message and "奖励资金请示.docx" in message.split("lint-doc")[1]
