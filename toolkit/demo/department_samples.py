"""Deterministic department data for the demo city and year (应入尽入): what the tax office, the market-registration
bureau and the power company would send 株洲市 for 2021–2022, in their own shapes, and the statistics office's
starting register (2021年末在库名录).

About 20,000 firms: most small or not industrial; a few thousand in the register at the start (with the county
samples' at-risk and exit firms); the firms the county samples already name (entries, exits, pool, at-risk) with
figures that agree with what the counties report; and **planted firms** (``planted_firms``) of every kind the
screen decides, each red flag, and decoys that must not be listed. The planted kinds hold for the screen of
``SCREEN_MONTH`` (2022-06) and the year end (``Planted.kind_at_year_end``).

Files (``write``), as departments send them:
- the tax office's monthly declared sales 2021-01…2022-06 as a GBK csv with a title row and a 合计 row, in 元;
  small-scale taxpayers (小规模纳税人, sales < 500 万元) declare quarterly, so they have a row in the quarter's last
  month only;
- the same for 2022-07…2022-12 as an xlsx with a merged two-row header, in 万元;
- the market-registration extract as an xlsx with notes above the table;
- the power company's monthly use 2022-01…2022-12 as a UTF-8 csv (户号, 户名, the credit code where known);
- the starting register in the shape ``guishang register import`` takes.

Fictional: names, codes (valid check characters, the county's area codes), figures.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.adapters.atomic import atomic_output
from toolkit.adapters.xlsx_styles import formats, new_workbook
from toolkit.domain.policy import County, Policy
from toolkit.domain.uscc import ALPHABET, with_check_character

SEED = 20221001
SCREEN_MONTH = "2022-06"  # the screen the planted kinds are stated for
MONTHS_2021 = [f"2021-{m:02d}" for m in range(1, 13)]
MONTHS_2022 = [f"2022-{m:02d}" for m in range(1, 13)]
FIRST_HALF = MONTHS_2021 + MONTHS_2022[:6]  # the csv (元)
SECOND_HALF = MONTHS_2022[6:]  # the xlsx (万元)
WINDOW_START = dt.date(2021, 10, 1)  # 新建投产: established on or after 1 October of last year

TAX_CSV = "2021年1月—2022年6月纳税人申报销售额（税务局）.csv"
TAX_XLSX = "2022年7—12月纳税人申报销售额（税务局）.xlsx"
REGISTRATION_XLSX = "市场主体登记信息（市场监管局）.xlsx"
POWER_CSV = "2022年企业用电量（供电公司）.csv"
STARTING_XLSX = "2021年末规上工业企业名录（统计局）.xlsx"
FILES = (TAX_CSV, TAX_XLSX, REGISTRATION_XLSX, POWER_CSV, STARTING_XLSX)

# kinds the screen gives (and what a decoy is)
QUALIFIED, LIKELY, NEW_BUILD, NOT_LISTED = "达标未入规", "可能达标", "新建投产窗口", "不列入"
# red flags a planted candidate carries
SPIKE, NO_POWER, POWER_NO_SALES, NAME_DIFFERS, AREA_DIFFERS = (
    "单月异常", "有销售无用电", "有用电无销售", "名称不一致", "区域不一致")

ACTIVE_TAX, ACTIVE_REGISTRATION = "正常", "存续（在营、开业、在册）"
CREATED = dt.datetime(2022, 7, 20, 9, 0, 0)

_INDUSTRIAL = [("3311", "金属结构制造"), ("3484", "机械零部件加工"), ("3670", "汽车零部件及配件制造"),
               ("3716", "铁路机车车辆配件制造"), ("3831", "电线、电缆制造"), ("3982", "电子电路制造"),
               ("3072", "特种陶瓷制品制造"), ("3074", "日用陶瓷制品制造"), ("1391", "淀粉及淀粉制品制造"),
               ("2438", "珠宝首饰及有关物品制造"), ("2929", "其他塑料制品制造"), ("3360", "金属表面处理及热处理加工"),
               ("2641", "涂料制造"), ("1810", "机织服装制造"), ("4011", "工业自动控制系统装置制造"),
               ("3042", "特种玻璃制造"), ("2110", "木质家具制造"), ("2231", "纸和纸板容器制造"),
               ("3130", "钢压延加工"), ("3340", "金属丝绳及其制品制造"), ("3511", "矿山机械制造"),
               ("2710", "化学药品原料药制造"), ("1520", "饮料制造"), ("3021", "水泥制品制造"),
               ("3351", "建筑、安全用金属制品制造"), ("3824", "电力电子元器件制造"), ("2320", "装订及印刷相关服务")]
_OTHER = [("5191", "F", "互联网批发", "商贸"), ("5261", "F", "汽车新车零售", "汽车销售"),
          ("6210", "H", "正餐服务", "餐饮管理"), ("4710", "E", "住宅房屋建筑", "建筑工程"),
          ("5430", "G", "道路货物运输", "物流"), ("7010", "K", "房地产开发经营", "房地产开发"),
          ("6510", "I", "软件开发", "信息技术"), ("8391", "P", "职业技能培训", "教育咨询"),
          ("5251", "F", "百货零售", "百货"), ("7020", "K", "物业管理", "物业管理"), ("0111", "A", "稻谷种植", "农业开发"),
          ("7240", "L", "广告业", "广告传媒"), ("8030", "O", "洗染服务", "家政服务")]
_PLACE = ["湘", "株", "炎帝", "神农", "湘江", "云龙", "金山", "凤凰", "白关", "枫溪", "攸州", "茶乡", "鹿原", "渌湘", "瓷城",
          "天易", "建宁", "荷塘", "芦淞", "石峰", "龙泉", "嵩山", "栗雨", "雷打石", "仙庾", "洣水", "皇图岭", "黄丰桥"]
_WORD = ["恒达", "宏远", "鑫盛", "瑞丰", "精工", "华能", "博创", "众合", "联科", "新锐", "中泰", "嘉和", "长弘", "同创",
         "天成", "佳美", "汇通", "永信", "德隆", "金桥", "华盛", "昌隆", "顺发", "信诚", "万象", "锦程", "兴旺", "荣达",
         "恒信", "东方", "盛世", "宏图", "康泰", "正邦", "富民", "新世纪", "利民", "福瑞", "远航", "腾飞"]
_SUFFIX = ["有限公司", "有限责任公司", "股份有限公司"]
_ROADS = ["神农大道", "黄河南路", "长江北路", "栗雨路", "珠江南路", "新华西路", "建设中路", "车站路", "建宁大道",
          "工业园路", "红旗北路", "迎宾大道", "泰山路", "滨江路"]
# share of the city's firms in each county
_WEIGHT = {"荷塘区": 9, "芦淞区": 10, "石峰区": 8, "株洲经开区": 5, "天元区": 16, "渌口区": 7, "攸县": 14,
           "茶陵县": 9, "炎陵县": 6, "醴陵市": 16}
FIRMS = 20_000
IN_REGISTER = 2_400  # the register's firms at the start besides the samples' at-risk and exit firms


def authority(county: County) -> str:
    """The registration authority of a county's firms, as a 登记机关 cell names it."""
    if county.name == "株洲经开区":
        return "株洲经济技术开发区市场监督管理局"
    if county.name.endswith("区"):
        return f"株洲市{county.name}市场监督管理局"
    return f"{county.name}市场监督管理局"


