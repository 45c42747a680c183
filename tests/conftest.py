"""Shared fixtures: the sample policy, sheets laid out as a county workbook, LibreOffice.

The tests are kept by kind, one folder each, and marked after their folder: ``unit`` (pure rule tables and
properties, seconds), ``integration`` (the store, workbook files, the CLI, the built wheel), ``story`` (a
county's or a city's work end to end) and ``office`` (LibreOffice renders or recalculates what we write).
A test anywhere that needs LibreOffice (the ``soffice`` fixture) is marked ``office`` too, so
``pytest -m "not office"`` runs without an office suite and ``pytest tests/unit`` in a few seconds.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Iterable

import pytest

ROOT = Path(__file__).resolve().parent.parent
# the shipped samples (make samples): the folder, the counties' reports by period, and the reports of 2022-06
SAMPLES = ROOT / "samples"
SAMPLE_REPORTS = SAMPLES / "县区报表"
JUNE_REPORTS = SAMPLE_REPORTS / "2022-06"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from toolkit.domain import report_schema as S  # noqa: E402
from toolkit.domain.stamp import STAMP_SHEET, FileKind, Stamp  # noqa: E402
from toolkit.services.policy import load_policy  # noqa: E402


def settled_policy(root: Path) -> None:
    """What a city does before its first issued document: checks the sample policy's example sheets and deletes
    their 示例数据 marks (tests/stories/test_example_data.py covers the marked workbook)."""
    from toolkit.demo.samples import accept_examples

    accept_examples(Path(root) / "政策参数.xlsx")


def plain_openings(path: Path) -> int:
    """Checks that the archive check takes its shortcuts on the workbook at ``path``: every member inflated straight
    from the file's bytes (to its real size), every XML part decided without a parser; returns how many parts."""
    from toolkit.adapters.workbook_file import _CHUNK, _XML_SUFFIXES, _inflate_in_memory, _PrologCheck

    seen = 0
    data = path.read_bytes()
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            assert _inflate_in_memory(data, info, 1 << 30, None, None) == len(archive.read(info)), info.filename
            if info.filename.lower().endswith(_XML_SUFFIXES):
                check = _PrologCheck()
                check.feed(archive.read(info)[:_CHUNK])
                assert check.decided and not check.refused and check.parser is None, (path.name, info.filename)
                seen += 1
    return seen


def new_workspace(root: Path, *, reports: Iterable[Path] = ()) -> Path:
    """A city workspace at ``root`` made as a clerk makes one (``guishang init``), with ``reports`` copied into
    its inbox (their times kept); returns ``root``."""
    from toolkit.cli import main

    assert main(["init", str(root)]) == 0
    for path in reports:
        shutil.copy2(path, root / "收件箱" / path.name)
    return root


@pytest.fixture(scope="session")
def consolidated_2022_06(tmp_path_factory):
    """A city workspace with 2022-06 consolidated from the samples (ten files, 攸县 returned, one firm claimed by
    two counties); never changed: ``city_2022_06`` gives each test its own copy."""
    from toolkit.domain.periods import Period
    from toolkit.services import consolidation
    from toolkit.services.workspace import init_workspace

    workspace, _ = init_workspace(tmp_path_factory.mktemp("city") / "工作区")
    shutil.copyfile(ROOT / "samples" / "政策参数.xlsx", workspace.policy_path)
    for sample in (ROOT / "samples" / "县区报表" / "2022-06").glob("*.xlsx"):
        shutil.copy2(sample, workspace.inbox / sample.name)
    consolidation.consolidate(workspace, Period(2022, 6), parallel=False)
    return workspace.root


@pytest.fixture()
def city_2022_06(consolidated_2022_06, tmp_path):
    """A copy of ``consolidated_2022_06`` the test may change."""
    from toolkit.services.workspace import Workspace

    return Workspace.at(shutil.copytree(consolidated_2022_06, tmp_path / "工作区"))


@pytest.fixture()
def china_clock(monkeypatch):
    """This machine's clock set to China's time zone, as on an office PC (CI runs in UTC). A POSIX zone string,
    so it holds where no time zone database is installed."""
    import time

    monkeypatch.setenv("TZ", "CST-8")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


# Hypothesis's examples per property: a fast default for a developer's run, every example in CI (.ci/run sets
# GUISHANG_HYPOTHESIS=thorough). The numbers written in the tests are the thorough ones.
THOROUGH = os.environ.get("GUISHANG_HYPOTHESIS", "") == "thorough"


