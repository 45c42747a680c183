"""应入尽入: who, in the departments' data, already qualifies for the register and is not in it (issue #38).

The rules as the statistics office applies them (docs/用户手册.md, “应入尽入：筛选、清单和跟踪”, says them to users):

- **Industrial**: the tax office's 国标行业 is in GB/T 4754-2017 sections B, C, D (divisions 06–46). A firm whose
  industry the tax data does not give is not listed (the statistics office codes industry), but a big one is shown
  to the city among the firms not listed, with the reason, so that someone asks.
- **Active**: neither the tax nor the registration status says 注销, 吊销, 撤销, 迁出, 非正常, 注册未经营, 停业, 歇业 or 清算.
- **Not in the register**: not held at the screen month (the starting register, the accepted lists' entries and
  exits) and not an entry of a confirmed list of the year. Big firms kept off as held or as not industry are counted
  by reason, not listed (a city has thousands).
- By **calendar year** (never a trailing twelve months), one of:
  - **达标未入规**: last calendar year's sales ≥ 2000 万元 (the annual batch's basis: it should already be in), or this
    year's sales up to the screen month ≥ 2000 万元 (a new build may apply now; another firm in next year's batch);
  - **新建投产窗口**: established on or after 1 October of last year, with sales this year (it may enter month by
    month, once its year-to-date sales reach 2000 万元);
  - **可能达标**: below, but projected to reach 2000 万元 by December (the forecast's projection: the firm's own
    last-year shape, else its industry's, else straight-line — and the basis is said).
- **Red flags** a reviewer raises: a month far above the others (more than ``SWING`` times the median of its other
  months with sales), sales in a month without power use, power use in a month without sales, no power account found,
  the tax and registration names disagreeing, the firm's county (from its registering authority or address) not
  the area its credit code was issued in, no registration record.

A firm's county comes from its registering authority's name (株洲市天元区市场监督管理局), else from its address, else
from its credit code's area when exactly one county accepts that area; otherwise the city decides (county '').

Columnar: the departments' rows come in as polars frames or scans (a province is millions of taxpayer-months, read a
column at a time) and every rule is an expression over whole columns; only the listed firms become Python objects.
The same data give the same screen to the last digit (sums in integers, rows in one order).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Iterable, Mapping, Sequence

import numpy as np
import polars as pl

from toolkit.domain import forecast
from toolkit.domain.industries import Classification
from toolkit.domain.periods import Period
from toolkit.domain.policy import County

THRESHOLD = 2000.0  # 万元: 规模以上工业 (主营业务收入)
MICRO = 1_000_000  # amounts are summed exactly as integers of a millionth of 万元 (a hundredth of a 元)
SWING = 3.0  # a month above this many times the median of the firm's other months with sales is questioned
MIN_SWING_MONTHS = 3  # months with sales needed before a swing can be told
NEW_BUILD_SINCE = forecast.NEW_BUILD_SINCE  # (month, day) of last year

REACHED = "达标未入规"
WINDOW = "新建投产窗口"
LIKELY = "可能达标"
KINDS = (REACHED, WINDOW, LIKELY)
LAST_YEAR, THIS_YEAR = "上年", "本年"  # the two bases of 达标未入规
SHOWN_DIVISIONS = 8  # the divisions named in the count of big firms that are not industry
UNDECIDED = "县市区未定"  # the city decides whose firm it is

INACTIVE_WORDS = ("注销", "吊销", "撤销", "迁出", "非正常", "未经营", "停业", "歇业", "清算")

# the materials the statistics office asks for (docs/应入尽入.md); a new build adds its project filing
MATERIALS = ("最近12期产值和营业收入", "利润表", "增值税纳税申报表及附列资料", "现场照片", "调查单位审核登记表",
             "法人单位基本情况表")
NEW_BUILD_MATERIALS = ("新建项目的备案（核准）文件",)

_DIVISION = re.compile(r"(?<!\d)(\d{2})(?:\d{1,2})?(?!\d)")
_SECTION = re.compile(r"^[A-T](?![A-Za-z])")  # matched on stripped text
_BRACKETS = str.maketrans({"（": "(", "）": ")", "【": "(", "】": ")", "［": "(", "］": ")"})


@dataclass(frozen=True)
class Candidate:
    """A firm listed for a county to follow: who it is, why it is listed, the evidence and what a reviewer asks."""

    county: str  # '' when its county cannot be told: the city decides
    county_from: str  # 登记机关 / 住所 / 信用代码 / ''
    code: str
    name: str
    kind: str  # REACHED / WINDOW / LIKELY
    reason: str  # the rule's facts in one sentence
    route: str  # how it can enter
    industry: str  # "33 金属制品业"
    industry_given: str  # as the tax office wrote it
    established: str  # YYYY-MM-DD or ''
    status: str
    months: tuple[float | None, ...]  # this year's monthly sales (万元), None after the data's last month
    ytd: float
    last_year: float | None  # None when the data do not cover last year
    projection: float | None  # the year's projected sales (万元)
    low: float | None
    high: float | None
    projection_basis: str
    pass_month: int  # the month its year-to-date sales reached / are expected to reach 2000 (0: not this year)
    kwh: float | None  # this year's power use (kWh) of its accounts; None: no account found or no power data
    accounts: tuple[str, ...]
    flags: tuple[str, ...]
    sources: str  # "税务：文件（第…行）；市场监管：…；电力：…"
    new_build: bool

    @property
    def materials(self) -> tuple[str, ...]:
        return MATERIALS + (NEW_BUILD_MATERIALS if self.new_build else ())


@dataclass(frozen=True)
class ListedFirm:
    """What the store keeps of a screen run's candidate: enough to prefill the county's follow-up sheet and to
    count the funnel (the evidence is in the workbooks written with the run)."""

    uscc: str
    name: str
    county: str
    kind: str
    reason: str
    flags: tuple[str, ...] = ()


def listed(candidates: Iterable["Candidate"]) -> list[ListedFirm]:
    return [ListedFirm(c.code, c.name, c.county, c.kind, c.reason, tuple(c.flags)) for c in candidates]


@dataclass(frozen=True)
class NotListed:
    """A firm whose sales reach the threshold but which the rules keep off the lists, and why (for the city)."""

    county: str
    code: str
    name: str
    ytd: float
    last_year: float | None
    industry_given: str
    reason: str


@dataclass
class Screen:
    """One screening run: the screen month, what the data covered, the candidates and the big firms not listed."""

    period: Period  # the screen month: this year's months 1..period.month are read
    tax_months: tuple[str, str]  # the tax data's first and last month
    power_months: tuple[str, str] | None
    registrations: int
    last_year_covered: bool  # the tax data cover all twelve months of last year
    candidates: list[Candidate] = field(default_factory=list)
    not_listed: list[NotListed] = field(default_factory=list)  # big firms kept off for a reason someone should see
    notes: list[str] = field(default_factory=list)
    big_not_listed: dict[str, int] = field(default_factory=dict)  # big firms kept off for the obvious reasons: counts

    def big_not_listed_text(self) -> str:
        """“在库企业2,650家；非工业企业412家（51 批发业180家、47 房屋建筑业…）”."""
        held = self.big_not_listed.get("已在库", 0)
        other = sorted(((k, v) for k, v in self.big_not_listed.items() if k != "已在库"), key=lambda kv: (-kv[1], kv[0]))
        parts = [f"已在库{held:,}家"] if held else []
        if other:
            shown = other[:SHOWN_DIVISIONS]
            parts.append(f"非工业{sum(v for _, v in other):,}家（" + "、".join(f"{k[4:-1]}{v:,}家" for k, v in shown)
                         + ("等" if len(shown) < len(other) else "") + "）")
        return "；".join(parts)

    def of(self, county: str) -> list[Candidate]:
        return [c for c in self.candidates if c.county == county]

    def tally(self, counties: Sequence[str]) -> list[tuple[str, dict[str, int], int]]:
        """Per county (then the undecided ones, then the city): candidates by kind, and how many carry a flag."""
        rows = []
        for name in [*counties, ""]:
            mine = self.of(name)
            if name == "" and not mine:
                continue
            rows.append((name or UNDECIDED, {k: sum(c.kind == k for c in mine) for k in KINDS},
                         sum(bool(c.flags) for c in mine)))
        rows.append(("全市", {k: sum(c.kind == k for c in self.candidates) for k in KINDS},
                     sum(bool(c.flags) for c in self.candidates)))
        return rows


# ---- small pure helpers (each pinned by a table test) ------------------------------------------------------------

def division_of(industry: str) -> str:
    """The GB/T 4754 division (two digits) in the tax office's 国标行业 text: "3311", "C3311", "33", "金属结构制造
    （3311）" → "33"; a section letter alone ("C 制造业") → "C"; nothing recognisable → ''."""
    text = (industry or "").strip().upper()
    match = _DIVISION.search(text)
    if match:
        return match.group(1)
    section = _SECTION.match(text)
    return section.group() if section else ""