def address(county: County, rng: random.Random) -> str:
    place = "株洲市" + ("" if county.name == "株洲经开区" else county.name)
    if county.name == "株洲经开区":
        place += "经济技术开发区"
    return f"湖南省{place}{rng.choice(_ROADS)}{rng.randint(1, 999)}号"


@dataclass
class Firm:
    code: str
    name: str
    county: str
    industry: str  # the 国标行业 cell's text ('' when the tax office gives none)
    established: dt.date
    status_tax: str = ACTIVE_TAX
    status_registration: str = ACTIVE_REGISTRATION
    authority: str = ""
    address: str = ""
    scope: str = ""
    sales: dict[str, int] = field(default_factory=dict)  # month -> 分 (1/100 元); a declared month has a row
    power: dict[str, int] | None = None  # month -> kWh; None: no power account
    power_code: bool = True  # the power file gives the credit code (else matched by name)
    power_name: str = ""  # 户名 when it differs from the name
    tax_name: str = ""  # 纳税人名称 when it differs from the registration name
    in_register: bool = False
    planted: bool = False  # the power file always gives a planted firm's code (unless it plants the name match)


@dataclass(frozen=True)
class Planted:
    """A firm planted in the department data, and what the screen must decide for it."""

    code: str
    name: str  # as registered
    county: str
    kind: str  # at SCREEN_MONTH: 达标未入规 | 可能达标 | 新建投产窗口 | 不列入
    why: str
    basis: str = ""  # 达标未入规: 本年 (this year's sales so far) or 上年 (last year's full year)
    flags: tuple[str, ...] = ()  # the red flags it must carry (and no others)
    kind_at_year_end: str = ""  # at 2022-12 (the same as ``kind`` unless said)


def _yuan(wan: float) -> int:
    """分 of an amount in 万元."""
    return round(wan * 1_000_000)


def _series(rng: random.Random, total_wan: float, months: list[str], noise: float = 0.05,
            shape: list[float] | None = None) -> dict[str, int]:
    """Monthly sales (分) over ``months`` summing exactly to ``total_wan``."""
    weights = [(shape[i] if shape else 1.0) * rng.uniform(1 - noise, 1 + noise) for i in range(len(months))]
    scale = _yuan(total_wan) / sum(weights)
    out = {m: round(w * scale) for m, w in zip(months, weights)}
    out[months[-1]] += _yuan(total_wan) - sum(out.values())
    return out


def _same_shape(base: dict[str, int], total_wan: float, year: str) -> dict[str, int]:
    """Next year's months with last year's shape, scaled to ``total_wan``."""
    months = sorted(base)
    scale = _yuan(total_wan) / sum(base.values())
    out = {year + m[4:]: round(base[m] * scale) for m in months}
    last = year + months[-1][4:]
    out[last] += _yuan(total_wan) - sum(out.values())
    return out


