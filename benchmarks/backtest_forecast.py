"""Backtest and speed of the pipeline forecast (toolkit/domain/forecast.py), on generated years whose outcome is known.

    python benchmarks/backtest_forecast.py            (make bench-forecast)
    python benchmarks/backtest_forecast.py --quick    fewer generated cities, no speed run

Each generated city (one seed) has counties of firms over three years: Y0, Y1 (last year: it calibrates the errors
and gives the shapes) and Y2 (the year forecast). Monthly revenue is seasonal by industry (weak 1–2月, a peak late
in the year, each firm's own variation kept from year to year), with noise, a growth trend per firm that changes
from year to year, and a drift through the year shared by the city and by each industry (a bad second half moves
every firm together). Small firms cross 2000 万元, stall or fall; register firms under 3000 万元 fall below it; new
builds are commissioned from October of last year to August and ramp up. At each month 2..11 the forecast of Y2
is compared with what happened: per county the error of the year-end 新增 (mean absolute error, bias) and how often
the truth fell inside the stated range; the same for the year's exits and next year's 小升规 pipeline, and for each
firm's revenue range. Then the speed: 100,000 firms × 12 months, time and peak memory.

Writes toolkit/resources/forecast_backtest.json (the summary quotes it) and prints a table. Deterministic (seeds 1..N).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from toolkit.domain import forecast as F  # noqa: E402

RESULTS = ROOT / "toolkit" / "resources" / "forecast_backtest.json"
DIVISIONS = np.array([13, 14, 17, 18, 26, 29, 30, 33, 34, 36, 38, 39, 41])
DIVISION_WEIGHTS = np.array([9, 7, 8, 6, 10, 8, 10, 9, 12, 8, 9, 8, 0.3])  # 41: a division with very few firms
MONTHS = np.arange(1, 13)
SMALL_FIRMS = 260  # per county: small and register firms together
NEW_BUILDS = 14  # per county and year


@dataclass
class Year:
    """One generated year of a city's firms: Firms columns plus the truth."""

    firms: F.Firms
    full: np.ndarray  # the year's revenue


@dataclass
class City:
    counties: int
    small: list[np.ndarray]  # ytd (n, 12) of the small/register firms for Y0, Y1, Y2
    county: np.ndarray
    industry: np.ndarray
    new: list[dict]  # per year Y1, Y2: the new builds' columns


def _seasons(rng, industry: np.ndarray, n: int) -> np.ndarray:
    """(n, 12) monthly weights (mean 1): the industry's cycle with the firm's own amplitude and peak."""
    amp = {d: rng.uniform(0.05, 0.3) for d in DIVISIONS}
    peak = {d: rng.uniform(8, 12.5) for d in DIVISIONS}
    a = np.array([amp[d] for d in industry]) + rng.normal(0, 0.08, n)
    p = np.array([peak[d] for d in industry]) + rng.normal(0, 1.0, n)
    w = np.maximum(0.2, 1 + a[:, None] * np.cos(2 * np.pi * (MONTHS[None, :] - p[:, None]) / 12))
    w[:, :2] *= 0.8  # the Spring Festival
    return w / w.mean(axis=1, keepdims=True)


def _drifts(rng) -> dict[int, np.ndarray]:
    """Per industry, the year's drift through the months (shared by the city and by the industry)."""
    city = rng.normal(0, 0.06)
    return {d: np.exp((city + rng.normal(0, 0.06)) * (MONTHS - 6.5) / 5.5) for d in DIVISIONS}


def generate(seed: int, counties: int = 8) -> City:
    rng = np.random.default_rng(seed)
    n = SMALL_FIRMS * counties
    county = np.repeat(np.arange(counties), SMALL_FIRMS)
    industry = rng.choice(DIVISIONS, size=n, p=DIVISION_WEIGHTS / DIVISION_WEIGHTS.sum())
    seasons = _seasons(rng, industry, n)
    level = np.exp(rng.normal(np.log(1900), 0.45, n))
    trend = rng.normal(0.06, 0.12, n)
    small = []
    for _ in range(3):
        growth = trend + rng.normal(0, 0.10, n)
        drift = _drifts(rng)
        shock = np.stack([drift[d] for d in industry])
        monthly = (level / 12)[:, None] * seasons * np.exp(growth[:, None] * (MONTHS - 6.5) / 12) * shock \
            * np.exp(rng.normal(0, 0.12, (n, 12)))
        small.append(np.cumsum(monthly, axis=1))
        level = level * np.exp(growth)
    new = [_new_builds(rng, counties, year) for year in (1, 2)]
    return City(counties, small, county, industry, new)