def industrial(division: str, classes: Classification) -> bool | None:
    """True / False for a division or section; None when it cannot be told."""
    if not division:
        return None
    if division.isalpha():
        return division in "BCD"
    if division not in classes.divisions:
        return None
    return classes.industrial(division)


def inactive(status: str) -> bool:
    return any(word in (status or "") for word in INACTIVE_WORDS)


def name_key(name: str) -> str:
    """A firm's name compared across departments: no spaces, brackets alike, 有限责任公司 as 有限公司."""
    text = re.sub(r"\s+", "", (name or "")).translate(_BRACKETS)
    return text.replace("有限责任公司", "有限公司")


def name_key_expr(column: pl.Expr) -> pl.Expr:
    """``name_key`` over a whole column."""
    out = column.fill_null("").str.replace_all(r"\s+", "")
    for a, b in (("（", "("), ("）", ")"), ("【", "("), ("】", ")"), ("［", "("), ("］", ")")):
        out = out.str.replace_all(a, b)
    return out.str.replace_all("有限责任公司", "有限公司")


def county_in_text(text: str, counties: Sequence[County]) -> str:
    """The county a registering authority or an address names (the earliest named; the longest name when two
    start at one place), or ''."""
    best: tuple[int, int, str] | None = None
    clean = re.sub(r"\s+", "", text or "")
    for county in counties:
        for label in (county.name, *county.aliases):
            label = re.sub(r"\s+", "", label)
            if not label:
                continue
            at = clean.find(label)
            if at >= 0 and (best is None or (at, -len(label)) < (best[0], -best[1])):
                best = (at, len(label), county.name)
    return best[2] if best else ""


