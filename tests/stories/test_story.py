"""The user's story: the city makes a template, a county clerk fills it in Excel, checks it, fixes it."""

import datetime as dt
import json
import shutil

import openpyxl

from conftest import ROOT, sha256, valid_uscc
from toolkit.cli import main
from toolkit.domain import report_schema as S
from toolkit.domain.periods import Period
from toolkit.services.templates import make_templates

ROW = {"uscc": 1, "name": 2, "entry_kind": 3, "entry_mode": 4, "entry_month": 5, "industry": 6, "revenue": 7,
       "tax": 8, "employees": 9, "note": 10}


def fill_as_a_clerk(template, target, rows, exits=()):
    """What Excel leaves after a clerk types: values in cells, the file saved under the clerk's name."""
    wb = openpyxl.load_workbook(template)
    cover = wb["封面"]
    for row in cover.iter_rows(min_row=4, max_row=14):
        label = row[0].value
        value = {"填报人": "刘志强", "联系电话": "0731-22881234", "填报日期": dt.datetime(2022, 7, 5), "审核人": "彭国平",
                 "填报单位": "天元区工业和信息化局"}.get(label)
        if value is not None:
            row[1].value = value
    sheet = wb["新增入规企业"]
    for offset, values in enumerate(rows):
        for key, value in values.items():
            sheet.cell(S.FIRST_DATA_ROW + offset, ROW[key]).value = value
    out = wb["退库企业"]
    for offset, values in enumerate(exits):
        for col, value in enumerate(values, start=1):
            out.cell(S.FIRST_DATA_ROW + offset, col).value = value
    wb.save(target)
    return target


def run_check(capsys, *args):
    code = main(["check", *map(str, args), "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_template_filled_checked_fixed(tmp_path, policy, capsys):
    (template,) = make_templates(policy, Period(2022, 6), [policy.find_county("天元区")], tmp_path / "下发")
    good = {"uscc": valid_uscc(), "name": "株洲天易精密机械有限公司", "entry_kind": "新建投产", "entry_mode": "月度入库",
            "entry_month": "2022-03", "industry": "3484", "revenue": 3120.5, "tax": 96, "employees": 85}
    wrong_check = valid_uscc(body="MA4L22222")
    wrong_check = wrong_check[:-1] + ("0" if wrong_check[-1] != "0" else "1")
    rows = [
        good,
        {**good, "uscc": wrong_check, "name": "株洲湘江电线电缆有限公司", "industry": "3831"},  # row 6
        {**good, "uscc": valid_uscc(body="MA4L33333"), "name": "株洲云龙贸易有限公司", "industry": "5179"},  # row 7
        {**good, "uscc": valid_uscc(body="MA4L44444"), "name": "株洲金山陶瓷有限公司", "revenue": 31205000},  # row 8: 元
        {**good, "uscc": valid_uscc(body="MA4L55555"), "name": "株洲凤凰塑料制品有限公司", "entry_kind": "小升规",
         "entry_mode": "年度入库", "entry_month": "2022-01", "revenue": 1860},  # row 9: below threshold
        {**good, "uscc": valid_uscc(body="MA4L66666"), "name": None},  # row 10: name missing
        {**good, "uscc": valid_uscc(body="MA4L77777"), "name": "株洲神农食品有限公司", "entry_month": "2022-08"},  # row 11
    ]
    exits = [(good["uscc"], good["name"], "2022-05", "停产", 1500)]  # entered and exited: row 5 of 退库企业
    filled = fill_as_a_clerk(template, tmp_path / "天元区6月报表（刘志强）.xlsx", rows, exits)
    before = sha256(filled)

    code, findings = run_check(capsys, filled, "--out", tmp_path / "结果")
    assert code == 1
    assert sorted((f["code"], f["sheet"], f["cell"]) for f in findings) == sorted([
        ("E103", "新增入规企业", "A6"),
        ("E109", "新增入规企业", "F7"),
        ("E117", "新增入规企业", "G8"),
        ("W119", "新增入规企业", "G9"),
        ("E101", "新增入规企业", "B10"),
        ("E114", "新增入规企业", "E11"),
        ("W107", "退库企业", "A5"),
    ])
    assert sha256(filled) == before  # the clerk's file is never touched
    assert (tmp_path / "结果" / f"{filled.stem}_校验结果.xlsx").is_file()

    # the clerk fixes the errors and explains the two 提示 in 说明
    wb = openpyxl.load_workbook(filled)
    sheet = wb["新增入规企业"]
    sheet["A6"] = valid_uscc(body="MA4L22222")
    sheet["F7"] = "3311"
    sheet["G8"] = 3120.5
    sheet["J9"] = "统计部门按上年主营业务收入核定入库"
    sheet["B10"] = "株洲白关机械有限公司"
    sheet["E11"] = "2022-06"
    wb["退库企业"]["F5"] = "3月投产入规，5月因火灾停产退库"
    fixed = tmp_path / "天元区6月报表（修改后）.xlsx"
    wb.save(fixed)
    code, findings = run_check(capsys, fixed, "--out", tmp_path / "结果")
    assert code == 0
    assert sorted((f["code"], f["explained"]) for f in findings) == [("W107", True), ("W119", True)]


def test_marked_copy_is_not_a_submission(tmp_path, policy, capsys):
    source = tmp_path / "攸县.xlsx"
    shutil.copy(ROOT / "samples/县区报表/2022-06/攸县_2022-06_规上工业企业报表.xlsx", source)
    before = sha256(source)
    assert main(["check", str(source), "--mark", "--out", str(tmp_path / "out")]) == 1
    assert sha256(source) == before
    marked = tmp_path / "out" / "攸县_标注.xlsx"
    wb = openpyxl.load_workbook(marked)
    assert wb.sheetnames[0] == "校验结果"
    assert wb["新增入规企业"]["C35"].value is not None
    assert wb["新增入规企业"]["A35"].comment is not None and "E106" in wb["新增入规企业"]["A35"].comment.text
    links = [c.hyperlink.location for c in wb["校验结果"]["E"] if c.hyperlink]
    assert "'新增入规企业'!A35" in links
    # the marked copy, sent back by mistake, is refused as a submission
    capsys.readouterr()
    code, findings = run_check(capsys, marked)
    assert code == 1 and [f["code"] for f in findings] == ["E003"]
