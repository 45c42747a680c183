"""Build the editable notice templates in this folder (run `make templates`).

Each .docx is a GB/T 9704 document whose text carries Jinja tags for docxtpl. Staff may then change
the wording in Word: every tag sits in a run of its own, block tags ({%p %}, {%tr %}) on paragraphs
or rows of their own. The variables each template receives are listed in the README.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from toolkit.adapters.gbt9704_docx import FormDocument, OfficialDocument  # noqa: E402

HEAD = ("{{ mark }}", "{{ doc_number }}")
LIST_WIDTHS = [13, 19, 60, 22, 16, 26]  # a list of enterprises across the 156 mm type area


def _head(doc: OfficialDocument, title: str) -> None:
    doc.mark(HEAD[0])
    doc.number(HEAD[1])
    doc.title(title)
    doc.recipients("{{ recipients }}")


def _foot(doc: OfficialDocument, closing: str) -> None:
    doc.closing(closing)
    doc.signature("{{ signer }}", "{{ date }}")
    doc.note("（{{ disclosure }}）")
    doc.imprint("抄送：{{ copy_to }}。", "{{ printer }}", "{{ printed }}印发")


def bulletin() -> OfficialDocument:
    doc = OfficialDocument()
    _head(doc, "关于{{ period_label }}全市新增规模以上工业企业工作情况的通报")
    doc.paragraph("为加快培育规模以上工业企业，根据{{ plan }}要求，现将{{ period_label }}{{ total_label }}新增规模以上"
                  "工业企业工作情况通报如下：")
    doc.paragraph("一、总体情况", heading=1)
    doc.paragraph("{{ period_label }}，{{ city.scope }}新增规模以上工业企业{{ city.new }}家，其中新建投产{{ city.new_build }}家、"
                  "小升规{{ city.upgrade }}家；退库{{ city.exits }}家，净增{{ city.net }}家。新增数完成年度目标"
                  "{{ city.target }}家的{{ city.completion }}，{{ city.versus }}（时序进度{{ progress }}）。{{ city.missing }}")
    doc.paragraph("{{ reporting }}")
    doc.paragraph("二、各{{ unit_label }}完成情况", heading=1)
    doc.paragraph("各{{ unit_label }}完成情况见下表（{{ rank_basis }}，未受理的{{ unit_label }}列在最后）。")
    doc.table(["排名", "{{ unit_label }}", "新增", "退库", "净增", "年度目标", "完成率", "较时序进度"],
              ["{{ r.rank }}", "{{ r.name }}", "{{ r.new }}", "{{ r.exits }}", "{{ r.net }}", "{{ r.target }}",
               "{{ r.completion }}", "{{ r.gap }}"],
              "for r in rows", [13, 27, 15, 15, 15, 22, 24, 25])
    doc.paragraph("三、下一步工作要求", heading=1)
    doc.paragraph("（一）对标对表抓进度。", heading=2)
    doc.paragraph("{{ assessment }}各{{ unit_label }}要对照年度目标和时序进度，逐企业梳理入规计划，进度滞后的要查找原因、"
                  "倒排工期，确保完成全年目标任务。")
    doc.paragraph("（二）应入尽入抓培育。", heading=2)
    doc.paragraph("对重点培育库中营业收入已达到规模以上标准的企业，要督促其及时申报入统，做到应入尽入；对退规风险企业要落实"
                  "“一企一策”帮扶措施，减少退库。")
    doc.paragraph("（三）实事求是抓统计。", heading=2)
    doc.paragraph("严格遵守统计法律法规，确保统计数据真实、准确、可靠，严禁统计造假。各{{ unit_label }}须按时报送报表，"
                  "报表“错误”须改正后重新报送。")
    _foot(doc, "特此通报。")
    return doc


def praise() -> OfficialDocument:
    doc = OfficialDocument()
    _head(doc, "关于表扬{{ period_label }}新增规模以上工业企业工作成效明显{{ unit_label }}的通报")
    doc.paragraph("{{ period_label }}，各{{ unit_label }}认真贯彻落实{{ plan }}，扎实推进规模以上工业企业培育工作。"
                  "其中，{{ names }}{{ count_text }}工作措施有力、成效明显，目标完成率位居{{ total_label }}前列。"
                  "为表扬先进、激励担当，决定对以上{{ unit_label }}予以通报表扬。")
    doc.paragraph("一、受表扬{{ unit_label }}的主要成绩", heading=1)
    doc.repeat("c in praised", "{{ c.heading }}{{ c.sentence }}")
    doc.paragraph("二、希望和要求", heading=1)
    doc.paragraph("希望受到表扬的{{ unit_label }}珍惜荣誉、再接再厉，继续走在{{ total_label }}前列。其他{{ unit_label }}要以先进为榜样，"
                  "对照目标任务和时序进度，找差距、补短板，推动规模以上工业企业数量持续增长。")
    _foot(doc, "特此通报。")
    return doc


def criticism() -> OfficialDocument:
    doc = OfficialDocument()
    _head(doc, "关于对{{ period_label }}新增规模以上工业企业{{ subject }}{{ unit_label }}的通报批评")
    doc.paragraph("根据{{ plan }}和{{ period_label }}调度情况，{{ names }}{{ count_text }}{{ conduct }}，"
                  "影响了{{ total_label }}目标任务的完成。为严明纪律、压实责任，决定对以上{{ unit_label }}"
                  "予以通报批评。")
    doc.paragraph("一、基本情况", heading=1)
    doc.repeat("c in criticised", "{{ c.heading }}{{ c.facts }}")
    doc.paragraph("二、整改要求", heading=1)
    doc.paragraph("被通报批评的{{ unit_label }}要引以为戒、举一反三，认真分析原因，制定切实可行的整改措施，"
                  "于{{ reply_by }}将整改情况书面报送{{ reply_to }}。其他{{ unit_label }}要以此为鉴，"
                  "确保完成全年目标任务。")
    _foot(doc, "特此通报。")
    return doc


def reminder() -> OfficialDocument:
    doc = OfficialDocument()
    _head(doc, "关于催报{{ period_label }}规模以上工业企业培育情况报表的通知")
    doc.paragraph("按照规模以上工业企业培育工作调度安排，各{{ unit_label }}应按时报送{{ period_label }}培育情况报表。"
                  "截至{{ today }}，以下{{ unit_label }}尚未按要求报送：")
    doc.repeat("c in missing", "{{ c.heading }}{{ c.name }}：{{ c.reason }}。")
    doc.paragraph("请以上{{ unit_label }}高度重视，于{{ reply_by }}按模板要求完成填报和校验，报送{{ reply_to }}。"
                  "报表“错误”须改正，“提示”须改正或在“说明”中写明。逾期未报的，将在工作情况通报中予以说明。")
    _foot(doc, "特此通知。")
    return doc


def reward_request() -> OfficialDocument:
    """请示: one matter, one main recipient, 签发人 beside the number, ends with 妥否，请批示。, the list attached."""
    doc = OfficialDocument()
    doc.mark(HEAD[0])
    doc.number_and_signer(HEAD[1], "{{ issuer_person }}")
    doc.title("关于拨付{{ year }}年度规模以上工业企业培育奖励资金{{ batch_text }}的请示")
    doc.recipients("{{ recipients }}")
    doc.paragraph("{{ plan }}明确：{{ standards }}。经各{{ unit_label }}申报、统计部门确认入规名单、税务部门核实当年税收，"
                  "现将{{ year }}年度奖励资金{{ batch_text }}兑现事项请示如下：")
    doc.paragraph("一、拟兑现情况", heading=1)
    doc.paragraph("本批拟兑现{{ count }}家（次），奖励资金{{ total }}元（{{ total_capitals }}）。其中，{{ breakdown }}"
                  "按市县分担比例，市级承担{{ city_amount }}元，县级承担{{ county_amount }}元。")
    doc.paragraph("二、未予兑现情况", heading=1)
    doc.paragraph("{{ excluded_text }}")
    doc.paragraph("三、资金安排", heading=1)
    doc.paragraph("市级承担的{{ city_amount }}元拟由市级财政安排，县级承担的{{ county_amount }}元由各{{ unit_label }}财政安排。"
                  "拨付前，拟兑现企业名单公示{{ display_days }}个工作日，公示无异议后拨付到企业。")
    doc.closing("妥否，请批示。")
    doc.attachment_note("附件：{{ attachment_title }}")
    doc.signature("{{ signer }}", "{{ date }}")
    doc.note("（{{ contact }}）")
    doc.attachment("附件", "{{ attachment_title }}")
    doc.grid(["序号", "{{ unit_label }}", "企业名称", "奖励类别", "期次", "本次兑现（元）"],
             ["{%tr for g in groups %}", "{%tr for r in g.lines %}",
              ["{{ r.no }}", "{{ r.county }}", "{{ r.name }}", "{{ r.kind }}", "{{ r.tranche }}", "{{ r.amount }}"],
              "{%tr endfor %}",
              ["", "{{ g.county }}", "小计", "", "{{ g.count }}家", "{{ g.amount }}"],
              "{%tr endfor %}",
              ["", "合计", "", "", "{{ count }}家", "{{ total }}"]],
             LIST_WIDTHS, size_pt=12, bold=(4, 6))
    doc.imprint("抄送：{{ copy_to }}。", "{{ printer }}", "{{ printed }}印发")
    return doc


def approval_form() -> FormDocument:
    """审批表: a form, not a 公文 (A4 landscape, the official fonts), signed in its boxes."""
    doc = FormDocument()
    doc.title("{{ year }}年度规模以上工业企业培育奖励资金审批表{{ batch_text }}")
    doc.line("填报单位：{{ signer }}", "金额单位：元")
    doc.grid(["序号", "企业名称", "统一社会信用代码", "{{ unit_label }}", "奖励类别", "奖励标准", "本次兑现", "市级承担",
              "县级承担"],
             ["{%tr for g in groups %}", "{%tr for r in g.lines %}",
              ["{{ r.no }}", "{{ r.name }}", "{{ r.uscc }}", "{{ r.county }}", "{{ r.category }}", "{{ r.standard }}",
               "{{ r.amount }}", "{{ r.city }}", "{{ r.county_amount }}"],
              "{%tr endfor %}",
              ["", "{{ g.county }}小计（{{ g.count }}家）", "", "", "", "", "{{ g.amount }}", "{{ g.city }}",
               "{{ g.county_amount }}"],
              "{%tr endfor %}",
              ["", "合计（{{ count }}家）", "", "", "", "", "{{ total }}", "{{ city_amount }}", "{{ county_amount }}"]],
             [12, 56, 50, 20, 34, 19, 22, 22, 22], bold=(4, 6))
    doc.line("合计金额（大写）：{{ total_capitals }}", font="黑体")
    doc.line("其中市级承担：{{ city_capitals }}；县级承担：{{ county_capitals }}")
    doc.sign_off([("经办人", "签字：　　　　　年　　月　　日"), ("审核人", "签字：　　　　　年　　月　　日"),
                  ("分管领导意见", "签字：　　　　　年　　月　　日"), ("主要领导意见", "签字：　　　　　年　　月　　日")])
    return doc


def display_list() -> OfficialDocument:
    """公示名单: posted before payment; the bureau's name and date, no 版头 or 版记."""
    doc = OfficialDocument()
    doc.title("关于{{ year }}年度规模以上工业企业培育奖励资金拟兑现企业名单{{ batch_text }}的公示")
    doc.paragraph("根据{{ plan }}，经各{{ unit_label }}申报、统计部门确认入规名单和税务部门核实当年税收，拟对以下"
                  "{{ count }}家（次）企业兑现{{ year }}年度规模以上工业企业培育奖励资金共{{ total }}元，现予公示。")
    doc.paragraph("公示期为{{ display_days }}个工作日（{{ display_span }}）。公示期间，对名单有异议的，请以书面形式向"
                  "{{ signer }}反映，并提供必要的证明材料。{{ contact }}")
    doc.blank(1)
    doc.grid(["序号", "{{ unit_label }}", "企业名称", "奖励类别", "期次", "拟兑现金额（元）"],
             ["{%tr for r in rows %}",
              ["{{ r.no }}", "{{ r.county }}", "{{ r.name }}", "{{ r.kind }}", "{{ r.tranche }}", "{{ r.amount }}"],
              "{%tr endfor %}"],
             LIST_WIDTHS, size_pt=12)
    doc.signature("{{ signer }}", "{{ date }}")
    return doc


TEMPLATES = {"工作情况通报.docx": bulletin, "表扬通报.docx": praise, "通报批评.docx": criticism, "催报通知.docx": reminder,
             "奖励资金请示.docx": reward_request, "奖励资金审批表.docx": approval_form, "奖励公示名单.docx": display_list}


def build(folder: Path = HERE) -> list[Path]:
    return [make().save(folder / name) for name, make in TEMPLATES.items()]


if __name__ == "__main__":
    for path in build():
        print(path.relative_to(HERE.parent))
