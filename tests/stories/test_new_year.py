"""A new year on the city's own data (#33), run with the installed wheel as a city clerk and two county clerks would.

The city starts a 2024 workspace and makes the policy its own (醴陵市's 2024 target 54 → 60, 全市 306, its own
contacts, a higher 规模以上标准, every 示例数据 mark removed); templates made inside the workspace, naming no
policy, carry those figures; a county checks its workbook where no policy file is and gets the city's rules; 攸县
sends last period's workbook renamed to this period and then the correction under the same name in a subfolder,
and the correction is accepted without the city choosing, each file keeping its own results. In October the city
approves the year's rewards before the year has ended (asked for by name): a firm whose tax so far is 0 waits
(J108, 可追加) instead of being refused; next March the tax office's final figures give it tax and a second batch
pays it.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest

from county_files import entry, firm, write_report
from conftest import docx_text
from toolkit.demo.samples import accept_examples
from toolkit.services.policy import load_policy

CONTACT = "联系人：刘敏，电话：0731-22881234"


@dataclass
class Ran:
    code: int
    out: str


@pytest.fixture(scope="module")
def guishang(built_wheel, tmp_path_factory):
    """``guishang`` as installed from the wheel (its files unpacked as pip installs them; the libraries it needs
    are this environment's), run in a folder of the caller's choosing: never the checkout's code."""
    target = tmp_path_factory.mktemp("installed")
    done = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target),
                           str(built_wheel)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    with zipfile.ZipFile(built_wheel) as wheel:
        assert "toolkit/cli/app.py" in wheel.namelist()

    def run(*args: object, cwd: Path, at: dt.datetime | None = None) -> Ran:
        """``at``: the clock the child process reads (time-machine, ticking from there), for what is dated."""
        env = {**os.environ, "PYTHONPATH": str(target), "COLUMNS": "300", "PYTHONIOENCODING": "utf-8"}
        clock = f"import time_machine; time_machine.travel({at.isoformat()!r}, tick=True).start(); " if at else ""
        code = (clock + "import sys, toolkit; from pathlib import Path; "
                f"assert Path(toolkit.__file__).resolve().is_relative_to(Path({str(target)!r}).resolve()), "
                "toolkit.__file__; from toolkit.cli import main; sys.exit(int(main(sys.argv[1:])))")
        done = subprocess.run([sys.executable, "-c", code, *map(str, args)], cwd=cwd, env=env, capture_output=True,
                              text=True, timeout=600)
        assert "Traceback" not in done.stderr, done.stderr[-3000:]
        return Ran(done.returncode, done.stdout + done.stderr)

    return run


def _make_it_the_citys(policy_path: Path) -> None:
    """The city's edits, in Excel's place: openpyxl on the workspace's 政策参数.xlsx."""
    book = openpyxl.load_workbook(policy_path)
    annex = book["目标附件"]
    header = [c.value for c in annex[3]]
    column = next(i for i, v in enumerate(header) if v and str(v).startswith("2024年")) + 1
    for row in annex.iter_rows(min_row=4):
        if row[0].value == "醴陵市":
            row[column - 1].value = 60
        if row[0].value == "全市":
            row[column - 1].value = 306
    for row in book["营收标准"].iter_rows(min_row=3):
        if row[0].value == "规模以上标准（万元）":
            row[1].value = 2500
    for row in book["发文设置"].iter_rows(min_row=4):
        if row[0].value:
            row[10].value = CONTACT
    book.save(policy_path)
    accept_examples(policy_path)


def _cover(path: Path) -> list[str]:
    sheet = openpyxl.load_workbook(path)["封面"]
    return [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]