def county_of_code(code: str, counties: Sequence[County]) -> str:
    """The one county that accepts the credit code's area (positions 3–8), or '' when none or several do."""
    area = code[2:8]
    accepting = [c.name for c in counties if c.uscc_prefixes and c.accepts_area(area)]
    return accepting[0] if len(accepting) == 1 else ""


def swing(months: Sequence[float | None]) -> tuple[int, float] | None:
    """The month (1-based) whose sales exceed SWING times the median of the other months with sales, and the
    ratio; None when no month does or fewer than MIN_SWING_MONTHS months have sales."""
    values = [(i + 1, v) for i, v in enumerate(months) if v is not None and v > 0]
    if len(values) < MIN_SWING_MONTHS:
        return None
    worst = None
    for month, value in values:
        others = [v for m, v in values if m != month]
        median = float(np.median(others))
        if median > 0 and value > SWING * median and (worst is None or value / median > worst[1]):
            worst = (month, value / median)
    return worst


def new_build_since(year: int) -> dt.date:
    return dt.date(year - 1, *NEW_BUILD_SINCE)


def wan(value: float | None) -> str:
    return "—" if value is None else f"{value:,.2f}万元"


# ---- the screen ---------------------------------------------------------------------------------------------------

def frame_rows(frame) -> int:
    """How many rows a frame has, eager or lazy (a store may hand the departments' rows over as a scan)."""
    return frame.height if isinstance(frame, pl.DataFrame) else frame.select(pl.len()).collect().item()


def _month_range(frame) -> tuple[str, str]:
    found = frame.lazy().select(pl.col("month").min().alias("first"), pl.col("month").max().alias("last")).collect()
    first, last = found.row(0)
    return (str(first), str(last)) if first is not None else ("", "")


def _sources(files: Mapping[str, tuple[int, int]], label: str) -> str:
    parts = [f"{name}（第{lo}行）" if lo == hi else f"{name}（第{lo}—{hi}行）" for name, (lo, hi) in files.items()]
    return f"{label}：" + "、".join(parts) if parts else ""


def _tax_by_firm(tax: pl.DataFrame, year: int, month: int) -> pl.DataFrame:
    """One row per taxpayer: this year's sales up to the month and last year's (exact integers of a millionth of
    万元), its latest status and the latest industry it was given (its name is fetched for the few listed, see
    ``_names``). Three passes over the few columns each needs, never a list per taxpayer: a province's extract is
    twelve million rows, and one aggregation of all at once holds them several times over (1.9 GB against 0.6).
    A taxpayer's month is one row (``current_rows``), so its latest month is one row too."""
    upto = f"{year}-{month:02d}"
    month_col = pl.col("month")
    seen = month_col <= upto
    micro = (pl.col("sales_wan").cast(pl.Float64) * MICRO).round(0).cast(pl.Int64)
    rows = tax.lazy()
    sums = rows.select("code", "month", "sales_wan").group_by("code").agg(
        pl.when((month_col >= f"{year}-01") & seen).then(micro).otherwise(0).sum().alias("ytd"),
        pl.when((month_col >= f"{year - 1}-01") & (month_col < f"{year}-01")).then(micro).otherwise(0).sum()
        .alias("last"))
    industry = (rows.select("code", "month", "industry").filter(seen & (pl.col("industry") != ""))
                .group_by("code").agg(pl.col("industry").max_by("month")))
    status = rows.select("code", "month", "status").filter(seen).group_by("code").agg(pl.col("status").max_by("month"))
    return (sums.join(industry, on="code", how="left").join(status, on="code", how="left")
            .select("code", pl.col("industry").fill_null(""), "status", "ytd", "last").collect())


