"""Speed work changes how, never what: the findings, figures and summary workbooks of the shipped sample year
and of a generated province-sized set (faults sprinkled through it) are compared with those recorded before
the speed work began (tests/golden/outcomes.json, written by this module's main at commit fa61bab).

Recorded per consolidation: what became of each inbox file, each county's status and figures, every finding
(file, sheet, cell, code, message), and per sheet of the summary workbook a SHA-256 of its cell values (clock
times and the tool's version blanked; the generated province's files named by their SHA-256 by file name, since
their bytes follow our own writer, e.g. its compression level). To see what changed in a sheet, run this module's main at that commit
and at yours, with --full, and compare the two files.

    python tests/integration/test_same_outcomes.py --write tests/golden/outcomes.json
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import hashlib
import json
import random
import re
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))

import openpyxl  # noqa: E402

from toolkit.adapters.archive import sha256_of  # noqa: E402
from toolkit.adapters.county_workbook import file_name, write_county_workbook  # noqa: E402
from toolkit.adapters.policy_workbook import write_policy  # noqa: E402
from toolkit.domain.periods import Period  # noqa: E402
from toolkit.domain.policy import CityGoals, County, Policy  # noqa: E402
from toolkit.domain.stamp import STAMP_SHEET  # noqa: E402
from toolkit.domain.uscc import with_check_character  # noqa: E402
from toolkit.services.consolidation import consolidate  # noqa: E402
from toolkit.services.templates import template_stamp  # noqa: E402
from toolkit.services.workspace import init_workspace  # noqa: E402

SAMPLES = ROOT / "samples"  # its own: this file also runs as a script (--write), without conftest
GOLDEN = ROOT / "tests" / "golden" / "outcomes.json"
_CLOCK = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?")
_VERSION = re.compile(r"guishang \d+\.\d+[^\s）)]*")
_DIGEST = re.compile(r"\b[0-9a-f]{64}\b")


def _plain(value: object, digests: dict[str, str] | None = None) -> object:
    if isinstance(value, str):
        value = _VERSION.sub("guishang", _CLOCK.sub("<时刻>", value))
        return _DIGEST.sub(lambda m: digests.get(m.group(0), m.group(0)), value) if digests else value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def _sheets(path: Path, full: bool, digests: dict[str, str]) -> dict[str, object]:
    book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    out = {}
    for sheet in book.worksheets:
        if sheet.title == STAMP_SHEET:
            continue
        rows = [[_plain(v, digests) for v in row] for row in sheet.iter_rows(values_only=True)]
        while rows and not any(v not in (None, "") for v in rows[-1]):
            rows.pop()
        text = json.dumps(rows, ensure_ascii=False, default=str)
        out[sheet.title] = rows if full else hashlib.sha256(text.encode("utf-8")).hexdigest()
    book.close()
    return out


def _canonical(run, full: bool, digests: dict[str, str] | None = None) -> dict:
    """``digests``: the SHA-256 of inputs this module generates, by a label (their bytes follow our writer,
    which is not what is compared)."""
    summary = run.summary
    digests = digests or {}
    return {
        "period": str(run.period),
        "notes": sorted((n.file, n.what, _plain(n.message, digests)) for n in run.notes),
        "statuses": [[_plain(v, digests) for v in dataclasses.astuple(s)] for s in summary.statuses],
        "figures": [[_plain(v) if not isinstance(v, dict) else sorted(v.items()) for v in dataclasses.astuple(f)]
                    for f in summary.counties],
        "findings": [[f.file, f.sheet, f.cell, f.code, f.level.value, _plain(f.message)] for f in summary.findings],
        "summary": {name: digest for path in run.summary_files if path.suffix == ".xlsx"
                    for name, digest in _sheets(path, full, digests).items()},
    }


def sample_year(root: Path, full: bool = False) -> list[dict]:
    """The shipped sample year, period by period (resubmissions after their period), in one workspace."""
    workspace, _ = init_workspace(root / "工作区")
    shutil.copy2(SAMPLES / "政策参数.xlsx", workspace.policy_path)
    from toolkit.demo.samples import accept_examples

    accept_examples(workspace.policy_path)
    out = []
    for folder in sorted(p for p in (SAMPLES / "县区报表").iterdir() if p.is_dir()):
        for path in sorted(folder.glob("*.xlsx")):
            shutil.copy2(path, workspace.inbox / path.name)
        out.append(_canonical(consolidate(workspace, Period.parse(folder.name[:7])), full))
    return out


def _province_policy(units: int) -> Policy:
    # every unit takes codes registered in the province (area 100xxx): a firm may sit in a neighbouring unit
    counties = tuple(County(f"单位{n:03d}", (), f"{100000 + n:06d}", ("100",)) for n in range(units))
    return Policy(region="测试省", total_label="合计", unit_label="县市区", plan_title="对照测试规划", first_year=2022,
                  last_year=2023, counties=counties, new_targets={c.name: {2022: 30, 2023: 30} for c in counties},
                  total_new_targets={2022: 30 * units, 2023: 30 * units}, goals=CityGoals(220, 150, 2021, 2025, 3000, 2025))


def generated_province(root: Path, full: bool = False, units: int = 24, rows: int = 40) -> list[dict]:
    """``units`` workbooks of ``rows`` rows with faults a real year brings: a wrong check character, a code
    from another area, a repeated code, a code claimed by two units, a month ahead of the period, an amount in
    元 or 千元, a revenue under the threshold, a blank required cell (in every third unit); a firm claimed by two
    units (anywhere); one unit missing."""
    workspace, _ = init_workspace(root / "工作区")
    policy = _province_policy(units)
    write_policy(workspace.policy_path, policy)
    period = Period(2022, 12)
    created = dt.datetime(2022, 12, 20, 9, 0)
    for unit, county in enumerate(policy.counties[:-1]):
        rng = random.Random(unit)
        entries, exits = [], []
        for i in range(rows):
            code = with_check_character(f"91{100000 + unit:06d}{unit:04d}{i:05d}")
            row = {"uscc": code, "name": f"测试企业{unit:03d}{i:03d}有限公司", "entry_kind": rng.choice(["新建投产", "小升规"]),
                   "entry_mode": "月度入库", "entry_month": f"2022-{rng.randint(1, 12):02d}", "industry": "3484",
                   "revenue": round(rng.uniform(2000, 9000), 2), "tax": round(rng.uniform(10, 200), 2),
                   "employees": rng.randint(20, 300)}
            if row["entry_kind"] == "小升规":
                row["entry_mode"] = "年度入库"
            fault = (unit * rows + i) % 37 if unit % 3 == 0 or (unit * rows + i) % 37 == 4 else 0  # 2 in 3 clean
            if fault == 1:
                row["uscc"] = code[:-1] + ("0" if code[-1] != "0" else "1")
            elif fault == 2:
                row["uscc"] = with_check_character(f"91{999999:06d}{unit:04d}{i:05d}")
            elif fault == 3 and entries:
                row["uscc"] = entries[0]["uscc"]
            elif fault == 4:
                row["uscc"] = with_check_character(f"91{100000 + unit + 1:06d}{unit + 1:04d}{i:05d}")  # the next unit's
            elif fault == 5:
                row["entry_month"] = "2023-02"
            elif fault == 6:
                row["revenue"] = row["revenue"] * 10000
            elif fault == 7:
                row["revenue"] = row["revenue"] * 10
            elif fault == 8:
                row["revenue"] = 1500.0
            elif fault == 9:
                row["name"] = None
            if i % 5 == 4:
                exits.append({"uscc": row["uscc"], "name": row["name"], "exit_month": row["entry_month"],
                              "exit_reason": "停产", "revenue": 1500.0})
            else:
                entries.append(row)
        cover = {"unit": f"{county.name}工信局", "preparer": "张三", "phone": "0731-22881234", "date": dt.date(2023, 1, 5),
                 "reviewer": "李四"}
        write_county_workbook(workspace.inbox / file_name(county.name, period), policy, county, period,
                              template_stamp(county, period, created), cover=cover,
                              lists={"entries": entries, "exits": exits}, created=created)
    digests = {sha256_of(path): f"<{path.name} 的 SHA-256>" for path in workspace.inbox.glob("*.xlsx")}
    return [_canonical(consolidate(workspace, period), full, digests)]


def outcomes(full: bool = False) -> dict:
    with tempfile.TemporaryDirectory() as temp:
        return {"samples": sample_year(Path(temp) / "样例", full),
                "province": generated_province(Path(temp) / "省", full)}


def _normal(data):
    return json.loads(json.dumps(data, ensure_ascii=False, default=str))


def test_samples_and_a_generated_province_come_out_as_before_the_speed_work():
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    now = _normal(outcomes())
    for case in ("samples", "province"):
        assert len(now[case]) == len(golden[case])
        for before, after in zip(golden[case], now[case]):
            for key in ("notes", "statuses", "figures", "findings", "summary"):
                assert after[key] == before[key], f"{case} {before['period']}: {key} differ"
    assert sum(len(run["findings"]) for run in golden["province"]) > 100  # the faults were found, then as now


def test_worker_processes_come_out_as_one_process(monkeypatch):
    """Reading in worker processes (from PARALLEL_FROM files up, the bench's scales) gives the same outcomes:
    here the samples and the generated province go through two workers too."""
    import os

    from toolkit.services import intake

    monkeypatch.setattr(intake, "PARALLEL_FROM", 2)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    pools = []

    class Pool(intake.ProcessPoolExecutor):
        def __init__(self, *args, **kwargs):
            pools.append(args[0])
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(intake, "ProcessPoolExecutor", Pool)
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    now = _normal(outcomes())
    assert pools and set(pools) == {2}  # every consolidation with new files read them in two workers
    assert now == {case: golden[case] for case in ("samples", "province")}


def main() -> None:
    parser = argparse.ArgumentParser(description="record the outcomes compared by the test")
    parser.add_argument("--write", type=Path, required=True)
    parser.add_argument("--full", action="store_true", help="the summary sheets' values instead of their hashes")
    args = parser.parse_args()
    args.write.parent.mkdir(parents=True, exist_ok=True)
    args.write.write_text(json.dumps(_normal(outcomes(args.full)), ensure_ascii=False, indent=0) + "\n",
                          encoding="utf-8")


if __name__ == "__main__":
    main()
