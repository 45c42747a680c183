"""``guishang demo DIR``: the sample year from start to finish, with nothing but the installed package.

It writes the samples (toolkit.demo.samples) into DIR/样例, then runs the same ``guishang`` commands a
city would, one by one, printing each command line so that the reader can repeat it: county templates,
a check with marked copies, a workspace with the starting register, the four quarters of 2022 — each
consolidated, with its notices on the due date and, where a county was returned or late, its late workbook and
the notices after the resubmission deadline (退回 → 催报 → 批评) — and the monthly 调度 returns between them (one
quiet step each; the 1—8月 调度通报 issued on the August one), the 应入尽入 screen of the departments' data after
the half-year notices and after the year-end ones, the year-end lists of the statistics and tax offices, the 2022
reward batch and its payment, the tax office's supplementary list and the city's attribution of a disputed
firm paid in a second batch, a simulated 2023 with its second tranches — and, last, ``lint-doc`` over every
notice and reward document written.
``make demo`` is this command on demo_output/.
"""

from __future__ import annotations

import contextlib
import io
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from rich.console import Console

from toolkit.adapters.office_pdf import soffice
from toolkit.cli import hints
from toolkit.cli.text import esc
from toolkit.demo import department_samples
from toolkit.demo.province_samples import LATE_DIR as PROVINCE_LATE_DIR
from toolkit.demo.province_samples import SUMMARIES_DIR, ProvinceYear, province_year
from toolkit.demo.samples import (LATE_DIR, OFFICES_DIR_NAME, REPORTS_DIR_NAME, accept_examples, attributed_by_the_city,
                                  generate_into)
from toolkit.domain.outcomes import Outcome
from toolkit.services.errors import UserError

SAMPLES_DIR = "样例"
TEMPLATES_DIR = "模板"
CHECKED_DIR = "校验结果"
WORKSPACE_DIR = "工作区"
PROVINCE_WORKSPACE_DIR = "省级工作区"
# check / consolidate end in FINDINGS when a county has mistakes or is missing: expected on the samples
FINDINGS_EXPECTED = (Outcome.OK, Outcome.FINDINGS)


@dataclass(frozen=True)
class Step:
    """One command of the story, with the files to put into the inbox before it."""

    what: str  # said to the reader before the command runs
    argv: tuple[str, ...]
    inbox: tuple[Path, ...] = ()
    accepted: tuple[int, ...] = (Outcome.OK,)
    edit: Callable[[], str] | None = None  # what a clerk does by hand (in Excel) instead of a command
    quiet: bool = False  # a routine step (a monthly 调度 return): one line of output instead of the command's


def add_parsers(verbs) -> None:
    demo = verbs.add_parser("demo", help="演示：把样例（株洲 2022 年）写入一个新文件夹，并在其中走完一年的全部步骤")
    demo.add_argument("dir", type=Path, metavar="DIR", help="新的空文件夹（不存在则新建）")
    demo.add_argument("--no-pdf", action="store_true", help="不生成 PDF（即使已安装 LibreOffice）")
    demo.add_argument("--province", action="store_true",
                      help="省级演示：14 个市州的 2022 年汇总表（样例）在省级工作区中汇总、排名、生成通报")
    demo.set_defaults(handler=cmd_demo)


def cmd_demo(args, console: Console) -> int:
    from toolkit.cli import main  # the story runs the real command line, verb by verb

    if args.province:
        return run_province_demo(args.dir, console, main, pdf=False if args.no_pdf else None)
    return run_demo(args.dir, console, main, pdf=False if args.no_pdf else None)