def _names(tax: pl.DataFrame, codes: list[str], upto: str) -> dict[str, str]:
    """The latest name each of ``codes`` was declared under, up to the month ``upto``."""
    rows = (tax.lazy().select("code", "month", "name").filter(pl.col("code").is_in(codes) & (pl.col("month") <= upto))
            .group_by("code").agg(pl.col("name").sort_by("month").last()).collect())
    return dict(rows.iter_rows())


def _monthly(tax: pl.DataFrame, index: pl.DataFrame, year: int) -> np.ndarray:
    """(firms, 24) monthly sales in 万元 of the firms of ``index`` (code → row ``i``): last year's twelve months, then
    this year's (0 where a firm has no row that month); one scatter over all rows, no loop per firm."""
    frame = tax.lazy().select("code", "month", "sales_wan").join(index.lazy(), on="code", how="inner").with_columns(
        (pl.col("sales_wan").cast(pl.Float64) * MICRO).round(0).cast(pl.Int64).alias("v"),  # exact, in any order
        ((pl.col("month").str.slice(0, 4).cast(pl.Int32) - (year - 1)) * 12
         + pl.col("month").str.slice(5, 2).cast(pl.Int32) - 1).alias("col"),
    ).filter((pl.col("col") >= 0) & (pl.col("col") < 24)).select("i", "col", "v").collect()
    out = np.zeros((index.height, 24), dtype=np.int64)
    np.add.at(out, (frame["i"].to_numpy(), frame["col"].to_numpy()), frame["v"].to_numpy())
    return out / MICRO


def _evidence(tax, codes: list[str], first: str, last: str) -> dict[str, dict[str, tuple[int, int]]]:
    """Per code: the files its rows of the months read (``first`` to ``last``) came from and their row span, the
    files in the order of their months."""
    spans = (tax.lazy().select("code", "file", "row", "month")
             .filter(pl.col("code").is_in(codes) & (pl.col("month") >= first) & (pl.col("month") <= last))
             .group_by("code", pl.col("file").cast(pl.Utf8))
             .agg(pl.col("row").min().alias("lo"), pl.col("row").max().alias("hi"), pl.col("month").min().alias("m"))
             .sort("code", "m", "file").collect())
    out: dict[str, dict[str, tuple[int, int]]] = {}
    for code, file, lo, hi, _ in spans.iter_rows():
        out.setdefault(code, {})[file] = (lo, hi)
    return out


def screen(period: Period, *, tax: pl.DataFrame, registration: pl.DataFrame, power: pl.DataFrame,
           held: Mapping[str, str], counties: Sequence[County], classes: Classification) -> Screen:
    """Apply the rules to the departments' rows (frames with the store's columns and a ``file`` column) as of the
    screen month ``period``; ``held``: every firm in the register at the screen month (code → how it is held)."""
    year = period.year
    first, last = _month_range(tax)
    if not last or last < f"{year}-01":
        raise ValueError(f"税务数据{'只到 ' + last if last else '为空'}，没有 {year} 年的申报销售额")
    month = min(int(last[5:7]), period.month) if last.startswith(str(year)) else period.month
    present = set(tax.lazy().select(pl.col("month").unique()).collect()["month"].to_list())
    covered = all(f"{year - 1}-{m:02d}" in present for m in range(1, 13))  # every month of last year
    registrations, powered = frame_rows(registration), frame_rows(power)
    pmonths = _month_range(power) if powered else None
    out = Screen(Period(year, month), (first, last), pmonths, registrations, covered)
    if month < period.month:
        out.notes.append(f"税务数据只到 {year}-{month:02d}，本次按 {year}年1—{month}月 判断，不是 1—{period.month}月。")
    if not covered:
        out.notes.append(f"税务数据未覆盖 {year - 1} 年全部 12 个月，未按上年全年销售额判断“达标未入规”。")
    if not powered:
        out.notes.append("未导入电力数据：未核对用电情况（有销售无用电、有用电无销售）。")
    if not registrations:
        out.notes.append("未导入市场监管登记信息：未核对登记状态、成立日期（新建投产）和企业所在县市区，县市区按信用代码判断。")

    firms = _firms(tax, registration, held, year, month, covered, classes)
    threshold = int(THRESHOLD * MICRO)
    big = (pl.col("ytd") >= threshold) | (pl.lit(covered) & (pl.col("last") >= threshold))
    out.big_not_listed = _obvious(firms.filter(big), classes)
    shown = firms.filter(big & ~pl.col("held") & (pl.col("ind") != 0) & ((pl.col("ind") == -1) | pl.col("inactive")))
    keep = firms.filter(~pl.col("held") & (pl.col("ind") == 1) & ~pl.col("inactive")
                        & ((pl.col("ytd") > 0) | (pl.lit(covered) & (pl.col("last") >= threshold))))
    return _classify(out, keep, shown.to_dicts(), tax, power, counties, classes)