def test_a_new_year_on_the_citys_own_data(guishang, tmp_path):
    root = tmp_path / "2024工作区"
    assert guishang("init", root, cwd=tmp_path).code == 0
    _make_it_the_citys(root / "政策参数.xlsx")
    checked = guishang("policy", "--check", root / "政策参数.xlsx", cwd=tmp_path)
    assert checked.code == 0 and "示例数据" not in checked.out
    city = load_policy(root / "政策参数.xlsx")
    assert city.new_target("醴陵市", 2024) == 60 and city.thresholds.above_scale == 2500 and not city.examples

    # --- templates made inside the workspace, naming no policy: the city's figures and contacts -------------
    sent = tmp_path / "下发"
    made = guishang("template", "--period", "2024-03", "--all", "--out", sent, cwd=root / "收件箱")
    assert made.code == 0 and "工作区“2024工作区”的政策参数.xlsx" in made.out and "内置样例" not in made.out
    cover = _cover(sent / "醴陵市_2024-03_规上工业企业报表.xlsx")
    assert "60" in cover and "54" not in cover and any("刘敏" in text for text in cover)
    assert not any("内置样例" in text or "示例数据" in text for text in cover)
    outside = guishang("template", "--period", "2024-03", "--all", "--out", tmp_path / "别处", cwd=tmp_path)
    assert outside.code == 2 and "--sample" in outside.out and not (tmp_path / "别处").exists()

    # --- a county checks its workbook with no policy file: the rules the city's template carries ------------
    county = tmp_path / "攸县工信局"
    county.mkdir()
    small = {**entry(firm(city, "攸县", 1), "2024-02"), "revenue": 2400.0}  # above the sample's 2000, below 2500
    filled = write_report(county, city, "攸县", "2024-03", [small])
    own = guishang("check", filled, cwd=county)
    assert own.code == 1 and "W119" in own.out and "低于规模以上标准 2,500 万元" in own.out
    assert "模板附带的株洲市的政策参数" in own.out

    # --- 攸县: last period's workbook renamed, then the same-named correction in a subfolder ----------------
    inbox, name = root / "收件箱", "攸县_2024-03_规上工业企业报表.xlsx"
    rows = [entry(firm(city, "攸县", n), "2024-02") for n in range(2, 5)]
    write_report(inbox, city, "攸县", "2023-12", rows[:1], name=name, saved=dt.datetime(2024, 4, 8, 9, 0, 2))
    first = guishang("consolidate", "--period", "2024-03", cwd=root)
    assert first.code == 1 and "1 份校验结果" in first.out
    results = root / "输出" / "校验结果"
    returned = {p.name: p.read_bytes() for p in results.iterdir()}
    assert list(returned) == ["攸县_2024-03_规上工业企业报表_校验结果.xlsx"]
    sent_back = openpyxl.load_workbook(results / "攸县_2024-03_规上工业企业报表_校验结果.xlsx")
    assert any(c.value == "E005" for ws in sent_back.worksheets for row in ws.iter_rows() for c in row)
    (inbox / "更正").mkdir()
    write_report(inbox / "更正", city, "攸县", "2024-03", rows, name=name, saved=dt.datetime(2024, 4, 8, 9, 0, 0))
    second = guishang("consolidate", "--period", "2024-03", cwd=root)
    assert f"以“更正/{name}”为准" in second.out and "，；" not in second.out  # never an empty reason
    shown = guishang("status", "--period", "2024-03", cwd=root)
    assert f"更正/{name}" in shown.out
    after = sorted(p.name for p in results.iterdir())
    assert after[0] == "攸县_2024-03_规上工业企业报表_校验结果.xlsx" and (results / after[0]).read_bytes() == returned[after[0]]

    # --- October: the rewards approved before the year ends; the firm without tax yet waits ------------------
    october, march = dt.datetime(2024, 10, 20, 10, 0), dt.datetime(2025, 3, 10, 10, 0)
    paid_now, waits = rows[0]["uscc"], rows[1]["uscc"]
    confirmed = _office_list(tmp_path / "2024年新增确认名单（统计局）.xlsx",
                             "2024年规模以上工业企业新增、退库确认名单（截至2024年9月）",
                             ("统一社会信用代码", "企业名称", "县市区", "变动类型", "月份", "入规类型"),
                             [(r["uscc"], r["name"], "攸县", "新增", "2024-02", r["entry_kind"]) for r in rows])
    so_far = _taxes(tmp_path / "2024年新入规企业税收（截至9月）.xlsx", rows, {waits: 0})
    imported = guishang("register", "import", "--confirmed", "--period", "2024-03", confirmed, cwd=root, at=october)
    assert imported.code == 0, imported.out
    assert guishang("tax", "import", "--year", 2024, so_far, cwd=root, at=october).code == 0
    refused = guishang("rewards", "approve", "--year", 2024, cwd=root, at=october)
    assert refused.code == 2 and "2024年度尚未结束" in refused.out and "--before-year-end" in refused.out
    early = guishang("rewards", "approve", "--year", 2024, "--before-year-end", cwd=root, at=october)
    assert early.code == 0, early.out
    first = root / "输出" / "奖励" / "2024年度第1批"
    paid = {v for r in _rows(first / "明细" / "2024年度第1批奖励明细（全市）.xlsx", "兑现明细") for v in r}
    deferred = _rows(first / "明细" / "2024年度第1批奖励明细（全市）.xlsx", "未兑现")
    assert paid_now in paid and waits not in paid
    assert any(waits in row and "J108" in row and "是" in row for row in deferred)  # 可追加, not refused
    assert "本批于2024年度结束前审批" in docx_text(next(first.glob("*奖励资金请示.docx")))

    # --- next March: the year's final figures give it tax; a second batch pays it, the first stays ------------
    final = _taxes(tmp_path / "2024年新入规企业税收（全年）.xlsx", rows, {waits: 3.1})
    assert guishang("tax", "import", "--year", 2024, "--final", final, cwd=root, at=march).code == 0
    shown = guishang("rewards", "show", "--year", 2024, cwd=root, at=march)
    assert "另有 1 家（次）现在符合条件但尚未审批" in shown.out and "--new-batch" in shown.out
    second = guishang("rewards", "approve", "--year", 2024, "--new-batch", cwd=root, at=march)
    assert second.code == 0, second.out
    added = _rows(root / "输出" / "奖励" / "2024年度第2批" / "明细" / "2024年度第2批奖励明细（全市）.xlsx", "兑现明细")
    assert len(added) == 1 and waits in added[0] and paid_now not in added[0]


def _office_list(path: Path, title: str, header: tuple, rows: list[tuple]) -> Path:
    """A list as a department sends it: a title, a blank row, the header, the rows."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([title])
    sheet.append([])
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


def _taxes(path: Path, rows: list[dict], tax: dict[str, float]) -> Path:
    return _office_list(path, "2024年度新入规企业税收情况（国家税务总局株洲市税务局）",
                        ("纳税人识别号", "纳税人名称", "当年形成税收（万元）"),
                        [(r["uscc"], r["name"], tax.get(r["uscc"], 12.5)) for r in rows])


def _rows(path: Path, sheet: str) -> list[tuple]:
    found = openpyxl.load_workbook(path, data_only=True)[sheet]
    return [r for r in found.iter_rows(min_row=4, values_only=True) if any(v is not None for v in r)]
