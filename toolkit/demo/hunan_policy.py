"""The shipped province sample policy: Hunan, its 14 市州 and their 122 县市区, under the provincial plan
(湖南省人民政府办公厅《深入开展新增规模以上工业企业行动实施方案》, 2022-01-12).

Public data, as published: the 市州 and 县市区 with their GB/T 2260 codes (2022; former codes of renamed units kept as
accepted credit-code prefixes, since firms registered before the change keep them), the plan's goals (净增 1,000 a
year in the 十四五, 25,000 in the register by 2025) and revenue bands (培育库 1,000–2,000 万元, 退规风险 below
3,000 万元). Zhuzhou's 县市区 are the city sample's own units, 株洲经开区 included.

Invented, and marked 示例数据 in the workbook (``Policy.examples``) so that no document citing them can be issued:
each 市州's yearly 新增 and 净增 targets (the real ones are not public), the reporting calendar and who issues what.
"""

from __future__ import annotations

import datetime as dt

from toolkit.demo.zhuzhou_policy import WORKING_DAYS, zhuzhou_policy
from toolkit.domain import policy_layout as L
from toolkit.domain.calendar import ReportingPeriod, WorkingDays
from toolkit.domain.level import Level
from toolkit.domain.periods import Period
from toolkit.domain.policy import AssessmentRules, CityGoals, County, DocumentSettings, ExampleMark, Policy, Thresholds

YEARS = (2022, 2023, 2024, 2025)

# 县市区: name, GB/T 2260 code, former codes still carried by credit codes, aliases
_MEMBERS: dict[str, list[tuple[str, str, tuple[str, ...], tuple[str, ...]]]] = {
    "长沙市": [
        ("芙蓉区", "430102", (), ()), ("天心区", "430103", (), ()), ("岳麓区", "430104", (), ()),
        ("开福区", "430105", (), ()), ("雨花区", "430111", (), ()), ("望城区", "430112", ("430122",), ("望城县",)),
        ("长沙县", "430121", (), ()), ("浏阳市", "430181", (), ()), ("宁乡市", "430182", ("430124",), ("宁乡县",)),
    ],
    "湘潭市": [
        ("雨湖区", "430302", (), ()), ("岳塘区", "430304", (), ()), ("湘潭县", "430321", (), ()),
        ("湘乡市", "430381", (), ()), ("韶山市", "430382", (), ()),
    ],
    "衡阳市": [
        ("珠晖区", "430405", (), ()), ("雁峰区", "430406", (), ()), ("石鼓区", "430407", (), ()),
        ("蒸湘区", "430408", (), ()), ("南岳区", "430412", (), ()), ("衡阳县", "430421", (), ()),
        ("衡南县", "430422", (), ()), ("衡山县", "430423", (), ()), ("衡东县", "430424", (), ()),
        ("祁东县", "430426", (), ()), ("耒阳市", "430481", (), ()), ("常宁市", "430482", (), ()),
    ],
    "邵阳市": [
        ("双清区", "430502", (), ()), ("大祥区", "430503", (), ()), ("北塔区", "430511", (), ()),
        ("新邵县", "430522", (), ()), ("邵阳县", "430523", (), ()), ("隆回县", "430524", (), ()),
        ("洞口县", "430525", (), ()), ("绥宁县", "430527", (), ()), ("新宁县", "430528", (), ()),
        ("城步苗族自治县", "430529", (), ("城步县",)), ("武冈市", "430581", (), ()),
        ("邵东市", "430582", ("430521",), ("邵东县",)),
    ],
    "岳阳市": [
        ("岳阳楼区", "430602", (), ()), ("云溪区", "430603", (), ()), ("君山区", "430611", (), ()),
        ("岳阳县", "430621", (), ()), ("华容县", "430623", (), ()), ("湘阴县", "430624", (), ()),
        ("平江县", "430626", (), ()), ("汨罗市", "430681", (), ()), ("临湘市", "430682", (), ()),
    ],
    "常德市": [
        ("武陵区", "430702", (), ()), ("鼎城区", "430703", (), ()), ("安乡县", "430721", (), ()),
        ("汉寿县", "430722", (), ()), ("澧县", "430723", (), ()), ("临澧县", "430724", (), ()),
        ("桃源县", "430725", (), ()), ("石门县", "430726", (), ()), ("津市市", "430781", (), ()),
    ],
    "张家界市": [
        ("永定区", "430802", (), ()), ("武陵源区", "430811", (), ()), ("慈利县", "430821", (), ()),
        ("桑植县", "430822", (), ()),
    ],
    "益阳市": [
        ("资阳区", "430902", (), ()), ("赫山区", "430903", (), ()), ("南县", "430921", (), ()),
        ("桃江县", "430922", (), ()), ("安化县", "430923", (), ()), ("沅江市", "430981", (), ()),
    ],
    "郴州市": [
        ("北湖区", "431002", (), ()), ("苏仙区", "431003", (), ()), ("桂阳县", "431021", (), ()),
        ("宜章县", "431022", (), ()), ("永兴县", "431023", (), ()), ("嘉禾县", "431024", (), ()),
        ("临武县", "431025", (), ()), ("汝城县", "431026", (), ()), ("桂东县", "431027", (), ()),
        ("安仁县", "431028", (), ()), ("资兴市", "431081", (), ()),
    ],
    "永州市": [
        ("零陵区", "431102", (), ()), ("冷水滩区", "431103", (), ()), ("东安县", "431122", (), ()),
        ("双牌县", "431123", (), ()), ("道县", "431124", (), ()), ("江永县", "431125", (), ()),
        ("宁远县", "431126", (), ()), ("蓝山县", "431127", (), ()), ("新田县", "431128", (), ()),
        ("江华瑶族自治县", "431129", (), ("江华县",)), ("祁阳市", "431181", ("431121",), ("祁阳县",)),
    ],
    "怀化市": [
        ("鹤城区", "431202", (), ()), ("中方县", "431221", (), ()), ("沅陵县", "431222", (), ()),
        ("辰溪县", "431223", (), ()), ("溆浦县", "431224", (), ()), ("会同县", "431225", (), ()),
        ("麻阳苗族自治县", "431226", (), ("麻阳县",)), ("新晃侗族自治县", "431227", (), ("新晃县",)),
        ("芷江侗族自治县", "431228", (), ("芷江县",)), ("靖州苗族侗族自治县", "431229", (), ("靖州县",)),
        ("通道侗族自治县", "431230", (), ("通道县",)), ("洪江市", "431281", (), ()),
    ],
    "娄底市": [
        ("娄星区", "431302", (), ()), ("双峰县", "431321", (), ()), ("新化县", "431322", (), ()),
        ("冷水江市", "431381", (), ()), ("涟源市", "431382", (), ()),
    ],
    "湘西土家族苗族自治州": [
        ("吉首市", "433101", (), ()), ("泸溪县", "433122", (), ()), ("凤凰县", "433123", (), ()),
        ("花垣县", "433124", (), ()), ("保靖县", "433125", (), ()), ("古丈县", "433126", (), ()),
        ("永顺县", "433127", (), ()), ("龙山县", "433130", (), ()),
    ],
}