def _firms(tax: pl.DataFrame, registration: pl.DataFrame, held: Mapping[str, str], year: int, month: int,
           covered: bool, classes: Classification) -> pl.DataFrame:
    """One row per taxpayer with everything the rules ask: sales, its registration, whether it is held, its
    industry (``ind``: 1 industry, 0 not, -1 cannot be told), whether either department says it is inactive."""
    firms = _tax_by_firm(tax, year, month)
    texts = firms["industry"].unique().to_list()
    divisions = [division_of(t) for t in texts]
    told = {True: 1, False: 0, None: -1}
    table = pl.DataFrame({"industry": texts, "division": divisions,
                          "ind": [told[industrial(d, classes)] for d in divisions]},
                         schema={"industry": pl.Utf8, "division": pl.Utf8, "ind": pl.Int8})
    firms = firms.join(table, on="industry", how="left")
    if frame_rows(registration):
        reg = registration.lazy().select("code", pl.col("name").alias("reg_name"), "established",
                                         pl.col("status").alias("reg_status"), "address", "authority")
        if reg.select(pl.col("code").is_duplicated().any()).collect().item():  # a firm twice: its last row
            reg = reg.group_by("code").agg(pl.all().last())  # (grouping strings holds them four times over)
        reg = reg.collect()
        firms = firms.join(reg, on="code", how="left")
    else:
        firms = firms.with_columns(*(pl.lit(None, pl.Utf8).alias(c) for c in
                                     ("reg_name", "established", "reg_status", "address", "authority")))
    held_frame = pl.DataFrame({"code": list(held), "held_how": list(held.values())},
                              schema={"code": pl.Utf8, "held_how": pl.Utf8})
    inactive_words = "|".join(INACTIVE_WORDS)
    return firms.join(held_frame, on="code", how="left").with_columns(
        pl.col("held_how").is_not_null().alias("held"),
        (pl.col("status").fill_null("").str.contains(inactive_words)
         | pl.col("reg_status").fill_null("").str.contains(inactive_words)).alias("inactive"),
        pl.col("established").fill_null(""),
        (pl.col("established").fill_null("") >= new_build_since(year).isoformat()).alias("new_build"),
    )


def _obvious(big: pl.DataFrame, classes: Classification) -> dict[str, int]:
    """Big firms kept off for the obvious reasons, counted: in the register; not industry, by division."""
    out = {"已在库": big.filter(pl.col("held")).height}
    for division, count in big.filter(~pl.col("held") & (pl.col("ind") == 0)).group_by("division").len().iter_rows():
        label = classes.divisions.get(division) or classes.sections.get(division, "")
        out[f"非工业（{division} {label}）".replace(" ）", "）")] = count
    return dict(sorted((k, v) for k, v in out.items() if v))  # the same data give the same screen, byte for byte


def _shown_why(row: Mapping) -> str:
    if row["ind"] == -1:
        return ("税务数据未标明国标行业，请统计部门确定行业" if not row["industry"]
                else f"国标行业“{row['industry']}”无法识别，请统计部门确定行业")
    status = row["reg_status"] if inactive(row["reg_status"] or "") else row["status"]
    return f"登记状态为“{status}”"


