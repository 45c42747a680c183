"""The layers stay as the README's code map says: import-linter checks the contracts in setup.cfg
([importlinter]) on the real import graph, and a deliberately broken copy proves the check can fail."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT


def _lint(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "import sys; from importlinter.cli import lint_imports_command; "
                           "sys.exit(lint_imports_command())", "--config", str(ROOT / "setup.cfg")],
                          capture_output=True, text=True, cwd=root, env={"PYTHONPATH": str(root), "PATH": ""},
                          timeout=120)


def test_the_layer_contracts_hold():
    done = _lint(ROOT)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "8 kept, 0 broken" in done.stdout


def test_an_entry_point_reaching_the_store_directly_breaks_the_contract(tmp_path):
    """#33: the command line and the Excel buttons are held to the use cases as the workbench is."""
    shutil.copytree(ROOT / "toolkit", tmp_path / "toolkit", ignore=shutil.ignore_patterns("__pycache__"),
                    symlinks=True)
    for door in ("cli/rewards.py", "excel/county.py"):
        module = tmp_path / "toolkit" / door
        module.write_text(module.read_text(encoding="utf-8") + "\nfrom toolkit.adapters.store import Store  # noqa\n",
                          encoding="utf-8")
    done = _lint(tmp_path)
    assert done.returncode != 0 and "6 kept, 2 broken" in done.stdout
    assert "toolkit.cli.rewards -> toolkit.adapters.store" in done.stdout
    assert "toolkit.excel.county -> toolkit.adapters.store" in done.stdout


def test_a_service_importing_an_adapter_breaks_the_contract(tmp_path):
    """#35: services depend on the ports; only the composition root (toolkit/wiring.py) names the adapters."""
    shutil.copytree(ROOT / "toolkit", tmp_path / "toolkit", ignore=shutil.ignore_patterns("__pycache__"),
                    symlinks=True)
    for service, adapter in (("services/closing.py", "toolkit.adapters.archive import Archive"),
                             ("services/notices.py", "toolkit.wiring import default_tools")):
        module = tmp_path / "toolkit" / service
        module.write_text(module.read_text(encoding="utf-8") + f"\nfrom {adapter}  # noqa\n", encoding="utf-8")
    done = _lint(tmp_path)
    assert done.returncode != 0 and "7 kept, 1 broken" in done.stdout
    assert "Services import ports, never adapters" in done.stdout
    assert "toolkit.services.closing -> toolkit.adapters.archive" in done.stdout
    assert "toolkit.services.notices -> toolkit.wiring" in done.stdout


def test_the_composition_root_is_the_one_module_outside_the_adapters_that_names_them():
    """Below the doors, only toolkit/wiring.py imports an adapter, statically or by name (import-linter sees only
    the static imports; a module name in a string would go round it)."""
    naming = re.compile(r"^\s*(from|import) toolkit\.adapters|[\"']toolkit\.adapters", re.MULTILINE)
    below_the_doors = [p for p in (ROOT / "toolkit").rglob("*.py")
                       if p.relative_to(ROOT / "toolkit").parts[0] not in ("adapters", "cli", "excel", "demo")]
    assert len(below_the_doors) > 60
    assert sorted(p.relative_to(ROOT).as_posix() for p in below_the_doors
                  if naming.search(p.read_text(encoding="utf-8"))) == ["toolkit/wiring.py"]


def test_a_domain_module_importing_a_service_breaks_the_contract(tmp_path):
    shutil.copytree(ROOT / "toolkit", tmp_path / "toolkit", ignore=shutil.ignore_patterns("__pycache__"),
                    symlinks=True)
    rules = tmp_path / "toolkit" / "domain" / "money.py"
    rules.write_text(rules.read_text(encoding="utf-8") + "\nfrom toolkit.services import workspace  # noqa\n",
                     encoding="utf-8")
    done = _lint(tmp_path)
    assert done.returncode != 0
    assert "The domain imports only the domain" in done.stdout and "BROKEN" in done.stdout
    assert "toolkit.domain.money -> toolkit.services.workspace" in done.stdout


def test_a_button_press_loads_only_what_its_use_case_needs():
    # each press starts Python and imports the button module: the document libraries (python-docx, docxtpl,
    # cn2an) load with the notices and rewards buttons only, and the command line's verbs not at all
    probe = ("import sys, toolkit.excel.city, toolkit.excel.county, toolkit.excel.udfs; "
             "print(' '.join(m for m in ('docx', 'docxtpl', 'cn2an', 'toolkit.cli.app', 'toolkit.services.notices',"
             " 'toolkit.services.rewards') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT)
    assert done.stdout.split() == []


def test_no_adapter_class_keeps_everything():
    """#35: the store is split by what it keeps; no class in toolkit/adapters grows past ~20 public methods again
    (the store had 56 in one class)."""
    import ast

    counts = {}
    for path in (ROOT / "toolkit" / "adapters").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                public = [f.name for f in node.body
                          if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef)) and not f.name.startswith("_")]
                counts[f"{path.relative_to(ROOT).as_posix()}:{node.name}"] = len(public)
    assert counts["toolkit/adapters/store/submissions.py:SqliteSubmissions"] >= 15  # the scan sees the methods
    # the document builder has one method per element of GB/T 9704 (版头, 发文字号, 标题, 主送 … 附注, 版记): the
    # standard's own list of parts, not a class that keeps everything
    builder = "toolkit/adapters/gbt9704_docx.py:OfficialDocument"
    assert {name: n for name, n in counts.items() if n > 20 and name != builder} == {}
    assert counts[builder] <= 22
