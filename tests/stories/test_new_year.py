"""A new year on the city's own data (#33), run with the installed wheel as a city clerk and two county clerks would.

The city starts a 2024 workspace and makes the policy its own (醴陵市's 2024 target 54 → 60, 全市 306, its own
contacts, a higher 规模以上标准, every 示例数据 mark removed); templates made inside the workspace, naming no
policy, carry those figures; a county checks its workbook where no policy file is and gets the city's rules; 攸县
sends last period's workbook renamed to this period and then the correction under the same name in a subfolder,
and the correction is accepted without the city choosing, each file keeping its own results. (The rewards'
deferral of a firm whose tax has not yet formed is the story in tests/stories/test_rewards.py.)
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

    def run(*args: object, cwd: Path) -> Ran:
        env = {**os.environ, "PYTHONPATH": str(target), "COLUMNS": "300", "PYTHONIOENCODING": "utf-8"}
        code = ("import sys, toolkit; from pathlib import Path; "
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
    assert f"以“更正/{name}”为准" in second.out
    shown = guishang("status", "--period", "2024-03", cwd=root)
    assert f"更正/{name}" in shown.out
    after = sorted(p.name for p in results.iterdir())
    assert after[0] == "攸县_2024-03_规上工业企业报表_校验结果.xlsx" and (results / after[0]).read_bytes() == returned[after[0]]