def _classify(out: Screen, keep: pl.DataFrame, shown: list[dict], tax: pl.DataFrame, power: pl.DataFrame,
              counties: Sequence[County], classes: Classification) -> Screen:
    """The kinds decided over whole columns; only the listed firms become Python objects."""
    year, month, covered = out.period.year, out.period.month, out.last_year_covered
    threshold = int(THRESHOLD * MICRO)
    keep = keep.sort("code").with_row_index("i")  # one order whatever the engine's threads did: the same screen
    series = _monthly(tax, keep.select("code", "i"), year)
    projection = _project(keep, series, month, covered) if keep.height else None
    ytd, last = keep["ytd"].to_numpy(), keep["last"].to_numpy()
    new_build = keep["new_build"].to_numpy().astype(bool)
    reached_last = covered & (last >= threshold) & ~new_build
    reached = reached_last | (ytd >= threshold)
    window = ~reached & new_build & (ytd > 0)
    point = projection.point if projection is not None else np.full(keep.height, np.nan)
    likely = ~reached & ~window & (np.round(np.nan_to_num(point), 2) >= THRESHOLD)  # to the hundredth of 万元
    # the basis each firm is listed on, decided here once: 上年 / 本年 (达标未入规), 新建投产窗口, 可能达标, '' (not listed)
    basis = np.select([reached_last, reached, window, likely], [LAST_YEAR, THIS_YEAR, WINDOW, LIKELY], "")
    chosen = keep.filter(pl.Series(basis != ""))
    rows = chosen.to_dicts()
    codes = [row["code"] for row in rows]
    names = _names(tax, codes + [row["code"] for row in shown], f"{year}-{month:02d}")
    for row in [*rows, *shown]:
        row["name"] = names.get(row["code"], "")
    tax_files = _evidence(tax, codes, f"{year - 1}-01", f"{year}-{month:02d}")
    by_power = _power(power, rows, year, month)
    for row in rows:
        i = row["i"]
        out.candidates.append(_candidate(row, series[i, 12:], projection, i, str(basis[i]), out, tax_files,
                                         by_power.get(row["code"]), counties, classes))
    order = {c.name: i for i, c in enumerate(counties)}
    out.candidates.sort(key=lambda c: (order.get(c.county, len(order)), KINDS.index(c.kind), -c.ytd, c.code))
    for row in shown:
        county, _ = _county(row, counties)
        out.not_listed.append(NotListed(county, row["code"], row["name"], row["ytd"] / MICRO,
                                        row["last"] / MICRO if covered else None, row["industry"], _shown_why(row)))
    out.not_listed.sort(key=lambda n: (order.get(n.county, len(order)), -n.ytd, n.code))
    return out


def _candidate(row: Mapping, this_year: np.ndarray, projection, i: int, basis: str, out: Screen,
               tax_files, powered, counties: Sequence[County], classes: Classification) -> Candidate:
    """A listed firm as the lists say it, on the ``basis`` the columns decided (the rule is not decided again)."""
    year, month = out.period.year, out.period.month
    ytd, last = row["ytd"] / MICRO, row["last"] / MICRO if out.last_year_covered else None
    point = _finite(projection.point[i]) if projection is not None else None
    new_build = bool(row["new_build"])
    if basis == LAST_YEAR:
        kind, reason = REACHED, f"{year - 1}年全年销售额{wan(last)}，达到2000万元"
        route = "按上年营业收入应在本年年度入库时纳入，请核实未入库原因，督促企业补报"
    elif basis == THIS_YEAR:
        kind, reason = REACHED, f"{year}年1—{month}月累计销售额{wan(ytd)}，达到2000万元"
        route = ("新建投产企业，本年累计已达2000万元，可按月申报入库" if new_build
                 else "本年累计已达2000万元，可于次年年度入库（小升规）：10—12月指导企业准备申报")
    elif basis == WINDOW:
        kind = WINDOW
        reason = f"{row['established']}成立（{year - 1}年10月1日以后），{year}年1—{month}月销售额{wan(ytd)}"
        route = "新建投产企业，本年累计销售额达到2000万元的当月即可申报入库"
    else:
        kind = LIKELY
        reason = f"{year}年1—{month}月累计销售额{wan(ytd)}，预计全年约{wan(point)}"
        route = "预计全年可达2000万元，次年年度入库（小升规）：跟踪月度销售，10—12月指导申报"
    months = tuple(float(v) if k < month else None for k, v in enumerate(this_year))
    county, county_from = _county(row, counties)
    flags = _flags(row, months, county, counties, powered, out.power_months, year)
    sources = [_sources(tax_files.get(row["code"], {}), "税务")]
    if row.get("reg_name") is not None:
        sources.append("市场监管：有登记信息")
    if powered and powered[1]:
        sources.append("电力：户号 " + "、".join(powered[1]))
    division = row["division"]
    return Candidate(
        county, county_from, row["code"], row["name"], kind, reason, route,
        f"{division} {classes.divisions.get(division, '')}".strip(), row["industry"], row["established"],
        row["reg_status"] or row["status"] or "", months, ytd, last, point,
        _finite(projection.low[i]) if projection is not None else None,
        _finite(projection.high[i]) if projection is not None else None,
        projection.basis_label(i) if projection is not None else "",
        int(projection.pass_month[i]) if projection is not None else 0,
        powered[0] if powered and powered[1] else None, tuple(powered[1]) if powered else (),
        tuple(flags), "；".join(s for s in sources if s), new_build)


def _finite(value) -> float | None:
    return float(value) if np.isfinite(value) else None