# 市州 in the GB/T 2260 order: name, code, aliases, 2022 新增 target (示例: 株洲市 = the city plan's own 全市 260,
# the others by size; each year adds about a thirteenth, as 株洲市's 260 → 320 does)
_UNITS = [
    ("长沙市", "430100", (), 420), ("株洲市", "430200", (), 260), ("湘潭市", "430300", (), 170),
    ("衡阳市", "430400", (), 250), ("邵阳市", "430500", (), 200), ("岳阳市", "430600", (), 230),
    ("常德市", "430700", (), 210), ("张家界市", "430800", (), 40), ("益阳市", "430900", (), 150),
    ("郴州市", "431000", (), 190), ("永州市", "431100", (), 170), ("怀化市", "431200", (), 140),
    ("娄底市", "431300", (), 120), ("湘西土家族苗族自治州", "433100", ("湘西州", "湘西自治州"), 50),
]
NET_SHARE = 0.4  # 示例: each 市州's 净增 target as a share of its 新增 target (Σ ≥ the plan's 1,000 a year)


def _members(unit: str) -> tuple[County, ...]:
    if unit == "株洲市":
        return zhuzhou_policy().counties  # the city sample's units, 株洲经开区 (no code of its own) included
    return tuple(County(name, aliases, code, (code, *former)) for name, code, former, aliases in _MEMBERS[unit])


