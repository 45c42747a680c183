"""Department files for 应入尽入 tests: eight firms, one of each kind the screen decides (and of each it must not
list), as the tax office (GBK csv in 元 with a title and a total row), the market-registration bureau and the power
company send them."""

from __future__ import annotations

from toolkit.domain.uscc import with_check_character

M21 = [f"2021{m:02d}" for m in range(1, 13)]
M22 = [f"2022{m:02d}" for m in range(1, 10)]
CODES = {key: with_check_character(f"91{area}MA4L{n:05d}")
         for n, (key, area) in enumerate([("reached", "430211"), ("last_year", "430223"), ("trade", "430211"),
                                          ("likely", "430202"), ("new", "430211"), ("closed", "430211"),
                                          ("held", "430202"), ("small", "430211")])}


def department_files(folder):
    """The tax office's GBK csv (sales in 元, a title row and a total row), registration and power as csv."""
    lines = ["株洲市纳税人申报销售额（2021年1月—2022年9月）", "纳税人识别号,纳税人名称,所属期,销售额（元）,国标行业,登记状态"]

    def add(key, name, industry, amount, months, status="正常"):
        lines.extend(f"{CODES[key]},{name},{m},{amount},{industry},{status}" for m in months)

    add("reached", "株洲甲机械有限公司", "C3311", 3_000_000, M22)  # 2,700 万元 by September
    add("last_year", "攸县乙材料有限责任公司", "3311", 1_800_000, M21)  # 2,160 万元 in 2021
    add("last_year", "攸县乙材料有限公司", "3311", 1_000_000, M22)
    add("trade", "株洲丙商贸有限公司", "F5123", 5_000_000, M22)  # not industry
    add("likely", "株洲丁化工有限公司", "2614", 2_000_000, M22)  # 1,800 by September, 2,400 in the year
    add("new", "株洲戊新材料有限公司", "3985", 2_000_000, M22[5:])  # established May 2022
    add("closed", "株洲己旧厂", "3311", 5_000_000, M22, "注销")
    add("held", "株洲在库老厂有限公司", "3311", 5_000_000, M22)
    add("small", "株洲庚小厂", "3311", 50_000, M22)
    lines.append("合计,,,,,")
    tax = folder / "税务申报销售额.csv"
    tax.write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))
    reg = ["统一社会信用代码,企业名称,成立日期,登记状态,住所,登记机关,经营范围",
           f"{CODES['reached']},株洲甲机械有限公司,2015-03-01,存续,株洲市天元区,株洲市天元区市场监督管理局,制造",
           f"{CODES['new']},株洲戊新材料有限公司,2022-05-10,存续,株洲市天元区,株洲市天元区市场监督管理局,制造",
           f"{CODES['likely']},株洲丁化工有限公司,2010-01-01,存续,株洲市荷塘区新华路,株洲市市场监督管理局,化工"]
    registration = folder / "登记信息.csv"
    registration.write_text("\n".join(reg) + "\n", encoding="utf-8")
    power = folder / "用电量.csv"
    power.write_text("\n".join(["户号,户名,统一社会信用代码,月份,用电量（kWh）"]
                               + [f"0001,株洲甲机械有限公司,{CODES['reached']},{m},50000" for m in M22]) + "\n",
                     encoding="utf-8")
    return [tax, registration, power]
