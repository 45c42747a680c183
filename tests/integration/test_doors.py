"""One mapping from an error to what the user is told (services.errors.told), at every door: the command line, the
Excel buttons, the workbench's runs and pages say the same sentence for a use case's refusal, a policy workbook that
fails its check (with the first problem's sheet and cell), a store that cannot be used, a workbook that cannot be
read — and "internal error" only for a bug."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest

from conftest import ROOT
from toolkit.adapters.file_book import FileBook
from toolkit.adapters.policy_workbook import PolicyInvalid
from toolkit.adapters.store import StoreError
from toolkit.adapters.workbook_file import UnreadableWorkbook
from toolkit.cli import main
from toolkit.domain.findings import make_finding
from toolkit.excel.runner import run_button
from toolkit.services.errors import UserError
from toolkit.web.app import create_app
from toolkit.web.jobs import Job, Jobs

SAMPLE = ROOT / "samples" / "县区报表" / "2022-06" / "天元区_2022-06_规上工业企业报表.xlsx"
ERRORS = {
    "refusal": (lambda: UserError("该期已封账，封账时计入的报表不能再改。"), "该期已封账"),
    "policy": (lambda: PolicyInvalid(Path("政策参数.xlsx"), [make_finding("P003", sheet="目标附件", row=5, col=2,
                                                                             column="2022年", value="很多",
                                                                             expected="整数")]),
               "目标附件!C5"),
    "store": (lambda: StoreError("数据库“guishang.sqlite”已损坏或不是本工具的数据库。"), "已损坏"),
    "unreadable": (lambda: UnreadableWorkbook("无法读取“某.xlsx”：文件已加密。"), "文件已加密"),
}


def _raise(make):
    def action(*_args, **_kwargs):
        raise make()
    return action


@pytest.mark.parametrize("kind", ERRORS)
def test_the_command_line_says_it(kind, capsys, monkeypatch):
    make, words = ERRORS[kind]
    monkeypatch.setenv("COLUMNS", "300")
    monkeypatch.setattr("toolkit.cli.files.codes_markdown", _raise(make))
    assert main(["codes", "--sample"]) == 2
    out = capsys.readouterr().out
    assert words in out and "程序内部错误" not in out


@pytest.mark.parametrize("kind", ERRORS)
def test_a_button_says_it(kind, tmp_path):
    make, words = ERRORS[kind]
    book = FileBook(SAMPLE)
    assert run_button("测试", _raise(make), book=book) is None
    message, problem = book.messages[-1]
    assert problem and words in message and "程序内部出错" not in message


@pytest.mark.parametrize("kind", ERRORS)
def test_a_workbench_run_says_it(kind):
    make, words = ERRORS[kind]
    job = Job("k", "测试", dt.datetime.now())
    Jobs._run(job, _raise(make))
    assert job.state == "failed" and words in job.problem and "程序内部出错" not in job.problem


@pytest.mark.parametrize("kind", ERRORS)
def test_a_workbench_page_says_it(kind, policy, monkeypatch):
    make, words = ERRORS[kind]
    monkeypatch.setattr("toolkit.web.self_check.self_check", _raise(make))
    client = create_app(policy, policy_source="测试", self_check_only=True).test_client()
    page = client.get("/self-check").get_data(as_text=True)
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    answer = client.post("/self-check", data={"csrf": csrf, "workbook": (io.BytesIO(SAMPLE.read_bytes()), SAMPLE.name)},
                         content_type="multipart/form-data")
    text = answer.get_data(as_text=True)
    assert answer.status_code == 409 and words in text and "程序出错" not in text


def test_a_bug_is_still_said_in_one_sentence_at_every_door(capsys, monkeypatch, tmp_path):
    monkeypatch.setattr("toolkit.cli.files.codes_markdown", _raise(lambda: KeyError("x")))
    assert main(["codes", "--sample"]) == 3 and "程序内部错误（KeyError）" in capsys.readouterr().out
    job = Job("k", "测试", dt.datetime.now())
    Jobs._run(job, _raise(lambda: KeyError("x")))
    assert "程序内部出错" in job.problem
