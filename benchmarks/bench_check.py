"""Benchmark: check one county workbook of 2,000 new-entry rows in-process (target: under 0.3 s).

Run with `make bench`. Timings are printed, never asserted in tests.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from toolkit.adapters.county_workbook import write_county_workbook  # noqa: E402
from toolkit.domain.periods import Period  # noqa: E402
from toolkit.domain.uscc import ALPHABET, with_check_character  # noqa: E402
from toolkit.services.checking import check_file  # noqa: E402
from toolkit.services.policy import load_policy  # noqa: E402
from toolkit.services.templates import template_stamp  # noqa: E402

ROWS = 2000
RUNS = 7


def write_workbook(path: Path, policy) -> Path:
    """A 天元区 2022-12 workbook of ``ROWS`` valid new-entry rows."""
    county, period = policy.find_county("天元区"), Period(2022, 12)
    rng = random.Random(1)
    entries = []
    for i in range(ROWS):
        code = with_check_character("91430211" + "".join(rng.choice(ALPHABET) for _ in range(9)))
        entries.append({"uscc": code, "name": f"株洲测试企业{i:04d}有限公司", "entry_kind": "新建投产",
                        "entry_mode": "月度入库", "entry_month": f"2022-{rng.randint(1, 12):02d}", "industry": "3484",
                        "revenue": round(rng.uniform(2000, 9000), 2), "tax": round(rng.uniform(10, 200), 2),
                        "employees": rng.randint(20, 300)})
    import datetime as dt

    write_county_workbook(path, policy, county, period, template_stamp(county, period, dt.datetime.now()),
                          lists={"entries": entries})
    return path


def main() -> None:
    policy = load_policy()
    with tempfile.TemporaryDirectory() as folder:
        path = write_workbook(Path(folder) / "bench.xlsx", policy)
        times = []
        for _ in range(RUNS):
            start = time.perf_counter()
            result = check_file(path, policy)
            times.append(time.perf_counter() - start)
        assert len(result.report.records("entries")) == ROWS
    median = statistics.median(times)
    print(f"check of {ROWS} rows: median {median * 1000:.0f} ms, best {min(times) * 1000:.0f} ms over {RUNS} runs "
          f"(target < 300 ms){'' if median < 0.3 else '  ** SLOWER THAN TARGET **'}")


if __name__ == "__main__":
    main()
