"""应入尽入 at a province's scale: import the departments' files (read + checks + store) and screen them, timed, with
the peak memory of each step, polars (the product) and DuckDB side by side on the same files.

    python benchmarks/bench_screening.py               the province and the city (make bench-screening)
    python benchmarks/bench_screening.py --city        the city only (seconds)

The files are generated once (seeded) into benchmarks/.cache, as departments send them:
- province: the tax office's extract, 1,000,000 taxpayers × 12 months of 2024 as a GBK csv with a title row and a
  合计 row (sales in 元); the power company's 200,000 accounts × 12 months (UTF-8 csv); the registration extract of
  the 1,000,000 firms (UTF-8 csv with a note above the table);
- city: 30,000 taxpayers, 6,000 power accounts, 30,000 registrations, the same shapes.

Each step runs in a fresh process, so that its peak resident memory (getrusage's ru_maxrss: Python and the engines'
own memory together) is its own:
- ``polars read + checks``: the product's reader (toolkit.services.screening.read_department) on the three files;
- ``duckdb read + checks``: the same checks in DuckDB SQL on the same files (the GBK file converted to UTF-8 by the
  same block-wise step: DuckDB reads no GBK without an extension fetched from the network), the rows written to
  Parquet as the store keeps them;
- ``import``: the product's whole ``guishang screen import`` (read, checks, SHA-256, archive copy, Parquet + journal)
  into a new workspace;
- ``screen``: the rows read back from the store and screened (toolkit.domain.screening.screen) at 2024-12.

Writes benchmarks/screening_results.json; the figures are quoted in README.md and docs/用户手册.md.
"""

from __future__ import annotations

import argparse
import codecs
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "benchmarks" / ".cache" / "screening"
RESULTS = ROOT / "benchmarks" / "screening_results.json"
SIZES = {"province": (1_000_000, 200_000), "city": (30_000, 6_000)}  # taxpayers, power accounts
YEAR = 2024
GOALS = {"province": {"seconds": 30, "peak_mb": 2048}, "city": {"seconds": 2}}
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
AREAS = ["430102", "430103", "430104", "430105", "430111", "430200", "430202", "430211", "430223", "430281",
         "430300", "430302", "430400", "430405", "430500", "430600", "430700", "430800", "430900", "431000",
         "431100", "431200", "431300", "433100"]
TRADES = [("C3311 金属结构制造", 0.08), ("C3484 机械零部件加工", 0.06), ("C3670 汽车零部件及配件制造", 0.04),
          ("C3982 电子电路制造", 0.03), ("C1391 淀粉及淀粉制品制造", 0.03), ("C2929 其他塑料制品制造", 0.03),
          ("B0610 烟煤和无烟煤开采洗选", 0.01), ("D4411 火力发电", 0.01), ("F5191 互联网批发", 0.25),
          ("F5261 汽车新车零售", 0.1), ("E4710 住宅房屋建筑", 0.1), ("K7010 房地产开发经营", 0.06),
          ("I6510 软件开发", 0.1), ("H6210 正餐服务", 0.1)]


# --- the files -------------------------------------------------------------------------------------------------

