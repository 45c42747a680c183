"""A whole year of the city's work, as ``guishang demo`` tells it on the shipped samples (#18).

The expected outcomes are written here, by reading the story the samples tell (toolkit/demo/samples.py) and
the policy's rules — not computed by the code under test:
- every county and period of 2022: returned, reminded, accepted, praised, criticised — as the issued
  documents (催报通知, 表扬通报, 通报批评) and the store say;
- every firm the reward batches pay, defer or exclude, with its reason code; and the year's total against an
  independent reading of the statistics and tax offices' lists.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
import sqlite3
from decimal import Decimal
from io import StringIO

import openpyxl
import pytest
from rich.console import Console

from conftest import docx_text
from toolkit.cli import main
from toolkit.cli.demo import run_demo
from toolkit.domain.periods import Period
from toolkit.services.consolidation import status
from toolkit.services.policy import load_policy
from toolkit.services.workspace import Workspace

COUNTIES = ("荷塘区", "芦淞区", "石峰区", "株洲经开区", "天元区", "渌口区", "攸县", "茶陵县", "炎陵县", "醴陵市")

# what happened to each county in each period: 退回 returned, 催报 reminded, 受理 accepted at the end,
# 表扬 praised, 批评 criticised (for progress when accepted, for its report when not)
A, P, C = ("受理",), ("受理", "表扬"), ("受理", "批评")
OUTCOMES = {
    "2022-03": {"荷塘区": P, "芦淞区": A, "石峰区": A, "株洲经开区": P, "天元区": A, "渌口区": A, "攸县": A,
                "茶陵县": A, "炎陵县": P, "醴陵市": P},  # 77.8% and 77.8% share the third rank: four praised
    "2022-06": {"荷塘区": P, "芦淞区": A, "石峰区": A, "株洲经开区": P, "天元区": A, "渌口区": A,
                "攸县": ("退回", "催报", "批评"),  # never resubmitted: criticised after the deadline, 07-13
                "茶陵县": ("退回", "催报", "受理"),  # corrected within the deadline: accepted, not criticised
                "炎陵县": P, "醴陵市": A},
    "2022-09": {"荷塘区": P, "芦淞区": A, "石峰区": A, "株洲经开区": P, "天元区": A,
                "渌口区": C,  # 44.4% at 75% time progress: behind by more than 20 points
                "攸县": A, "茶陵县": A,
                "炎陵县": ("催报", "受理", "表扬"),  # missed the due date, sent within it, then third of ten
                "醴陵市": A},
    "2022-12": {"荷塘区": P, "芦淞区": C, "石峰区": A, "株洲经开区": P, "天元区": A, "渌口区": C, "攸县": A,
                "茶陵县": C, "炎陵县": P, "醴陵市": A},
}

# each reward batch of 2022: the firms not paid, by USCC: (county, reason code, 可追加)
DEFERRED_1 = {
    "91430211MA4YEJNTDT": ("天元区、株洲经开区", "J101", "是"),  # claimed by both at year end: attributed later
    "91430212MA4ADX02H4": ("渌口区", "J107", "是"),  # not in the tax office's first list: missing is not zero
    "91430200MA4QND0W4G": ("石峰区", "J104", "是"),  # not (yet) confirmed by the statistics office
}
EXCLUDED = {
    "91430200MA4FYMRNCH": ("荷塘区", "J203"),  # entered and left again in 2022
    **{uscc: (county, "J202") for county, codes in {  # the tax office's figure is 0
        "荷塘区": ("91430200MA4DNTFQ69", "91430200MA4C47U4FD"),
        "芦淞区": ("91430200MA4AJBBPD4", "91430200MA4N1L8W4Q", "91430200MA4F58W1EK"),
        "天元区": ("91430211MA4DPU5795", "91430200MA4JW5U8XP", "91430200MA4H400YR8", "91430211MA4YFB47LU",
                 "91430200MA4T3AM7N6", "91430211MA4M0K7N36", "91430211MA4P0P3NDG", "91430211MA4642UEBM",
                 "91430200MA458HQETX"),
        "渌口区": ("91430212MA45204JUN", "91430221MA4UL2R78B", "91430221MA4L4M9PQX"),
        "攸县": ("91430223MA4N0130PK",),
        "茶陵县": ("91430224MA410X4ALW", "91430224MA44K83FEW", "91430224MA4KBC6LCJ"),
        "醴陵市": ("91430281MA4C9JGWQ4", "91430281MA4A07JU46", "91430281MA4YQCQRDK", "91430281MA4BJ19F6F",
                 "91430281MA478RCK6A", "91430281MA4FY3MKKM", "91430281MA4FJ59XDT"),
    }.items() for uscc in codes},
}
# paid in batch 1, per county: (firms, 元) — the year's first tranches less the firms above
PAID_1 = {"荷塘区": (17, 610_000), "芦淞区": (10, 360_000), "石峰区": (16, 640_000), "株洲经开区": (13, 510_000),
          "天元区": (42, 1_620_000), "渌口区": (7, 290_000), "攸县": (37, 1_650_000), "茶陵县": (11, 410_000),
          "炎陵县": (22, 860_000), "醴陵市": (43, 2_100_000)}
# batch 2: the firm the supplementary tax list names (小升规 60,000, first half) and the firm the city attributed
# to 天元区 (新建投产 100,000, first half); 石峰区's firm still waits for the statistics office
PAID_2 = {"91430212MA4ADX02H4": ("渌口区", 30_000), "91430211MA4YEJNTDT": ("天元区", 50_000)}


@pytest.fixture(scope="module")
def year(tmp_path_factory):
    root = tmp_path_factory.mktemp("year") / "演示"
    console = Console(file=StringIO(), width=200)
    assert run_demo(root, console, main, pdf=False) == 0
    return root


def _issued(folder, kind: str) -> list[str]:
    """The texts of every version of one kind of document the period issued."""
    return [docx_text(p) for p in sorted(folder.glob(f"*{kind}*.docx"))]


def _listed(texts: list[str], county: str) -> bool:
    """A county named in a document's own list of counties: its heading, e.g. “（一）攸县：”, or “攸县：” when it is
    the only one (a list of one is not numbered); a 催报函 to one county says it in its sentence instead:
    “截至目前，炎陵县尚未报送报表。”."""
    return any(re.search(rf"^(（[一二三四五六七八九十]+）)?{county}：", t, re.M)
               or re.search(rf"截至[^，]*，{county}(尚未报送报表|报送的报表经审核)", t) for t in texts)


def test_every_county_and_period_of_the_year_has_the_outcome_the_story_gives(year):
    workspace = Workspace.at(year / "工作区")
    with sqlite3.connect(workspace.store_path) as db:
        # returned: a workbook of the period judged with errors (kept as superseded once a corrected one came)
        returned = set(db.execute(
            "SELECT county, period FROM submissions s WHERE status = 'rejected' OR (status = 'superseded' AND EXISTS "
            "(SELECT 1 FROM findings f WHERE f.submission_id = s.id AND f.level = '错误' AND f.advisory = 0))").fetchall())
    seen = {}
    for period in OUTCOMES:
        folder = workspace.output / "公文" / period
        reminders, praise, criticism = (_issued(folder, k) for k in ("催报通知", "表扬通报", "通报批评"))
        final = {s.county: s.status for s in status(workspace, Period.parse(period)).statuses}
        seen[period] = {}
        for county in COUNTIES:
            outcome = []
            if (county, period) in returned:
                outcome.append("退回")
            if _listed(reminders, county):
                outcome.append("催报")
            if final[county] == "已受理":
                outcome.append("受理")
            if _listed(praise, county):
                outcome.append("表扬")
            if _listed(criticism, county):
                outcome.append("批评")
            seen[period][county] = tuple(outcome)
    for period in OUTCOMES:
        assert seen[period] == OUTCOMES[period], period


def test_the_reminder_and_the_criticism_state_the_dates(year):
    folder = year / "工作区" / "输出" / "公文"
    (june_reminder,) = _issued(folder / "2022-06", "催报通知")
    assert "2022年7月13日前" in june_reminder and "攸县" in june_reminder and "茶陵县" in june_reminder
    (june_criticism,) = _issued(folder / "2022-06", "通报批评")
    # the criticism states the facts: due date, the reminder with its date and number, the deadline passed
    assert ("报送截止日期为2022年7月8日，当日已发催报函（株工信函〔2022〕1号），补报期限2022年7月13日已过，"
            "至今未报送合格报表") in june_criticism and "茶陵县" not in june_criticism
    (september_reminder,) = _issued(folder / "2022-09", "催报通知")
    # due on Saturday 10-08, a worked day (调休); Sunday 10-09 worked too: three working days end on Tuesday
    assert "炎陵县" in september_reminder and "2022年10月11日前" in september_reminder
    (september_criticism,) = _issued(folder / "2022-09", "通报批评")
    assert "渌口区" in september_criticism and "炎陵县" not in september_criticism
    # nothing issued twice: each period has one version of each document, numbered without gaps
    for period in OUTCOMES:
        assert not list((folder / period).glob("*（第2版）*")), period
    with sqlite3.connect(year / "工作区" / "数据库" / "guishang.sqlite") as db:
        numbers = db.execute("SELECT prefix, year, number FROM doc_numbers ORDER BY prefix, year, number").fetchall()
    by_sequence = {}
    for prefix, issue_year, number in numbers:
        by_sequence.setdefault((prefix, issue_year), []).append(number)
    assert all(n == list(range(1, len(n) + 1)) for n in by_sequence.values()), by_sequence
    assert ("株工信发", 2023) in by_sequence  # the year-end notices are issued in January 2023


def test_a_monthly_period_issues_its_dispatch_notice_and_nothing_else(year):
    """#37: the August 调度 return's notice is the 调度通报 — progress, the year's forecast with its range, the overdue
    problems by 交办单位 — with no bulletin, praise or criticism, and numbered in the bureau's sequence."""
    folder = year / "工作区" / "输出" / "公文" / "2022-08"
    assert sorted(p.name for p in folder.glob("*.docx")) == ["2022年1-8月调度通报.docx"]
    (text,) = _issued(folder, "调度通报")
    assert "株工信发〔2022〕" in text and "关于2022年1—8月规模以上工业企业" in text
    assert "按目前进度预计全市全年新增约" in text and "不是计划数字，也不作为考核依据" in text
    assert "逾期未办结" in text and "应入尽入方面" in text and "批评" not in text


