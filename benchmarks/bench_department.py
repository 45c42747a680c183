"""DuckDB against polars on a tax office's extract: read a csv of taxpayer-months, every column as text (codes keep
their leading zeros and letters), and sum each taxpayer's sales of the year — the shape of 应入尽入's import.

    python benchmarks/bench_department.py            1,000,000 taxpayer-months (83,334 taxpayers × 12 months)
    python benchmarks/bench_department.py --rows N

Writes benchmarks/department_engines.json and prints the timings (best of three, after one warm-up read). The
generated csv is kept in benchmarks/.cache. The figures are quoted in README.md and docs/依赖.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "benchmarks" / ".cache"
RESULTS = ROOT / "benchmarks" / "department_engines.json"
HEADER = ["纳税人识别号", "纳税人名称", "所属期", "申报销售额（元）", "国标行业", "登记状态"]


def generate(rows: int) -> Path:
    path = CACHE / f"tax_{rows}.csv"
    if path.exists():
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    rng = random.Random(4754)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        firm = 0
        while firm * 12 < rows:
            code = f"91430200{firm:09d}X"
            industry = f"{rng.randint(6, 97):02d}"
            for month in range(1, 13):
                if firm * 12 + month > rows:
                    break
                writer.writerow([code, f"企业{firm}有限公司", f"2024-{month:02d}", f"{rng.uniform(0, 3e6):.2f}",
                                 industry, "正常"])
            firm += 1
    return path


def with_polars(path: Path) -> int:
    import polars as pl

    frame = pl.read_csv(path, infer_schema=False)  # every column as text
    sales = frame.columns[3]
    summed = frame.group_by(frame.columns[0]).agg(pl.col(sales).cast(pl.Float64).sum())
    return summed.height


def with_duckdb(path: Path) -> int:
    import duckdb

    connection = duckdb.connect()
    try:
        connection.execute(f"CREATE TABLE t AS SELECT * FROM read_csv('{path}', all_varchar = true, header = true)")
        columns = [row[0] for row in connection.execute("DESCRIBE t").fetchall()]
        return connection.execute(f'SELECT count(*) FROM (SELECT "{columns[0]}", sum(CAST("{columns[3]}" AS DOUBLE)) '
                                  f'FROM t GROUP BY 1)').fetchone()[0]
    finally:
        connection.close()


def best_of(function, path: Path, runs: int = 3) -> tuple[float, int]:
    result = function(path)  # warm-up: imports, the file in the page cache
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = function(path)
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    path = generate(args.rows)
    import duckdb
    import polars

    polars_s, polars_firms = best_of(with_polars, path)
    duckdb_s, duckdb_firms = best_of(with_duckdb, path)
    assert polars_firms == duckdb_firms, (polars_firms, duckdb_firms)
    figures = {"rows": args.rows, "taxpayers": polars_firms, "file_mb": round(path.stat().st_size / 2**20, 1),
               "polars": {"version": polars.__version__, "seconds": round(polars_s, 3)},
               "duckdb": {"version": duckdb.__version__, "seconds": round(duckdb_s, 3)}}
    RESULTS.write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(figures, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