def _new_builds(rng, counties: int, year: int) -> dict:
    """New builds commissioned from October of last year (months -2..0) to August; ramping up over two months."""
    n = NEW_BUILDS * counties
    industry = rng.choice(DIVISIONS, size=n, p=DIVISION_WEIGHTS / DIVISION_WEIGHTS.sum())
    seasons = _seasons(rng, industry, n)
    drift = _drifts(rng)
    shock = np.stack([drift[d] for d in industry])
    commissioned = rng.integers(-2, 9, n)  # -2 = October of last year, 0 = December, 1..8 this year
    rate = np.exp(rng.normal(np.log(2700), 0.45, n))
    age = MONTHS[None, :] - commissioned[:, None]
    ramp = np.select([age < 0, age == 0, age == 1], [0.0, 0.4, 0.75], 1.0)
    monthly = (rate / 12)[:, None] * seasons * ramp * shock * np.exp(rng.normal(0, 0.15, (n, 12)))
    return {"county": np.repeat(np.arange(counties), NEW_BUILDS), "industry": industry,
            "ytd": np.cumsum(monthly, axis=1), "start": np.maximum(commissioned, 1)}


def _firms(county, industry, ytd, last, start=None, new_build=None) -> F.Firms:
    return F.Firms(county, industry, ytd, last, start, new_build)


def _upto(ytd: np.ndarray, month: int) -> np.ndarray:
    """What was reported by ``month``: later months unknown; a new build not yet producing reports nothing."""
    out = ytd.copy()
    out[:, month:] = np.nan
    out[out <= 0] = np.nan
    return out


def _count(county, mask, size) -> np.ndarray:
    return np.bincount(county[mask], minlength=size)