def test_a_rebuilt_store_still_knows_the_reminders_the_criticism_cites(year, tmp_path):
    import shutil

    copy = shutil.copytree(year / "工作区", tmp_path / "工作区")
    with sqlite3.connect(copy / "数据库" / "guishang.sqlite") as db:
        before = db.execute("SELECT key, value FROM meta WHERE key LIKE 'reminders:%' ORDER BY key").fetchall()
    assert [k for k, _v in before] == ["reminders:2022-06", "reminders:2022-09"]
    assert main(["rebuild", "--workspace", str(copy)]) == 0
    with sqlite3.connect(copy / "数据库" / "guishang.sqlite") as db:
        assert db.execute("SELECT key, value FROM meta WHERE key LIKE 'reminders:%' ORDER BY key").fetchall() == before


def _flat(text: str) -> str:
    return text.replace("\n", "")


def test_every_sentence_of_the_years_notices_is_true_of_its_period(year):
    """#36: the sentence families a 秘书科 reviewer marked, on the demo year's own documents."""
    folder = year / "工作区" / "输出" / "公文"
    texts = {(period, kind): [_flat(t) for t in _issued(folder / period, kind)]
             for period in OUTCOMES for kind in ("工作情况通报", "表扬通报", "通报批评", "催报通知")}
    (bulletin_09,) = texts["2022-09", "工作情况通报"]
    # 炎陵县 was chased by the second 催报函 and filed after the due date: never “均按要求报送”
    assert "均按要求报送" not in bulletin_09
    assert ("其中，炎陵县未在报送截止日期（2022年10月8日）前报送合格报表，经催报（株工信函〔2022〕2号）后补报，经审核合格。"
            in bulletin_09)
    (bulletin_12,) = texts["2022-12", "工作情况通报"]
    assert "各县市区均按要求报送了报表，经审核合格。" in bulletin_12  # nobody chased in the year's last period
    # the year is over: 249 of 260 is a target missed by 11, not “落后时序进度4.2个百分点（时序进度100.0%）”
    for kind in ("工作情况通报", "表扬通报", "通报批评"):
        (text,) = texts["2022-12", kind]
        assert "时序进度100.0%" not in text and "确保完成全年目标任务" not in text and "落后时序进度" not in text, kind
    assert "新增数完成年度目标260家的95.8%，距年度目标差11家。" in bulletin_12 and "2023年入规计划" in bulletin_12
    (criticism_12,) = texts["2022-12", "通报批评"]
    assert "影响了全市年度目标任务的完成" in criticism_12  # 249 < 260: true of the city
    assert "决定对以上县市区予以通报批评" in criticism_12 and "扎实做好2023年规模以上工业企业培育工作" in criticism_12
    assert "渌口区：新增规模以上工业企业11家，净增6家，目标完成率61.1%，距年度目标差7家，居全市10个县市区第10位。" in criticism_12
    (criticism_09,) = texts["2022-09", "通报批评"]
    # the same day's bulletin has the city 10.0 points ahead: 渌口区 held it back, it did not put its target at risk
    assert "超时序进度10.0个百分点" in bulletin_09
    assert "拖累了全市整体进度" in criticism_09 and "影响了全市目标任务的完成" not in criticism_09
    assert "决定对渌口区予以通报批评" in criticism_09 and "以上县市区" not in criticism_09  # one county
    # the figure once, not the rule after it
    assert "落后时序进度30.6个百分点，居全市10个县市区第10位。" in criticism_09 and "超过20个百分点" not in criticism_09
    # all ten accepted: ranked in the whole city, not “在已报送合格报表的10个县市区中”
    for period, kind in (("2022-09", "表扬通报"), ("2022-12", "表扬通报"), ("2022-09", "通报批评")):
        (text,) = texts[period, kind]
        assert "居全市10个县市区第" in text and "合格报表的10个" not in text and "受理" not in text, (period, kind)
    # 荷塘区 and 炎陵县 share the third place in 2022-03 (77.8% each); 荷塘区's entries were all 小升规
    (praise_03,) = texts["2022-03", "表扬通报"]
    assert "（均为小升规），净增13家，目标完成率77.8%，超时序进度52.8个百分点，居全市10个县市区并列第3位。" in praise_03
    assert praise_03.count("并列第3位") == 2 and "新建投产0家" not in praise_03
    # 攸县 not accepted in 2022-06: the others' targets added up are said as such, not as a target of the city
    (bulletin_06,) = texts["2022-06", "工作情况通报"]
    assert "新增数完成其年度目标之和218家的77.1%" in bulletin_06 and "年度目标218家" not in bulletin_06
    assert "在已报送合格报表的9个县市区中居第" in texts["2022-06", "表扬通报"][0]
    # deadlines on working days: 7-15 + 15 days is Saturday 7-30, so Monday 8-1
    (criticism_06,) = texts["2022-06", "通报批评"]
    assert "于2022年8月1日前将整改情况书面报送" in criticism_06
    working = load_policy(Workspace.at(year / "工作区").policy_path).working_days
    for (period, kind), issued in texts.items():
        for text in issued:
            for y, m, d in re.findall(r"于(\d{4})年(\d{1,2})月(\d{1,2})日前", text):
                day = dt.date(int(y), int(m), int(d))
                assert working.is_working(day), (period, kind, day)
    # the 催报函 issued on the due day itself says so, never “应于7月8日前报送。截至7月8日”
    (reminder_06,) = texts["2022-06", "催报通知"]
    assert "报送截止日期为今日（2022年7月8日）。截至目前，以下县市区尚未报送合格报表" in reminder_06
    assert "截至2022年7月8日" not in reminder_06
    # one county reminded: named in the sentence, not listed under “以下县市区” as a list of one
    (reminder_09,) = texts["2022-09", "催报通知"]
    assert "截至目前，炎陵县尚未报送报表。请炎陵县于2022年10月11日前" in reminder_09 and "以下县市区" not in reminder_09
    # checker jargon never reaches a document
    for issued in texts.values():
        for text in issued:
            assert "疑似" not in text and "超出范围" not in text


