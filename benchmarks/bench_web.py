"""Benchmark: the workbench (#21). A county uploads a 2,000-row workbook to the self-check page and gets its
findings (target: under 1 s), and each page of a city workspace with two periods consolidated loads (target: under
200 ms). Through Flask's test client: the application's own time, without a browser's drawing.

Run with `make bench`. Timings are printed, never asserted in tests.
"""

from __future__ import annotations

import io
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_check import ROWS, write_workbook  # noqa: E402
from toolkit.domain.periods import Period  # noqa: E402
from toolkit.services import consolidation, rewards  # noqa: E402
from toolkit.services.policy import load_policy  # noqa: E402
from toolkit.services.workspace import init_workspace  # noqa: E402
from toolkit.web.app import create_app  # noqa: E402

RUNS = 7
PAGES = ("/status?period=2022-12", "/inbox", "/consolidate?period=2022-12", "/consolidate?period=2022-12&county=攸县",
         "/assign?year=2022", "/notices?period=2022-12", "/rewards?year=2022", "/policy", "/self-check")


def _median_ms(action) -> tuple[float, object]:
    times, result = [], None
    for _ in range(RUNS):
        start = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, result


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        workbook = write_workbook(folder / "天元区_2022-12_规上工业企业报表.xlsx", load_policy())
        workspace, _ = init_workspace(folder / "工作区")
        for period in ("2022-06", "2022-12"):
            for source in (ROOT / "samples" / "县区报表" / period).glob("*.xlsx"):
                shutil.copy2(source, workspace.inbox / source.name)
            consolidation.consolidate(workspace, Period.parse(period))
        client = create_app(workspace.policy(), policy_source="bench", workspace=workspace).test_client()
        csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/self-check").get_data(as_text=True)).group(1)
        data = workbook.read_bytes()

        def upload():
            answer = client.post("/self-check", data={"csrf": csrf, "workbook": (io.BytesIO(data), workbook.name)},
                                 content_type="multipart/form-data")
            assert answer.status_code == 200, answer.status_code
            return answer

        ms, _ = _median_ms(upload)
        print(f"self-check upload of {ROWS} rows, findings on the page: median {ms:.0f} ms (target < 1000 ms)"
              f"{'' if ms < 1000 else '  ** SLOWER THAN TARGET **'}")
        for path in PAGES:
            ms, answer = _median_ms(lambda: client.get(path))
            assert answer.status_code == 200, (path, answer.status_code)
            print(f"  {path:45} median {ms:6.1f} ms (target < 200 ms){'' if ms < 200 else '  ** SLOWER THAN TARGET **'}")

        def rewards_after_a_change():  # the year's proposal computed again, as after an import or an approval
            rewards._OVERVIEWS.clear()
            return client.get("/rewards?year=2022")

        ms, _ = _median_ms(rewards_after_a_change)
        print(f"  {'/rewards?year=2022 (after a change)':45} median {ms:6.1f} ms (target < 50 ms)"
              f"{'' if ms < 50 else '  ** SLOWER THAN TARGET **'}")


if __name__ == "__main__":
    main()