def story(root: Path, *, pdf: bool) -> list[Step]:
    samples, workspace = root / SAMPLES_DIR, root / WORKSPACE_DIR
    reports, offices = samples / REPORTS_DIR_NAME, samples / OFFICES_DIR_NAME
    ws = ("--workspace", str(workspace))
    as_pdf = ("--pdf",) if pdf else ()

    def period_files(period: str) -> tuple[Path, ...]:
        return tuple(sorted((reports / period).glob("*.xlsx")))

    def office(name: str) -> str:
        return str(offices / name)

    def late_files(period: str) -> tuple[Path, ...]:
        return tuple(sorted((reports / LATE_DIR.format(period=period)).glob("*.xlsx")))

    def notices(period: str, day: str) -> tuple[str, ...]:
        return ("notices", *ws, "--period", period, "--date", day, "--number", *as_pdf)

    def monthly(period: str) -> Step:
        """A monthly 调度 return of every county, consolidated in one quiet step."""
        return Step(f"导入并汇总 {period}（月度调度：培育库、重点项目、退规风险、问题台账和应入尽入跟踪的进展）",
                    ("consolidate", *ws, "--period", period), inbox=period_files(period), accepted=FINDINGS_EXPECTED,
                    quiet=True)

    def screen_import(*names: str) -> tuple[str, ...]:
        return ("screen", "import", *ws, *(office(n) for n in names))

    attributed, county = attributed_by_the_city()
    return [
        Step("政策参数：株洲 2022—2025 年目标（内置样例）", ("policy", "--sample")),
        Step("县市区报表模板：.xlsx（默认下发）和带按钮的 .xlsm（按内置样例生成，封面注明“内置样例”）",
             ("template", "--period", "2022-06", "--all", "--out", str(root / TEMPLATES_DIR), "--xlsm", "--sample")),
        Step("校验 2022-06 各县市区报表：不用政策参数文件，按报表附带的政策参数（茶陵县、攸县的样例带有故意的错误，结论为“退回”）",
             ("check", *map(str, period_files("2022-06")), "--mark", "--out", str(root / CHECKED_DIR)),
             accepted=FINDINGS_EXPECTED),
        Step("建立市级工作区（政策参数、收件箱、输出、数据库、市级控制台）", ("init", str(workspace))),
        Step("市里核定政策参数中的示例数据（净增目标、市县分担、县级就高政策、发文设置、报送日历）", (),
             edit=lambda: _accept_examples(workspace / "政策参数.xlsx")),
        Step("导入统计局的 2021 年末规上工业企业名录（规划起始的在库名录）",
             ("register", "import", *ws, office(department_samples.STARTING_XLSX))),
        monthly("2022-02"),
        Step("导入并汇总 2022-03（一季度）", ("consolidate", *ws, "--period", "2022-03"),
             inbox=period_files("2022-03"), accepted=FINDINGS_EXPECTED),
        Step("截止日 2022-04-08：生成一季度的工作通报和表扬（各单位均已受理）", notices("2022-03", "2022-04-08")),
        monthly("2022-04"),
        monthly("2022-05"),
        Step("导入并汇总 2022-06（上半年）", ("consolidate", *ws, "--period", "2022-06"),
             inbox=period_files("2022-06"), accepted=FINDINGS_EXPECTED),
        Step("截止日 2022-07-08：工作通报、表扬和催报通知（攸县、茶陵县被退回，补报期限 7 月 13 日之内只催报，不封账）",
             notices("2022-06", "2022-07-08")),
        Step("茶陵县 7 月 12 日报来更正后的报表：重新汇总 2022-06，更正的报表替换被退回的报表",
             ("consolidate", *ws, "--period", "2022-06"), inbox=late_files("2022-06"), accepted=FINDINGS_EXPECTED),
        Step("补报期限已过，攸县仍未报送合格报表：2022-07-15 生成通报批评（写明截止日期、催报和补报期限），并封账",
             notices("2022-06", "2022-07-15")),
        Step("应入尽入：导入税务局 2021 年 1 月—2022 年 6 月的申报销售额（GBK csv，元）、市场监管局的登记信息和供电公司的用电量",
             screen_import(department_samples.TAX_CSV, department_samples.REGISTRATION_XLSX,
                           department_samples.POWER_CSV)),
        Step("应入尽入：按 2022 年 1—6 月筛选已达规模未入规的企业，写出市级候选企业表和各县市区的工作清单",
             ("screen", "run", *ws, "--period", "2022-06")),
        monthly("2022-07"),
        monthly("2022-08"),
        Step("2022-09-20：生成 1—8 月调度通报（月度调度：进展、全年预测及其范围、预计达不到目标的单位、逾期问题按交办单位；"
             "不作表扬和批评）", notices("2022-08", "2022-09-20")),
        Step("导入并汇总 2022-09（前三季度；截止日 10 月 8 日是调休上班的星期六，炎陵县未按时报送）",
             ("consolidate", *ws, "--period", "2022-09"), inbox=period_files("2022-09"), accepted=FINDINGS_EXPECTED),
        Step("截止日 2022-10-08：工作通报、表扬和催报通知（炎陵县未报送，补报期限按节假日表为 10 月 11 日）",
             notices("2022-09", "2022-10-08")),
        Step("炎陵县 10 月 10 日补报：重新汇总 2022-09", ("consolidate", *ws, "--period", "2022-09"),
             inbox=late_files("2022-09"), accepted=FINDINGS_EXPECTED),
        Step("补报期限已过：2022-10-12 生成前三季度的通报（进度落后的单位通报批评），并封账", notices("2022-09", "2022-10-12")),
        monthly("2022-10"),
        monthly("2022-11"),
        Step("导入并汇总 2022-12（年报；株洲经开区不再报送与天元区重复的企业，重复认定随之了结）",
             ("consolidate", *ws, "--period", "2022-12"), inbox=period_files("2022-12"), accepted=FINDINGS_EXPECTED),
        Step("补报期限已过：2023-01-13 生成全年的通报", notices("2022-12", "2023-01-13")),
        Step("应入尽入：导入税务局 2022 年 7—12 月的申报销售额（xlsx，两行合并表头，万元）",
             screen_import(department_samples.TAX_XLSX)),
        Step("应入尽入：按 2022 年全年筛选（2023 年 1 月年度入库申报的依据）", ("screen", "run", *ws, "--period", "2022-12")),
        Step("导入统计局确认的 2022 年新增、退库名单",
             ("register", "import", *ws, "--confirmed", "--period", "2022-12",
              office("2022年规上工业企业新增退库确认名单（统计局）.xlsx"))),
        Step("导入税务局提供的 2022 年新入规企业税收", ("tax", "import", *ws, "--year", "2022",
                                                      office("2022年新入规企业税收（税务局）.xlsx"))),
        Step("审批 2022 年度第 1 批奖励资金（请示、审批表、公示名单、明细表；不在税收名单、归属待认定的企业暂缓）",
             ("rewards", "approve", *ws, "--year", "2022", "--date", "2023-03-15", "--number", *as_pdf)),
        Step("登记第 1 批奖励资金已拨付",
             ("rewards", "paid", *ws, "--year", "2022", "--batch", "1", "--date", "2023-04-20")),
        Step("导入税务局的补充税收名单（第 1 批时缺少的渌口区企业）",
             ("tax", "import", *ws, "--year", "2022", "--supplement", office("2022年新入规企业税收（税务局，补充）.xlsx"))),
        Step("市里认定年末重复报送的企业归属天元区（统计局确认名单列在天元区）",
             ("assign", *ws, "--uscc", attributed, "--county", county, "--year", "2022",
              "--note", "统计局确认名单列在天元区，经核实在天元区纳统")),
        Step("审批 2022 年度第 2 批奖励资金（补充税收名单的企业和认定归属后的企业，各兑现一次）",
             ("rewards", "approve", *ws, "--year", "2022", "--new-batch", "--date", "2023-05-15", "--number", *as_pdf)),
        Step("登记第 2 批奖励资金已拨付",
             ("rewards", "paid", *ws, "--year", "2022", "--batch", "2", "--date", "2023-06-10")),
        Step("模拟的 2023 年：导入并汇总 2023-12", ("consolidate", *ws, "--period", "2023-12"),
             inbox=period_files("2023-12"), accepted=FINDINGS_EXPECTED),
        Step("导入统计局确认的 2023 年名单", ("register", "import", *ws, "--confirmed", "--period", "2023-12",
                                           office("2023年规上工业企业新增退库确认名单（统计局）.xlsx"))),
        Step("导入税务局提供的 2023 年税收", ("tax", "import", *ws, "--year", "2023",
                                          office("2023年新入规企业税收（税务局）.xlsx"))),
        Step("审批 2023 年度奖励资金（2023 年新入规企业的首期、2022 年入规企业的第二期）",
             ("rewards", "approve", *ws, "--year", "2023", "--date", "2024-03-15", "--number", *as_pdf)),
    ]