def _rows(path, sheet):
    ws = openpyxl.load_workbook(path, read_only=True, data_only=True)[sheet]
    return [r for r in ws.iter_rows(min_row=4, values_only=True) if r and r[0]]


def test_every_firm_of_the_2022_batches_is_paid_deferred_or_excluded_as_the_table_says(year):
    out = year / "工作区" / "输出" / "奖励"
    city = "明细/2022年度第{n}批奖励明细（全市）.xlsx"
    first = out / "2022年度第1批" / city.format(n=1)
    second = out / "2022年度第2批" / city.format(n=2)

    not_paid = {r[2]: (r[0], r[6], r[8]) for r in _rows(first, "未兑现")}
    assert {u: v for u, v in not_paid.items() if v[2] == "是"} == DEFERRED_1
    assert {u: v[:2] for u, v in not_paid.items() if v[2] == "否"} == EXCLUDED
    paid = _rows(first, "兑现明细")
    per_county = {}
    for row in paid:
        count, amount = per_county.get(row[1], (0, 0))
        per_county[row[1]] = (count + 1, amount + row[8])
    assert per_county == PAID_1
    assert not {r[3] for r in paid} & set(not_paid)  # a firm is paid or not, never both

    paid_2 = {r[3]: (r[1], r[8]) for r in _rows(second, "兑现明细")}
    assert paid_2 == PAID_2
    still = {r[2]: (r[0], r[6]) for r in _rows(second, "未兑现") if r[8] == "是"}
    assert still == {"91430200MA4QND0W4G": ("石峰区", "J104")}  # only the unconfirmed firm still waits


