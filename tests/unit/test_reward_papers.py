"""#36, the reward papers a 秘书科 reviewer signs: only the batch's counties in the 请示, every deferral reason
stated, a firm two counties claim counted once in the city's 汇总, the workbook headed by the issuer and the
请示's date, opinion boxes with room to write, and amounts kept on one line."""

from __future__ import annotations

import datetime as dt

import openpyxl
from docx.oxml.ns import qn

from toolkit.adapters.gbt9704_docx import WORD_JOINER, FormDocument, OfficialDocument, finish
from toolkit.adapters.reward_workbook import write_reward_workbook
from toolkit.demo.zhuzhou_policy import zhuzhou_policy
from toolkit.domain import reward_reasons as R
from toolkit.domain.rewards import Batch, Exclusion, RewardLine, disputed
from toolkit.services.reward_documents import excluded_text, higher_text, sharing_text

SAMPLE = {"claimants": "天元区、株洲经开区", "year": 2022, "month": "2022-11", "through": "2022-06", "said": "0万元",
          "why": "渌口区尚无2023年已受理的报表"}


def _line(county: str, uscc: str) -> RewardLine:
    return RewardLine(uscc, f"{county}企业", county, "新建投产", 2022, "2022-03", 1, 50_000, 25_000, 100_000,
                      100_000, 0, "规则", "来源")


def _claim(county: str, why: R.ReasonKind = R.PENDING_ATTRIBUTION, uscc: str = "U1") -> Exclusion:
    return Exclusion.of(why, uscc=uscc, name="株洲株瑞丰电子元件有限责任公司", county=county, kind="新建投产",
                        entry_year=2022, tranche=1, source=f"{county}报表",
                        **{p: SAMPLE[p] for p in why.parameters})


def test_the_request_speaks_only_of_the_counties_in_the_batch():
    policy = zhuzhou_policy()
    assert higher_text(policy, ["天元区", "渌口区"]) == ""  # 醴陵市 and 攸县 are not paid in this batch
    assert higher_text(policy, ["天元区", "醴陵市"]) == "醴陵市（新建投产15万元）县级标准较高，就高兑现，高出部分由县级承担。"
    assert sharing_text(policy, ["天元区", "渌口区"]) == "奖励资金市、县分担比例为：天元区、渌口区5∶5。"
    assert sharing_text(policy, ["天元区", "醴陵市"]) == "奖励资金市、县分担比例为：天元区5∶5，醴陵市3∶7。"
    assert sharing_text(policy, policy.county_names) == sharing_text(policy)  # every county: the groups' names


def test_every_deferral_reason_is_stated_in_the_request():
    deferred = [_claim("荷塘区", kind, f"U{i}") for i, kind in enumerate(R.KINDS.values()) if kind.later]
    text = excluded_text(Batch(2022, 1, [], deferred, [], ["荷塘区"]), "县市区")
    plain = {"J107": "税务部门暂无其当年税收数据", "J104": "尚未经统计部门确认", "J105": "税务部门数据尚未报来"}
    assert all(f"{plain.get(kind.code, kind.title)}1家" in text for kind in R.KINDS.values() if kind.later), text
    # J107 in the tax office's terms, not the ledger's title (which reads as if the firm paid no tax); only the
    # deferred firms may be added later, which the sentence says of them alone
    assert "税务部门暂无其当年税收数据1家" in text and "不在税务数据中" not in text
    count = sum(1 for kind in R.KINDS.values() if kind.later)
    assert f"），这{count}家条件具备后可追加" in text