def _project(keep: pl.DataFrame, series: np.ndarray, month: int, covered: bool):
    """The forecast's projection of each kept firm's year (own last-year shape, industry shape, straight-line)."""
    if month < forecast.FIRST_MONTH:
        return None
    n = keep.height
    last, this = series[:, :12], series[:, 12:]
    ytd = np.cumsum(this, axis=1)
    ytd[:, month:] = np.nan
    last_ytd = np.cumsum(last, axis=1) if covered else np.full((n, 12), np.nan)  # the forecast asks for 1–2月 sales
    industry = forecast.divisions(keep["division"].to_list())
    new_build = keep["new_build"].to_numpy().astype(bool)
    started = np.argmax(this[:, :month] > 0, axis=1) + 1
    start = np.where(new_build & (last.sum(axis=1) <= 0), started, 1)
    firms = forecast.Firms(np.zeros(n, dtype=np.int64), industry, ytd, last_ytd, start, new_build)
    table = forecast.industry_shapes(last_ytd, industry) if covered else forecast.shape_table({})
    return forecast.project(firms, month, table, forecast.fallback_spread())


def _county(row: Mapping, counties: Sequence[County]) -> tuple[str, str]:
    for label, key in (("登记机关", "authority"), ("住所", "address")):
        found = county_in_text(row.get(key) or "", counties)
        if found:
            return found, label
    found = county_of_code(row["code"], counties)
    return (found, "信用代码") if found else ("", "")


def _power(power: pl.DataFrame, rows: list[dict], year: int,
           month: int) -> dict[str, tuple[float, list[str], np.ndarray]]:
    """Per listed code: this year's kWh up to the month, its accounts, and the monthly kWh (12), matched by credit
    code, else by the firm's name."""
    if not rows or not frame_rows(power):
        return {}
    names = {}
    for row in rows:
        for name in (row["name"], row.get("reg_name") or ""):
            if name:
                names.setdefault(name_key(name), row["code"])
    frame = power.lazy().select("account", "name", "code", "month", "kwh").with_columns(
        pl.col("kwh").cast(pl.Float64).alias("v"),
        pl.col("month").str.slice(0, 4).cast(pl.Int32).alias("y"),
        pl.col("month").str.slice(5, 2).cast(pl.Int32).alias("m"),
    ).filter((pl.col("y") == year) & (pl.col("m") <= month))
    codes = {row["code"] for row in rows}
    keys = pl.DataFrame({"key": list(names), "by_name": list(names.values())}, schema={"key": pl.Utf8,
                                                                                      "by_name": pl.Utf8})
    frame = frame.with_columns(name_key_expr(pl.col("name")).alias("key")).join(keys.lazy(), on="key", how="left")
    frame = frame.with_columns(
        pl.when(pl.col("code").is_in(list(codes))).then(pl.col("code")).otherwise(pl.col("by_name").fill_null(""))
        .alias("firm")).filter(pl.col("firm") != "").select("firm", "account", "m", "v").sort("firm", "account", "m")
    frame = frame.collect()  # in one order: the totals are the same to the last digit whatever the threads did
    out: dict[str, tuple[float, list[str], np.ndarray]] = {}
    for firm, account, m, v in frame.iter_rows():
        total, accounts, monthly = out.setdefault(firm, (0.0, [], np.zeros(12)))
        if account not in accounts:
            accounts.append(account)
        monthly[m - 1] += v
        out[firm] = (total + v, accounts, monthly)
    return {firm: (total, sorted(accounts), monthly) for firm, (total, accounts, monthly) in out.items()}


def _flags(row: Mapping, months: Sequence[float | None], county: str, counties: Sequence[County],
           powered, power_months: tuple[str, str] | None, year: int) -> list[str]:
    flags = []
    jump = swing(months)
    if jump:
        m, ratio = jump
        flags.append(f"{m}月销售额{months[m - 1]:,.2f}万元，是其他月份中位数的{ratio:.1f}倍，请核实")
    if power_months is not None:
        if not powered:
            flags.append("电力数据中未找到该企业的用电户（按信用代码和户名），有销售无用电，请核实是否实际生产")
        else:
            covered = [k for k in range(len(months)) if months[k] is not None
                       and power_months[0] <= f"{year}-{k + 1:02d}" <= power_months[1]]
            no_power = [k + 1 for k in covered if (months[k] or 0) > 0 and powered[2][k] <= 0]
            no_sales = [k + 1 for k in covered if (months[k] or 0) <= 0 and powered[2][k] > 0]
            if no_power:
                flags.append(f"{_months_text(no_power)}有销售无用电")
            if no_sales:
                flags.append(f"{_months_text(no_sales)}有用电无销售")
    if row.get("reg_name") is None:
        flags.append("市场监管登记信息中无此信用代码")
    elif name_key(row["reg_name"]) != name_key(row["name"]):
        flags.append(f"税务名称“{row['name']}”与登记名称“{row['reg_name']}”不一致")
    by_code = county_of_code(row["code"], counties)
    home = next((c for c in counties if c.name == county), None)
    if county and home is not None and home.uscc_prefixes and not home.accepts_area(row["code"][2:8]):
        flags.append(f"信用代码登记地（{row['code'][2:8]}）不属于{county}" + (f"（属{by_code}）" if by_code else ""))
    return flags


