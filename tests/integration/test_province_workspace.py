"""A province workspace: the province policy workbook written and read back, the shipped sample, `init --level
province`, and `policy --check` listing what is still example data."""

from __future__ import annotations

import re
import shlex

import openpyxl

from conftest import ROOT
from toolkit.adapters.policy_workbook import read_policy, write_policy
from toolkit.cli import build_parser, main
from toolkit.demo.hunan_policy import hunan_policy
from toolkit.demo.samples import CREATED
from toolkit.demo.zhuzhou_policy import zhuzhou_policy
from toolkit.domain import policy_layout as L
from toolkit.domain.level import Level
from toolkit.services.policy import sample_policy_path
from toolkit.services.workspace import Workspace, init_workspace


def test_round_trip_with_members(tmp_path):
    path = write_policy(tmp_path / "政策参数.xlsx", hunan_policy())
    loaded = read_policy(path)
    assert loaded == hunan_policy()
    assert loaded.level is Level.PROVINCE and sum(len(c.members) for c in loaded.counties) == 123  # + 株洲经开区
    book = openpyxl.load_workbook(path, read_only=True)
    assert L.SHEET_MEMBERS in book.sheetnames
    assert not {L.SHEET_REWARDS, L.SHEET_REWARD_PARAMS, L.SHEET_SHARING, L.SHEET_COUNTY_REWARDS} & set(book.sheetnames)
    info = {row[0]: row[1] for row in book[L.SHEET_INFO].iter_rows(values_only=True)}
    assert info["层级"] == "省" and info["单位称谓"] == "市州" and info["合计行名称"] == "全省"


def test_a_city_workbook_has_no_level_row_or_members_sheet(tmp_path):
    """Written as before the province level existed: the shipped city samples stay byte for byte."""
    book = openpyxl.load_workbook(write_policy(tmp_path / "市.xlsx", zhuzhou_policy()), read_only=True)
    assert L.SHEET_MEMBERS not in book.sheetnames
    assert "层级" not in [row[0] for row in book[L.SHEET_INFO].iter_rows(values_only=True)]


def test_the_shipped_province_sample_is_what_the_module_writes(tmp_path):
    fresh = write_policy(tmp_path / "省.xlsx", hunan_policy(), created=CREATED).read_bytes()
    shipped = sample_policy_path(Level.PROVINCE)
    assert shipped == ROOT / "toolkit" / "resources" / "sample_province_policy.xlsx"
    assert fresh == shipped.read_bytes(), "run `make samples` and commit toolkit/resources/sample_province_policy.xlsx"


def test_init_province_makes_a_province_workspace(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "400")
    root = tmp_path / "省 工作区"
    assert main(["init", "--level", "province", str(root)]) == 0
    out = capsys.readouterr().out
    workspace = Workspace.at(root)
    policy = workspace.policy()
    assert policy.level is Level.PROVINCE and len(policy.counties) == 14 and policy.region == "湖南省"
    assert workspace.policy_path.read_bytes() == sample_policy_path(Level.PROVINCE).read_bytes()
    assert workspace.inbox.is_dir() and workspace.output.is_dir()
    assert "各市州报来的汇总表" in out
    steps = re.findall(r"^  (\d)\. (.*)$", out, re.M)
    assert [n for n, _ in steps] == ["1", "2", "3", "4", "5", "6"]
    assert "市州" in steps[-1][1] and "汇总表" in steps[-1][1] and "县市区报表" not in out
    for _, text in steps:  # every command shown is one the parser takes
        if "guishang " in text:
            argv = shlex.split(text.split("guishang ", 1)[1].replace("YYYY-MM", "2024-03"))
            build_parser().parse_args(argv)


def test_init_keeps_an_existing_policy_of_the_other_level_and_says_so(tmp_path, capsys):
    root = tmp_path / "工作区"
    init_workspace(root)  # a city's
    before = (root / "政策参数.xlsx").read_bytes()
    assert main(["init", "--level", "province", str(root)]) == 0
    assert "是市级的" in capsys.readouterr().out
    assert (root / "政策参数.xlsx").read_bytes() == before
    assert Workspace.at(root).policy().level is Level.CITY


def test_policy_check_lists_what_is_still_example_data(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "300")
    assert main(["policy", "--check", str(sample_policy_path(Level.PROVINCE))]) == 0
    out = capsys.readouterr().out
    assert "4 张表仍标为“示例数据”" in out
    for sheet in (L.SHEET_ANNEX, L.SHEET_NET, L.SHEET_DOCUMENTS, L.SHEET_CALENDAR):
        assert sheet in out
    assert "全省" in out and "湘西土家族苗族自治州" in out
