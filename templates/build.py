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
    _head(doc, "关于{{ period_label }}{{ total_label }}新增规模以上工业企业工作情况的通报")
    doc.paragraph("为加快培育规模以上工业企业，根据{{ plan }}要求，现将{{ period_label }}{{ total_label }}新增规模以上"
                  "工业企业工作情况通报如下：")
    doc.paragraph("一、总体情况", heading=1)
    doc.paragraph("{{ period_label }}，{{ city.scope }}新增规模以上工业企业{{ city.new }}家，其中新建投产{{ city.new_build }}家、"
                  "小升规{{ city.upgrade }}家；退库{{ city.exits }}家，{{ city.net_text }}。新增数完成{{ city.target_text }}"
                  "的{{ city.completion }}，{{ city.versus }}。{{ city.missing }}{{ city.pending }}")
    doc.paragraph("{{ reporting }}")
    doc.tag("{%p if screening %}")
    doc.paragraph("{{ screening }}")
    doc.tag("{%p endif %}")
    doc.paragraph("二、各{{ unit_label }}完成情况", heading=1)
    doc.paragraph("各{{ unit_label }}完成情况见下表（{{ rank_basis }}）。")
    doc.table(["排名", "{{ unit_label }}", "新增", "退库", "净增", "年度目标", "完成率", "{{ gap_header }}"],
              ["{{ r.rank }}", "{{ r.name }}", "{{ r.new }}", "{{ r.exits }}", "{{ r.net }}", "{{ r.target }}",
               "{{ r.completion }}", "{{ r.gap }}"],
              "for r in rows", [13, 27, 15, 15, 15, 22, 24, 25])
    doc.tag("{%p if province %}")
    doc.paragraph("{{ province }}")
    doc.tag("{%p endif %}")
    doc.tag("{%p if assessment %}")
    doc.paragraph("{{ assessment }}")
    doc.tag("{%p endif %}")
    doc.paragraph("三、下一步工作要求", heading=1)
    doc.paragraph("（一）对标对表抓进度。", heading=2)
    doc.paragraph("{{ follow_up }}")
    doc.paragraph("（二）应入尽入抓培育。", heading=2)
    doc.paragraph("对重点培育库中营业收入已达到规模以上标准的企业，要督促其及时申报入统，做到应入尽入；{{ screening_ask }}"
                  "对退规风险企业要落实“一企一策”帮扶措施，减少退库。")
    doc.paragraph("（三）实事求是抓统计。", heading=2)
    doc.paragraph("严格遵守统计法律法规，确保统计数据真实、准确、可靠，严禁统计造假。各{{ unit_label }}须按时报送报表，"
                  "报表经审核有误的，须改正后重新报送。")
    _foot(doc, "特此通报。")
    return doc


def praise() -> OfficialDocument:
    doc = OfficialDocument()
    _head(doc, "关于表扬{{ period_label }}新增规模以上工业企业工作成效明显{{ unit_label }}的通报")
    doc.paragraph("{{ period_label }}，各{{ unit_label }}认真贯彻落实{{ plan }}，扎实推进规模以上工业企业培育工作。"
                  "其中，{{ names }}{{ count_text }}工作措施有力、成效明显，目标完成率位居{{ total_label }}前列。"
                  "为表扬先进、激励担当，决定对{{ decided }}予以通报表扬。")
    doc.paragraph("一、受表扬{{ unit_label }}的主要成绩", heading=1)
    doc.repeat("c in praised", "{{ c.sentence }}", lead="{{ c.heading }}")
    doc.paragraph("二、希望和要求", heading=1)
    doc.paragraph("希望受到表扬的{{ unit_label }}珍惜荣誉、再接再厉，继续走在{{ total_label }}前列。其他{{ unit_label }}要以先进为榜样，"
                  "{{ benchmark }}，找差距、补短板，推动规模以上工业企业数量持续增长。")
    _foot(doc, "特此通报。")
    return doc


def criticism() -> OfficialDocument:
    doc = OfficialDocument()
    _head(doc, "关于对{{ period_label }}新增规模以上工业企业{{ subject }}{{ unit_label }}的通报批评")
    doc.paragraph("根据{{ plan }}和{{ period_label }}调度情况，{{ names }}{{ count_text }}{{ conduct }}，"
                  "{{ effect }}。为严明纪律、压实责任，决定对{{ decided }}予以通报批评。")
    doc.paragraph("一、基本情况", heading=1)
    doc.repeat("c in criticised", "{{ c.facts }}", lead="{{ c.heading }}")
    doc.paragraph("二、整改要求", heading=1)
    doc.paragraph("{{ warned }}要引以为戒、举一反三，认真分析原因，制定切实可行的整改措施，"
                  "于{{ reply_by }}将整改情况书面报送{{ reply_to }}。其他{{ unit_label }}要以此为鉴，"
                  "{{ others }}。")
    _foot(doc, "特此通报。")
    return doc


