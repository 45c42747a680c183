"""The shipped sample policy: Zhuzhou 2022-2025, exactly as in 株政办发〔2022〕1号 and its targets annex.

Values the plan does not give (net targets declared by counties, cost-sharing ratios, county reward
policies, who issues which document, the reporting calendar) are marked 示例数据 in the workbook
(``Policy.examples``): documents that cite them can be drafted but not issued until the city replaces them.
"""

from __future__ import annotations

import datetime as dt

from toolkit.domain import policy_layout as L
from toolkit.domain.calendar import MONTHLY, ReportingPeriod, WorkingDays
from toolkit.domain.periods import Period
from toolkit.domain.policy import (AssessmentRules, CityGoals, County, CostSharing, CountyRewardPolicy, DocumentSettings,
                                   ExampleMark, Policy, RewardStandard, Thresholds)

CITY_CODE = "430200"  # firms registered by the city market-regulation bureau carry the city code
YEARS = (2022, 2023, 2024, 2025)

# name, aliases, division code, accepted USCC area prefixes, annex targets 2022-2025
_UNITS = [
    ("荷塘区", (), "430202", ("430202", CITY_CODE), (18, 20, 22, 24)),
    ("芦淞区", (), "430203", ("430203", CITY_CODE), (18, 20, 22, 24)),
    ("石峰区", (), "430204", ("430204", CITY_CODE), (18, 20, 22, 24)),
    ("株洲经开区", ("经开区", "株洲经济技术开发区"), "", ("430202", "430204", "430211", CITY_CODE), (10, 12, 14, 16)),
    ("天元区", (), "430211", ("430211", CITY_CODE), (50, 52, 54, 56)),
    ("渌口区", ("株洲县",), "430212", ("430212", "430221"), (18, 20, 22, 24)),
    ("攸县", ("攸 县",), "430223", ("430223",), (42, 44, 46, 48)),
    ("茶陵县", (), "430224", ("430224",), (18, 20, 22, 24)),
    ("炎陵县", (), "430225", ("430225",), (18, 20, 22, 24)),
    ("醴陵市", (), "430281", ("430281",), (50, 52, 54, 56)),
]
_DISTRICTS = {"荷塘区", "芦淞区", "石峰区", "株洲经开区", "天元区", "渌口区"}


def zhuzhou_policy() -> Policy:
    counties = tuple(County(name, aliases, code, prefixes) for name, aliases, code, prefixes, _ in _UNITS)
    targets = {name: dict(zip(YEARS, values)) for name, _, _, _, values in _UNITS}
    return Policy(
        region="株洲市",
        total_label="全市",
        unit_label="县市区",
        plan_title="株洲市培育规模以上工业企业实施方案（株政办发〔2022〕1号）附件",
        first_year=2022,
        last_year=2025,
        counties=counties,
        new_targets=targets,
        total_new_targets=dict(zip(YEARS, (260, 280, 300, 320))),
        # example: each county declares net targets; here roughly 60% of its new-entry target
        net_targets={name: {y: round(v * 0.6) for y, v in t.items()} for name, t in targets.items()},
        goals=CityGoals(avg_new_per_year=220, avg_net_per_year=150, goal_first_year=2021, goal_last_year=2025,
                        total_in_register=3000, total_in_register_year=2025),
        thresholds=Thresholds(),
        rewards=(RewardStandard("新建投产", 100000, True, True, 0.5), RewardStandard("小升规", 60000, True, True, 0.5)),
        second_tranche_month=None,
        tax_final_month=2,  # example: the tax of December is declared by mid-January
        cost_sharing=tuple(CostSharing(name, 0.5, 0.5) if name in _DISTRICTS else CostSharing(name, 0.3, 0.7)
                           for name, *_ in _UNITS),
        county_rewards=(CountyRewardPolicy("醴陵市", "新建投产", 150000, "《醴陵市支持工业企业升规入统的若干措施》"),
                        CountyRewardPolicy("攸县", "小升规", 80000, "《攸县支持工业企业升规入统的若干措施》")),
        assessment=AssessmentRules(),
        documents=_documents(),
        calendar=_calendar(WORKING_DAYS),
        working_days=WORKING_DAYS,
        examples=tuple(ExampleMark(sheet) for sheet in L.EXAMPLE_SHEETS),  # the plan does not give these
    )


def _days(*spans: str) -> frozenset[dt.date]:
    """Dates from 'YYYY-MM-DD' or 'YYYY-MM-DD/DD' (a run of days within one month)."""
    out = set()
    for span in spans:
        first, _, last = span.partition("/")
        start = dt.date.fromisoformat(first)
        for day in range(start.day, int(last or start.day) + 1):
            out.add(start.replace(day=day))
    return frozenset(out)