def _codes(rng, count: int):
    """``count`` distinct enterprise credit codes with their check characters (91 + area + MA4… + check)."""
    import numpy as np

    area = np.array(AREAS)[rng.integers(0, len(AREAS), count)]
    serial = np.arange(count)
    tail = np.stack([serial // 31 ** k % 31 for k in range(5, -1, -1)], axis=1)  # six base-31 digits, distinct
    values = np.concatenate([np.array([[9, 1]] * count), np.array([[int(c) for c in a] for a in np.unique(area)]
                                                                  )[np.searchsorted(np.unique(area), area)],
                             np.array([[ALPHABET.index("M"), ALPHABET.index("A"), 4]] * count), tail], axis=1)
    check = (31 - (values * np.array(WEIGHTS)).sum(axis=1) % 31) % 31
    letters = np.array(list(ALPHABET))
    chars = letters[np.concatenate([values, check[:, None]], axis=1)]
    return ["".join(row) for row in chars]


def _names(rng, count: int) -> list[str]:
    places = ["长沙", "株洲", "湘潭", "衡阳", "邵阳", "岳阳", "常德", "益阳", "郴州", "永州", "怀化", "娄底", "湘西"]
    words = ["恒达", "宏远", "鑫盛", "瑞丰", "精工", "华能", "博创", "众合", "联科", "新锐", "中泰", "嘉和"]
    picks = rng.integers(0, [len(places), len(words)], size=(count, 2))
    return [f"{places[p]}{words[w]}{i}有限公司" for i, (p, w) in enumerate(picks)]


def generate(scale: str) -> dict[str, Path]:
    """The scale's three files (generated once, then taken from the cache)."""
    import numpy as np
    import polars as pl

    folder = CACHE / scale
    paths = {"tax": folder / "税务申报销售额.csv", "registration": folder / "市场主体登记.csv",
             "power": folder / "用电量.csv"}
    if all(p.exists() for p in paths.values()):
        return paths
    folder.mkdir(parents=True, exist_ok=True)
    taxpayers, accounts = SIZES[scale]
    rng = np.random.default_rng(4754)
    codes, names = _codes(rng, taxpayers), _names(rng, taxpayers)
    trades = rng.choice(len(TRADES), taxpayers, p=np.array([w for _, w in TRADES]) / sum(w for _, w in TRADES))
    level = np.exp(rng.normal(3.0, 1.6, taxpayers))  # 万元 a month: most small, a long tail
    months = [f"{YEAR}-{m:02d}" for m in range(1, 13)]
    firm = np.repeat(np.arange(taxpayers), 12)
    cents = np.round(level[firm] * rng.uniform(0.6, 1.4, firm.size) * 1_000_000).astype(np.int64)
    status = np.where(rng.random(taxpayers) < 0.03, "注销", "正常")
    tax = pl.DataFrame({
        "纳税人识别号": pl.Series(codes).gather(firm), "纳税人名称": pl.Series(names).gather(firm),
        "税款所属期": pl.Series(months * taxpayers),
        "申报销售额（元）": pl.Series(cents // 100).cast(pl.Utf8) + "." + pl.Series(cents % 100).cast(pl.Utf8).str.zfill(2),
        "国标行业": pl.Series([t for t, _ in TRADES]).gather(trades[firm]), "纳税人状态": pl.Series(status[firm])})
    utf8 = folder / "tax.utf8.csv"
    tax.write_csv(utf8, line_terminator="\r\n")
    total = int(cents.sum())
    with open(utf8, "rb") as source, open(paths["tax"], "wb") as out:  # GBK, a title row above, a total row below
        out.write(f"国家税务总局湖南省税务局 纳税人月度申报销售额（{YEAR}年1—12月）,,,,,\r\n".encode("gbk"))
        decoder = codecs.getincrementaldecoder("utf-8")()
        for block in iter(lambda: source.read(1 << 24), b""):
            out.write(decoder.decode(block).encode("gbk"))
        out.write(f"合计,,,{total // 100}.{total % 100:02d},,\r\n".encode("gbk"))
    utf8.unlink()
    established = np.datetime64("1995-01-01") + rng.integers(0, 10_500, taxpayers).astype("timedelta64[D]")
    registration = pl.DataFrame({
        "统一社会信用代码": codes, "企业名称": names, "成立日期": pl.Series(established.astype(str)),
        "登记状态": pl.Series(np.where(status == "注销", "注销", "存续（在营、开业、在册）")),
        "住所": [f"湖南省某市某区某路{i % 999 + 1}号" for i in range(taxpayers)],
        "登记机关": pl.Series(["某市市场监督管理局"] * taxpayers)})
    with open(paths["registration"], "wb") as out:
        out.write("市场主体登记信息（企业）\n说明：不含个体工商户\n".encode("utf-8"))
        registration.write_csv(out)
    owner = rng.choice(taxpayers, accounts, replace=False)
    account = np.repeat(np.arange(accounts), 12)
    power = pl.DataFrame({
        "户号": pl.Series([f"43{i:010d}" for i in range(accounts)]).gather(account),
        "户名": pl.Series(names).gather(owner[account]),
        "统一社会信用代码": pl.Series(np.where(rng.random(accounts) < 0.7, np.array(codes)[owner], "")).gather(account),
        "电费年月": pl.Series([m.replace("-", "") for m in months] * accounts),
        "用电量(kWh)": pl.Series(np.round(level[owner][account] * 800 * rng.uniform(0.7, 1.3, account.size))
                              .astype(np.int64))})
    power.write_csv(paths["power"])
    return paths


# --- the steps, each in its own process ----------------------------------------------------------------------

def _peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def step_polars_read(paths: dict[str, Path], _work: Path) -> dict:
    sys.path.insert(0, str(ROOT))
    from toolkit.services.screening import read_department
    from toolkit.wiring import wire_default

    wire_default()
    start = time.perf_counter()
    rows = {}
    for kind, path in paths.items():
        result = read_department(path)
        assert not result.problems, result.problems[:3]
        rows[kind] = result.rows
    return {"seconds": time.perf_counter() - start, "rows": rows}


DUCKDB_COLUMNS = {  # code, name, month (or 成立日期), amount, account (the generated files' own titles)
    "tax": ("纳税人识别号", "纳税人名称", "税款所属期", "申报销售额（元）", None),
    "registration": ("统一社会信用代码", "企业名称", "成立日期", None, None),
    "power": ("统一社会信用代码", "户名", "电费年月", "用电量(kWh)", "户号"),
}


def step_duckdb_read(paths: dict[str, Path], work: Path) -> dict:
    """The product's checks in DuckDB SQL on the same files: every column as text, totals left out, codes (shape and
    check character), names, months or dates, amounts (canonical numbers; 元 to 万元), duplicates; the rows
    written to Parquet as the store keeps them. The header is not searched for (its titles are given)."""
    import duckdb

    sys.path.insert(0, str(ROOT))
    from toolkit.adapters.department_files import _as_utf8, _is_utf8

    start = time.perf_counter()
    connection = duckdb.connect()
    connection.execute("SET threads = 2")
    rows = {}
    for kind, path in paths.items():
        source = path
        if not _is_utf8(path):
            source = work / (path.stem + ".utf8.csv")
            _as_utf8(path, source)
        skip = {"tax": 1, "registration": 2, "power": 0}[kind]
        code, name, month, amount, account = (f'"{c}"' if c else None for c in DUCKDB_COLUMNS[kind])
        connection.execute(f"CREATE OR REPLACE TABLE data AS SELECT *, row_number() OVER () AS row_ FROM "
                           f"read_csv('{source}', all_varchar = true, header = true, skip = {skip}, delim = ',', "
                           "quote = '\"') "
                           f"WHERE coalesce({code if kind != 'power' else account}, '') NOT IN ('合计', '总计', '小计')")
        upper = f"upper(trim({code}))"
        check = " + ".join(f"(instr('{ALPHABET}', substr({upper}, {i + 1}, 1)) - 1) * {w}"
                           for i, w in enumerate(WEIGHTS))
        valid = (f"(regexp_full_match({upper}, '9[123][0-9]{{6}}[{ALPHABET}]{{10}}') AND "
                 f"(31 - ({check}) % 31) % 31 = instr('{ALPHABET}', substr({upper}, 18, 1)) - 1)")
        code_bad = f"NOT coalesce({valid}, false)" if kind != "power" else \
            f"(coalesce({code}, '') <> '' AND NOT coalesce({valid}, false))"
        when = (f"try_strptime({month}, '%Y-%m-%d') IS NULL" if kind == "registration" else
                f"NOT regexp_full_match(coalesce({month}, ''), '(19|20)[0-9]{{2}}-?(0[1-9]|1[0-2])')")
        number = "false" if amount is None else \
            f"NOT regexp_full_match(replace(coalesce({amount}, ''), ',', ''), '-?(0|[1-9][0-9]*)(\\.[0-9]+)?')"
        bad = connection.execute(f"SELECT count(*) FILTER (WHERE {code_bad} OR coalesce({name}, '') = '' OR {when} "
                                 f"OR {number}) FROM data").fetchone()[0]
        key = {"tax": f"{upper}, {month}", "registration": upper, "power": f"{account}, {month}"}[kind]
        twice = connection.execute(f"SELECT count(*) FROM (SELECT 1 FROM data GROUP BY {key} HAVING count(*) > 1)"
                                   ).fetchone()[0]
        assert bad == 0 and twice == 0, (kind, bad, twice)
        value = ("" if amount is None else
                 f", CAST(CAST(replace({amount}, ',', '') AS DECIMAL(38, 6)) / 10000 AS VARCHAR) AS amount"
                 if kind == "tax" else f", {amount} AS amount")
        out = work / f"duckdb_{kind}.parquet"
        connection.execute(f"COPY (SELECT {upper} AS code, {name} AS name, {month} AS month{value}, row_ AS row "
                           f"FROM data) TO '{out}' (FORMAT parquet)")
        rows[kind] = connection.execute(f"SELECT count(*) FROM '{out}'").fetchone()[0]
    connection.close()
    return {"seconds": time.perf_counter() - start, "rows": rows}


def step_import(paths: dict[str, Path], work: Path) -> dict:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("COLUMNS", "200")
    from toolkit.cli import main

    root = work / "工作区"
    assert main(["init", str(root)]) == 0
    start = time.perf_counter()
    assert main(["screen", "import", *map(str, paths.values()), "--workspace", str(root)]) == 0
    return {"seconds": time.perf_counter() - start,
            "store_mb": round(sum(f.stat().st_size for f in (root / "数据库").rglob("*.parquet")) / 2**20, 1)}


def step_screen(_paths: dict[str, Path], work: Path) -> dict:
    sys.path.insert(0, str(ROOT))
    from toolkit.adapters.store import Store
    from toolkit.demo.zhuzhou_policy import zhuzhou_policy
    from toolkit.domain.department_data import Kind
    from toolkit.domain.periods import Period
    from toolkit.domain.screening import screen
    from toolkit.services.screening import classification

    start = time.perf_counter()
    store = Store.open(work / "工作区" / "数据库" / "guishang.sqlite")
    frames = {kind: store.screening.department_frame(kind, lazy=True) for kind in Kind}  # as the service reads them
    store.close()
    read = time.perf_counter() - start
    # the register: most firms already above the threshold are in it (here all but one in fifty)
    import polars as pl

    big = (frames[Kind.TAX].select("code", "sales_wan").group_by("code")
           .agg(pl.col("sales_wan").cast(pl.Float64).sum().alias("sales"))
           .filter(pl.col("sales") >= 2000).sort("code").collect()["code"].to_list())
    held = {code: "起始名录" for index, code in enumerate(big) if index % 50}
    start_screen = time.perf_counter()
    found = screen(Period(YEAR, 12), tax=frames[Kind.TAX], registration=frames[Kind.REGISTRATION],
                   power=frames[Kind.POWER], held=held, counties=zhuzhou_policy().counties, classes=classification())
    screened = time.perf_counter() - start_screen  # the register made up above is not the screen's work
    return {"seconds": read + screened, "read_seconds": round(read, 2), "screen_seconds": round(screened, 2),
            "held": len(held), "candidates": len(found.candidates)}


STEPS = {"polars read + checks": step_polars_read, "duckdb read + checks": step_duckdb_read,
         "import": step_import, "screen": step_screen}


def run_step(name: str, scale: str, work: Path) -> dict:
    """The step in a fresh Python process: its time and its own peak memory."""
    done = subprocess.run([sys.executable, __file__, "--step", name, "--scale", scale, "--work", str(work)],
                          capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(f"{name} ({scale}) failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(scale: str) -> dict:
    import tempfile

    paths = generate(scale)
    figures = {"files_mb": {k: round(p.stat().st_size / 2**20, 1) for k, p in paths.items()},
               "taxpayers": SIZES[scale][0], "tax_rows": SIZES[scale][0] * 12,
               "power_accounts": SIZES[scale][1], "power_rows": SIZES[scale][1] * 12}
    with tempfile.TemporaryDirectory(prefix="bench-screening-") as folder:
        for name in STEPS:
            figures[name] = run_step(name, scale, Path(folder))
            print(f"{scale:8} {name:22} {figures[name]['seconds']:7.2f} s  peak {figures[name]['peak_mb']:7.1f} MB",
                  flush=True)
    total = figures["import"]["seconds"] + figures["screen"]["seconds"]
    figures["import + screen"] = {"seconds": round(total, 2),
                                  "peak_mb": max(figures["import"]["peak_mb"], figures["screen"]["peak_mb"]),
                                  "goal": GOALS[scale]}
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--city", action="store_true", help="the city only")
    parser.add_argument("--step", choices=list(STEPS))
    parser.add_argument("--scale", choices=list(SIZES))
    parser.add_argument("--work", type=Path)
    args = parser.parse_args()
    if args.step:  # a child: one step, its figures as the last line
        result = STEPS[args.step](generate(args.scale), args.work)
        result["seconds"] = round(result["seconds"], 2)
        used = resource.getrusage(resource.RUSAGE_SELF)
        result["cpu_seconds"] = round(used.ru_utime + used.ru_stime, 2)  # both cores: can exceed the seconds
        result["peak_mb"] = _peak_mb()
        print(json.dumps(result, ensure_ascii=False))
        return
    import duckdb
    import polars

    figures = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                           "polars": polars.__version__, "duckdb": duckdb.__version__,
                           "load_average_before": round(os.getloadavg()[0], 2)}}
    for scale in (["city"] if args.city else ["city", "province"]):
        figures[scale] = measure(scale)
    if not args.city:
        RESULTS.write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({s: figures[s]["import + screen"] for s in figures if s != "machine"}, ensure_ascii=False))


if __name__ == "__main__":
    main()
