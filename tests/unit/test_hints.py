"""Services say what to do next as coded hints; each entry point renders them in its own terms. Every hint
the services can give is rendered in the command line's form and parsed with the real parser; no service
message names a command or a flag."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from conftest import ROOT
from toolkit.cli import build_parser
from toolkit.cli import hints as cli_hints
from toolkit.domain.buttons import CITY_BUTTONS
from toolkit.domain.hints import Action, Advice, Hint
from toolkit.excel import hints as excel_hints

SAMPLE = {"dir": "D:/规上 工作区", "workspace": "D:/规上 工作区", "file": "政策参数.xlsx", "period": "2022-06",
          "year": "2022", "batch": "1", "uscc": "91430211MA4L123459"}
VERBS = {Action.INIT_WORKSPACE: "init", Action.EXPORT_POLICY: "policy", Action.CHECK_POLICY: "policy",
         Action.CONSOLIDATE: "consolidate", Action.CONTROL_WORKBOOK: "excel", Action.ASSIGN: "assign",
         Action.IMPORT_CONFIRMED: "register", Action.IMPORT_TAXES: "tax", Action.REWARDS_DRAFT: "rewards",
         Action.REWARDS_APPROVE: "rewards", Action.REWARDS_APPROVE_EARLY: "rewards",
         Action.REWARDS_NEW_BATCH: "rewards", Action.REWARDS_PAID: "rewards", Action.REWARDS_SHOW: "rewards",
         Action.EXCEL_SETUP: "excel", Action.NOTICES_DRAFT: "notices", Action.LINT_DOC: "lint-doc",
         Action.IMPORT_STARTING: "register", Action.IMPORT_DEPARTMENTS: "screen"}


def sample(action: Action) -> Hint:
    return Hint.of(action, **{key: SAMPLE[key] for key in action.parameters})


@pytest.mark.parametrize("action", list(Action), ids=lambda a: a.value)
def test_every_hint_renders_as_a_command_the_real_parser_accepts(action):
    argv = [cli_hints.PLACEHOLDERS.get(arg, arg) for arg in cli_hints.argv(sample(action))]
    args = build_parser().parse_args(argv)  # a wrong flag or verb exits here (SystemExit fails the test)
    assert args.verb == VERBS[action]
    for key in action.parameters:
        assert SAMPLE[key] in argv, key  # the hint's values reach the command
    assert action.title and cli_hints.render(sample(action)).startswith(f"下一步（{action.title}）：guishang ")


def test_a_rendered_command_quotes_paths_with_spaces():
    assert '--workspace "D:/规上 工作区"' in cli_hints.command(sample(Action.CONSOLIDATE))


def test_the_buttons_render_a_hint_as_the_button_to_press_where_there_is_one():
    captions = {b.caption for b in CITY_BUTTONS}
    text = excel_hints.render(sample(Action.CONSOLIDATE))
    assert "“导入并汇总”" in text and "导入并汇总" in captions and "2022-06" in text
    assert "guishang rewards" in excel_hints.render(sample(Action.REWARDS_PAID))  # no button: the command
    assert excel_hints.render(None) == ""


def test_advice_carries_its_command():
    item = Advice("另有3家暂缓兑现，条件具备后可追加审批。", sample(Action.REWARDS_NEW_BATCH))
    assert cli_hints.advice(item).endswith("--year 2022 --new-batch）")


def test_a_hint_refuses_parameters_its_action_does_not_take():
    with pytest.raises(ValueError):
        Hint.of(Action.CONSOLIDATE, workspace="x")
    with pytest.raises(ValueError):
        Hint.of(Action.EXCEL_SETUP, year=2022)


# the bundle's install notes and install.bat are files for the city's IT that name the commands on purpose
ALLOWED = {"toolkit/services/deployment.py"}


def _strings(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and node.body
                  and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield node.lineno, node.value


def test_no_service_message_names_a_command_or_a_flag():
    found = []
    for path in sorted((ROOT / "toolkit" / "services").glob("*.py")):
        if path.relative_to(ROOT).as_posix() in ALLOWED:
            continue
        for line, text in _strings(path):
            if re.search(r"guishang [a-z-]", text) or any(f" --{flag}" in f" {text}" for flag in
                                          ("workspace", "year", "period", "batch", "draft", "new-batch", "templates",
                                           "confirmed", "paid", "reissue", "out", "check")):
                found.append(f"{path.name}:{line}: {text[:60]}")
    assert found == []
