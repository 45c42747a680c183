"""Benchmark: the columnar list rules against the row-by-row ones, and the array engine chosen for them.

    python benchmarks/bench_columns.py     (part of `make bench`)

On one county sheet (200 rows) and on a sheet of 20,000 rows: the whole list check row by row
(report_rules.check_report_by_row) and over columns (report_columns.check_report); then the heaviest
rule alone — which unified social credit codes are certainly valid (form, check character, type) —
with numpy (what report_columns uses), pandas and polars (measured when installed: they are not
dependencies). Medians of 15 runs; printed, never asserted.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from toolkit.domain import report_schema as S  # noqa: E402
from toolkit.domain.periods import Period  # noqa: E402
from toolkit.domain.report_columns import check_report, plain_usccs  # noqa: E402
from toolkit.domain.report_parsing import parse_report  # noqa: E402
from toolkit.domain.report_rules import check_report_by_row  # noqa: E402
from toolkit.domain.stamp import STAMP_SHEET, FileKind, Stamp  # noqa: E402
from toolkit.domain.uscc import ALPHABET, WEIGHTS, with_check_character  # noqa: E402
from toolkit.services.policy import load_policy  # noqa: E402

RUNS = 15


def sheets(rows: int) -> dict[str, list[list]]:
    """A 天元区 2022-12 workbook's sheets as read, ``rows`` new entries (one in fifty with a slip)."""
    rng = random.Random(rows)
    cover = [["标题"], ["副标题"], []] + [[f.label, {"county": "天元区", "period": "2022-12"}.get(f.key, "x"), ""]
                                           for f in S.COVER_FIELDS]
    out = {S.COVER_SHEET: cover, STAMP_SHEET: Stamp(FileKind.TEMPLATE, S.SCHEMA_VERSION, "天元区", "2022-12").to_rows()}
    for spec in S.LIST_SHEETS:
        out[spec.name] = [["标题"], ["说明"], [c.header for c in spec.columns]]
    entries = out[S.ENTRIES.name]
    for i in range(rows):
        code = with_check_character("91430211" + "".join(rng.choice(ALPHABET) for _ in range(9)))
        values = {"uscc": code, "name": f"株洲测试企业{i:05d}有限公司", "entry_kind": "新建投产", "entry_mode": "月度入库",
                  "entry_month": f"2022-{rng.randint(1, 12):02d}", "industry": "3484",
                  "revenue": round(rng.uniform(2000, 9000), 2), "tax": round(rng.uniform(10, 200), 2), "employees": 60.0}
        if i % 50 == 7:
            values["revenue"] *= 10000  # typed in 元
        entries.append([values.get(c.key) for c in S.ENTRIES.columns])
    return out


def median_ms(work) -> float:
    work()
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def pandas_plain(codes: list[str]):
    import pandas as pd

    s = pd.Series(codes, dtype="string")
    shaped = s.str.fullmatch(r"[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}").fillna(False)
    values = {c: i for i, c in enumerate(ALPHABET)}
    total = sum(s.str.slice(i, i + 1).map(values, na_action="ignore").fillna(0).astype(int) * w
                for i, w in enumerate(WEIGHTS))
    check = (31 - total % 31) % 31
    return shaped & (s.str.slice(1, 2) == "1") & (check == s.str.slice(17, 18).map(values).fillna(-1))


def polars_plain(codes: list[str]):
    import polars as pl

    u = pl.col("u")
    digits = [u.str.slice(i, 1).replace_strict(list(ALPHABET), list(range(31)), default=None, return_dtype=pl.Int64)
              for i in range(18)]
    check = (31 - sum(d * w for d, w in zip(digits, WEIGHTS)) % 31) % 31
    return pl.DataFrame({"u": codes}).select(
        u.str.contains(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$") & (u.str.slice(1, 1) == "1")
        & (check == digits[17])).to_series()


def main() -> None:
    policy = load_policy()
    for rows in (200, 20_000):
        report, _ = parse_report(sheets(rows), "bench.xlsx", policy, expect_period=Period(2022, 12))
        assert check_report(report, policy) == check_report_by_row(report, policy)
        by_row = median_ms(lambda: check_report_by_row(report, policy))
        columnar = median_ms(lambda: check_report(report, policy))
        print(f"{rows:>6,} 行：逐行规则 {by_row:8.2f} ms，按列规则 {columnar:8.2f} ms（{by_row / columnar:.1f} 倍）")
        codes = [r.values["uscc"] for r in report.records("entries")]
        engines = [("numpy", plain_usccs)]
        for name, work in (("pandas", pandas_plain), ("polars", polars_plain)):
            try:
                __import__(name)
            except ImportError:
                print(f"        {name} 未安装，跳过（pip install {name}）")
                continue
            assert [bool(x) for x in work(codes)] == plain_usccs(codes).tolist(), name  # the same answer
            engines.append((name, work))
        timed = "，".join(f"{name} {median_ms(lambda: work(codes)):.2f} ms" for name, work in engines)
        print(f"        统一社会信用代码一项：{timed}")


if __name__ == "__main__":
    main()