# 节假日 by the State Council's yearly notices (国务院办公厅关于20XX年部分节假日安排的通知): days off, and the
# weekends worked in exchange (调休). A city checks them against each year's notice.
HOLIDAYS = _days(
    "2022-01-01/03", "2022-01-31", "2022-02-01/06", "2022-04-03/05", "2022-04-30", "2022-05-01/04", "2022-06-03/05",
    "2022-09-10/12", "2022-10-01/07", "2022-12-31",
    "2023-01-01/02", "2023-01-21/27", "2023-04-05", "2023-04-29/30", "2023-05-01/03", "2023-06-22/24",
    "2023-09-29/30", "2023-10-01/06",
    "2024-01-01", "2024-02-10/17", "2024-04-04/06", "2024-05-01/05", "2024-06-10", "2024-09-15/17", "2024-10-01/07",
    "2025-01-01", "2025-01-28/31", "2025-02-01/04", "2025-04-04/06", "2025-05-01/05", "2025-05-31", "2025-06-01/02",
    "2025-10-01/08",
)
ADJUSTED_WORKDAYS = _days(
    "2022-01-29/30", "2022-04-02", "2022-04-24", "2022-05-07", "2022-10-08/09",
    "2023-01-28/29", "2023-04-23", "2023-05-06", "2023-06-25", "2023-10-07/08",
    "2024-02-04", "2024-02-18", "2024-04-07", "2024-04-28", "2024-05-11", "2024-09-14", "2024-09-29", "2024-10-12",
    "2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11",
)
WORKING_DAYS = WorkingDays(holidays=HOLIDAYS, workdays=ADJUSTED_WORKDAYS)


MONTHLY_MONTHS = (2, 4, 5, 7, 8, 10, 11)  # 月度调度 between quarter ends; statistics skip January (1–2月 is month 2)


def _calendar(working: WorkingDays) -> tuple[ReportingPeriod, ...]:
    """Example: quarterly and year-end reports, due on the 8th of the following month (the next working day
    when the 8th is not one); monthly 调度 returns for the other months (January aside), due on the 5th working
    day of the following month; 3 working days to send a returned report again."""
    out = []
    for year in YEARS:
        for month in range(2, 13):
            start = dt.date(year + (month == 12), month % 12 + 1, 1)
            if month in MONTHLY_MONTHS:
                due = working.span_end(start, 5)
                out.append(ReportingPeriod(Period(year, month), due, 3, working, MONTHLY))
                continue
            due = start.replace(day=8)
            while not working.is_working(due):
                due += dt.timedelta(days=1)
            out.append(ReportingPeriod(Period(year, month), due, 3, working))
    return tuple(out)


HQ = "株洲市打造“三个高地”建设指挥部"  # named by the city plan
BUREAU = "株洲市工业和信息化局"


# fictional but well-formed (the sheet stays marked 示例数据 in the sample workbook until the city writes its own):
# an issued document never carries a placeholder such as 王×× (domain/placeholders.py, lint-doc)
CONTACT = "联系人：王晓明，电话：0731-28680512"
ADDRESS = "株洲市天元区神农大道1号市工业和信息化局中小企业科，邮编412007"
EMAIL = "zxqyk@zhuzhou.gov.cn"


def _documents() -> tuple[DocumentSettings, ...]:
    """Example issuers that respect who may write to whom (the city confirms its own prefixes)."""
    county_departments = "各县市区工业和信息化主管部门，株洲经开区经济发展部门"
    county_governments = "各县市区人民政府，株洲经开区管委会"
    return (
        DocumentSettings("bulletin", f"{BUREAU}文件", BUREAU, "株工信发", county_departments,
                         "市人民政府办公室，市统计局", f"{BUREAU}办公室", "主动公开"),
        # the monthly 调度通报 goes out as the bulletin does: the bureau to the county departments
        DocumentSettings("dispatch", f"{BUREAU}文件", BUREAU, "株工信发", county_departments,
                         "市人民政府办公室，市统计局", f"{BUREAU}办公室", "主动公开"),
        DocumentSettings("praise", f"{HQ}文件", HQ, "株高地指发", county_governments,
                         "市委办公室，市人大常委会办公室，市人民政府办公室，市政协办公室", f"{HQ}办公室", "主动公开"),
        DocumentSettings("criticism", f"{HQ}文件", HQ, "株高地指发", county_governments,
                         "市委办公室，市人民政府办公室，市工业和信息化局，市统计局", f"{HQ}办公室", "依申请公开", 15),
        # a 催报 is a 函 (信函格式: the mark without 文件), with whom to call and where to send
        DocumentSettings("reminder", BUREAU, BUREAU, "株工信函", county_departments, "市统计局",
                         f"{BUREAU}办公室", "不予公开", 3, contact=CONTACT, address=ADDRESS, email=EMAIL),
        # a 请示 goes up to the city government, one main recipient, with the signing official (a fictional name)
        DocumentSettings("reward_request", f"{BUREAU}文件", BUREAU, "株工信呈", "市人民政府",
                         "市财政局", f"{BUREAU}办公室", "依申请公开", issuer_person="李建国",
                         contact=CONTACT, address=ADDRESS, email=EMAIL),
    )
