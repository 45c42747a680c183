"""Benchmark: consolidate a period at city, province and national scale (numbers, never test assertions).

    python benchmarks/bench_consolidate.py                 # city and province
    python benchmarks/bench_consolidate.py --national      # also national scale (~484k rows; slow to generate)

Each scale runs in its own process (so that its peak memory is its own): generate the county
workbooks once (cached in benchmarks/.cache), build a workspace, run the real `consolidate` service
end to end and time each stage; then one county resubmits (a corrected workbook beside the first, as
the inbox takes it) and the period is consolidated again (the incremental case); then a plain
openpyxl pipeline merely reads the same files, and the ratio of that reading to our whole end-to-end
run is reported (both measured in this run). Results are printed as a table and written to
benchmarks/results.json with the machine's core count.

Goals (issue #22), on this 2-core machine: province (122 × 200 rows) end to end under 1 s; national
(2,850 × 170 rows) under 15 s with peak memory under 1 GB; one changed file in the national workspace
under 2 s; end to end at least 5 times faster than openpyxl merely reading the files.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from toolkit.adapters.county_workbook import file_name, write_county_workbook  # noqa: E402
from toolkit.adapters.policy_workbook import write_policy  # noqa: E402
from toolkit.domain.periods import Period  # noqa: E402
from toolkit.domain.policy import CityGoals, County, Policy  # noqa: E402
from toolkit.domain.uscc import with_check_character  # noqa: E402
from toolkit.services.templates import template_stamp  # noqa: E402

CACHE = ROOT / "benchmarks" / ".cache"
RESULTS = ROOT / "benchmarks" / "results.json"
PERIOD = Period(2022, 12)
SCALES = {  # name: (units, rows per unit, goal in seconds)
    "city": (10, 200, None),
    "province": (122, 200, 1.0),
    "national": (2850, 170, 15.0),
}
INCREMENTAL_GOAL = {"national": 2.0}  # seconds for one changed file
MEMORY_GOAL_MB = {"national": 1024}
RATIO_GOAL = 5.0  # openpyxl merely reading ÷ our end to end
DIGITS = "0123456789"


def scale_policy(units: int) -> Policy:
    """A plan for ``units`` reporting units with synthetic division codes (430000 + n, 6 digits)."""
    counties = tuple(County(f"单位{n:04d}", (), f"{100000 + n:06d}", (f"{100000 + n:06d}",)) for n in range(units))
    targets = {c.name: {2022: 200, 2023: 210} for c in counties}
    return Policy(region="测试地区", total_label="合计", unit_label="县市区", plan_title="基准测试规划", first_year=2022,
                  last_year=2023, counties=counties, new_targets=targets,
                  total_new_targets={2022: 200 * units, 2023: 210 * units},
                  goals=CityGoals(220, 150, 2021, 2025, 3000, 2025))


def _uscc(unit: int, serial: int) -> str:
    body = f"{unit:04d}{serial:05d}"
    return with_check_character("91" + f"{100000 + unit:06d}" + body)


def _write_unit(job: tuple[int, int, int, str], corrected: bool = False) -> Path:
    """One unit's workbook; ``corrected``: the same unit's resubmission (one row's revenue corrected, saved later)."""
    units, unit, rows, folder = job
    policy = scale_policy(units)
    county = policy.counties[unit]
    rng = random.Random(unit)
    entries, exits = [], []
    for i in range(rows):
        if i % 5 == 4:  # a fifth of the rows are exits of firms the store does not know yet
            exits.append({"uscc": _uscc(unit, 50000 + i), "name": f"退库测试企业{unit:04d}{i:04d}有限公司",
                          "exit_month": f"2022-{rng.randint(1, 12):02d}", "exit_reason": "停产", "revenue": 1500.0})
            continue
        entries.append({"uscc": _uscc(unit, i), "name": f"测试企业{unit:04d}{i:04d}有限公司", "entry_kind": "新建投产",
                        "entry_mode": "月度入库", "entry_month": f"2022-{rng.randint(1, 12):02d}", "industry": "3484",
                        "revenue": round(rng.uniform(2000, 9000), 2), "tax": round(rng.uniform(10, 200), 2),
                        "employees": rng.randint(20, 300)})
    if corrected:
        entries[0]["revenue"] = 2468.5
    created = dt.datetime(2022, 12, 20, 9, 0)
    cover = {"unit": f"{county.name}工信局", "preparer": "张三", "phone": "0731-22881234", "date": dt.date(2023, 1, 5),
             "reviewer": "李四"}
    name = file_name(county.name, PERIOD)
    path = Path(folder) / (f"{Path(name).stem}（2）.xlsx" if corrected else name)
    write_county_workbook(path, policy, county, PERIOD, template_stamp(county, PERIOD, created), cover=cover,
                          lists={"entries": entries, "exits": exits},
                          created=created + dt.timedelta(days=3) if corrected else created)
    return path


def generate(name: str) -> Path:
    """The scale's county workbooks, generated once and cached."""
    units, rows, _ = SCALES[name]
    folder = CACHE / f"{name}-{units}x{rows}"
    done = folder / ".complete"
    if done.exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    print(f"正在生成 {name} 规模的样本（{units} 个单位 × {rows} 行，仅首次）……", flush=True)
    with ProcessPoolExecutor() as pool:
        list(pool.map(_write_unit, [(units, u, rows, str(folder)) for u in range(units)], chunksize=8))
    done.write_text("ok")
    return folder


def resubmission(name: str) -> Path:
    """Unit 0's corrected workbook for the scale (generated once, kept apart from the scale's files)."""
    units, rows, _ = SCALES[name]
    folder = CACHE / f"{name}-{units}x{rows}-resubmission"
    if not folder.is_dir() or not any(folder.glob("*.xlsx")):
        folder.mkdir(parents=True, exist_ok=True)
        _write_unit((units, 0, rows, str(folder)), corrected=True)
    return next(folder.glob("*.xlsx"))


def openpyxl_read(files: list[Path]) -> int:
    """The plain openpyxl pipeline: read every value of every sheet (read-only mode)."""
    import openpyxl

    cells = 0
    for path in files:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows(values_only=True):
                cells += len(row)
        workbook.close()
    return cells


def run_scale(name: str, compare_openpyxl: bool) -> dict:
    from toolkit.services.consolidation import consolidate
    from toolkit.services.workspace import init_workspace

    units, rows, goal = SCALES[name]
    source = generate(name)
    files = sorted(source.glob("*.xlsx"))
    with tempfile.TemporaryDirectory() as temp:
        workspace, _ = init_workspace(Path(temp) / "工作区")
        write_policy(workspace.policy_path, scale_policy(units))
        for path in files:
            os.link(path, workspace.inbox / path.name)
        timings: dict[str, float] = {}
        start = time.perf_counter()
        run = consolidate(workspace, PERIOD, timings=timings)
        total = time.perf_counter() - start
        accepted = sum(s.status == "已受理" for s in run.summary.statuses)
        detail_rows = len(run.summary.entries) + len(run.summary.exits)
        size = run.summary_path.stat().st_size
        del run  # the peak is the whole run's, measured before the resubmission and the openpyxl reading
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        # the incremental case: one unit's corrected workbook arrives beside the first, as the inbox takes it
        corrected = resubmission(name)
        os.link(corrected, workspace.inbox / corrected.name)
        again: dict[str, float] = {}
        start = time.perf_counter()
        rerun = consolidate(workspace, PERIOD, timings=again)
        incremental = time.perf_counter() - start
        taken = [n.what for n in rerun.notes if n.file == corrected.name]
        assert taken == ["新收"], f"the resubmission was not taken: {taken}"
    result = {"scale": name, "units": units, "rows_per_unit": rows, "rows": units * rows, "accepted": accepted,
              "detail_rows": detail_rows, "summary_bytes": size, "seconds": round(total, 2), "goal_seconds": goal,
              "stages": {k: round(v, 2) for k, v in timings.items()}, "cores": os.cpu_count(),
              "incremental_seconds": round(incremental, 2), "incremental_goal_seconds": INCREMENTAL_GOAL.get(name),
              "incremental_stages": {k: round(v, 2) for k, v in again.items()},
              "memory_goal_mb": MEMORY_GOAL_MB.get(name)}
    if compare_openpyxl:  # openpyxl merely reading the same files, against our whole run; and our own reading alone
        from toolkit.adapters.workbook_file import read_sheets

        start = time.perf_counter()
        for path in files:
            read_sheets(path)
        result["calamine_read_seconds"] = round(time.perf_counter() - start, 2)
        start = time.perf_counter()
        openpyxl_read(files)
        result["openpyxl_read_seconds"] = round(time.perf_counter() - start, 2)
        result["ratio"] = round(result["openpyxl_read_seconds"] / max(total, 1e-9), 1)
        result["ratio_goal"] = RATIO_GOAL
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    result["peak_mb"] = round(peak, 0)
    result["peak_after_all_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 0)
    result["peak_worker_mb"] = round(children, 0)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--national", action="store_true", help="also run the national scale")
    parser.add_argument("--scale", choices=SCALES, help=argparse.SUPPRESS)  # one scale, in this process
    parser.add_argument("--no-openpyxl", action="store_true", help="skip the openpyxl comparison")
    args = parser.parse_args()
    if args.scale:
        print(json.dumps(run_scale(args.scale, not args.no_openpyxl), ensure_ascii=False))
        return
    results = []
    for name in ("city", "province", *(("national",) if args.national else ())):
        command = [sys.executable, __file__, "--scale", name, *(["--no-openpyxl"] if args.no_openpyxl else [])]
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        sys.stderr.write("".join(line + "\n" for line in done.stdout.splitlines()[:-1]))
        results.append(json.loads(done.stdout.splitlines()[-1]))
    _print(results)
    kept = [r for r in json.loads(RESULTS.read_text(encoding="utf-8")) if r.get("scale") == "pipeline"] \
        if RESULTS.exists() else []  # make bench-pipeline's entry stays
    RESULTS.write_text(json.dumps(results + kept, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"\n结果已写到 {RESULTS.relative_to(ROOT)}")


def _print(results: list[dict]) -> None:
    from rich.console import Console
    from rich.table import Table

    def mark(value, goal, *, at_least: bool = False) -> str:
        if value in (None, "") or goal is None:
            return "" if value is None else str(value)
        ok = value >= goal if at_least else value <= goal
        return f"[{'green' if ok else 'red'}]{value}[/]"

    table = Table(title=f"汇总基准（{results[0]['cores']} 核）")
    for header in ("规模", "单位×行", "总用时(s)", "目标(s)", "改一个文件(s)", "峰值内存(MB)", "openpyxl只读(s)",
                   "倍数(≥5)", "calamine读取(s)", "各阶段(s)"):
        table.add_column(header, justify="left" if header in ("规模", "各阶段(s)") else "right",
                         no_wrap=header != "各阶段(s)")
    for r in results:
        stages = "，".join(f"{k} {v}" for k, v in r["stages"].items())
        incremental = "，".join(f"{k} {v}" for k, v in r["incremental_stages"].items() if v >= 0.01)
        table.add_row(r["scale"], f"{r['units']}×{r['rows_per_unit']}", mark(r["seconds"], r["goal_seconds"]),
                      str(r["goal_seconds"] or ""), mark(r["incremental_seconds"], r["incremental_goal_seconds"]),
                      f"{mark(r['peak_mb'], r['memory_goal_mb'])}+{r['peak_worker_mb']:.0f}",
                      str(r.get("openpyxl_read_seconds", "")), mark(r.get("ratio"), r.get("ratio_goal"), at_least=True),
                      str(r.get("calamine_read_seconds", "")), f"{stages}\n改一个文件：{incremental}")
    Console(width=220).print(table)


if __name__ == "__main__":
    main()
