"""The worksheet functions' plain Python underneath, and getting the macro workbooks onto office PCs:
the xlwings version check and the xlwings configuration file (the offline bundle: test_artifact.py)."""

from __future__ import annotations

import sys
import zipfile

import pytest

from toolkit.cli import main
from toolkit.domain.uscc import with_check_character
from toolkit.services import deployment, lookups
from toolkit.services.errors import UserError


# --- worksheet functions ------------------------------------------------------------------------------
def test_county_target_comes_from_the_targets_annex(policy):
    county = policy.counties[0].name
    assert lookups.county_target(policy, county, 2023) == policy.new_target(county, 2023)
    assert lookups.county_target(policy, county, 2023.0, "净增") == policy.net_target(county, 2023)
    with pytest.raises(UserError, match="可选"):
        lookups.county_target(policy, "不存在县", 2023)
    with pytest.raises(UserError, match="没有"):
        lookups.county_target(policy, county, 2030)


@pytest.mark.parametrize("code,valid", [(with_check_character("91430211MA4L12345"), True),
                                        ("91430211MA4L123450", False), ("", False), (None, False)])
def test_uscc_validity(code, valid):
    assert lookups.uscc_is_valid(code) is valid


def test_reward_amount_follows_the_policy(policy):
    standard = policy.rewards[0]
    assert lookups.reward_amount(policy, standard.entry_kind, 12.5) == standard.amount_yuan
    assert lookups.reward_amount(policy, standard.entry_kind, 0) == (0 if standard.requires_tax else standard.amount_yuan)
    assert lookups.reward_amount(policy, "外地迁入", 50) == 0
    own = policy.county_rewards[0]
    higher = max(own.amount_yuan, next(r.amount_yuan for r in policy.rewards if r.entry_kind == own.entry_kind))
    assert lookups.reward_amount(policy, own.entry_kind, 1, own.county) == higher
    with pytest.raises(UserError, match="税收应为数字"):
        lookups.reward_amount(policy, standard.entry_kind, "很多")


@pytest.mark.parametrize("amount,text", [(100500, "人民币壹拾万零伍佰元整"), (1000000, "人民币壹佰万元整"), ("60000", "人民币陆万元整")])
def test_amount_in_capitals(amount, text):
    assert lookups.amount_in_capitals(amount) == text


def test_amount_in_capitals_refuses_what_is_not_whole_yuan():
    for bad in (-1, 1.5, "十万"):
        with pytest.raises(UserError):
            lookups.amount_in_capitals(bad)


# --- setup --------------------------------------------------------------------------------------------
def test_pinned_xlwings_is_installed_and_checked():
    import xlwings

    assert deployment.pinned_xlwings() == xlwings.__version__
    results = {c.item: c for c in deployment.checks([])}
    assert results["xlwings"].ok is True


def test_checks_on_windows_look_for_pywin32_and_the_dll(monkeypatch, tmp_path):
    monkeypatch.setattr(sys, "prefix", str(tmp_path))
    results = {c.item: c for c in deployment.checks([], platform="win32")}
    assert results["xlwings DLL"].ok is False and str(tmp_path) in results["xlwings DLL"].detail
    (tmp_path / f"xlwings64-{deployment.installed_xlwings()}.dll").write_bytes(b"MZ")
    results = {c.item: c for c in deployment.checks([], platform="win32")}
    assert results["xlwings DLL"].ok is True


def test_a_workbook_for_another_xlwings_is_flagged(tmp_path):
    not_macro = tmp_path / "plain.xlsx"
    with zipfile.ZipFile(not_macro, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    result = deployment.checks([not_macro])[-1]
    assert result.ok is False and "不是带 xlwings 宏的工作簿" in result.detail


def test_setup_writes_the_interpreter_and_keeps_other_settings(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    conf = tmp_path / "xlwings.conf"
    conf.write_text('"INTERPRETER_WIN","C:\\old\\python.exe"\r\n"SHOW CONSOLE","False"\r\n', encoding="gb18030")
    assert main(["excel", "setup", "--dir", str(tmp_path)]) == 0
    lines = conf.read_text(encoding="gb18030").splitlines()
    assert lines == [f'"INTERPRETER_WIN","{sys.executable}"', '"SHOW CONSOLE","False"']
    assert "写入 xlwings 配置" in capsys.readouterr().out


