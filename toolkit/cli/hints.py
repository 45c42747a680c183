"""The command line's rendering of a ``Hint``: the command to run, as the real parser accepts it.

Where the user must supply a value the tool cannot know (a date, a file, a county), the command holds a
placeholder in Chinese; ``PLACEHOLDERS`` gives an example value of each, with which a test parses every
rendered command with the real parser.
"""

from __future__ import annotations

from toolkit.domain.hints import Action, Advice, Hint

PLACEHOLDERS = {"拨付日期": "2023-04-20", "县市区名称": "天元区", "确认名单.xlsx": "确认名单.xlsx", "税收.xlsx": "税收.xlsx",
                "名录.xlsx": "名录.xlsx", "部门数据文件": "税务申报销售额.csv"}


def argv(hint: Hint) -> list[str]:
    """The command's arguments after ``guishang``."""
    get = hint.get
    workspace = ["--workspace", get("workspace")] if "workspace" in hint.action.parameters else []
    return {
        Action.INIT_WORKSPACE: lambda: ["init", get("dir")],
        Action.EXPORT_POLICY: lambda: ["policy", "--out", get("dir")],
        Action.CHECK_POLICY: lambda: ["policy", "--check", get("file")],
        Action.CONSOLIDATE: lambda: ["consolidate", *workspace, "--period", get("period")],
        Action.CONTROL_WORKBOOK: lambda: ["excel", "workbook", *workspace],
        Action.ASSIGN: lambda: ["assign", *workspace, "--uscc", get("uscc"), "--county", "县市区名称",
                                "--year", get("year")],
        Action.IMPORT_CONFIRMED: lambda: ["register", "import", *workspace, "--confirmed", "--period", get("period"),
                                          "确认名单.xlsx"],
        Action.IMPORT_TAXES: lambda: ["tax", "import", *workspace, "--year", get("year"), "税收.xlsx"],
        Action.NOTICES_DRAFT: lambda: ["notices", *workspace, "--period", get("period"), "--draft"],
        Action.REWARDS_DRAFT: lambda: ["rewards", "draft", *workspace, "--year", get("year")],
        Action.REWARDS_APPROVE: lambda: ["rewards", "approve", *workspace, "--year", get("year")],
        Action.REWARDS_APPROVE_EARLY: lambda: ["rewards", "approve", *workspace, "--year", get("year"),
                                               "--before-year-end"],
        Action.REWARDS_NEW_BATCH: lambda: ["rewards", "approve", *workspace, "--year", get("year"), "--new-batch"],
        Action.REWARDS_PAID: lambda: ["rewards", "paid", *workspace, "--year", get("year"), "--batch", get("batch"),
                                      "--date", "拨付日期"],
        Action.REWARDS_SHOW: lambda: ["rewards", "show", *workspace, "--year", get("year")],
        Action.EXCEL_SETUP: lambda: ["excel", "setup"],
        Action.LINT_DOC: lambda: ["lint-doc", get("file")],
        Action.IMPORT_STARTING: lambda: ["register", "import", *workspace, "名录.xlsx"],
        Action.IMPORT_DEPARTMENTS: lambda: ["screen", "import", *workspace, "部门数据文件"],
    }[hint.action]()


def command(hint: Hint) -> str:
    return "guishang " + " ".join(quoted(a) for a in argv(hint))


def render(hint: Hint | None) -> str:
    """“下一步（导入并汇总该报送期）：guishang consolidate …”, or nothing."""
    return f"下一步（{hint.action.title}）：{command(hint)}" if hint else ""


def advice(item: Advice) -> str:
    """A warning of a run with its next step: “……，条件具备后可追加审批。（guishang rewards …）”."""
    return item.text + (f"（{command(item.hint)}）" if item.hint else "")


def quoted(arg: str) -> str:
    return f'"{arg}"' if any(c in arg for c in " （）()") else arg


def print_layout(console, layout) -> None:
    """The after-issue layout check (services.doc_check.LayoutCheck): each reminder, then the full check."""
    from toolkit.cli.text import esc

    for reminder in layout:
        console.print(f"[yellow]版式提醒[/]：{esc(reminder)}", soft_wrap=True)
    if layout.hint is not None:
        console.print(esc(render(layout.hint)) + "（公文须改正后再印发）", soft_wrap=True)