def _months_text(months: Iterable[int]) -> str:
    return "、".join(f"{m}月" for m in months)


# ---- the funnel: each listed firm followed to the register ---------------------------------------------------------

OWN_KIND = "县市区自报"  # a firm the county follows that no screen listed
NO_ANSWER = "未反馈"  # no row for the firm in the county's accepted return
NOT_CONTACTED = "未联系"
STAGES = ("已入库", "已申报", "已联系", NOT_CONTACTED, "不符合条件", "企业暂不申报", NO_ANSWER)


@dataclass(frozen=True)
class Answer:
    """A row of a county's 应入尽入跟踪 sheet, with where it came from."""

    uscc: str
    name: str
    contacted: str  # YYYY-MM-DD or ''
    applied: str
    applied_on: str
    result: str
    reason: str
    file: str
    sheet: str
    row: int


@dataclass(frozen=True)
class Followed:
    county: str
    uscc: str
    name: str
    kind: str  # the screen's kind, or OWN_KIND
    stage: str  # one of STAGES
    entered_by: str  # how the register knows it entered ('' when it has not)
    answer: Answer | None
    reason: str = ""  # why the screen listed it (the evidence in one sentence)
    flags: tuple[str, ...] = ()  # what a reviewer asks about it


@dataclass(frozen=True)
class FunnelRow:
    county: str
    screened: int  # listed by the screen
    own: int  # added by the county
    contacted: int  # contacted, applied, entered, or found not to qualify or declining
    applied: int
    entered: int
    not_qualified: int
    declined: int
    no_answer: int


@dataclass
class FunnelView:
    """The year's latest screen on or before a period, and each listed firm followed to the register."""

    screened: Period  # the screen's period
    run_at: str
    month: Period  # the month its sales ran to
    rows: list[FunnelRow]
    followed: list[Followed]


def stage_of(answer: Answer | None, entered_by: str) -> str:
    """Where a firm stands: entered when the register (accepted 新增 lists, the statistics office's confirmed
    lists) has it — whatever the county wrote — else as the county's answer says; no answer: 未反馈."""
    if entered_by:
        return "已入库"
    if answer is None:
        return NO_ANSWER
    if answer.result in ("已入库", "不符合条件", "企业暂不申报"):
        return answer.result
    if answer.applied == "已申报" or answer.applied_on:
        return "已申报"
    return "已联系" if answer.contacted else NOT_CONTACTED


def funnel(counties: Sequence[str], screened: Sequence[ListedFirm], answers: Mapping[str, Sequence[Answer]],
           entered: Mapping[str, str]) -> tuple[list[FunnelRow], list[Followed]]:
    """Per county (then the city): the firms the screen listed and those the county added, by stage; and every
    firm followed, with its answer's source. ``answers``: each county's rows of its accepted return;
    ``entered``: code → how the register knows it entered this year."""
    followed: list[Followed] = []
    undecided = [""] if any(f.county == "" for f in screened) else []
    for county in [*counties, *undecided]:
        mine = {a.uscc: a for a in answers.get(county, ())}
        listed_here = [f for f in screened if f.county == county]
        codes = {f.uscc for f in listed_here}
        for f in listed_here:
            answer = mine.get(f.uscc)
            followed.append(Followed(county, f.uscc, f.name, f.kind, stage_of(answer, entered.get(f.uscc, "")),
                                     entered.get(f.uscc, ""), answer, f.reason, f.flags))
        for a in answers.get(county, ()):
            if a.uscc not in codes:
                followed.append(Followed(county, a.uscc, a.name, OWN_KIND, stage_of(a, entered.get(a.uscc, "")),
                                         entered.get(a.uscc, ""), a))
    rows = [_funnel_row(county or UNDECIDED, [f for f in followed if f.county == county])
            for county in [*counties, *undecided]]
    rows.append(_funnel_row("全市", followed))
    return rows, followed


def _funnel_row(county: str, firms: Sequence[Followed]) -> FunnelRow:
    def count(*stages: str) -> int:
        return sum(f.stage in stages for f in firms)

    return FunnelRow(county, sum(f.kind != OWN_KIND for f in firms), sum(f.kind == OWN_KIND for f in firms),
                     count("已入库", "已申报", "已联系", "不符合条件", "企业暂不申报"), count("已入库", "已申报"),
                     count("已入库"), count("不符合条件"), count("企业暂不申报"), count(NO_ANSWER))
