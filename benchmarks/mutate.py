"""A small mutation run over the domain's rule modules (make mutate): does a changed operator, constant or boolean
in a rule fail a test?

For each module, every mutation site is found in its syntax tree (a comparison, an arithmetic or boolean operator,
a number, True/False, a ``not``); each mutant is applied in a forked child process of this one — the functions'
code objects swapped for the mutated ones, a module-level value rebound wherever it was imported — and the
module's tests are run there with pytest (-x, first failure wins). A mutant no test fails "survives". Survivors
listed in EQUIVALENT (benchmarks/mutants_equivalent.json) are equivalent mutants (no input tells them apart),
each with the reason; the score counts the others.

    python benchmarks/mutate.py                     every module listed in MODULES
    python benchmarks/mutate.py money uscc          some of them
    python benchmarks/mutate.py --list money        the sites, without running

Writes benchmarks/mutation.json (per module: sites, killed, survivors) and prints a table. English for code;
the survivors' lines are for developers.
"""

from __future__ import annotations

import argparse
import ast
import copy
import importlib
import json
import os
import sys
import time
import types
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

# module -> the tests that pin it (unit first: they are fast; the story tests are not run per mutant)
MODULES: dict[str, list[str]] = {
    "money": ["tests/unit/test_money.py", "tests/unit/test_reward_rules.py", "tests/unit/test_reward_request_text.py"],
    "rewards": ["tests/unit/test_reward_rules.py", "tests/unit/test_reward_reasons.py"],
    "figures": ["tests/unit/test_figures.py", "tests/unit/test_consolidation_rules.py"],
    "assessment": ["tests/unit/test_assessment.py", "tests/unit/test_consolidation_rules.py"],
    "uscc": ["tests/unit/test_uscc.py"],
    "calendar": ["tests/unit/test_calendar.py"],
    "screening": ["tests/unit/test_screening_rules.py"],
    "city_checks": ["tests/unit/test_city_checks.py"],
    "province_figures": ["tests/unit/test_province_figures.py"],
}
EQUIVALENT_FILE = ROOT / "benchmarks" / "mutants_equivalent.json"
RESULTS_FILE = ROOT / "benchmarks" / "mutation.json"
TIMEOUT = 60  # seconds per mutant: a mutant that loops forever is killed (counted as killed)

_SWAP_COMPARE = {ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq,
                 ast.NotEq: ast.Eq, ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot, ast.IsNot: ast.Is}
_SWAP_BINARY = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult, ast.FloorDiv: ast.Div,
                ast.Mod: ast.FloorDiv, ast.Pow: ast.Mult}
_SWAP_BOOL = {ast.And: ast.Or, ast.Or: ast.And}


@dataclass(frozen=True)
class Site:
    index: int
    line: int
    where: str  # the function or class holding it ("Entitlement.second", "<module>")
    nth: int  # the same change in the same place: 1, 2, ... in source order
    what: str  # "Lt -> LtE", "20 -> 21", ...

    @property
    def key(self) -> str:
        """Unique within the module and stable when other functions change: where, the change and which one
        (``mutants_equivalent.json`` is keyed by it)."""
        return f"{self.where}: {self.what}" + (f" #{self.nth}" if self.nth > 1 else "")

    @property
    def shown(self) -> str:
        return f"{self.line}: {self.key}"


