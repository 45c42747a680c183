"""What users install is what we test: the built wheel carries every file the program reads at run time,
no module reaches a file by the repository's layout, and the offline bundle for Windows installs from its
own folder on each promised Python version.

(The wheel is also installed into a fresh virtual environment and the whole demo year run with it, from a
folder outside the checkout: .ci/artifact, run by `make artifact` and by CI before the tests.)
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT
from toolkit.resources import SHIPPED, resource_path
from toolkit.services import deployment

TOOLKIT = ROOT / "toolkit"
# reads of files by path that are not the package's run-time resources, each with its reason
ALLOWED_FILE_ROUTES = {
    ("toolkit/resources/__init__.py", "resources.files"): "the one place resources are reached",
    ("toolkit/adapters/vba/project.py", "resources.files"): "xlwings' own quickstart workbook, in xlwings' package",
    ("toolkit/services/deployment.py", "__file__"): "a developer's source tree builds guishang's wheel for the bundle"
                                                    " (an installed guishang is given --wheel instead)",
}


def test_the_wheel_carries_every_run_time_file_byte_for_byte(built_wheel):
    assert deployment.missing_resources(built_wheel, same_bytes=True) == []
    with zipfile.ZipFile(built_wheel) as archive:
        names = archive.namelist()
    shipped = {n for n in names if n.startswith("toolkit/resources/") and not n.endswith(".py")}
    # every pattern matches real files, and nothing else travels in the resources folder
    for pattern in SHIPPED:
        assert list(resource_path(".").glob(pattern)), pattern
    expected = {"toolkit/resources/" + p.relative_to(resource_path(".")).as_posix()
                for pattern in SHIPPED for p in resource_path(".").glob(pattern)}
    assert shipped == expected
    assert len([n for n in expected if n.endswith(".docx")]) == 8  # five notices (调度通报) and three reward documents
    assert {"toolkit/demo/samples.py", "toolkit/demo/zhuzhou_policy.py", "toolkit/cli/demo.py"} <= set(names)
    # the workbench's pages and style sheet (Flask finds them beside toolkit/web)
    web = {p.relative_to(ROOT).as_posix() for folder in ("templates", "static")
           for p in (TOOLKIT / "web" / folder).rglob("*") if p.is_file()}  # with the vendored scripts
    assert web and web <= set(names)


def test_a_wheel_without_a_template_is_named_as_incomplete(built_wheel, tmp_path):
    lacking = tmp_path / built_wheel.name
    dropped = "toolkit/resources/templates/通报批评.docx"
    with zipfile.ZipFile(built_wheel) as source, zipfile.ZipFile(lacking, "w") as target:
        for item in source.infolist():
            if item.filename != dropped:
                target.writestr(item, source.read(item))
    assert deployment.missing_resources(lacking) == [dropped]


def _file_routes(path: Path) -> set[str]:
    """How a module reaches files by path: ``__file__`` or ``importlib.resources.files``."""
    routes = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Name) and node.id == "__file__":
            routes.add("__file__")
        if isinstance(node, ast.Attribute) and node.attr == "files" and isinstance(node.value, ast.Name) \
                and node.value.id == "resources":
            routes.add("resources.files")
    return routes


def test_no_module_reads_a_file_by_the_repository_layout():
    found = {(path.relative_to(ROOT).as_posix(), route)
             for path in TOOLKIT.rglob("*.py") for route in _file_routes(path)}
    assert found - set(ALLOWED_FILE_ROUTES) == set()
    assert set(ALLOWED_FILE_ROUTES) <= found  # the list stays honest: no stale exceptions


# --- the offline bundle for Windows --------------------------------------------------------------------
def _index_reachable() -> bool:
    with tempfile.TemporaryDirectory() as folder:
        probe = subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "--dest", folder,
                                "--only-binary=:all:", "--platform", "win_amd64", "--python-version", "3.11",
                                "six==1.16.0"], capture_output=True, text=True, timeout=120)
    return probe.returncode == 0


@pytest.fixture(scope="module")
def bundle(built_wheel, tmp_path_factory):
    if not _index_reachable():
        if os.environ.get("CI"):
            pytest.fail("CI must reach the Python package index to prove the offline bundle")
        pytest.skip("the Python package index is not reachable: bundle test skipped")
    return deployment.make_bundle(tmp_path_factory.mktemp("bundle") / "离线安装包", wheel=built_wheel)


def test_the_bundle_resolves_offline_on_every_promised_python(bundle):
    # make_bundle has run `pip install --dry-run --no-index --find-links wheels --platform win_amd64
    # --python-version V --only-binary=:all: --target T guishang-toolkit` for each version: prove it again here,
    # independently, and prove that without the bundle's folder nothing resolves (the check can fail)
    assert bundle.python_versions == deployment.PYTHON_VERSIONS == ("3.11", "3.12", "3.13")
    for version in bundle.python_versions:
        for find_links, expected in ((bundle.folder / "wheels", 0), (bundle.folder / "空", 1)):
            find_links.mkdir(exist_ok=True)
            with tempfile.TemporaryDirectory() as target:
                done = subprocess.run(
                    [sys.executable, "-m", "pip", "install", "--dry-run", "--quiet", "--no-index", "--find-links",
                     str(find_links), "--platform", "win_amd64", "--python-version", version, "--implementation", "cp",
                     "--only-binary=:all:", "--target", target, "guishang-toolkit"], capture_output=True, text=True)
            assert (done.returncode != 0) == bool(expected), (version, find_links.name, done.stderr[-1500:])


def test_the_bundle_carries_windows_binaries_and_a_complete_guishang(bundle):
    names = {p.name.lower() for p in bundle.wheels}
    import xlwings

    for version in ("311", "312", "313"):
        assert any(n.startswith(f"xlwings-{xlwings.__version__}-cp{version}-") and n.endswith("win_amd64.whl")
                   for n in names), version
        assert any(n.startswith("pywin32-") and f"cp{version}" in n for n in names), version
    for needed in ("openpyxl", "xlsxwriter", "python_calamine", "python_docx", "docxtpl", "jinja2", "cn2an", "lxml"):
        assert any(n.startswith(needed + "-") for n in names), needed
    binary = [n for n in names if not n.endswith("-none-any.whl")]
    assert binary and all(n.endswith("win_amd64.whl") for n in binary)  # nothing built for this Linux machine
    guishang = [p for p in bundle.wheels if p.name.startswith("guishang_toolkit-")]
    assert len(guishang) == 1 and deployment.missing_resources(guishang[0], same_bytes=True) == []


def test_install_bat_is_ascii_crlf_and_installs_from_the_bundle_only(bundle):
    script = (bundle.folder / "install.bat").read_bytes()
    assert script.isascii() and b"\n" not in script.replace(b"\r\n", b"")
    text = script.decode("ascii")
    install = next(line for line in text.splitlines() if "pip install" in line)
    assert "--no-index" in install and '--find-links "%HERE%wheels"' in install
    assert not re.search(r"https?://|--index-url|--extra-index-url", text)
    notes = (bundle.folder / "安装说明.txt").read_text("utf-8-sig")
    assert "install.bat" in notes and "3.11、3.12、3.13" in notes and "解除锁定" in notes
    assert "启动工作台.bat" in notes and "工作区文件夹" in notes


def test_the_workbench_starter_serves_the_workspace_it_sits_in_on_this_computer_only(bundle):
    starter = (bundle.folder / "启动工作台.bat").read_bytes()
    assert starter.isascii() and b"\n" not in starter.replace(b"\r\n", b"")
    lines = starter.decode("ascii").splitlines()
    assert 'cd /d "%~dp0"' in lines  # the folder it was copied into is the workspace serve finds
    serve = next(line for line in lines if "toolkit serve" in line)
    assert serve == "python -m toolkit serve %*" and "--host" not in starter.decode("ascii")  # loopback
    assert bundle.folder / "启动工作台.bat" in bundle.files


def test_the_notes_name_a_package_taken_in_another_version_than_tested():
    notes = deployment.bundle_notes(("3.11", "3.12"), {"3.12": [("python-calamine", "0.8.3", "0.9.1")]})
    assert "Python 3.12：python-calamine 0.8.3（本机测试的是 0.9.1）" in notes


def test_a_bundle_from_an_installed_guishang_needs_its_wheel(tmp_path, monkeypatch):
    monkeypatch.setattr(deployment, "project_root", lambda: None)
    with pytest.raises(deployment.UserError, match="--wheel"):
        deployment.make_bundle(tmp_path / "b")
    not_a_wheel = tmp_path / "别的.whl"
    not_a_wheel.write_bytes(b"PK")
    with pytest.raises(deployment.UserError, match="不是 guishang 的安装文件"):
        deployment.make_bundle(tmp_path / "b", wheel=not_a_wheel)


# --- version and identity ------------------------------------------------------------------------------
def test_version_is_printed_and_every_generated_workbook_names_the_version_that_wrote_it(tmp_path, capsys):
    import shutil

    import openpyxl

    from toolkit import __version__
    from toolkit.cli import main

    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0 and capsys.readouterr().out.strip() == f"guishang {__version__}"
    workspace = tmp_path / "工作区"
    assert main(["init", str(workspace)]) == 0
    for path in (ROOT / "samples" / "县区报表" / "2022-06").glob("*.xlsx"):
        shutil.copy(path, workspace / "收件箱" / path.name)
    assert main(["consolidate", "--workspace", str(workspace), "--period", "2022-06"]) == 1  # two returned
    (summary,) = (workspace / "输出" / "汇总").glob("*.xlsx")
    results = sorted((workspace / "输出" / "校验结果").rglob("*.xlsx"))
    assert results
    for path, sheet in [(summary, "概览"), *((p, "汇总") for p in results)]:
        book = openpyxl.load_workbook(path, read_only=True)
        assert f"guishang {__version__}" in book[sheet]["A2"].value, path.name  # visible on the first sheet
        stamp = {row[0]: row[1] for row in book["_stamp"].iter_rows(values_only=True)}
        assert stamp["工具版本"] == __version__, path.name  # and in the hidden stamp
