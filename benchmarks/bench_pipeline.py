"""Benchmark: the cultivation pipeline of a national-sized year (issue #37, "Fast at scale").

    python benchmarks/bench_pipeline.py             (make bench-pipeline)
    python benchmarks/bench_pipeline.py --firms 20000 --counties 570    a smaller year, for a quick look

A seeded year as the summary's ``_pipeline`` receives it: 100,000 pool firms over 2,850 counties, 12 monthly returns
(2022-01..2022-12), ~28,500 at-risk firms, ~20,000 ledger problems and ~5,700 重点项目 in proportion; firms join
mid-year and leave (entered the register — in the county's cumulative 新增 list —, moved to another county, grew
past 2000 万元, fell under 1000 万元, removed), a few are listed by two counties at once, a few are missing from one
month's return, a few counties miss a month; at-risk firms leave by the 退库 list, by rising past 3000 万元 or
unexplained; problems go 待办理 → 办理中 → 已办结 with deadlines, some are dropped unclosed, some come back with their
text written differently. The year is written once into a real store (SQLite, benchmarks/.cache/) as the intake
writes it (one JSON document per row), then each stage is timed in a process of its own, with its peak memory
(tracemalloc: the stage's own allocations; ru_maxrss: the whole process at the end of the stage):

1. read: the accepted submissions' lists and the year's pool/at-risk/ledger/project rows from the store, as the
   summary reads them (``outlook.year_returns``: one query per 500 reports; beside the row-by-row tracking, as
   it was read before: one query per report and list);
2. tracking: ``tracking.track`` — each engine measured: the row-by-row reference (Python loops, kept in
   tests/unit/tracking_rowwise.py), and the column-wise one the product uses; and the step that makes it
   column-wise (grouping the rows by county and credit code) by numpy and by polars, on the same rows;
3. forecast: ``outlook.year_outlook`` from the tracks (numpy);
4. sheets: 培育跟踪, 风险跟踪, 预测 and 预测明细 written as the summary writes them (detail lists past 50,000 rows
   go to CSV files beside the workbook).

Goal: tracking + forecast < 2 s and < 500 MB on this machine. Writes the "pipeline" entry of
benchmarks/results.json (the other entries are make bench's) and prints a table; docs/速度.md quotes it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import random
import resource
import subprocess
import sys
import time
import tracemalloc
from operator import itemgetter
from pathlib import Path
from types import SimpleNamespace

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests" / "unit"))  # tracking_rowwise: the row-by-row reference

from bench_consolidate import _uscc, scale_policy  # noqa: E402
from toolkit.adapters.store import Store  # noqa: E402
from toolkit.adapters.store.rows import _ENCODE  # noqa: E402
from toolkit.domain.periods import Period  # noqa: E402
from toolkit.services.consolidation.judging import bulk_work  # noqa: E402

CACHE = ROOT / "benchmarks" / ".cache"
RESULTS = ROOT / "benchmarks" / "results.json"
YEAR = 2022
PERIOD = Period(YEAR, 12)
GOAL_SECONDS = 2.0  # tracking + forecast
GOAL_MB = 500
INDUSTRIES = ("3311", "3484", "1391", "2922", "3399", "1713", "2669", "3824", "3034", "1469")
UNITS = ("金融办", "自然资源局", "住建局", "供电公司", "人社局", "市场监管局")
PROBLEMS = ("流动资金紧张，续贷困难", "用地手续未办结", "用工缺口较大", "电力增容申请未批复", "环评手续办理缓慢",
            "厂房租赁到期", "原材料价格上涨", "订单不足")
SHEETS = {"pool": "重点培育企业", "at_risk": "退规风险企业", "ledger": "问题台账", "projects": "重点项目",
          "entries": "新增规上企业", "exits": "退库企业"}


# ---- the generated year ----------------------------------------------------------------------------------------

def _share(month: int, bend: float) -> float:
    """A firm's year-to-date share of its year at ``month``: a little weak early, with its own bend."""
    x = month / 12
    return x + bend * x * (1 - x)