def official_documents(root: Path) -> list[Path]:
    """The papers the story wrote, which ``lint-doc`` checks at the end: the period's notices and each reward
    batch's 请示, 审批表 (checked as a form) and 公示 (checked as a paper without a 版头)."""
    output = root / WORKSPACE_DIR / "输出"
    return sorted([*(output / "公文").rglob("*.docx"), *(output / "奖励").rglob("*.docx")])


def province_story(root: Path, year: ProvinceYear, *, pdf: bool) -> list[Step]:
    """The province's year (#39): its workspace (its example data accepted as the city demo accepts its own: the
    real 市州 targets are not public, the demo keeps the sample's), each 市州's file of 2022-06 and 2022-12 taken in,
    the firm claimed twice attributed, the late 市州 taken in after the others, the notices of both periods issued."""
    workspace = root / PROVINCE_WORKSPACE_DIR
    ws = ("--workspace", str(workspace))
    as_pdf = ("--pdf",) if pdf else ()
    summaries = year.folder / SUMMARIES_DIR
    late_unit, late_period = year.late
    uscc, name, claims = year.double_claim

    def files(folder: str) -> tuple[Path, ...]:
        return tuple(sorted((summaries / folder).glob("*.xlsx")))

    def notices(period: str, day: str) -> tuple[str, ...]:
        return ("notices", *ws, "--period", period, "--date", day, "--number", *as_pdf)

    held_by = "、".join(f"{unit}{county}" for unit, county in claims)
    return [
        Step("建立省级工作区（省级政策参数：14 个市州及所辖县市区、各市州目标（示例）、报送日历、发文设置）",
             ("init", "--level", "province", str(workspace))),
        Step("省里核定政策参数中的示例数据（各市州目标、净增目标、发文设置、报送日历）", (),
             edit=lambda: _accept_examples(workspace / "政策参数.xlsx", "本省（样例中的各市州目标不是真实目标）")),
        Step("导入并汇总 2022-06：12 个市州用本工具生成的上半年汇总表（株洲市的是市级演示的样例），张家界市、湘西州未使用本工具，"
             "报来填好的省级报表模板",
             ("consolidate", *ws, "--period", "2022-06"), inbox=files("2022-06"), accepted=FINDINGS_EXPECTED),
        Step("2022-07-20：生成上半年的工作情况通报（省里的调度通报）、表扬和批评，并封账", notices("2022-06", "2022-07-20")),
        Step(f"导入并汇总 2022-12：{late_unit}未按时报送；{name}被{held_by}同时报为新增，待省里认定",
             ("consolidate", *ws, "--period", "2022-12"), inbox=files("2022-12"), accepted=FINDINGS_EXPECTED),
        Step(f"截止日 2023-01-16：工作情况通报、表扬和催报通知（{late_unit}未报送，补报期限 1 月 19 日之内只催报，不封账）",
             notices("2022-12", "2023-01-16")),
        Step(f"省里核实后认定{name}归属{claims[0][0]}（在{claims[0][1]}登记注册并纳统）",
             ("assign", *ws, "--uscc", uscc, "--county", claims[0][0], "--year", "2022",
              "--note", f"经核实在{claims[0][1]}登记注册并纳统")),
        Step(f"{late_unit} 1 月 18 日补报全年汇总表：重新汇总 2022-12", ("consolidate", *ws, "--period", str(late_period)),
             inbox=files(PROVINCE_LATE_DIR.format(period=late_period)), accepted=FINDINGS_EXPECTED),
        Step("补报期限已过：2023-01-20 生成全年的工作情况通报（省里的调度通报）、表扬和批评，并封账",
             notices("2022-12", "2023-01-20")),
    ]