def _located(tree: ast.Module) -> list[Site]:
    """The sites with their place: the innermost function or class around each, and its count there."""
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    sites, seen = [], {}
    for index, (node, what, _) in enumerate(_sites(tree)):
        names, up = [], parents.get(node)
        while up is not None:
            if isinstance(up, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.append(up.name)
            up = parents.get(up)
        where = ".".join(reversed(names)) or "<module>"
        seen[(where, what)] = seen.get((where, what), 0) + 1
        sites.append(Site(index, node.lineno, where, seen[(where, what)], what))
    return sites


def _is_docstring(node: ast.AST, parents: dict) -> bool:
    parent = parents.get(node)
    return isinstance(parent, ast.Expr) and isinstance(node, ast.Constant) and isinstance(node.value, str)


def _sites(tree: ast.Module) -> list[tuple[ast.AST, str, object]]:
    """(node, description, how to change it) for every mutation site, in a stable order."""
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found = []
    for node in ast.walk(tree):
        if _annotation(node, parents):
            continue
        if isinstance(node, ast.Compare):
            for i, op in enumerate(node.ops):
                if type(op) in _SWAP_COMPARE:
                    which = f" (comparison {i + 1})" if len(node.ops) > 1 else ""
                    found.append((node, f"{type(op).__name__} -> {_SWAP_COMPARE[type(op)].__name__}{which}",
                                  ("cmp", i)))
        elif isinstance(node, (ast.BinOp, ast.AugAssign)) and type(node.op) in _SWAP_BINARY:
            found.append((node, f"{type(node.op).__name__} -> {_SWAP_BINARY[type(node.op)].__name__}", ("bin",)))
        elif isinstance(node, ast.BoolOp):
            found.append((node, f"{type(node.op).__name__} -> {_SWAP_BOOL[type(node.op)].__name__}", ("bool",)))
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            found.append((node, "not x -> x", ("not",)))
        elif isinstance(node, ast.Constant) and not _is_docstring(node, parents):
            value = node.value
            if isinstance(value, bool):
                found.append((node, f"{value} -> {not value}", ("const", not value)))
            elif isinstance(value, (int, float)):
                found.append((node, f"{value!r} -> {value + 1!r}", ("const", value + 1)))
                if value != 0:
                    found.append((node, f"{value!r} -> {value - 1!r}", ("const", value - 1)))
            elif isinstance(value, str) and _decimal_literal(node, parents):
                changed = str(_decimal(value) + _decimal(_unit(value)))
                found.append((node, f"Decimal({value!r}) -> Decimal({changed!r})", ("const", changed)))
    return sorted(found, key=lambda f: (f[0].lineno, f[0].col_offset, f[1]))


def _decimal(text: str):
    from decimal import Decimal

    return Decimal(text)


def _unit(text: str) -> str:
    """One unit of the last digit of a decimal literal: "0.01" -> "0.01", "5000" -> "1"."""
    if "." in text:
        return "0." + "0" * (len(text.split(".")[1]) - 1) + "1"
    return "1"


def _decimal_literal(node: ast.Constant, parents: dict) -> bool:
    parent = parents.get(node)
    if not (isinstance(parent, ast.Call) and node in parent.args):
        return False
    name = parent.func.id if isinstance(parent.func, ast.Name) else getattr(parent.func, "attr", "")
    try:
        _decimal(node.value)
    except Exception:
        return False
    return name in ("Decimal", "D")


def _annotation(node: ast.AST, parents: dict) -> bool:
    """Inside a type annotation (never run with ``from __future__ import annotations``) or a decorator (such as
    ``@dataclass(frozen=True)``: how a record is built, not a rule)."""
    child, parent = node, parents.get(node)
    while parent is not None:
        if isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and child in parent.decorator_list:
            return True
        if isinstance(parent, ast.AnnAssign) and child is parent.annotation:
            return True
        if isinstance(parent, ast.arg) and child is parent.annotation:
            return True
        if isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef)) and child is parent.returns:
            return True
        child, parent = parent, parents.get(parent)
    return False


def _mutated(tree: ast.Module, index: int) -> ast.Module:
    tree = copy.deepcopy(tree)
    node, _, how = _sites(tree)[index]
    if how[0] == "cmp":
        node.ops[how[1]] = _SWAP_COMPARE[type(node.ops[how[1]])]()
    elif how[0] == "bin":
        node.op = _SWAP_BINARY[type(node.op)]()
    elif how[0] == "bool":
        node.op = _SWAP_BOOL[type(node.op)]()
    elif how[0] == "not":  # "not x" -> "+bool(x)": the same truth as x, the "not" gone
        node.op = ast.UAdd()
        node.operand = ast.Call(ast.Name("bool", ast.Load()), [node.operand], [])
    elif how[0] == "const":
        node.value = how[1]
    return tree


def _top_statement(tree: ast.Module, line: int) -> ast.stmt:
    for statement in tree.body:
        if statement.lineno <= line <= statement.end_lineno:
            return statement
    raise LookupError(line)


def _apply(module: types.ModuleType, tree: ast.Module, mutant: ast.Module, line: int) -> None:
    """Make ``module`` behave as ``mutant`` at ``line``: swap the code of the function (or method) holding it, or
    rebind a module-level value everywhere it was imported."""
    mutant = ast.fix_missing_locations(mutant)
    namespace = {"__name__": module.__name__, "__file__": module.__file__, "__package__": module.__package__}
    exec(compile(mutant, module.__file__, "exec"), namespace)
    statement = _top_statement(tree, line)
    if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
        _swap_code(getattr(module, statement.name), namespace[statement.name])
        return
    if isinstance(statement, ast.ClassDef):
        original, changed = getattr(module, statement.name), namespace[statement.name]
        for name, value in vars(original).items():
            new = vars(changed).get(name)
            for old_f, new_f in zip(_functions_of(value), _functions_of(new)):
                _swap_code(old_f, new_f)
        for name, value in vars(changed).items():  # class-level constants
            if not callable(value) and not isinstance(value, (property, staticmethod, classmethod)):
                if not name.startswith("__") and vars(original).get(name) != value:
                    setattr(original, name, value)
        return
    names = [t.id for s in [statement] for t in getattr(s, "targets", [getattr(s, "target", None)]) if
             isinstance(t, ast.Name)]
    for name in names:
        old, new = getattr(module, name, None), namespace.get(name)
        for other in list(sys.modules.values()):
            if other is not None and getattr(other, name, None) is old and old is not None:
                try:
                    setattr(other, name, new)
                except (AttributeError, TypeError):
                    pass


