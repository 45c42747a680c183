"""The monthly 调度通报 (#37): a 月度调度 period of the calendar (the samples' 2022-08; 2022-09 marked so in the 培育
page's year, whose rows plant the facts) issues it in place of the quarter-end bulletin, praise and criticism; it
carries the period's progress, the year's forecast with its range, the counties short of their target named with
facts, the pool firms to push, the at-risk firms without measures and the overdue problems by 交办单位 — and what a
reader sees in LibreOffice passes the rendered-page checks."""

from __future__ import annotations

import re
import shutil
import subprocess

from pathlib import Path

import openpyxl
import pytest

from conftest import docx_text
from pipeline_year import pipeline_year
from toolkit.adapters.docx_lint import lint_docx
from toolkit.adapters.rendered_lint import check_rendered, read_pdf
from toolkit.cli import main
from toolkit.domain.periods import Period
from toolkit.domain.pipeline import AT_THRESHOLD, WITHOUT_MEASURES
from toolkit.services.consolidation.summary import status

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
MONTHLY_PERIOD = "2022-09"  # marked 月度调度 in this workspace's calendar


def _monthly(policy_path) -> None:
    """The calendar's 2022-09 row made a 月度调度 period, and a 调度通报 row in 发文设置 when the policy has none."""
    wb = openpyxl.load_workbook(policy_path)
    ws = wb["报送日历"]
    header = [c.value for c in ws[3]]
    kind = header.index("类型") + 1 if "类型" in header else len([h for h in header if h]) + 1
    ws.cell(3, kind, "类型")
    for row in range(4, ws.max_row + 1):
        if str(ws.cell(row, 1).value) == MONTHLY_PERIOD:
            ws.cell(row, kind, "月度调度")
    ws = wb["发文设置"]
    if not any(r[0] == "调度通报" for r in ws.iter_rows(min_row=4, values_only=True)):
        bulletin = next(r for r in ws.iter_rows(min_row=4) if r[0].value == "工作情况通报")
        new = ws.max_row + 1
        for cell in bulletin:
            ws.cell(new, cell.column, cell.value)
        ws.cell(new, 1, "调度通报")
    wb.save(policy_path)


def _marked(monkeypatch) -> None:
    from toolkit.demo import samples
    accept = samples.accept_examples

    def accept_and_mark(path):
        accept(path)
        _monthly(path)
    monkeypatch.setattr(samples, "accept_examples", accept_and_mark)


@pytest.fixture
def monthly_year(tmp_path, monkeypatch):
    """The 培育 page's year (tests/pipeline_year.py) with 2022-09 a 月度调度 period."""
    _marked(monkeypatch)
    return pipeline_year(tmp_path / "工作区")


def _flat(pdf) -> str:
    """The pages' text without spaces and without the page numbers (“—3—”) a sentence may run across."""
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    return re.sub(r"—\d+—", "", "".join(pages.split()))


def test_a_monthly_period_issues_the_dispatch_notice(monthly_year, soffice, capsys):
    root = monthly_year.root
    assert main(["notices", "--workspace", str(root), "--period", MONTHLY_PERIOD, "--date", "2022-10-20", "--pdf",
                 "--draft"]) == 0
    out = capsys.readouterr().out
    assert "调度通报" in out and "本期为月度调度，不作表扬和通报批评" in out
    folder = root / "输出" / "公文" / MONTHLY_PERIOD
    assert sorted(p.name for p in folder.glob("*.docx")) == ["2022年1-9月调度通报.docx"]  # no bulletin, praise, criticism
    docx, pdf = folder / "2022年1-9月调度通报.docx", folder / "2022年1-9月调度通报.pdf"
    assert lint_docx(docx) == [] and check_rendered(docx, pdf) == []
    rendered = read_pdf(pdf)
    assert 2 <= len(rendered.lines) <= 8
    title = [line.text for line in rendered.lines[0] if abs(line.size - 22) < 0.6]
    assert "".join(title) == "关于2022年1—9月规模以上工业企业培育工作调度情况的通报"
    flat = _flat(pdf)
    # progress, as the bulletin says it
    assert "2022年1—9月，全市新增规模以上工业企业" in flat and "超时序进度" in flat
    # the forecast in plain words, said to be one; the counties short of their target with their facts
    assert "按目前进度预计全市全年新增" in flat and "不是计划数字，也不作为考核依据" in flat
    summary = status(monthly_year, Period.parse(MONTHLY_PERIOD))
    short = [c for c in summary.outlook.counties[:-1] if c.target and c.added.expected < c.target]
    assert short and f"有{len(short)}个县市区预计全年新增低于年度目标" in flat
    for c in short:
        assert f"{c.county}已入库{c.entries_so_far}家，预计全年新增" in flat and f"年度目标{c.target}家" in flat
    # the pipeline: 天元区's grower at 2080 万元 among the firms to push, its at-risk firm without measures, the
    # overdue problems by 交办单位 (the one with most overdue first)
    pushed = re.search(r"应督促申报入统的(\d+)家（([^）]*)）", flat)
    assert pushed and "天元区" in pushed[2]
    assert int(pushed[1]) == sum(int(n) for n in re.findall(r"(\d+)家", pushed[2])) == \
        summary.pipeline.pool_count(AT_THRESHOLD)
    without = re.search(r"其中(\d+)家尚未落实帮扶措施（([^）]*)）", flat)
    assert without and "天元区" in without[2] and int(without[1]) == summary.pipeline.risk_count(WITHOUT_MEASURES)
    first = summary.pipeline.units[0]
    assert f"逾期未办结{summary.pipeline.overdue}条" in flat and f"{first.unit}（{first.county}，交办{first.items}条" in flat
    assert "（四）交办问题抓落实。" in flat
    assert "批评" not in flat.split("特此通报")[0]  # the forecast never criticises


