"""What every page shows of a finding: one dict per finding for the shared findings table (_findings.html)."""

from __future__ import annotations

from toolkit.domain.findings import KINDS, Finding, Level


def finding_view(f: Finding, county: str = "") -> dict:
    return {"level": f.level.value, "error": f.level is Level.ERROR, "explained": f.explained, "advisory": f.advisory,
            "code": f.code, "title": KINDS[f.code].title, "file": f.file, "sheet": f.sheet, "cell": f.cell,
            "message": f.message, "county": county}