def _quarterly(rng: random.Random, total_wan: float, year: str, until: int = 12) -> dict[str, int]:
    """A small-scale taxpayer's quarterly declarations, each in the quarter's last month."""
    quarters = [f"{year}-{m:02d}" for m in (3, 6, 9, 12) if m <= until]
    return _series(rng, total_wan * len(quarters) / 4, quarters, 0.2) if quarters else {}


def _power_of(rng: random.Random, sales: dict[str, int], per_wan: float) -> dict[str, int]:
    """kWh of 2022 in step with the month's sales (a firm with sales every month)."""
    return {m: max(1, round(sales.get(m, 0) / 1_000_000 * per_wan * rng.uniform(0.9, 1.1)))
            for m in MONTHS_2022 if sales.get(m, 0) > 0}


class _Names:
    def __init__(self, rng: random.Random, codes: set[str], names: set[str]):
        self.rng, self.codes, self.names = rng, codes, names

    def code(self, area: str, old: bool) -> str:
        while True:
            body = ("".join(self.rng.choice("0123456789") for _ in range(8)) + self.rng.choice("0123456789X")
                    if old else "MA4" + "".join(self.rng.choice(ALPHABET) for _ in range(6)))
            code = with_check_character("91" + area + body)
            if code not in self.codes:
                self.codes.add(code)
                return code

    def name(self, county: County, trade: str) -> str:
        lead = county.name.rstrip("县市区") if county.name in ("攸县", "茶陵县", "炎陵县", "醴陵市", "渌口区") else "株洲"
        while True:
            name = f"{lead}{self.rng.choice(_PLACE)}{self.rng.choice(_WORD)}{trade}{self.rng.choice(_SUFFIX)}"
            if name not in self.names:
                self.names.add(name)
                return name


def _industry_text(rng: random.Random, code: str, name: str, section: str = "C") -> str:
    """The 国标行业 cell as tax systems give it: 'C3311 金属结构制造', '3311' or '3311金属结构制造'."""
    return rng.choice([f"{section}{code} {name}", code, f"{code}{name}"])


def _background(rng: random.Random, policy: Policy, names: _Names, count: int) -> list[Firm]:
    """The city's ordinary firms: in the register, small industrial, not industrial, deregistered."""
    counties = [c for c in policy.counties for _ in range(_WEIGHT[c.name])]
    firms = []
    for index in range(count):
        county = rng.choice(counties)
        area = rng.choice(county.uscc_prefixes)
        draw = rng.random()
        in_register = index < IN_REGISTER
        industrial = in_register or draw < 0.28
        if industrial:
            code, trade = rng.choice(_INDUSTRIAL)
            section, short = "C", trade[:2] + ("制造" if "制造" not in trade[:4] else "")
            industry = _industry_text(rng, code, trade)
        else:
            code, section, trade, short = rng.choice(_OTHER)
            industry = _industry_text(rng, code, trade, section)
        # industrial firms outside the register were all established before the new-build window
        latest = dt.date(2019, 12, 31) if in_register else dt.date(2021, 8, 31) if industrial else dt.date(2022, 6, 30)
        first = dt.date(1995, 1, 1) if in_register else dt.date(2003, 1, 1)
        established = first + dt.timedelta(days=rng.randint(0, (latest - first).days))
        firm = Firm(names.code(area, established.year < 2015), names.name(county, short), county.name, industry,
                    established, authority=authority(county), address=address(county, rng),
                    scope=f"{trade}；货物进出口", in_register=in_register)
        if area == "430200" and rng.random() < 0.5:  # registered by the city bureau
            firm.authority = "株洲市市场监督管理局"
        months = [m for m in MONTHS_2021 + MONTHS_2022 if m >= f"{established:%Y-%m}"]
        if in_register:
            total = min(60_000.0, 2_000 + rng.lognormvariate(8.0, 1.0))
            firm.sales = {**_series(rng, total, MONTHS_2021, 0.15),
                          **_series(rng, total * rng.uniform(0.85, 1.2), MONTHS_2022, 0.15)}
            firm.power = _power_of(rng, firm.sales, rng.uniform(800, 4_000))
        elif industrial and draw < 0.12:  # a general taxpayer below the threshold: flat, far from 2,000 万元
            total = rng.uniform(500, 1_200)
            base = _series(rng, total, MONTHS_2021, 0.05)
            firm.sales = {**base, **_same_shape(base, total * rng.uniform(0.9, 1.1), "2022")}
            firm.power = _power_of(rng, firm.sales, rng.uniform(800, 4_000)) if rng.random() < 0.8 else None
        else:  # small-scale taxpayers declare quarterly
            total = rng.uniform(5, 300) if industrial or rng.random() < 0.9 else rng.uniform(2_000, 30_000)
            if total >= 500:  # a big trading or building firm: a general taxpayer, monthly
                firm.sales = {m: v for m, v in _series(rng, total * 2, MONTHS_2021 + MONTHS_2022, 0.3).items()
                              if m in months}
            else:
                firm.sales = {m: v for y in ("2021", "2022") for m, v in _quarterly(rng, total, y).items()
                              if m >= months[0] if months}
            if industrial and rng.random() < 0.3:
                firm.power = _power_of(rng, firm.sales, rng.uniform(300, 3_000))
        if not in_register and rng.random() < 0.04:  # deregistered (or struck off) along the way
            gone = rng.choice(MONTHS_2021[3:] + MONTHS_2022[:9])
            firm.status_tax, firm.status_registration = rng.choice(
                [("注销", "注销"), ("非正常", "吊销，未注销"), ("注销", "迁出")])
            firm.sales = {m: v for m, v in firm.sales.items() if m < gone}
            if firm.power is not None:
                firm.power = {m: v for m, v in firm.power.items() if m < gone}
        firms.append(firm)
    return firms