def examples(thorough: int) -> int:
    """How many examples a property runs: ``thorough`` in CI, a tenth of it (at least 10) otherwise."""
    return thorough if THOROUGH else max(10, thorough // 10)


@pytest.fixture(scope="session")
def policy():
    return load_policy()


def without_version_4(db) -> None:
    """Take back what store versions 4 and 5 added (saved times, the city's choices; the results sent back), to
    build an older store."""
    without_version_5(db)
    db.execute("DROP TABLE choices")
    db.execute("ALTER TABLE submissions DROP COLUMN saved_at")


def without_version_5(db) -> None:
    """Take back what store version 5 added (which results workbook went back for which submission)."""
    without_version_6(db)
    db.execute("DROP TABLE sent_back")


def without_version_6(db) -> None:
    """Take back what store version 6 added (应入尽入: the departments' files and their rows)."""
    without_version_7(db)
    for table in ("department_tax", "department_registration", "department_power", "department_files"):
        db.execute(f"DROP TABLE {table}")


def without_version_7(db) -> None:
    """Take back what store version 7 added (应入尽入: what each screen run listed)."""
    without_version_8(db)
    for table in ("screen_candidates", "screen_runs"):
        db.execute(f"DROP TABLE {table}")


def without_version_8(db) -> None:
    """Take back what store version 8 added (a department file's rows kept in a Parquet file beside the store)."""
    for column in ("rows_file", "rows_sha256"):
        db.execute(f"ALTER TABLE department_files DROP COLUMN {column}")


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def docx_text(path: Path) -> str:
    """A Word document's text as a reader sees it: every paragraph, then every table cell, one per line (without
    the invisible word joiners that keep an amount on one line)."""
    import docx

    document = docx.Document(str(path))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells).replace("\u2060", "")


def valid_uscc(area: str = "430211", body: str = "MA4L12345") -> str:
    from toolkit.domain.uscc import with_check_character

    return with_check_character("91" + area + body)


def entry(**values) -> dict:
    """A correct new-entry row for 天元区 2022-06; override what a case needs."""
    row = {"uscc": valid_uscc(), "name": "株洲恒达精密机械有限公司", "entry_kind": "新建投产", "entry_mode": "月度入库",
           "entry_month": "2022-03", "industry": "3484", "revenue": 2600.5, "tax": 80.0, "employees": 60, "note": ""}
    row.update(values)
    return row


def layout_sheets(county: str = "天元区", period: str = "2022-06", lists: dict | None = None,
                  cover: dict | None = None, kind: FileKind = FileKind.TEMPLATE,
                  version: str = S.SCHEMA_VERSION) -> dict[str, list[list]]:
    """Sheets as 2-D arrays, laid out exactly as the template lays them out (rows from A1)."""
    lists = lists or {}
    sheets: dict[str, list[list]] = {}
    cover_values = {"county": county, "period": period, "preparer": "李晓华", "phone": "13807331234",
                    "date": "2022-07-05", "reviewer": "王建军", **(cover or {})}
    rows = [["标题"], ["副标题"], []]
    for field in S.COVER_FIELDS:
        rows.append([field.label, cover_values.get(field.key), ""])
    sheets[S.COVER_SHEET] = rows
    for spec in S.LIST_SHEETS:
        rows = [["标题"], ["说明"], [c.header for c in spec.columns]]
        for record in lists.get(spec.key, []):
            rows.append([record.get(c.key) for c in spec.columns] if record else [None] * len(spec.columns))
        sheets[spec.name] = rows
    sheets[STAMP_SHEET] = Stamp(kind, version, county, period).to_rows()
    return sheets


def _find_soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture(scope="session")
def soffice(tmp_path_factory):
    """A function converting a file with LibreOffice (recalculating formulas on load).

    Skips visibly when LibreOffice is absent; with REQUIRE_OFFICE=1 (CI) that skip is a failure.
    """
    binary = _find_soffice()
    if binary is None:
        if os.environ.get("REQUIRE_OFFICE") == "1":
            pytest.fail("REQUIRE_OFFICE=1 但未安装 LibreOffice（soffice）")
        pytest.skip("LibreOffice (soffice) is not installed: office-suite tests skipped")
    profile = tmp_path_factory.mktemp("lo-profile")
    (profile / "user").mkdir()
    (profile / "user" / "registrymodifications.xcu").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        '<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">'
        "<value>0</value></prop></item>\n</oor:items>\n", encoding="utf-8")

    def convert(source, fmt: str, out_dir: Path) -> subprocess.CompletedProcess:
        """Convert one file, or a list of files in one LibreOffice process (their stems must differ)."""
        sources = [str(p) for p in source] if isinstance(source, (list, tuple)) else [str(source)]
        return subprocess.run(
            [binary, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", fmt,
             "--outdir", str(out_dir), *sources],
            capture_output=True, text=True, timeout=180 + 30 * len(sources))

    return convert


KINDS = ("unit", "integration", "stories", "office", "browser")
MARKERS = {"unit": "unit", "integration": "integration", "stories": "story", "office": "office", "browser": "browser"}


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).resolve().parent
    for item in items:
        folder = Path(item.fspath).resolve().relative_to(here).parts[0]
        if folder not in KINDS:
            raise pytest.UsageError(f"{item.nodeid}: every test file belongs in one of tests/{'|'.join(KINDS)}/")
        item.add_marker(MARKERS[folder])
        if "soffice" in getattr(item, "fixturenames", ()) and folder != "office":
            item.add_marker("office")


@pytest.fixture(scope="session")
def built_wheel(tmp_path_factory) -> Path:
    """guishang's wheel, built as the standard front end builds it: the sdist first, the wheel from it."""
    import subprocess
    import sys

    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(ROOT)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    (wheel,) = out.glob("guishang_toolkit-*.whl")
    return wheel