def run_province_demo(root: Path, console: Console, run: Callable[[Sequence[str]], int], *,
                      pdf: bool | None = None) -> int:
    """``guishang demo --province DIR``: the province sample year written into ``root`` and its story run."""
    root = _new_folder(root)
    has_office = soffice() is not None
    pdf = has_office if pdf is None else pdf
    console.print(f"[bold]写出样例[/]：14 个市州 2022 年上半年和全年的汇总表（各市州用本工具汇总所辖县市区的报表；"
                  f"两个市州改用省级报表模板）→ "
                  f"{esc(root / SAMPLES_DIR)}", soft_wrap=True)
    year = province_year(root / SAMPLES_DIR)
    steps = province_story(root, year, pdf=pdf)
    code = _run_steps(root / PROVINCE_WORKSPACE_DIR, steps, console, run, documents=lambda: sorted(
        (root / PROVINCE_WORKSPACE_DIR / "输出" / "公文").rglob("*.docx")))
    if code != Outcome.OK:
        return code
    output = root / PROVINCE_WORKSPACE_DIR / "输出"
    console.rule("省级演示完成", align="left")
    for label, where in (("市州汇总表（样例）", year.folder / SUMMARIES_DIR), ("省级工作区", root / PROVINCE_WORKSPACE_DIR),
                         ("省级汇总表（市州排名和梯队、县市区排名、入规质量）", output / "汇总"), ("公文", output / "公文")):
        console.print(f"  {esc(label)}：{esc(where)}", soft_wrap=True)
    return Outcome.OK