def _sample_firms(rng: random.Random, policy: Policy, plans: dict[str, dict]) -> list[Firm]:
    """The firms the county samples name, with figures that agree with their reports: 2022's entries (小升规 on
    2021's sales, 新建投产 reaching 2,000 万元 in their entry month), exits and at-risk firms (in the register at
    the start), the pool (below the threshold, flat: not projected to reach it)."""
    counties = {c.name: c for c in policy.counties}
    firms, entered = [], set()
    for county_name, plan in plans.items():
        county = counties[county_name]
        trades = dict(_INDUSTRIAL)

        def firm(record: dict, established: dt.date, in_register: bool = False) -> Firm:
            industry = record.get("industry") or rng.choice(_INDUSTRIAL)[0]
            trade = trades.get(industry, "金属制品制造")
            return Firm(record["uscc"].strip().upper(), record["name"].strip(), county_name,
                        _industry_text(rng, industry, trade), established, authority=authority(county),
                        address=address(county, rng), scope=f"{trade}；货物进出口", in_register=in_register)

        for record in plan["entries"]:
            entered.add(record["uscc"].strip().upper())
            month = int(record["entry_month"][5:])
            if record["entry_kind"] == "小升规":
                one = firm(record, dt.date(rng.randint(2008, 2019), rng.randint(1, 12), rng.randint(1, 28)))
                last = max(2_010.0, record["revenue"] * rng.uniform(0.9, 1.0))
                base = _series(rng, last, MONTHS_2021, 0.1)
                one.sales = {**base, **_same_shape(base, record["revenue"], "2022")}
            else:  # established in the window, selling from the month after; 2,000 万元 by the entry month
                start = dt.date(2021, 10, 1) + dt.timedelta(days=rng.randint(0, 60 + 30 * (month - 1)))
                one = firm(record, start)
                selling = [m for m in MONTHS_2021 + MONTHS_2022 if m > f"{start:%Y-%m}"]
                before = [m for m in selling if m <= record["entry_month"]]
                if len(before) < 1:
                    before = selling[:1]
                rate = max(record["revenue"] / 12, 2_050 / len([m for m in before if m >= "2022-01"] or [1]))
                one.sales = {m: _yuan(rate * rng.uniform(0.97, 1.03)) for m in selling}
                head = sum(v for m, v in one.sales.items() if "2022-01" <= m <= record["entry_month"])
                if head < _yuan(2_010):
                    one.sales[record["entry_month"]] += _yuan(2_010) - head
            one.power = _power_of(rng, one.sales, rng.uniform(800, 3_000))
            firms.append(one)
        for record in plan["exits"]:
            code = record["uscc"].strip().upper()
            if code in entered:
                continue  # a 2022 entry that left again: not in the register at the start
            one = firm(record, dt.date(rng.randint(2000, 2016), rng.randint(1, 12), rng.randint(1, 28)), True)
            gone = record["exit_month"]
            base = _series(rng, record["revenue"], MONTHS_2021, 0.1)
            one.sales = {**base, **_same_shape(base, record["revenue"] * 0.8, "2022")}
            if record["exit_reason"] in ("注销吊销", "迁出本地", "停产"):
                one.sales = {m: v for m, v in one.sales.items() if m < gone}
            if record["exit_reason"] == "注销吊销":
                one.status_tax, one.status_registration = "注销", "注销"
            elif record["exit_reason"] == "迁出本地":
                one.status_tax, one.status_registration = "注销", "迁出"
            one.power = _power_of(rng, one.sales, rng.uniform(800, 3_000))
            firms.append(one)
        for record in plan["at_risk"]:
            one = firm(record, dt.date(rng.randint(2000, 2016), rng.randint(1, 12), rng.randint(1, 28)), True)
            base = _series(rng, record["revenue"] * rng.uniform(1.0, 1.15), MONTHS_2021, 0.1)
            one.sales = {**base, **_same_shape(base, record["revenue"], "2022")}
            one.power = _power_of(rng, one.sales, rng.uniform(800, 3_000))
            firms.append(one)
        for record in plan["pool"]:  # below the threshold in both years, flat: not projected to reach it
            one = firm(record, dt.date(rng.randint(2008, 2019), rng.randint(1, 12), rng.randint(1, 28)))
            this_year = record["revenue"] * 0.9
            base = _series(rng, this_year * rng.uniform(0.85, 0.98), MONTHS_2021, 0.05)
            one.sales = {**base, **_same_shape(base, this_year, "2022")}
            one.power = _power_of(rng, one.sales, rng.uniform(800, 3_000))
            firms.append(one)
    return firms


