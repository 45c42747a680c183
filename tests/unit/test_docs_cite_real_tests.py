"""The documents name tests as evidence (docs/安全与可靠性.md: the threat and the test for each): every test file and
test function they cite exists (#35: tests that moved left their old paths in the docs)."""

from __future__ import annotations

import re

from conftest import ROOT

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
TEST_FILE = re.compile(r"tests/[a-z_/]+\.py(?:::[A-Za-z_0-9]+)?")
TEST_NAME = re.compile(r"`(test_[a-z_0-9]+)`")


def _defined() -> set[str]:
    return {name for path in (ROOT / "tests").rglob("test_*.py")
            for name in re.findall(r"^\s*def (test_[a-z_0-9]+)", path.read_text(encoding="utf-8"), re.MULTILINE)}


def test_every_test_file_and_test_the_docs_cite_exists():
    defined = _defined()
    missing = []
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        for cited in TEST_FILE.findall(text):
            path, _, name = cited.partition("::")
            if not (ROOT / path).is_file():
                missing.append(f"{doc.name}: {cited} (no such file)")
            elif name and not re.search(rf"^\s*def {name}\b", (ROOT / path).read_text(encoding="utf-8"), re.MULTILINE):
                missing.append(f"{doc.name}: {cited} (no such test in the file)")
        missing += [f"{doc.name}: {name} (no such test)" for name in TEST_NAME.findall(text) if name not in defined]
    assert not missing, "\n".join(missing)