def _new_folder(root: Path) -> Path:
    root = Path(root)
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise UserError(f"“{root}”已存在且不是空文件夹。演示不会写入已有文件，请换一个新的文件夹名。")
    return root


def _run_steps(workspace: Path, steps: list[Step], console: Console, run: Callable[[Sequence[str]], int], *,
               documents: Callable[[], list[Path]]) -> int:
    """Run ``steps`` and, last, ``lint-doc`` over ``documents()``; the first command that ends otherwise than
    expected stops with its exit code."""
    lint = Step("按 GB/T 9704 检查生成的全部公文（lint-doc）", ())
    for number, step in enumerate([*steps, lint], start=1):
        console.rule(f"第 {number} 步（共 {len(steps) + 1} 步）：{esc(step.what)}", align="left")
        if step.edit is not None:
            console.print(esc(step.edit()), soft_wrap=True)
            continue
        argv = step.argv or ("lint-doc", *map(str, documents()))
        for source in step.inbox:
            shutil.copy2(source, workspace / "收件箱" / source.name)
        if step.inbox:
            console.print(f"放入收件箱：{len(step.inbox)} 个文件", style="dim")
        line = esc("$ guishang " + " ".join(hints.quoted(a) for a in argv))
        if step.quiet:  # the command's own report is kept out of the story: one line says it ran
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                code = run(list(argv))
            console.print(line + ("  → 已汇总" if code in step.accepted else ""), style="cyan", soft_wrap=True)
        else:
            console.print(line, style="cyan", soft_wrap=True)
            code = run(list(argv))
        if code not in step.accepted:
            console.print(f"[red]演示在第 {number} 步停止（退出码 {code}）：见上面的说明。[/]")
            return code
    return Outcome.OK


def run_demo(root: Path, console: Console, run: Callable[[Sequence[str]], int], *, pdf: bool | None = None) -> int:
    """Write the samples into ``root`` and run the story with ``run`` (the CLI's ``main``); the first
    command that ends otherwise than expected stops the demo with its exit code."""
    root = _new_folder(root)
    has_office = soffice() is not None
    pdf = has_office if pdf is None else pdf
    console.print(f"[bold]写出样例[/]：株洲市各县市区 2022 年和模拟的 2023 年报表、统计局和税务局名单 → {esc(root / SAMPLES_DIR)}")
    generate_into(root / SAMPLES_DIR)
    steps = story(root, pdf=pdf)
    code = _run_steps(root / WORKSPACE_DIR, steps, console, run, documents=lambda: official_documents(root))
    if code != Outcome.OK:
        return code
    if not pdf:
        console.print("[yellow]未生成 PDF（Word 文件照常生成）：" +
                      ("按要求跳过。[/]" if has_office else "本机未安装 LibreOffice。[/]"))
    output = root / WORKSPACE_DIR / "输出"
    console.rule("演示完成", align="left")
    for label, where in (("县市区报表模板（.xlsx 和带按钮的 .xlsm）", root / TEMPLATES_DIR),
                         ("校验结果和标注副本", root / CHECKED_DIR),
                         ("市级工作区（打开其中的 市级控制台.xlsx 查看）", root / WORKSPACE_DIR),
                         ("汇总表", output / "汇总"), ("发回县市区的校验结果", output / "校验结果"),
                         ("各县市区的培育工作清单（按报送期）", output / "工作清单"),
                         ("公文", output / "公文"), ("奖励资金文书", output / "奖励")):
        console.print(f"  {esc(label)}：{esc(where)}", soft_wrap=True)
    return Outcome.OK


def _accept_examples(policy: Path, who: str = "本市") -> str:
    sheets = accept_examples(policy)
    return (f"（在 Excel 中完成的一步，演示中由程序代为修改）打开“{policy}”，核对{'、'.join(sheets)}各表后，"
            f"删去第 2 行说明中的“示例数据”字样。演示沿用样例的数值；真实使用时请按{who}实际替换。"
            f"在此之前，引用这些表的公文只能生成草稿，不能签发。")