def sample_entry_decoy(plans: dict[str, dict]) -> dict:
    """The county sample's 小升规 entry used as the 'already reported and confirmed' decoy: 醴陵市's fourth
    entry of the year that entered in January (in every report of 2022 and on the 2022 confirmed list)."""
    return [r for r in plans["醴陵市"]["entries"] if r["entry_kind"] == "小升规"][3]


def _planted(rng: random.Random, policy: Policy, names: _Names, plans: dict[str, dict]) -> list[tuple[Firm, Planted]]:
    counties = {c.name: c for c in policy.counties}
    out: list[tuple[Firm, Planted]] = []

    def plant(county_name: str, trade: tuple[str, str], established: dt.date, kind: str, why: str, *,
              basis: str = "", flags: tuple[str, ...] = (), year_end: str = "", area: str | None = None,
              industry: str | None = None, section: str = "C") -> Firm:
        county = counties[county_name]
        code = names.code(area or county.uscc_prefixes[0], established.year < 2015)
        name = names.name(county, trade[1][:4])
        firm = Firm(code, name, county_name, industry if industry is not None else f"{section}{trade[0]} {trade[1]}",
                    established, authority=authority(county), address=address(county, rng),
                    scope=f"{trade[1]}；货物进出口")
        out.append((firm, Planted(code, name, county_name, kind, why, basis, flags, year_end or kind)))
        return firm

    def steady(firm: Firm, last: float, this: float, noise: float = 0.05) -> None:
        firm.sales = {**_series(rng, last, MONTHS_2021, noise), **_series(rng, this, MONTHS_2022, noise)}
        firm.power = _power_of(rng, firm.sales, 1_500)

    def halves(firm: Firm, last: float, first_half: float, second_half: float) -> None:
        firm.sales = {**_series(rng, last, MONTHS_2021), **_series(rng, first_half, MONTHS_2022[:6]),
                      **_series(rng, second_half, MONTHS_2022[6:])}
        firm.power = _power_of(rng, firm.sales, 1_500)

    old = dt.date(2014, 5, 12)
    # --- 达标未入规 ---
    halves(plant("天元区", ("3484", "机械零部件加工"), old, QUALIFIED, "本年1—6月销售额2,300万元，已达2,000万元",
                 basis="本年"), 1_800, 2_300, 2_300)
    halves(plant("醴陵市", ("3074", "日用陶瓷制品制造"), dt.date(2016, 3, 2), QUALIFIED,
                 "上年全年销售额2,600万元（年度入库的依据）", basis="上年", industry="3074"), 2_600, 1_100, 1_150)
    halves(plant("攸县", ("0610", "烟煤和无烟煤开采洗选"), old, QUALIFIED,
                 "上年全年销售额恰为2,000.00万元（等于标准即达标）；行业06（采矿业，工业的第一个大类）", basis="上年",
                 section="B"), 2_000, 800, 800)
    halves(plant("渌口区", ("4610", "自来水生产和供应"), old, QUALIFIED,
                 "本年1—6月销售额2,100万元；行业46（工业的最后一个大类）", basis="本年", section="D"), 1_700, 2_100, 2_100)
    halves(plant("荷塘区", ("3311", "金属结构制造"), old, QUALIFIED, "本年1—6月销售额2,050万元；行业只给两位代码“33”",
                 basis="本年", industry="33"), 1_600, 2_050, 2_000)
    # --- 可能达标 ---
    halves(plant("芦淞区", ("1810", "机织服装制造"), old, LIKELY,
                 "本年1—6月1,050万元，按月均推算全年2,100万元；上年1,200万元", year_end=QUALIFIED), 1_200, 1_050, 1_100)
    shaped = plant("石峰区", ("3716", "铁路机车车辆配件制造"), old, LIKELY,
                   "上年1,800万元、七成在下半年；本年1—6月675万元，按上年各月占比推算全年2,250万元"
                   "（按月均推算只有1,350万元）", year_end=QUALIFIED)
    shape = [0.5] * 6 + [1.1667] * 6
    base = _series(rng, 1_800, MONTHS_2021, 0.03, shape)
    shaped.sales = {**base, **_same_shape(base, 2_250, "2022")}
    shaped.power = _power_of(rng, shaped.sales, 1_500)
    # --- 新建投产窗口 ---
    new = plant("天元区", ("3982", "电子电路制造"), dt.date(2021, 10, 1), NEW_BUILD,
                "成立于2021年10月1日（窗口的第一天），本年有销售额（1—6月300万元）")
    new.sales = {**_series(rng, 40, ["2021-11", "2021-12"]), **_series(rng, 300, MONTHS_2022[:6]),
                 **_series(rng, 400, MONTHS_2022[6:])}
    new.power = _power_of(rng, new.sales, 1_500)
    new = plant("炎陵县", ("3824", "电力电子元器件制造"), dt.date(2022, 3, 15), NEW_BUILD,
                "成立于2022年3月15日，4月起有销售额", industry="C38")
    new.sales = {**_series(rng, 240, MONTHS_2022[3:6]), **_series(rng, 700, MONTHS_2022[6:])}
    new.power = _power_of(rng, new.sales, 1_500)
    # --- red flags, each on a 达标未入规 firm ---
    spike = plant("攸县", ("3130", "钢压延加工"), old, QUALIFIED, "本年5月销售额1,500万元，是其他月份中位数（约350万元）的4倍多",
                  basis="本年", flags=(SPIKE,))
    spike.sales = {**_series(rng, 1_900, MONTHS_2021), **_series(rng, 1_750, MONTHS_2022[:4] + ["2022-06"]),
                   "2022-05": _yuan(1_500), **_series(rng, 2_100, MONTHS_2022[6:])}
    spike.power = _power_of(rng, spike.sales, 1_500)
    unpowered = plant("茶陵县", ("2929", "其他塑料制品制造"), old, QUALIFIED, "有销售额，供电公司数据中没有它的用电户",
                      basis="上年", flags=(NO_POWER,))
    steady(unpowered, 2_400, 2_500)
    unpowered.power = None
    gaps = plant("醴陵市", ("3072", "特种陶瓷制品制造"), old, QUALIFIED, "本年4、5月有销售额却没有用电（用电户在，这两个月无记录）",
                 basis="本年", flags=(NO_POWER,))
    halves(gaps, 1_900, 2_200, 2_300)
    gaps.power = {m: v for m, v in gaps.power.items() if m not in ("2022-04", "2022-05")}
    idle = plant("石峰区", ("3351", "建筑、安全用金属制品制造"), old, QUALIFIED, "本年3月用电却没有销售额（申报为0）",
                 basis="上年", flags=(POWER_NO_SALES,))
    steady(idle, 2_500, 1_900)
    idle.power["2022-03"] = 3_000
    idle.sales["2022-02"] += idle.sales["2022-03"]
    idle.sales["2022-03"] = 0
    renamed = plant("芦淞区", ("1810", "机织服装制造"), old, QUALIFIED, "税务登记的名称与市场监管登记的名称不同（不只是空格、括号之差）",
                    basis="本年", flags=(NAME_DIFFERS,))
    halves(renamed, 1_800, 2_200, 2_200)
    renamed.tax_name = renamed.name.replace("服装", "服饰", 1) if "服装" in renamed.name else "株洲" + renamed.name[2:]
    moved = plant("天元区", ("3670", "汽车零部件及配件制造"), old, QUALIFIED,
                  "登记机关为天元区市场监督管理局，信用代码的登记地却是攸县（430223）", basis="本年",
                  flags=(AREA_DIFFERS,), area="430223")
    halves(moved, 1_800, 2_400, 2_400)
    # --- the same firm however its name is written: no flag ---
    spaced = plant("荷塘区", ("3340", "金属丝绳及其制品制造"), old, QUALIFIED,
                   "税务、电力的名称与登记名称只差括号、空格和“有限责任公司/有限公司”，不算名称不一致；用电户没有信用代码，"
                   "按名称对上", basis="本年")
    halves(spaced, 1_800, 2_150, 2_150)
    spaced.name = spaced.name.replace("有限公司", "").replace("有限责任公司", "").replace("股份", "")
    spaced.name = spaced.name[:2] + "（荷塘）" + spaced.name[2:] + "有限责任公司"
    spaced.tax_name = spaced.name.replace("（", "(").replace("）", ")").replace("有限责任公司", "有限公司")
    spaced.power_name = spaced.name.replace("（荷塘）", " (荷塘) ")
    spaced.power_code = False
    out[-1] = (spaced, Planted(spaced.code, spaced.name, "荷塘区", QUALIFIED, out[-1][1].why, "本年",
                               kind_at_year_end=QUALIFIED))
    by_code = plant("炎陵县", ("3021", "水泥制品制造"), old, QUALIFIED,
                    "登记机关是市局、住所未写县市区：按信用代码的登记地（430225，只有炎陵县）归炎陵县", basis="本年")
    halves(by_code, 1_600, 2_200, 2_200)
    by_code.authority, by_code.address = "株洲市市场监督管理局", "湖南省株洲市工业园18号"
    # --- decoys: not listed ---
    trade_firm = plant("天元区", ("5191", "互联网批发"), old, NOT_LISTED, "销售额很大，但是批发业（F51），不是工业",
                       section="F")
    halves(trade_firm, 6_000, 3_500, 3_600)
    builder = plant("醴陵市", ("4710", "住宅房屋建筑"), old, NOT_LISTED, "销售额很大，但是建筑业（E47，紧挨工业的最后一个大类46）",
                    section="E")
    halves(builder, 5_000, 3_000, 3_000)
    farm = plant("攸县", ("0511", "种子种苗培育活动"), old, NOT_LISTED, "销售额很大，但行业05属农林牧渔业（紧挨工业的第一个大类06）",
                 section="A")
    halves(farm, 2_500, 1_300, 1_300)
    closed = plant("芦淞区", ("3484", "机械零部件加工"), old, NOT_LISTED, "上年销售额3,000万元，但税务、市场监管均已注销",
                   basis="")
    closed.sales = _series(rng, 3_000, MONTHS_2021)
    closed.sales.update(_series(rng, 500, MONTHS_2022[:2]))
    closed.status_tax = closed.status_registration = "注销"
    closed.power = _power_of(rng, closed.sales, 1_500)
    revoked = plant("石峰区", ("2641", "涂料制造"), old, NOT_LISTED, "本年销售额已过2,000万元，但市场监管登记为吊销（税务仍为正常）")
    halves(revoked, 2_500, 2_100, 2_000)
    revoked.status_registration = "吊销，未注销"
    abnormal = plant("茶陵县", ("1391", "淀粉及淀粉制品制造"), old, NOT_LISTED, "上年销售额2,800万元，但税务登记状态为非正常户")
    halves(abnormal, 2_800, 900, 0.01)
    abnormal.status_tax = "非正常"
    registered = plant("天元区", ("3311", "金属结构制造"), old, NOT_LISTED, "销售额8,000万元，但已在2021年末在库名录中")
    steady(registered, 8_000, 8_500)
    registered.in_register = True
    small = plant("荷塘区", ("2438", "珠宝首饰及有关物品制造"), old, NOT_LISTED, "工业企业，但销售额小（上年1,999.99万元，"
                  "本年1—6月600万元，推算全年1,200万元）")
    halves(small, 1_999.99, 600, 620)
    before_window = plant("渌口区", ("2231", "纸和纸板容器制造"), dt.date(2021, 9, 30), NOT_LISTED,
                          "成立于2021年9月30日（窗口前一天），本年1—6月销售额450万元，推算达不到2,000万元")
    before_window.sales = {**_series(rng, 150, MONTHS_2021[9:]), **_series(rng, 450, MONTHS_2022[:6]),
                           **_series(rng, 480, MONTHS_2022[6:])}
    before_window.power = _power_of(rng, before_window.sales, 1_500)
    for firm, _ in out:
        firm.planted = True
    return out