def reminder() -> OfficialDocument:
    """催报 is a 函 (信函格式): the authority's name without 文件 and red double rules, the number under the rule,
    who to call and where to send, 抄送 under the text; no 印发 line or rules (GB/T 9704 10.1)."""
    doc = OfficialDocument()
    doc.letterhead(HEAD[0])
    doc.letter_number(HEAD[1])
    doc.title("关于催报{{ period_label }}规模以上工业企业培育情况报表的函")
    doc.recipients("{{ recipients }}")
    doc.paragraph("按照规模以上工业企业培育工作调度安排，{{ period_label }}培育情况报表{{ due_text }}。{{ as_of }}，"
                  "{{ status_text }}")
    doc.repeat("c in missing", "{{ c.reason }}。", lead="{{ c.heading }}{{ c.name }}：")
    doc.paragraph("请{{ names }}于{{ reply_by }}按报表模板完成填报和校验后报送我局。报表中标为“错误”的问题须改正；"
                  "标为“提示”的问题须改正，或在“说明”栏写明理由。逾期未报的，将在工作情况通报中予以说明。")
    doc.paragraph("报送地址：{{ address }}；电子邮箱：{{ email }}。")
    doc.closing("特此函告。")
    doc.signature("{{ signer }}", "{{ date }}")
    doc.note("（{{ contact }}）")
    doc.blank(1)
    doc.paragraph("抄送：{{ copy_to }}。", indent=False)
    return doc


def dispatch() -> OfficialDocument:
    """月度调度通报: the month's progress and the counties' table with the year's forecast, the pipeline (pool firms
    to push, at-risk firms without measures, overdue problems by 交办单位), 应入尽入, then next steps."""
    doc = OfficialDocument()
    _head(doc, "关于{{ period_label }}规模以上工业企业培育工作调度情况的通报")
    doc.paragraph("根据{{ plan }}关于定期调度通报的要求，现将{{ period_label }}{{ total_label }}规模以上工业企业培育工作"
                  "调度情况通报如下：")
    doc.paragraph("一、总体进展", heading=1)
    doc.paragraph("{{ period_label }}，{{ city.scope }}新增规模以上工业企业{{ city.new }}家，其中新建投产{{ city.new_build }}家、"
                  "小升规{{ city.upgrade }}家；退库{{ city.exits }}家，{{ city.net_text }}。新增数完成{{ city.target_text }}"
                  "的{{ city.completion }}，{{ city.versus }}。{{ city.missing }}{{ city.pending }}")
    doc.paragraph("{{ reporting }}")
    doc.paragraph("各{{ unit_label }}进展和全年预计新增情况见下表。")
    doc.grid(["{{ unit_label }}", "新增", "退库", "净增", "年度目标", "完成率", "预计全年新增", "预计区间"],
             ["{%tr for r in rows %}",
              ["{{ r.name }}", "{{ r.new }}", "{{ r.exits }}", "{{ r.net }}", "{{ r.target }}", "{{ r.completion }}",
               "{{ r.point }}", "{{ r.range }}"],
              "{%tr endfor %}",
              ["{{ total.name }}", "{{ total.new }}", "{{ total.exits }}", "{{ total.net }}", "{{ total.target }}",
               "{{ total.completion }}", "{{ total.point }}", "{{ total.range }}"]],
             [26, 14, 14, 14, 20, 22, 22, 24], bold=(3,))
    doc.paragraph("二、全年预测", heading=1)
    doc.paragraph("{{ forecast }}")
    doc.tag("{%p if short %}")
    doc.paragraph("{{ short }}")
    doc.tag("{%p endif %}")
    doc.paragraph("三、培育工作推进情况", heading=1)
    doc.paragraph("{{ pool }}")
    doc.tag("{%p if projects %}")
    doc.paragraph("{{ projects }}")
    doc.tag("{%p endif %}")
    doc.paragraph("{{ ledger }}")
    doc.tag("{%p if screening %}")
    doc.paragraph("{{ screening }}")
    doc.tag("{%p endif %}")
    doc.paragraph("四、下一步工作要求", heading=1)
    doc.repeat("s in steps", "{{ s.text }}", lead="{{ s.heading }}")
    _foot(doc, "特此通报。")
    return doc


