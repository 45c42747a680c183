"""Use cases: import the lists other offices keep (guishang register import, guishang tax import).

The starting register (在库名录 at the plan's start) is what cross-period checks rest on: with it,
an exit of a firm the register does not hold is an 错误 (E203), and a "new" entry of a firm already
in it is one (E201). Importing re-judges every period in the store, so the findings follow at once.
The tax office's figures per enterprise and year (当年形成税收) decide, with the statistics office's
confirmed entries, which rewards may be paid (guishang rewards).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.domain.findings import Finding, make_finding
from toolkit.domain.periods import Period
from toolkit.domain.policy import Policy
from toolkit.domain.register_list import ListedFirm, parse_register_list
from toolkit.domain.rewards import TaxFigure
from toolkit.domain.tax_list import parse_tax_list
from toolkit.ports.store import Store
from toolkit.ports.tools import tools
from toolkit.services.clock import now_text
from toolkit.services.closing import keep_policy
from toolkit.services.consolidation import rejudge
from toolkit.services.errors import UserError
from toolkit.services.workspace import Workspace


@dataclass
class RegisterImport:
    file: str
    firms: list[ListedFirm] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    unchanged: bool = False  # the same file was imported before
    replaced: dict | None = None  # the list it replaced

    @property
    def by_county(self) -> Counter:
        return Counter(f.county for f in self.firms)


@dataclass
class TaxImport:
    file: str
    year: int
    figures: list[TaxFigure] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    unchanged: bool = False
    replaced: dict | None = None
    supplement: bool = False  # a 补充名单 added to the year's list
    final: bool = False  # the year's final figures (全年定稿)

    @property
    def with_tax(self) -> int:
        return sum(1 for f in self.figures if f.tax_wan > 0)


def read_register_list(path: Path, policy: Policy, name: str | None = None,
                       confirmed: bool = False) -> tuple[list[ListedFirm], list[Finding]]:
    """``name``: the file's name as received (an archived copy is named by its hash)."""
    return parse_register_list(tools().workbooks.read_sheets(path), name or Path(path).name, policy, confirmed)


def import_starting(workspace: Workspace, path: Path) -> RegisterImport:
    path = _existing(path, "名录")
    policy = workspace.policy()
    firms, findings = read_register_list(path, policy)

    def apply(store: Store, sha: str, at: str) -> None:
        apply_starting(store, policy, firms, sha, path.name, at)

    return _import(workspace, path, RegisterImport(path.name, firms, findings), "导入起始名录",
                   lambda store: store.register.starting_info(), apply, {"event": "import_starting"})


def _existing(path: Path, what: str) -> Path:
    path = Path(path)
    if not path.is_file():
        raise UserError(f"找不到{what}文件“{path}”。请检查路径。")
    return path


def _import(workspace: Workspace, path: Path, result: RegisterImport, backup_label: str, previous_of, apply,
            event: dict) -> RegisterImport:
    """The one way a list from the statistics office goes in: refused whole if anything is wrong, a file
    imported before changes nothing, otherwise archived, applied and journalled in one transaction."""
    if result.findings:
        return result  # refused whole: nothing written
    sha = tools().files.sha256_of(path)
    with workspace.writing(backup_label) as store:
        previous = previous_of(store)
        if previous and previous.get("sha256") == sha:
            result.unchanged = True
            return result
        result.replaced = previous
        with store.transaction():
            at = now_text()
            workspace.archive.keep(path, sha)
            apply(store, sha, at)
            workspace.archive.record({**event, "sha256": sha, "name": path.name, "at": at,
                                      "policy": keep_policy(workspace, workspace.archive)})
    return result


def apply_starting(store: Store, policy: Policy, firms: list[ListedFirm], sha: str, name: str, at: str) -> None:
    """Replace the starting list and re-judge every period the store holds, in order."""
    store.register.replace_starting(firms, sha, name, at)
    rejudge(store, policy, {s.period for s in store.submissions.all()})


def import_confirmed(workspace: Workspace, path: Path, period: Period, *, final: bool = False) -> RegisterImport:
    """The statistics office's confirmed entries and exits of the year up to ``period`` (统计确认名单);
    ``final``: the office's final list of the year (终审名单)."""
    path = _existing(path, "确认名单")
    policy = workspace.policy()
    firms, findings = read_register_list(path, policy, confirmed=True)
    findings += _outside_period(firms, path.name, period)

    def apply(store: Store, sha: str, at: str) -> None:
        apply_confirmed(store, policy, period, firms, sha, path.name, at, final)

    def previous(store: Store) -> dict | None:  # the same file again, now declared final, is a change
        info = store.register.confirmed_info(period)
        return info if info is None or bool(info.get("final")) == final else {**info, "sha256": ""}

    return _import(workspace, path, RegisterImport(path.name, firms, findings), f"导入确认名单{period}",
                   previous, apply, {"event": "import_confirmed", "period": str(period), "final": final})