def backtest_city(city: City, months, spread_kind: str = "calibrated") -> dict[int, dict]:
    """Per month: the counties' forecasts and truths of Y2 (新增, exits, pipeline) and the firms' range hits."""
    y0, y1, y2 = city.small
    size = city.counties
    table_y1 = F.industry_shapes(y0, city.industry)  # known at the start of Y1
    table_y2 = F.industry_shapes(y1, city.industry)
    nb1, nb2 = city.new
    history = _firms(np.concatenate([city.county, nb1["county"]]), np.concatenate([city.industry, nb1["industry"]]),
                     np.vstack([y1, nb1["ytd"]]), np.vstack([y0, np.full_like(nb1["ytd"], np.nan)]),
                     np.concatenate([np.ones(len(y1), dtype=np.int64), nb1["start"]]),
                     np.concatenate([np.zeros(len(y1), dtype=bool), np.ones(len(nb1["ytd"]), dtype=bool)]))
    spread = F.calibrate(history, table_y1) if spread_kind == "calibrated" else F.fallback_spread()
    full0, full1, full2 = y0[:, 11], y1[:, 11], y2[:, 11]
    in_pool = (full1 >= 1000) & (full1 < F.THRESHOLD)
    at_risk = (full1 >= F.THRESHOLD) & (full1 < 3000)
    batch = _count(city.county, (full0 < F.THRESHOLD) & (full1 >= F.THRESHOLD), size)
    gone = _count(city.county, (full0 >= F.THRESHOLD) & (full1 < F.THRESHOLD), size)
    nb_full = nb2["ytd"][:, 11]
    truth_added = batch + _count(nb2["county"], nb_full >= F.THRESHOLD, size)
    truth_exits = gone + _count(city.county, at_risk & (full2 < F.THRESHOLD), size)
    truth_pipeline = _count(city.county, in_pool & (full2 >= F.THRESHOLD), size)
    pool_county = np.concatenate([city.county[in_pool], nb2["county"]])
    pool_industry = np.concatenate([city.industry[in_pool], nb2["industry"]])
    pool_last = np.vstack([y1[in_pool], np.full_like(nb2["ytd"], np.nan)])
    pool_start = np.concatenate([np.ones(in_pool.sum(), dtype=np.int64), nb2["start"]])
    pool_new = np.concatenate([np.zeros(in_pool.sum(), dtype=bool), np.ones(len(nb_full), dtype=bool)])
    pool_truth = np.concatenate([full2[in_pool], nb_full])
    out = {}
    for month in months:
        pool = _firms(pool_county, pool_industry, _upto(np.vstack([y2[in_pool], nb2["ytd"]]), month), pool_last,
                      pool_start, pool_new)
        risk = _firms(city.county[at_risk], city.industry[at_risk], _upto(y2[at_risk], month), y1[at_risk])
        pp = F.project(pool, month, table_y2, spread)
        rp = F.project(risk, month, table_y2, spread)
        entered = pool_new & (np.nan_to_num(pool.ytd[:, month - 1]) >= F.THRESHOLD)
        so_far = batch + _count(pool_county, entered, size)
        rows = F.outlook([f"县{i + 1}" for i in range(size)], pool, pp, risk, rp, entries_so_far=so_far,
                         exits_so_far=gone, targets=[None] * size, next_targets=[None] * size, entered=entered)
        naive = batch + _count(pool_county, pool_new & (np.nan_to_num(pool.ytd[:, month - 1]) * 12 / month
                                                         >= F.THRESHOLD), size)
        truth_firms = np.concatenate([pool_truth, full2[at_risk]])
        low, high = np.concatenate([pp.low, rp.low]), np.concatenate([pp.high, rp.high])
        seen = np.isfinite(low)
        out[month] = {
            "added": [(r.added.expected, r.added.low, r.added.high, int(t)) for r, t in zip(rows, truth_added)],
            "exits": [(r.exits.expected, r.exits.low, r.exits.high, int(t)) for r, t in zip(rows, truth_exits)],
            "pipeline": [(r.pipeline.expected, r.pipeline.low, r.pipeline.high, int(t))
                         for r, t in zip(rows, truth_pipeline)],
            "city_added": (rows[-1].added.expected, rows[-1].added.low, rows[-1].added.high, int(truth_added.sum())),
            "naive_error": (naive - truth_added).tolist(),
            "firm_hits": int(((truth_firms >= low) & (truth_firms <= high))[seen].sum()),
            "firms": int(seen.sum()),
        }
    return out


def summarise(results: list[dict[int, dict]], months) -> list[dict]:
    table = []
    for month in months:
        def stats(key):
            rows = [row for r in results for row in r[month][key]]
            exp, low, high, truth = (np.array(col, dtype=float) for col in zip(*rows))
            err = exp - truth
            return {"mae": round(float(np.abs(err).mean()), 2), "bias": round(float(err.mean()), 2),
                    "coverage": round(float(((truth >= low) & (truth <= high)).mean()), 3),
                    "width": round(float((high - low).mean()), 1), "truth_mean": round(float(truth.mean()), 1)}
        city = np.array([r[month]["city_added"] for r in results], dtype=float)
        naive = np.array([e for r in results for e in r[month]["naive_error"]], dtype=float)
        table.append({"month": month, "added": stats("added"), "exits": stats("exits"), "pipeline": stats("pipeline"),
                      "city_added_coverage": round(float(((city[:, 3] >= city[:, 1]) & (city[:, 3] <= city[:, 2]))
                                                         .mean()), 3),
                      "naive_added_mae": round(float(np.abs(naive).mean()), 2),
                      "firm_coverage": round(sum(r[month]["firm_hits"] for r in results)
                                             / sum(r[month]["firms"] for r in results), 3)})
    return table


def backtest(seeds, months=range(2, 12), spread_kind: str = "calibrated", counties: int = 8) -> list[dict]:
    return summarise([backtest_city(generate(seed, counties), months, spread_kind) for seed in seeds], list(months))