FIRM_ROWS = ["{%tr for g in groups %}", "{%tr for r in g.lines %}",
             ["{{ r.no }}", "{{ r.county }}", "{{ r.name }}", "{{ r.uscc }}", "{{ r.kind }}", "{{ r.tranche }}",
              "{{ r.amount }}"],
             "{%tr endfor %}",
             ["", "{{ g.county }}", "小计（{{ g.count }}家）", "", "", "", "{{ g.amount }}"],
             "{%tr endfor %}",
             ["", "合计", "{{ count }}家（次）", "", "", "", "{{ total }}"]]
FIRM_HEADERS = ["序号", "{{ unit_label }}", "企业名称", "统一社会信用代码", "奖励类别", "期次", "本次兑现（元）"]
LANDSCAPE_WIDTHS = [12, 22, 80, 46, 26, 14, 25]  # across the 225 mm of a turned page; fitted to the rows


def reward_request() -> OfficialDocument:
    """请示: one matter, one main recipient, 签发人 beside the number; a body a leader takes in at one read
    (totals in 万元 with capitals, a table by county, the sharing rule and 就高 in a sentence each, what is
    not paid and why), ending 妥否，请批示。; the firm list attached on turned pages."""
    doc = OfficialDocument()
    doc.mark(HEAD[0])
    doc.number_and_signer(HEAD[1], "{{ issuer_person }}")
    doc.title("关于拨付{{ year }}年度规模以上工业企业培育奖励资金{{ batch_text }}的请示")
    doc.recipients("{{ recipients }}")
    doc.paragraph("根据{{ plan }}，经{{ unit_label }}申报、统计部门确认、税务部门核实，{{ year }}年度奖励资金"
                  "{{ batch_text }}拟兑现{{ count }}家（次）、{{ total_wan }}万元（{{ total_capitals }}），"
                  "{{ breakdown }}各{{ unit_label }}情况如下：")
    doc.grid(["{{ unit_label }}", "企业（家）", "奖励资金", "市级承担", "县级承担"],
             ["{%tr for g in groups %}",
              ["{{ g.county }}", "{{ g.count }}", "{{ g.amount_wan }}", "{{ g.city_wan }}", "{{ g.county_wan }}"],
              "{%tr endfor %}",
              ["合计", "{{ count }}", "{{ sum_wan }}", "{{ sum_city_wan }}", "{{ sum_county_wan }}"]],
             [40, 26, 30, 30, 30], size_pt=12, bold=(3,), unit="单位：万元", row_pt=15,
             together=True)
    doc.paragraph("{{ excluded_text }}")
    doc.paragraph("{{ sharing_text }}{{ higher_text }}市、县承担部分由本级财政安排，名单公示{{ display_days }}"
                  "个工作日无异议后拨付到企业。")
    doc.closing("妥否，请批示。")
    doc.attachment_note("附件：{{ attachment_title }}")
    doc.signature("{{ signer }}", "{{ date }}")
    doc.note("（{{ contact }}）")
    doc.landscape_attachment("附件", "{{ attachment_title }}")
    doc.grid(FIRM_HEADERS, FIRM_ROWS, LANDSCAPE_WIDTHS, size_pt=10.5, bold=(4, 6))
    doc.paragraph("合计金额（大写）：{{ total_capitals }}", indent=False)
    doc.imprint("抄送：{{ copy_to }}。", "{{ printer }}", "{{ printed }}印发")
    return doc