def _outside_period(firms: list[ListedFirm], file: str, period: Period) -> list[Finding]:
    """A month after the period, or in another year, means the wrong list or the wrong --period."""
    out = []
    for firm in firms:
        if firm.month and not (Period.parse(firm.month).year == period.year and Period.parse(firm.month) <= period):
            out.append(make_finding("E114" if Period.parse(firm.month) > period else "E113", file=file,
                                    sheet=firm.sheet, row=firm.row, column="月份", value=firm.month,
                                    expected=str(period) if Period.parse(firm.month) > period else period.year))
    return out


def apply_confirmed(store: Store, policy: Policy, period: Period, firms: list[ListedFirm], sha: str, name: str,
                    at: str, final: bool = False) -> None:
    store.register.replace_confirmed(period, firms, sha, name, at, final)
    rejudge(store, policy, {period} if store.submissions.all(period=period) else set())


def read_tax_list(path: Path, name: str | None = None, year: int | None = None) -> tuple[list[TaxFigure], list[Finding]]:
    return parse_tax_list(tools().workbooks.read_sheets(path), name or Path(path).name, year)


def import_taxes(workspace: Workspace, path: Path, year: int, *, supplement: bool = False,
                 final: bool = False) -> TaxImport:
    """The tax office's tax formed in ``year`` per enterprise (税务部门当年形成税收). A list replaces the
    year's list; a ``supplement`` (补充名单) adds the firms the year's list did not have. ``final``: the year's
    final figures (全年定稿): a firm whose tax is zero in them is excluded, not deferred; the list imported before,
    sent again as final, is marked so (its supplements stay)."""
    path = _existing(path, "税收数据")
    workspace.policy()  # a broken policy workbook is reported before anything is written
    figures, findings = read_tax_list(path, year=year)
    if supplement and final:
        raise UserError("补充名单只增加企业，不能单独定稿。请把全年定稿的完整名单按完整名单导入并注明定稿。")
    if not supplement:
        def apply(store: Store, sha: str, at: str) -> None:
            apply_taxes(store, year, figures, sha, path.name, at, final)

        def previous(store: Store) -> dict | None:  # the same file again, now declared final, is a change
            info = store.department.taxes_info(year)
            return info if info is None or not final or info.get("final") else {**info, "sha256": ""}

        return _import(workspace, path, TaxImport(path.name, year, figures, findings, final=final), f"导入税收{year}",
                       previous, apply, {"event": "import_taxes", "year": year, "final": final})

    def add(store: Store, sha: str, at: str) -> None:
        check_supplement(store, year, figures, path.name)
        store.department.add_taxes(year, figures, sha, path.name, at)

    sha = tools().files.sha256_of(path)
    return _import(workspace, path, TaxImport(path.name, year, figures, findings, supplement=True),
                   f"补充税收{year}", lambda store: store.department.tax_supplement_info(year, sha), add,
                   {"event": "import_taxes", "year": year, "supplement": True})


def apply_taxes(store: Store, year: int, figures: list[TaxFigure], sha: str, name: str, at: str, final: bool) -> None:
    """The year's list in (replacing the one before), or, for the list already in, its declaration as final."""
    info = store.department.taxes_info(year)
    if final and info is not None and info.get("sha256") == sha:
        store.department.mark_taxes_final(year, at)
    else:
        store.department.replace_taxes(year, figures, sha, name, at, final)


def check_supplement(store: Store, year: int, figures: list[TaxFigure], file: str) -> None:
    """A supplementary list adds firms; it never changes a figure the year's list already gives."""
    have = store.department.taxes(year)
    if have is None:
        raise UserError(f"还没有导入税务部门{year}年的税收名单，补充名单“{file}”只能在它之后导入。"
                        f"如果这就是{year}年的完整名单，请按完整名单导入（不作为补充名单）。")
    given = {t.uscc: t for t in have}
    differ = [(t, given[t.uscc]) for t in figures if t.uscc in given and given[t.uscc].tax_wan != t.tax_wan]
    if differ:
        lines = "；".join(f"{new.name}（{new.uscc}，{new.source}）补充名单 {new.tax_wan:f} 万元，原名单 {old.tax_wan:f} 万元"
                         for new, old in differ[:5])
        raise UserError(f"补充名单“{file}”改变了{year}年名单中已有的税收数字：{lines}。补充名单只能增加原名单没有的企业；"
                        f"数字有更正的，请税务部门出具更正后的完整名单，按完整名单导入（替换原名单）。")