def _confirmed_decoy(plans: dict[str, dict], firms: list[Firm]) -> Planted:
    record = sample_entry_decoy(plans)
    code = record["uscc"].strip().upper()
    firm = next(f for f in firms if f.code == code)
    return Planted(code, firm.name, "醴陵市", NOT_LISTED,
                   "上年销售额已过2,000万元，但醴陵市已报为2022年1月新增（小升规），并在统计局2022年确认名单中")


def build(policy: Policy, plans: dict[str, dict]) -> tuple[list[Firm], list[Planted]]:
    """Every firm of the department data and the planted ones, deterministic."""
    rng = random.Random(SEED)
    codes = {r["uscc"].strip().upper() for plan in plans.values()
             for key in ("entries", "exits", "pool", "at_risk") for r in plan[key]}
    names = {r["name"].strip() for plan in plans.values()
             for key in ("entries", "exits", "pool", "at_risk") for r in plan[key]}
    maker = _Names(rng, codes, names)
    samples = _sample_firms(rng, policy, plans)
    planted = _planted(rng, policy, maker, plans)
    background = _background(rng, policy, maker, FIRMS - len(samples) - len(planted))
    firms = [*background, *samples, *(firm for firm, _ in planted)]
    rng.shuffle(firms)
    return firms, [*(p for _, p in planted), _confirmed_decoy(plans, firms)]