def test_the_years_first_tranches_are_what_the_policy_pays_every_confirmed_taxed_firm(year):
    """An independent reading of the offices' lists: every firm the statistics office confirms as new in 2022,
    that did not leave in 2022 and has tax in either tax list, is paid half its standard — the higher of
    the city's and its county's (就高) — once, across the two batches."""
    offices = year / "样例" / "部门数据"

    def listed(name):
        return [r for r in openpyxl.load_workbook(offices / name, read_only=True).worksheets[0]
                .iter_rows(min_row=4, values_only=True) if r and r[0]]

    confirmed = listed("2022年规上工业企业新增退库确认名单（统计局）.xlsx")
    taxes = {r[0]: Decimal(str(r[2])) for r in listed("2022年新入规企业税收（税务局）.xlsx")}
    taxes.update({r[0]: Decimal(str(r[2])) for r in listed("2022年新入规企业税收（税务局，补充）.xlsx")})
    left = {r[0] for r in confirmed if r[3] == "退库"}
    city = {"新建投产": 100_000, "小升规": 60_000}
    county = {("醴陵市", "新建投产"): 150_000, ("攸县", "小升规"): 80_000}  # the sample's 县级就高政策
    due = {r[0]: max(city[r[5]], county.get((r[2], r[5]), 0)) // 2
           for r in confirmed if r[3] == "新增" and r[0] not in left and taxes.get(r[0], 0) > 0}

    with sqlite3.connect(year / "工作区" / "数据库" / "guishang.sqlite") as db:
        ledger = db.execute("SELECT uscc, amount, city_amount FROM reward_lines "
                            "WHERE entry_year = 2022 AND tranche = 1").fetchall()
    assert len(ledger) == len({u for u, _a, _c in ledger})  # no firm paid twice
    assert all(0 < city <= amount for _u, amount, city in ledger)  # the city's share is part of the amount
    assert {u: a for u, a, _c in ledger} == due
    assert sum(due.values()) == 9_130_000 == sum(a for _c, a in PAID_1.values()) + sum(a for _c, a in PAID_2.values())