def _sample_year(root, upto: str):
    """A workspace with the shipped sample returns of 2022 up to ``upto`` consolidated, the monthly 调度 returns
    (2022-02, -04, -05, -07, -08) among them, each late folder (补报) with its period."""
    from toolkit.demo.samples import accept_examples
    from toolkit.services.consolidation import consolidate
    from toolkit.services.workspace import init_workspace

    workspace, _ = init_workspace(root)
    shutil.copy2(SAMPLES / "政策参数.xlsx", workspace.policy_path)
    accept_examples(workspace.policy_path)
    folders = sorted(p.name for p in (SAMPLES / "县区报表").iterdir() if "2022-01" < p.name[:7] <= upto)
    for folder in folders:
        for sample in sorted((SAMPLES / "县区报表" / folder).glob("*.xlsx")):
            shutil.copy2(sample, workspace.inbox / sample.name)
        if f"{folder}补报" not in folders:
            consolidate(workspace, Period.parse(folder[:7]), parallel=False)
    return workspace


def test_the_sample_year_issues_a_dispatch_in_august_and_the_bulletin_at_the_half_year(tmp_path, soffice, capsys):
    workspace = _sample_year(tmp_path / "工作区", "2022-08")
    root = workspace.root
    # a workspace made before the 调度通报 existed has no copy of its template: the built-in one is used; a folder
    # of one's own (--templates) without it is refused, naming it
    (root / "公文模板" / "调度通报.docx").unlink()
    own = shutil.copytree(root / "公文模板", tmp_path / "自己的模板")
    assert main(["notices", "--workspace", str(root), "--period", "2022-08", "--templates", str(own), "--draft"]) != 0
    assert "缺少“调度通报.docx”" in capsys.readouterr().out
    assert main(["notices", "--workspace", str(root), "--period", "2022-08", "--date", "2022-09-20", "--pdf",
                 "--draft"]) == 0
    folder = root / "输出" / "公文" / "2022-08"
    assert sorted(p.name for p in folder.glob("*.docx")) == ["2022年1-8月调度通报.docx"]
    docx, pdf = folder / "2022年1-8月调度通报.docx", folder / "2022年1-8月调度通报.pdf"
    assert lint_docx(docx) == [] and check_rendered(docx, pdf) == []
    summary = status(workspace, Period(2022, 8))
    flat = _flat(pdf)
    assert f"2022年1—8月，全市新增规模以上工业企业{summary.city.new}家" in flat
    city = summary.outlook.counties[-1]
    assert f"按目前进度预计全市全年新增约{int(city.added.expected + 0.5)}家" in flat
    assert f"问题台账方面，各县市区共交办企业问题{len(summary.pipeline.ledger)}条" in flat
    # a quarter-end period of the same year keeps its documents
    assert main(["notices", "--workspace", str(root), "--period", "2022-06", "--date", "2022-07-20", "--draft"]) == 0
    names = sorted(p.name for p in (root / "输出" / "公文" / "2022-06").glob("*.docx"))
    assert "2022年1-6月工作情况通报.docx" in names and not any("调度通报" in n for n in names)


def test_counties_without_a_report_this_year_are_not_forecast(tmp_path, monkeypatch, capsys):
    _marked(monkeypatch)
    root = pipeline_year(tmp_path / "工作区", periods=("2022-09",), counties=("天元区", "荷塘区")).root
    # after the resubmission deadline: the figures are final, the eight silent counties are not reminded again
    assert main(["notices", "--workspace", str(root), "--period", MONTHLY_PERIOD, "--date", "2022-10-20",
                 "--draft"]) == 0
    text = docx_text(next((root / "输出" / "公文" / MONTHLY_PERIOD).glob("*调度通报.docx")))
    assert "本年尚无已受理的报表，未作预测，上述预测未计入其进展，但其年度目标计入全市目标。" in text
    assert "已报送合格报表的2个县市区新增规模以上工业企业" in text
    # only the two counties with reports are weighed against their targets: those short named, the rest counted
    short = re.search(r"有(\d)个县市区预计全年新增低于年度目标：(.*?)。(其余(\d)个县市区预计可以达到年度目标)?", text)
    assert ("已作预测的2个县市区预计全年新增均可达到年度目标" in text) if short is None else \
        int(short[1]) + int(short[4] or 0) == 2
    for county in ("芦淞区", "石峰区", "株洲经开区", "渌口区", "攸县", "茶陵县", "炎陵县", "醴陵市"):
        assert f"{county}已入库" not in text  # a county without a report is not named as short of its target
    assert text.count("未预测") == 8  # its row of the table: no forecast, not a zero