def planted_firms() -> list[Planted]:
    """The planted firms of the demo's department data and what the screen of 2022-06 must decide for each."""
    return build(*_demo_inputs())[1]


def _demo_inputs() -> tuple[Policy, dict[str, dict]]:
    from toolkit.demo import samples

    return samples.policy_and_plans()


# --- the files ---------------------------------------------------------------------------------------------------

def _yuan_text(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def _wan(cents: int) -> float:
    return cents / 1_000_000


def _tax_csv(path: Path, firms: list[Firm]) -> Path:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["国家税务总局株洲市税务局 纳税人月度申报销售额（2021年1月—2022年6月）", "", "", "", "", ""])
    writer.writerow(["纳税人识别号", "纳税人名称", "税款所属期", "申报销售额（元）", "国标行业", "纳税人状态"])
    total = 0
    for firm in firms:
        for month in FIRST_HALF:
            if month in firm.sales:
                total += firm.sales[month]
                writer.writerow([firm.code, firm.tax_name or firm.name, month, _yuan_text(firm.sales[month]),
                                 firm.industry, firm.status_tax])
    writer.writerow(["合计", "", "", _yuan_text(total), "", ""])
    with atomic_output(path) as temp:
        Path(temp).write_bytes(out.getvalue().encode("gbk"))
    return path