def speed(firms: int = 100_000, counties: int = 2850, month: int = 9, runs: int = 3) -> dict:
    """The forecast of a national-sized pool: 60 % pool firms (one in ten a new build), 40 % at-risk firms."""
    rng = np.random.default_rng(0)
    industry = rng.choice(np.arange(6, 47), size=firms)
    county = rng.integers(0, counties, firms)
    seasons = np.maximum(0.2, 1 + rng.uniform(0, 0.3, (firms, 1)) * np.cos(2 * np.pi * (MONTHS - 11) / 12))
    level = np.exp(rng.normal(np.log(1900), 0.45, firms))
    last = np.cumsum((level / 12)[:, None] * seasons * np.exp(rng.normal(0, 0.12, (firms, 12))), axis=1)
    this = np.cumsum((level * 1.05 / 12)[:, None] * seasons * np.exp(rng.normal(0, 0.12, (firms, 12))), axis=1)
    this[:, month:] = np.nan
    pool_n = int(firms * 0.6)
    new = np.zeros(firms, dtype=bool)
    new[:pool_n:10] = True
    last[new] = np.nan

    def run():
        table = F.industry_shapes(np.nan_to_num(last), industry)
        spread = F.calibrate(F.Firms(county, industry, np.cumsum(np.diff(np.nan_to_num(last), axis=1, prepend=0.0),
                                                                 axis=1), last), table)
        pool = F.Firms(county[:pool_n], industry[:pool_n], this[:pool_n], last[:pool_n], None, new[:pool_n])
        risk = F.Firms(county[pool_n:], industry[pool_n:], this[pool_n:], last[pool_n:])
        pp, rp = F.project(pool, month, table, spread), F.project(risk, month, table, spread)
        F.routes(pp, pool.new_build)
        return F.outlook([str(i) for i in range(counties)], pool, pp, risk, rp, entries_so_far=[0] * counties,
                         exits_so_far=[0] * counties, targets=[10] * counties, next_targets=[10] * counties)

    run()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    run()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"firms": firms, "months": 12, "counties": counties, "seconds": round(min(times), 3),
            "peak_mb": round(peak / 2 ** 20, 1), "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF)
                                                                     .ru_maxrss / 1024, 1),
            "goal_seconds": 2.0, "goal_mb": 500, "includes": "行业形状、校准、全部企业预测、各县和全市区间"}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 generated cities, no speed run")
    args = parser.parse_args(argv)
    seeds = range(1, 4) if args.quick else range(1, 13)
    start = time.perf_counter()
    calibrated = backtest(seeds)
    fallback = backtest(seeds, spread_kind="fallback")
    result = {"nominal_coverage": F.LEVEL, "cities": len(seeds), "counties_per_city": 8,
              "county_years_per_month": len(seeds) * 8, "calibrated": calibrated, "fallback": fallback,
              "backtest_seconds": round(time.perf_counter() - start, 1)}
    if not args.quick:
        result["speed"] = speed()
    print(f"名义覆盖率 {F.LEVEL:.0%}；{len(seeds)} 个生成的市 × 8 个县，每月 {len(seeds) * 8} 个县年")
    print("月份 | 新增MAE 偏差 覆盖率 区间宽 | 直线法MAE | 退库MAE 覆盖率 | 次年小升规MAE 覆盖率 | 全市覆盖 | 企业覆盖 | 未校准覆盖")
    for row, wide in zip(calibrated, fallback):
        a, x, p = row["added"], row["exits"], row["pipeline"]
        print(f"{row['month']:>4} | {a['mae']:6.2f} {a['bias']:+5.2f} {a['coverage']:6.1%} {a['width']:5.1f} | "
              f"{row['naive_added_mae']:8.2f} | {x['mae']:6.2f} {x['coverage']:6.1%} | {p['mae']:6.2f} "
              f"{p['coverage']:6.1%} | {row['city_added_coverage']:6.1%} | {row['firm_coverage']:6.1%} | "
              f"{wide['added']['coverage']:6.1%}")
    if "speed" in result:
        s = result["speed"]
        print(f"速度：{s['firms']:,} 家 × 12 个月、{s['counties']} 个县：{s['seconds']} 秒（目标 < 2 秒），"
              f"峰值内存 {s['peak_mb']} MB（tracemalloc，目标 < 500 MB），进程最大常驻 {s['max_rss_mb']} MB")
    if not args.quick:
        RESULTS.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