def generate(counties: int, firms: int, seed: int = 7) -> dict[tuple[int, int], dict[str, list[dict]]]:
    """(county index, month) -> sheet key -> the rows (values) of that return, in order; a county-month absent from
    the mapping sent no return."""
    rng = random.Random(seed)
    returns: dict[tuple[int, int], dict[str, list[dict]]] = {}
    for c in range(counties):
        for m in range(1, 13):
            if m == 12 or rng.random() > 0.005:  # a few counties miss a month (never the last)
                returns[(c, m)] = {key: [] for key in SHEETS}

    def put(c: int, m: int, key: str, values: dict) -> None:
        lists = returns.get((c, m))
        if lists is not None:
            lists[key].append(values)

    entries: dict[int, list[tuple[int, dict]]] = {c: [] for c in range(counties)}  # (from month, row)
    exits: dict[int, list[tuple[int, dict]]] = {c: [] for c in range(counties)}
    for i in range(firms):
        c = i % counties
        uscc = _uscc(c, i // counties)
        name = f"培育企业{c:04d}{i // counties:04d}有限公司"
        start = 1 if rng.random() < 0.75 else rng.randint(2, 10)
        end = 12 if rng.random() < 0.7 else rng.randint(start, 11)
        fate = "" if end == 12 else rng.choices(("entered", "moved", "grew", "fell", "removed"), (35, 15, 15, 15, 20))[0]
        spin = "是" if rng.random() < 0.08 and fate != "fell" else "否"
        annual, bend = rng.uniform(1100, 2600), rng.uniform(-0.3, 0.3)
        industry = rng.choice(INDUSTRIES)
        twin = (c + 1) % counties if rng.random() < 0.003 else None  # listed by a second county too
        for m in range(start, end + 1):
            if start < m < end and rng.random() < 0.02:
                continue  # missing from one month's return
            revenue = round(annual * _share(m, bend) * rng.uniform(0.95, 1.05), 2)
            if m == end and fate == "grew":
                revenue = round(rng.uniform(2000, 2600), 2)
            elif m == end and fate == "fell":
                revenue = round(rng.uniform(500, 999), 2)
            values = {"uscc": uscc, "name": name, "industry": industry,
                      "revenue": None if rng.random() < 0.01 else revenue, "spin_off": spin,
                      "expected_entry": f"{YEAR + 1}-01", "measures": "走访帮扶，协调要素保障"}
            put(c, m, "pool", values)
            if twin is not None:
                put(twin, m, "pool", dict(values))
        if fate == "entered":
            entries[c].append((end + 1, {"uscc": uscc, "name": name, "entry_kind": "新建投产", "entry_mode": "月度入库",
                                         "entry_month": f"{YEAR}-{end + 1:02d}", "industry": industry,
                                         "revenue": round(annual, 2), "tax": 35.5, "employees": 60}))
        elif fate == "moved":
            other = (c + 7) % counties
            for m in range(end + 1, 13):
                put(other, m, "pool", {"uscc": uscc, "name": name, "industry": industry,
                                       "revenue": round(annual * _share(m, bend), 2), "spin_off": spin,
                                       "expected_entry": f"{YEAR + 1}-01", "measures": "迁入后继续培育"})
    for i in range(firms * 285 // 1000):  # at-risk firms, ~10 per county
        c = i % counties
        uscc = _uscc(c, 20000 + i // counties)
        name = f"风险企业{c:04d}{i // counties:04d}有限公司"
        start = 1 if rng.random() < 0.85 else rng.randint(2, 10)
        end = 12 if rng.random() < 0.85 else rng.randint(start, 11)
        fate = "" if end == 12 else rng.choices(("exited", "rose", "removed"), (50, 25, 25))[0]
        level = rng.uniform(1500, 2990)
        for m in range(start, end + 1):
            revenue = round(rng.uniform(3000, 3600), 2) if m == end and fate == "rose" else round(level, 2)
            put(c, m, "at_risk", {"uscc": uscc, "name": name, "revenue": revenue, "reason": "订单下降",
                                  "help_measures": "" if rng.random() < 0.05 else "一企一策，稳岗续贷",
                                  "helper": "县工信局"})
        if fate == "exited":
            exits[c].append((end + 1, {"uscc": uscc, "name": name, "exit_month": f"{YEAR}-{end + 1:02d}",
                                       "exit_reason": "营业收入低于2000万元", "revenue": round(level, 2)}))
    for i in range(firms // 5):  # ledger problems, ~7 per county
        c = i % counties
        serial = i // counties
        registered = rng.random() < 0.9
        uscc = _uscc(c, 30000 + serial) if registered else ""
        name = f"台账企业{c:04d}{serial:04d}有限公司"
        problem = rng.choice(PROBLEMS)
        opened = rng.randint(1, 11)
        due = min(opened + rng.randint(1, 4), 12)
        deadline = dt.date(YEAR, due, 28).isoformat() if rng.random() > 0.03 else ""
        unit = f"县{rng.choice(UNITS)}"
        working = opened + rng.randint(0, 2)
        closed = opened + rng.randint(1, 8) if rng.random() < 0.5 else 99
        last = 12 if rng.random() < 0.9 else rng.randint(opened, 11)  # a tenth are dropped
        if closed < 99:
            last = min(last, closed + rng.randint(0, 2))
        for m in range(opened, last + 1):
            status = "已办结" if m >= closed else ("办理中" if m >= working else "待办理")
            text = problem if rng.random() > 0.05 else problem.replace("，", ", ") + "。"  # written differently
            put(c, m, "ledger", {"uscc": uscc, "name": name, "problem": text, "assigned_to": unit,
                                 "deadline": deadline, "status": status})
    for i in range(firms // 50 * 3):  # 重点项目, ~2 per county
        c = i % counties
        serial = i // counties
        uscc = _uscc(c, 40000 + serial) if rng.random() < 0.6 else ""
        project = f"项目{c:04d}{serial:03d}年产新型材料生产线"
        planned = rng.randint(1, 10)
        actual = planned + rng.randint(0, 2) if rng.random() < 0.8 else None
        start = rng.randint(1, 4)
        end = 12 if rng.random() < 0.8 else rng.randint(max(start, planned), 11)
        fate = "entered" if uscc and end < 12 and rng.random() < 0.6 else ""
        size = rng.uniform(1500, 6000)
        for m in range(start, end + 1):
            producing = actual is not None and m >= actual
            put(c, m, "projects", {
                "project": project, "uscc": uscc, "name": f"项目企业{c:04d}{serial:03d}有限公司" if uscc else "",
                "industry": rng.choice(INDUSTRIES), "planned_month": f"{YEAR}-{planned:02d}",
                "actual_month": f"{YEAR}-{actual:02d}" if producing else "", "planned_revenue": round(size, 2),
                "revenue": round(size * (m - actual + 1) / 12, 2) if producing else None,
                "node": "设备安装", "unit": "县发改局"})
        if fate:
            entries[c].append((end + 1, {"uscc": uscc, "name": f"项目企业{c:04d}{serial:03d}有限公司",
                                         "entry_kind": "新建投产", "entry_mode": "月度入库",
                                         "entry_month": f"{YEAR}-{end + 1:02d}", "industry": "3311",
                                         "revenue": round(size, 2), "tax": 20.0, "employees": 40}))
    for key, lists in (("entries", entries), ("exits", exits)):  # the year's lists so far, in every return
        for c, rows in lists.items():
            for m in range(1, 13):
                for since, values in rows:
                    if since <= m:
                        put(c, m, key, values)
    return returns


def build_store(counties: int, firms: int) -> Path:
    """The generated year in a store as the intake writes it, generated once and cached."""
    folder = CACHE / f"pipeline-{counties}x{firms}"
    path = folder / "store.sqlite"
    if (folder / ".complete").exists():
        return path
    folder.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    print(f"正在生成 {counties} 个县市区、{firms:,} 家培育库企业的一年（仅首次）……", flush=True)
    returns = generate(counties, firms)
    names = [c.name for c in scale_policy(counties).counties]
    store = Store.open(path, create=True)
    db = store.db
    submission = 0
    with store.transaction():
        for m in range(1, 13):
            for c in range(counties):
                lists = returns.get((c, m))
                if lists is None:
                    continue
                submission += 1
                file = f"{names[c]}_{YEAR}年{m}月.xlsx"
                db.execute("INSERT INTO submissions (id, sha256, file_name, county, period, received_at, file_mtime, "
                           "status) VALUES (?, ?, ?, ?, ?, ?, ?, 'accepted')",
                           (submission, f"{submission:064x}", file, names[c], str(Period(YEAR, m)),
                            f"{YEAR}-{m:02d}-05T09:00:00", f"{YEAR}-{m:02d}-04T17:00:00"))
                db.executemany("INSERT INTO rows VALUES (?, ?, ?, ?, ?, ?, ?)",
                               [(submission, key, SHEETS[key], 5 + n, v.get("uscc") or "", v.get("name") or "",
                                 _ENCODE(v)) for key, rows in lists.items() for n, v in enumerate(rows)])
    store.close()
    (folder / ".complete").write_text("ok")
    return path


# ---- the stages -------------------------------------------------------------------------------------------------

class Meter:
    """Time and memory of one stage: seconds, tracemalloc's peak of the stage's own allocations, ru_maxrss after."""

    def __init__(self):
        self.stages: dict[str, dict] = {}

    def run(self, name: str, work, traced: bool = True, repeat: int = 3):
        """``work`` timed untraced, the best of ``repeat`` runs (wall and CPU time of that run: the machine is shared
        and the load varies), then (``traced``) once more under tracemalloc for its peak (tracemalloc slows
        allocation-heavy code several times over: its time is not the stage's)."""
        before = _maxrss_mb()
        seconds = cpu = float("inf")
        result = None
        for _ in range(repeat):
            result = None  # the last run's result freed before the next
            gc.collect()
            start, used = time.perf_counter(), time.process_time()
            result = work()
            took, used = time.perf_counter() - start, time.process_time() - used
            if took < seconds:
                seconds, cpu = took, used
        peak = None
        if traced:
            tracemalloc.start()
            work()
            peak = round(tracemalloc.get_traced_memory()[1] / 2 ** 20)
            tracemalloc.stop()
        self.stages[name] = {"seconds": round(seconds, 2), "cpu_seconds": round(cpu, 2), "peak_mb": peak,
                             "maxrss_mb": _maxrss_mb(), "maxrss_growth_mb": _maxrss_mb() - before}
        print(f"  {name:<10} {seconds:6.2f} 秒（CPU {cpu:.2f}）  峰值 {peak if peak is not None else '—':>6} MB  "
              f"进程 {_maxrss_mb():6.0f} MB（本阶段增加 {_maxrss_mb() - before:.0f} MB）", flush=True)
        return result


def _maxrss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def run_engine(counties: int, firms: int, engine: str) -> dict:
    """Every stage in this process, tracking by ``engine`` ("rowwise" or "columns")."""
    path = build_store(counties, firms)
    policy = scale_policy(counties)
    store = Store.open(path)
    meter = Meter()
    print(f"[{engine}]", flush=True)
    with bulk_work():  # as consolidate computes the summary: the cycle collector paused
        return _stages(meter, store, policy, engine, counties, firms)


def _stages(meter: Meter, store, policy, engine: str, counties: int, firms: int) -> dict:
    from toolkit.adapters.summary_workbook import SheetWriter, _forecast, _tracking, _write_csv
    from toolkit.adapters.xlsx_styles import new_workbook
    from toolkit.domain import tracking
    from toolkit.domain.pipeline import CountyLists
    from toolkit.services.consolidation.outlook import LIST_KEYS, register_changes, year_outlook, year_returns

    import tracking_rowwise

    def read():
        upto = store.submissions.accepted()
        if engine == "columns":
            return upto, year_returns(store, upto, PERIOD)
        return upto, [(s.period, CountyLists(s.county, s.file, *(  # as before: one query per report and list
            tuple(store.submissions.sourced_rows(s.submission_id, key)) for key in LIST_KEYS)))
            for s in upto if s.period.year == PERIOD.year and s.period <= PERIOD]
    upto, returns = meter.run("read", read, traced=False, repeat=1)
    entered, exited = register_changes(store, upto, PERIOD)
    as_of = dt.date(YEAR + 1, 1, 9)
    if engine == "columns":
        meter.stages["grouping"] = _grouping(returns)
    how = tracking.track if engine == "columns" else tracking_rowwise.track
    tracks = meter.run("tracking", lambda: how(PERIOD, returns, entered=entered, exited=exited, as_of=as_of))
    outlook = meter.run("forecast", lambda: year_outlook(store, policy, PERIOD, tracks, upto, {}))
    summary = SimpleNamespace(tracking=tracks, outlook=outlook, unit_label="县市区", period=PERIOD,
                              counties=[SimpleNamespace(county=c) for c in policy.county_names])
    folder = CACHE / f"pipeline-{counties}x{firms}" / "out"
    folder.mkdir(exist_ok=True)

    def sheets():
        target = folder / "汇总表.xlsx"
        wb = new_workbook(target, title="基准", created=dt.datetime(2023, 1, 9), fast=True)
        w = SheetWriter(wb, target)
        _tracking(w, summary)
        _forecast(w, summary)
        wb.close()
        for p, headers, rows in w.sidecars:
            _write_csv(p, headers, rows)
        return len(w.sidecars)
    meter.run("sheets", sheets)
    store.close()
    return {"engine": engine, "stages": meter.stages, "maxrss_mb": _maxrss_mb(),
            "rows": sum(len(x.pool) + len(x.at_risk) + len(x.ledger) + len(x.projects) for _, x in returns),
            "returns": len(returns), "pool_tracks": len(tracks.pool), "risk_tracks": len(tracks.at_risk),
            "ledger_tracks": len(tracks.ledger), "project_tracks": len(tracks.projects),
            "forecast_firms": len(outlook.firms)}


def _numpy_groups(found) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The rows grouped by (county, credit code) with numpy, as the first column-wise version did: the codes
    numbered by a dict in one C loop, then a stable argsort of county × codes + code."""
    index = {t: i for i, t in enumerate(dict.fromkeys(found.usccs))}
    firm = np.array(itemgetter(*found.usccs)(index), dtype=np.int64)
    pair = found.county * (int(firm.max()) + 1) + firm
    order = np.argsort(pair, kind="stable")
    cut = np.flatnonzero(np.diff(pair[order])) + 1
    starts = np.concatenate(([0], cut))
    stops = np.concatenate((cut, [len(pair)]))
    ranked = np.argsort(order[starts], kind="stable")  # groups in the order of their first row
    return order, starts[ranked], stops[ranked]


def _grouping(returns) -> dict:
    """The step that makes tracking column-wise — the year's pool rows grouped by (county, credit code), groups in
    the order of their first row, rows in return order — by numpy and by polars (group_by keeping order: what the
    product does), best of three each, on the same rows; the groups must be the same."""
    from toolkit.domain import tracking as T

    periods = sorted({p for p, _ in returns})
    counties = {c: i for i, c in enumerate(dict.fromkeys(lists.county for _, lists in returns))}
    found = T._gather(returns, "pool", periods, counties)
    out = {}
    for name, work in (("numpy", lambda: _numpy_groups(found)), ("polars", lambda: T._groups(found))):
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            result = work()
            best = min(best, time.perf_counter() - start)
        out[name] = round(best, 2)
        out[f"{name}_groups"] = result
    (order, starts, stops), polars = out.pop("numpy_groups"), out.pop("polars_groups")
    same = len(starts) == len(polars.starts) and all(
        np.array_equal(order[a:z], polars.order[b:y])
        for a, z, b, y in zip(starts.tolist(), stops.tolist(), polars.starts.tolist(), polars.stops.tolist()))
    out["same_groups"] = bool(same)
    out["rows"], out["groups"] = len(found.rows), len(starts)
    print(f"  分组（{len(found.rows):,} 行培育库 → {len(starts):,} 组）：numpy {out['numpy']:.2f} 秒，"
          f"polars {out['polars']:.2f} 秒，结果{'相同' if same else '不同！'}", flush=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counties", type=int, default=2850)
    parser.add_argument("--firms", type=int, default=100_000)
    parser.add_argument("--engine", choices=("rowwise", "columns"), help=argparse.SUPPRESS)  # one, in this process
    args = parser.parse_args()
    if args.engine:
        print(json.dumps(run_engine(args.counties, args.firms, args.engine), ensure_ascii=False))
        return
    build_store(args.counties, args.firms)
    load = [round(x, 1) for x in os.getloadavg()]
    runs = []
    for engine in ("rowwise", "columns"):
        command = [sys.executable, __file__, "--engine", engine, "--counties", str(args.counties),
                   "--firms", str(args.firms)]
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        sys.stderr.write("".join(line + "\n" for line in done.stdout.splitlines()[:-1]))
        runs.append(json.loads(done.stdout.splitlines()[-1]))
    result = {"scale": "pipeline", "counties": args.counties, "pool_firms": args.firms, "months": 12,
              "goal_seconds": GOAL_SECONDS, "goal_mb": GOAL_MB, "cores": os.cpu_count() or 1,
              "load_before": load, "load_after": [round(x, 1) for x in os.getloadavg()], "engines": runs}
    _print(result)
    if (args.counties, args.firms) == (2850, 100_000):
        _record(result)


def _print(result: dict) -> None:
    first = result["engines"][0]
    print(f"\n{result['counties']:,} 个县市区 × 12 期，{first['returns']:,} 份报表、{first['rows']:,} 行；"
          f"跟踪：培育库 {first['pool_tracks']:,} 家、风险库 {first['risk_tracks']:,} 家、问题 {first['ledger_tracks']:,} 条、"
          f"项目 {first['project_tracks']:,} 个；预测 {first['forecast_firms']:,} 家")
    print(f"{'跟踪做法':<10}{'读取':>8}{'跟踪':>8}{'预测':>8}{'跟踪+预测':>10}{'峰值':>8}{'进程':>8}{'写表':>8}")
    for run in result["engines"]:
        s = run["stages"]
        both = s["tracking"]["seconds"] + s["forecast"]["seconds"]
        peak = max(s["tracking"]["peak_mb"], s["forecast"]["peak_mb"])
        print(f"{run['engine']:<12}{s['read']['seconds']:>8.2f}{s['tracking']['seconds']:>8.2f}"
              f"{s['forecast']['seconds']:>8.2f}{both:>10.2f}{peak:>8}{run['maxrss_mb']:>8}{s['sheets']['seconds']:>8.2f}")
    for run in result["engines"]:
        g = run["stages"].get("grouping")
        if g:
            print(f"按（县市区, 信用代码）分组 {g['rows']:,} 行：numpy {g['numpy']:.2f} 秒，polars {g['polars']:.2f} 秒"
                  f"（{'结果相同' if g['same_groups'] else '结果不同！'}）")
    print(f"目标：跟踪+预测 < {result['goal_seconds']} 秒，< {result['goal_mb']} MB。机器负载（1、5、15 分钟）："
          f"开始 {result['load_before']}，结束 {result['load_after']}（{result['cores']} 核）")


def _record(result: dict) -> None:
    """The "pipeline" entry of results.json, beside make bench's (which rewrites the file without it)."""
    data = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else []
    data = [r for r in data if r.get("scale") != "pipeline"] + [result]
    RESULTS.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"结果已写到 {RESULTS.relative_to(ROOT)}（scale 为 pipeline 的一项）")


if __name__ == "__main__":
    main()