def hunan_policy() -> Policy:
    counties = tuple(County(name, aliases, code, (code[:4],), members=_members(name))
                     for name, code, aliases, _ in _UNITS)
    targets = {name: {y: first + round(first / 13) * (y - YEARS[0]) for y in YEARS} for name, _, _, first in _UNITS}
    return Policy(
        region="湖南省",
        total_label=Level.PROVINCE.total_label,
        unit_label=Level.PROVINCE.unit_label,
        plan_title="湖南省人民政府办公厅关于印发《深入开展新增规模以上工业企业行动实施方案》的通知（2022年1月12日）",
        first_year=YEARS[0],
        last_year=YEARS[-1],
        counties=counties,
        new_targets=targets,
        total_new_targets={y: sum(t[y] for t in targets.values()) for y in YEARS},
        net_targets={name: {y: round(v * NET_SHARE) for y, v in t.items()} for name, t in targets.items()},
        # the plan: 每年净增规模以上工业企业1000家以上（十四五）; 到2025年总数达到2.5万家以上; no yearly 新增 goal
        goals=CityGoals(avg_new_per_year=None, avg_net_per_year=1000, goal_first_year=2021, goal_last_year=2025,
                        total_in_register=25000, total_in_register_year=2025),
        thresholds=Thresholds(),  # the plan's own bands: 培育 1,000–2,000 万元, 退规风险 below 3,000 万元
        assessment=AssessmentRules(),
        documents=_documents(),
        calendar=_calendar(WORKING_DAYS),
        working_days=WORKING_DAYS,
        examples=tuple(ExampleMark(sheet) for sheet in (L.SHEET_ANNEX, L.SHEET_NET, L.SHEET_DOCUMENTS,
                                                         L.SHEET_CALENDAR)),
        level=Level.PROVINCE,
    )


QUARTER_ENDS = (3, 6, 9, 12)
DUE_DAY = 15  # 示例: a 市州 consolidates its 县市区 by the 8th (the city sample's calendar), the province a week later


def _calendar(working: WorkingDays) -> tuple[ReportingPeriod, ...]:
    """Example: a 市州 summary at each quarter's end and at year end, due on the 15th of the following month (the
    next working day when the 15th is not one); 3 working days to send a returned summary again."""
    out = []
    for year in YEARS:
        for month in QUARTER_ENDS:
            due = dt.date(year + (month == 12), month % 12 + 1, DUE_DAY)
            while not working.is_working(due):
                due += dt.timedelta(days=1)
            out.append(ReportingPeriod(Period(year, month), due, 3, working))
    return tuple(out)


DEPARTMENT = "湖南省工业和信息化厅"
GENERAL_OFFICE = "湖南省人民政府办公厅"
# fictional but well-formed, as the city sample's (the sheet stays marked 示例数据 until the province writes its own)
CONTACT = "联系人：刘建华，电话：0731-88950512"
ADDRESS = "长沙市湖南省工业和信息化厅中小企业处，邮编410000"


def _documents() -> tuple[DocumentSettings, ...]:
    """Example issuers: the department writes to the 市州 industry bureaus (调度通报, 工作情况通报, 催报); praise
    and criticism of 市州 governments come from the provincial government's general office."""
    city_departments = "各市州工业和信息化局"
    city_governments = "各市州人民政府"
    return (
        DocumentSettings("bulletin", f"{DEPARTMENT}文件", DEPARTMENT, "湘工信中小", city_departments,
                         "省人民政府办公厅，省统计局", f"{DEPARTMENT}办公室", "主动公开"),
        DocumentSettings("dispatch", f"{DEPARTMENT}文件", DEPARTMENT, "湘工信中小", city_departments,
                         "省人民政府办公厅，省统计局", f"{DEPARTMENT}办公室", "主动公开"),
        DocumentSettings("praise", f"{GENERAL_OFFICE}文件", GENERAL_OFFICE, "湘政办发", city_governments,
                         "省委办公厅，省人大常委会办公厅，省政协办公厅，省工业和信息化厅，省统计局",
                         f"{GENERAL_OFFICE}秘书处", "主动公开"),
        DocumentSettings("criticism", f"{GENERAL_OFFICE}文件", GENERAL_OFFICE, "湘政办发", city_governments,
                         "省委办公厅，省工业和信息化厅，省统计局", f"{GENERAL_OFFICE}秘书处", "依申请公开", 15),
        DocumentSettings("reminder", DEPARTMENT, DEPARTMENT, "湘工信函", city_departments, "省统计局",
                         f"{DEPARTMENT}办公室", "不予公开", 3, contact=CONTACT, address=ADDRESS),
    )