def _tax_xlsx(path: Path, firms: list[Firm]) -> Path:
    """A merged two-row header: 销售额（万元） spans 申报销售额 and 其中：免税销售额; the other titles span both rows."""
    with atomic_output(path) as temp:
        wb = new_workbook(temp, title="纳税人月度申报销售额", created=CREATED.replace(year=2023, month=1))
        f = formats(wb)
        ws = wb.add_worksheet("申报销售额")
        ws.merge_range(0, 0, 0, 6, "国家税务总局株洲市税务局 纳税人月度申报销售额（2022年7—12月）", f["bold"])
        ws.write_string(1, 0, "数据来源：金税三期税收管理系统；仅供工业和信息化部门掌握情况使用")
        for col, title in enumerate(["纳税人识别号", "纳税人名称", "税款所属期"]):
            ws.merge_range(2, col, 3, col, title, f["header"])
        ws.merge_range(2, 3, 2, 4, "销售额（万元）", f["header"])
        ws.write_string(3, 3, "申报销售额", f["header"])
        ws.write_string(3, 4, "其中：免税销售额", f["header"])
        ws.merge_range(2, 5, 3, 5, "国标行业", f["header"])
        ws.merge_range(2, 6, 3, 6, "纳税人状态", f["header"])
        for col, width in enumerate((22, 34, 11, 14, 14, 26, 10)):
            ws.set_column(col, col, width)
        row = 4
        for firm in firms:
            for month in SECOND_HALF:
                if month in firm.sales:
                    ws.write_string(row, 0, firm.code)
                    ws.write_string(row, 1, firm.tax_name or firm.name)
                    ws.write_string(row, 2, month)
                    ws.write_number(row, 3, _wan(firm.sales[month]))
                    ws.write_number(row, 4, 0)
                    ws.write_string(row, 5, firm.industry)
                    ws.write_string(row, 6, firm.status_tax)
                    row += 1
        wb.close()
    return path


def _registration_xlsx(path: Path, firms: list[Firm]) -> Path:
    with atomic_output(path) as temp:
        wb = new_workbook(temp, title="市场主体登记信息", created=CREATED)
        f = formats(wb)
        ws = wb.add_worksheet("企业登记信息")
        ws.write_string(0, 0, "株洲市市场主体登记信息（企业）", f["bold"])
        ws.write_string(1, 0, "说明：本表为株洲市市场监督管理局登记的企业（不含个体工商户），数据截至2022年6月30日。")
        ws.write_string(2, 0, "导出时间：2022-07-05 10:21:33    导出人：信息中心")
        header = ["统一社会信用代码", "企业名称", "成立日期", "登记状态", "住所", "登记机关", "经营范围"]
        for col, title in enumerate(header):
            ws.write_string(4, col, title, f["header"])
        for col, width in enumerate((22, 34, 12, 20, 40, 30, 40)):
            ws.set_column(col, col, width)
        for row, firm in enumerate(sorted(firms, key=lambda f: (f.established, f.code)), start=5):
            ws.write_string(row, 0, firm.code)
            ws.write_string(row, 1, firm.name)
            ws.write_string(row, 2, firm.established.isoformat())
            ws.write_string(row, 3, firm.status_registration)
            ws.write_string(row, 4, firm.address)
            ws.write_string(row, 5, firm.authority)
            ws.write_string(row, 6, firm.scope)
        wb.close()
    return path


def _power_csv(path: Path, firms: list[Firm], rng: random.Random) -> Path:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["户号", "户名", "统一社会信用代码", "电费年月", "用电量(kWh)"])
    account = 4_301_000_000
    accounts = []
    for firm in firms:
        if firm.power is None:
            continue
        account += rng.randint(1, 40)
        code = firm.code if firm.power_code and (firm.planted or rng.random() < 0.85) else ""
        accounts.append((str(account), firm.power_name or firm.name, code, firm.power))
    for number in range(1_500):  # accounts that are no firm of the data: shops, residences, public lighting
        account += rng.randint(1, 40)
        what = rng.choice(["小区公用", "路灯管理所", "门店", "农灌站", "基站"])
        accounts.append((str(account), f"{rng.choice(_PLACE)}{what}{number:04d}", "",
                         {m: rng.randint(100, 20_000) for m in MONTHS_2022}))
    for number, name, code, use in accounts:
        for month in MONTHS_2022:
            if month in use:
                writer.writerow([number, name, code, month.replace("-", ""), use[month]])
    with atomic_output(path) as temp:
        Path(temp).write_text(out.getvalue(), encoding="utf-8")
    return path


def _starting_xlsx(path: Path, firms: list[Firm]) -> Path:
    with atomic_output(path) as temp:
        wb = new_workbook(temp, title="2021年末规上工业企业名录", created=dt.datetime(2022, 1, 15, 9, 0, 0))
        f = formats(wb)
        ws = wb.add_worksheet("名录")
        ws.write_string(0, 0, "株洲市2021年末规模以上工业企业名录（株洲市统计局）", f["bold"])
        for col, title in enumerate(["序号", "统一社会信用代码", "企业名称", "县市区"]):
            ws.write_string(2, col, title, f["header"])
        listed = sorted((firm for firm in firms if firm.in_register), key=lambda f: (f.county, f.code))
        for row, firm in enumerate(listed, start=3):
            ws.write_number(row, 0, row - 2)
            ws.write_string(row, 1, firm.code)
            ws.write_string(row, 2, firm.name)
            ws.write_string(row, 3, firm.county)
        ws.set_column(1, 2, 30)
        wb.close()
    return path


def write(folder: Path, policy: Policy, plans: dict[str, dict]) -> list[Path]:
    """The departments' files and the starting register in ``folder`` (部门数据/)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    firms, _ = build(policy, plans)
    rng = random.Random(f"{SEED}-power")
    return [_tax_csv(folder / TAX_CSV, firms), _tax_xlsx(folder / TAX_XLSX, firms),
            _registration_xlsx(folder / REGISTRATION_XLSX, firms), _power_csv(folder / POWER_CSV, firms, rng),
            _starting_xlsx(folder / STARTING_XLSX, firms)]