def test_nothing_an_office_received_is_ever_written_over(year, tmp_path, capsys, monkeypatch):
    """Every output folder of the year, written twice by each verb that writes there: every file made before keeps
    its bytes (a new version gets "（2）", "（第2版）"...), each folder gets its new files, a folder this test does
    not write to fails it (a new kind of output must be added here), and the console counts the files written."""
    monkeypatch.setenv("COLUMNS", "300")
    root = tmp_path / "再次"
    shutil.copytree(year / "工作区", root)
    output, inbox = root / "输出", root / "收件箱"
    ws = ("--workspace", str(root))
    # last period's workbook sent as 2023-03 (returned: its results go back), its .xls beside it (the same name)
    shutil.copy(inbox / "攸县_2022-06_规上工业企业报表.xlsx", inbox / "攸县_2023-03_规上工业企业报表.xlsx")
    (inbox / "攸县_2023-03_规上工业企业报表.xls").write_bytes(b"not a workbook")
    runs = {
        "汇总": [("consolidate", *ws, "--period", "2023-03")],
        # the results of 2022-06 sent back to 攸县 exist under this name: checked again, a new file
        "校验结果": [("check", str(inbox / "攸县_2022-06_规上工业企业报表.xlsx"), "--policy", str(root / "政策参数.xlsx"))],
        "公文": [("notices", *ws, "--period", "2022-09", "--date", "2022-10-20", "--number")],
        "奖励": [("rewards", "reissue", *ws, "--year", "2022", "--batch", "1")],
        "模板": [("template", *ws, "--period", "2023-03", "--all")],
        "应入尽入": [("screen", "run", *ws, "--period", "2022-12")],  # the demo screened the year's data
    }
    same_data = {"应入尽入"}  # a screen of the same data is the same to the last digit: run again, it writes nothing
    # the counties' worklists are written by consolidating an open period with accepted reports, which this year
    # no longer has (every period is closed); that a new worklist never replaces one is tested with the worklists
    # (tests/integration/test_worklists.py)
    elsewhere = {"工作清单"}

    def everything() -> dict:
        return {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in output.rglob("*") if p.is_file()}

    def run_all() -> str:
        for commands in runs.values():
            for command in commands:
                assert main(list(command)) in (0, 1, 2), command  # 2: the .xls cannot be read (returned)
        return capsys.readouterr().out

    before = everything()
    first = run_all()
    results = [p for p in everything() if p not in before and p.parent == output / "校验结果"]
    said = sum(int(n) for n in re.findall(r"需县市区改正或说明的 (\d+) 份校验结果", first))
    by_check = len(re.findall(r"_校验结果(?:（\d+）)?\.xlsx", first.split("结果文件已写到")[-1]))
    assert said + by_check == len(results) == 3  # the .xls's and the .xlsx's, and the check's: as many as said
    made = everything()
    run_all()
    after = everything()
    assert {p: after.get(p) for p in made} == made  # nothing made before was written over
    folders = {p.relative_to(output).parts[0] for p in after}
    assert folders == set(runs) | elsewhere, "an output folder no verb writes to"
    for folder in runs:
        if folder in same_data:  # the second run, on the same data as the first, wrote nothing there
            assert not [p for p in after if p not in made and p.relative_to(output).parts[0] == folder], folder
        else:
            assert any(p.relative_to(output).parts[0] == folder for p in after if p not in made), folder