def _functions_of(value) -> list:
    if isinstance(value, (staticmethod, classmethod)):
        return [value.__func__]
    if isinstance(value, property):
        return [f for f in (value.fget, value.fset, value.fdel) if f is not None]
    if isinstance(value, types.FunctionType):
        return [value]
    return []


def _swap_code(old, new) -> None:
    while hasattr(old, "__wrapped__"):  # functools.cache and friends
        old = old.__wrapped__
    while hasattr(new, "__wrapped__"):
        new = new.__wrapped__
    if isinstance(old, types.FunctionType) and isinstance(new, types.FunctionType):
        old.__code__ = new.__code__
        if new.__defaults__ != old.__defaults__:
            old.__defaults__ = new.__defaults__
        if new.__kwdefaults__ != old.__kwdefaults__:
            old.__kwdefaults__ = new.__kwdefaults__


KILLED, SURVIVED, NOT_APPLIED = "killed", "survived", "not applied"
_CANNOT_APPLY = 98  # the child's exit status when the mutant could not be put in place (never counted as killed)


def _run_one(module: types.ModuleType, tree: ast.Module, index: int, line: int, tests: list[str]) -> str:
    """KILLED when a test fails on the mutant (or it runs past TIMEOUT), SURVIVED when none does."""
    pid = os.fork()
    if pid == 0:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        try:
            _apply(module, tree, _mutated(tree, index), line)
        except BaseException:
            os._exit(_CANNOT_APPLY)
        code = 1
        try:
            import pytest

            code = pytest.main(["-x", "-q", "-p", "no:cacheprovider", "--no-header", "-o", "addopts=", *tests])
        finally:
            os._exit(int(code) if int(code) != _CANNOT_APPLY else 1)
    deadline = time.monotonic() + TIMEOUT
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            code = os.waitstatus_to_exitcode(status)
            return NOT_APPLIED if code == _CANNOT_APPLY else KILLED if code != 0 else SURVIVED
        if time.monotonic() > deadline:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
            return KILLED
        time.sleep(0.01)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", default=list(MODULES))
    parser.add_argument("--list", action="store_true")
    args = parser.parse_args(argv)
    os.chdir(ROOT)  # the tests are named from the project's root
    equivalent = json.loads(EQUIVALENT_FILE.read_text(encoding="utf-8")) if EQUIVALENT_FILE.exists() else {}
    results = json.loads(RESULTS_FILE.read_text(encoding="utf-8")) if RESULTS_FILE.exists() else {}
    import pytest  # noqa: F401  (loaded once, before the forks)

    for name in args.modules:
        module = importlib.import_module(f"toolkit.domain.{name}")
        tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
        sites = _located(tree)
        if args.list:
            for site in sites:
                print(f"{name}.py:{site.shown}")
            continue
        tests = [t for t in MODULES[name] if (ROOT / t).exists()]
        started = time.monotonic()
        outcomes = {site.key: _run_one(module, tree, site.index, site.line, tests) for site in sites}
        survivors = [key for key, outcome in outcomes.items() if outcome == SURVIVED]
        unapplied = [key for key, outcome in outcomes.items() if outcome == NOT_APPLIED]
        known = equivalent.get(name, {})
        counted = [key for key in survivors if key not in known]
        killed = sum(outcome == KILLED for outcome in outcomes.values())
        scored = killed + len(counted)  # the equivalent mutants and those not applied are not scored
        score = killed / scored if scored else 1.0
        stale = sorted(set(known) - set(survivors))  # explained as equivalent, yet killed or gone: say so
        results[name] = {"sites": len(sites), "killed": killed, "equivalent": len(survivors) - len(counted),
                         "not_applied": unapplied, "score": round(score, 3), "survivors": counted,
                         "stale_equivalents": stale, "tests": tests, "seconds": round(time.monotonic() - started, 1)}
        print(f"{name:12s} {len(sites):4d} sites  killed {killed:4d}  equivalent {len(survivors) - len(counted):3d}  "
              f"not applied {len(unapplied):2d}  score {score:6.1%}  ({time.monotonic() - started:.0f} s)", flush=True)
        lines = {site.key: site.line for site in sites}
        for key in counted:
            print(f"    survives     {name}.py:{lines[key]}: {key}")
        for key in unapplied:
            print(f"    not applied  {name}.py:{lines[key]}: {key}")
        for key in stale:
            print(f"    listed as equivalent but not a survivor: {name}.py:{key}")
    if not args.list:
        RESULTS_FILE.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