def approval_form() -> FormDocument:
    """审批表: a form, not a 公文 (A4 landscape, the official fonts). Page 1 is what is signed: the totals by
    county, the sum in figures and capitals, where the money comes from and on what basis, and the boxes
    for the opinions; the firm list behind the totals follows as its attachment."""
    doc = FormDocument()
    doc.title("{{ year }}年度规模以上工业企业培育奖励资金审批表{{ batch_text }}")
    doc.line("填报单位：{{ signer }}", "金额单位：元")
    doc.grid(["{{ unit_label }}", "企业（家）", "首期", "第二期", "本次兑现", "市级承担", "县级承担"],
             ["{%tr for g in groups %}",
              ["{{ g.county }}", "{{ g.count }}", "{{ g.first }}", "{{ g.second }}", "{{ g.amount }}", "{{ g.city }}",
               "{{ g.county_amount }}"],
              "{%tr endfor %}",
              ["合计", "{{ count }}", "{{ first_total }}", "{{ second_total }}", "{{ total }}", "{{ city_amount }}",
               "{{ county_amount }}"]],
             [40, 26, 34, 34, 41, 41, 41], bold=(3,), together=True)
    doc.line("合计金额（大写）：{{ total_capitals }}（其中市级承担{{ city_capitals }}，县级承担{{ county_capitals }}）",
             font="黑体")
    doc.line("资金来源：市级承担部分由市级财政安排，县级承担部分由各{{ unit_label }}财政安排。")
    doc.line("审批依据：{{ plan }}；{{ request_ref }}。")
    doc.sign_off(["经办人", "审核人", "分管领导意见", "主要领导意见"], weights=[1, 1, 2, 2])  # room for an opinion
    doc.attachment("附件", "{{ year }}年度奖励资金兑现企业明细{{ batch_text }}")
    # kind and tranche in two short columns and 10 pt: the names stay on one line across the landscape page
    doc.grid(["序号", "企业名称", "统一社会信用代码", "{{ unit_label }}", "类别", "期次", "奖励标准", "本次兑现", "市级承担",
              "县级承担"],
             ["{%tr for g in groups %}", "{%tr for r in g.lines %}",
              ["{{ r.no }}", "{{ r.name }}", "{{ r.uscc }}", "{{ r.county }}", "{{ r.kind }}", "{{ r.tranche }}",
               "{{ r.standard }}", "{{ r.amount }}", "{{ r.city }}", "{{ r.county_amount }}"],
              "{%tr endfor %}",
              ["", "{{ g.county }}小计（{{ g.count }}家）", "", "", "", "", "", "{{ g.amount }}", "{{ g.city }}",
               "{{ g.county_amount }}"],
              "{%tr endfor %}",
              ["", "合计（{{ count }}家）", "", "", "", "", "", "{{ total }}", "{{ city_amount }}", "{{ county_amount }}"]],
             [12, 60, 46, 20, 20, 14, 21, 22, 21, 21], size_pt=10, bold=(4, 6))
    return doc


def display_list() -> OfficialDocument:
    """公示: posted before payment; the text, where to object and the bureau's name and date first, the list
    as its attachment; no 版头 or 版记."""
    doc = OfficialDocument()
    doc.title("关于{{ year }}年度规模以上工业企业培育奖励资金拟兑现企业名单{{ batch_text }}的公示", blank_before=1)
    doc.paragraph("根据{{ plan }}，经各{{ unit_label }}申报、统计部门确认入规名单和税务部门核实当年税收，拟对"
                  "{{ count }}家（次）企业兑现{{ year }}年度规模以上工业企业培育奖励资金共{{ total_wan }}万元，名单见附件，"
                  "现予公示。")
    doc.paragraph("公示期为{{ display_days }}个工作日（{{ display_span }}）。公示期间，任何单位和个人对名单有异议的，"
                  "可以书面形式向{{ signer }}反映，写明真实姓名和联系方式，并提供必要的证明材料。")
    doc.paragraph("通讯地址：{{ address }}；电子邮箱：{{ email }}；{{ contact }}。")
    doc.attachment_note("附件：{{ attachment_title }}")
    doc.signature("{{ signer }}", "{{ date }}")
    doc.landscape_attachment("附件", "{{ attachment_title }}")
    doc.grid(["序号", "{{ unit_label }}", "企业名称", "统一社会信用代码", "奖励类别", "期次", "拟兑现金额（元）"],
             ["{%tr for r in rows %}",
              ["{{ r.no }}", "{{ r.county }}", "{{ r.name }}", "{{ r.uscc }}", "{{ r.kind }}", "{{ r.tranche }}",
               "{{ r.amount }}"],
              "{%tr endfor %}",
              ["", "合计", "{{ count }}家（次）", "", "", "", "{{ total }}"]],
             LANDSCAPE_WIDTHS, size_pt=10.5, bold=(3,))
    return doc


TEMPLATES = {"工作情况通报.docx": bulletin, "表扬通报.docx": praise, "通报批评.docx": criticism, "催报通知.docx": reminder,
             "调度通报.docx": dispatch,
             "奖励资金请示.docx": reward_request, "奖励资金审批表.docx": approval_form, "奖励公示名单.docx": display_list}


def build(folder: Path = HERE) -> list[Path]:
    return [make().save(folder / name) for name, make in TEMPLATES.items()]


if __name__ == "__main__":
    for path in build():
        print(path.relative_to(HERE.parent))