def test_a_firm_two_counties_claim_counts_once_and_under_neither_in_the_city_summary(tmp_path):
    policy = zhuzhou_policy()
    claims = [_claim("天元区"), _claim("株洲经开区")]
    taxless = _claim("天元区", R.NOT_ON_TAX_LIST, "U2")
    own, shared = disputed([*claims, taxless])
    assert own == [taxless] and [x.county for x in shared] == ["天元区、株洲经开区"]
    batch = Batch(2022, 1, [_line("天元区", "L1"), _line("渌口区", "L2")], [*claims, taxless], [],
                  policy.county_names, approved_at="2026-12-07 10:00:00")
    path = write_reward_workbook(tmp_path / "全市.xlsx", batch, policy, None, created=dt.datetime(2026, 12, 7),
                                 issuer="株洲市工业和信息化局", day="2023年3月15日")
    sheet = openpyxl.load_workbook(path)["汇总"]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=5, values_only=True) if r[0]}
    assert rows["天元区"][8] == 1 and rows["株洲经开区"][8] == 0 and rows["归属待认定"][8] == 1
    counties = [r[8] for name, r in rows.items() if name in policy.county_names or name == "归属待认定"]
    assert sum(counties) == 2 == len(list(openpyxl.load_workbook(path)["未兑现"].iter_rows(min_row=4)))
    assert any("不计入任何县市区" in str(r[0]) for r in rows.values())
    county = write_reward_workbook(tmp_path / "株洲经开区.xlsx", batch, policy, "株洲经开区", issuer="株洲市工业和信息化局")
    own_rows = {r[0]: r for r in openpyxl.load_workbook(county)["汇总"].iter_rows(min_row=5, values_only=True) if r[0]}
    assert own_rows["株洲经开区"][8] == 1  # the county's own workbook shows its claim


def test_every_sheet_is_headed_by_the_issuer_and_the_date_of_the_request(tmp_path):
    policy = zhuzhou_policy()
    batch = Batch(2022, 1, [_line("天元区", "L1")], [], [], policy.county_names, approved_at="2026-12-07 10:00:00")
    path = write_reward_workbook(tmp_path / "全市.xlsx", batch, policy, None, created=dt.datetime(2026, 12, 7),
                                 issuer="株洲市工业和信息化局", day="2023年3月15日")
    book = openpyxl.load_workbook(path)
    for sheet in ("汇总", "兑现明细", "未兑现", "核对差异", "计算规则"):
        heading = " ".join(str(c) for row in book[sheet].iter_rows(max_row=2, values_only=True) for c in row if c)
        assert "株洲市工业和信息化局　2023年3月15日" in heading, (sheet, heading)
        assert "guishang" not in heading and "2026" not in heading, (sheet, heading)
    undated = write_reward_workbook(tmp_path / "未署日期.xlsx", batch, policy, None, issuer="株洲市工业和信息化局")
    assert "株洲市工业和信息化局　　　年　　月　　日" in openpyxl.load_workbook(undated)["汇总"]["A2"].value


def test_the_opinion_boxes_have_room_for_an_opinion(tmp_path):
    form = FormDocument()
    form.sign_off(["经办人", "审核人", "分管领导意见", "主要领导意见"], weights=[1, 1, 2, 2])
    row = form.doc.tables[0].rows[0]
    assert row.height.mm >= 39  # four lines of handwriting under the label, the signature line under them
    widths = [cell.width.mm for cell in row.cells]
    assert widths[2] == widths[3] > 1.9 * widths[0]
    room = row.cells[2].paragraphs[1].paragraph_format.line_spacing.pt
    assert room >= 4 * 17  # four written lines of about 6 mm
    clerk = [p.text for p in row.cells[0].paragraphs]
    assert clerk[-2:] == ["签字：", "年　　月　　日"]  # too narrow for one line: the date under the signature


def test_an_amount_and_its_capitals_are_joined_so_no_line_breaks_inside():
    doc = OfficialDocument()
    doc.paragraph("拟兑现218家（次）、905万元（人民币玖佰零伍万元整），其中1,250,000元由县级承担。")
    finish(doc.doc)
    runs = doc.doc.paragraphs[0].runs
    joined = [r.text for r in runs if WORD_JOINER in r.text]
    assert WORD_JOINER.join("人民币玖佰零伍万元整") in joined and f"{WORD_JOINER}万{WORD_JOINER}元" in joined
    assert all(r._r.rPr.find(qn("w:lang")).get(qn("w:val")) == "en-US" for r in runs if WORD_JOINER in r.text)
    assert "".join(r.text for r in runs).replace(WORD_JOINER, "") == \
        "拟兑现218家（次）、905万元（人民币玖佰零伍万元整），其中1,250,000元由县级承担。"
    finish(doc.doc)  # twice: nothing joined again
    assert "".join(r.text for r in doc.doc.paragraphs[0].runs).count(WORD_JOINER) == 9 + 2 + 1


def test_the_display_list_ends_with_its_total_row():
    from templates.build import display_list

    table = display_list().doc.tables[-1]
    assert [c.text for c in table.rows[-1].cells] == ["", "合计", "{{ count }}家（次）", "", "", "", "{{ total }}"]
