"""The documents of a reward batch: the request (请示) with the list attached, the approval form (审批表),
the public-display list (公示名单), and a detail workbook for the city and for each county.

Rendered from editable templates (the workspace's 公文模板, else the shipped ones); never written over
an earlier version, since that one may have been signed.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

from toolkit.domain import gbt9704 as G
from toolkit.domain.money import capitals, decimal_text, figures, percent_text, share, wan, wan_column, wan_places, wan_text
from toolkit.domain.policy import Policy
from toolkit.domain.rewards import Batch, RewardLine, before_year_end, distinct, group_by_county
from toolkit.domain.reward_reasons import waiting_reasons
from toolkit.ports.files import NoOfficeSuite, TemplateProblem
from toolkit.ports.tools import tools
from toolkit.services.errors import UserError
from toolkit.services.documents import BLANK_DATE, cite, template_folder
from toolkit.services.workspace import BUILT_IN_TEMPLATES, Workspace

REWARDS_DIR_NAME = "奖励"
TEMPLATE_FILES = {"request": "奖励资金请示.docx", "form": "奖励资金审批表.docx", "display": "奖励公示名单.docx"}
BLANK_SPAN = "自　　年　　月　　日起至　　年　　月　　日止"


def _category(line: RewardLine) -> str:
    return f"{line.kind}（{line.tranche_label}）"


def _standards(policy: Policy) -> str:
    """新建投产、小升规企业分别奖励10万元、6万元（须当年形成税收），首期兑现50%、其余次年仍在库时兑现
    (就高: ``higher_text``)."""
    rewards = policy.rewards
    if not rewards:
        return ""
    kinds = "、".join(r.entry_kind for r in rewards)
    amounts = "、".join(wan_text(r.amount_yuan) for r in rewards)
    text = f"{kinds}企业{'分别' if len(rewards) > 1 else ''}奖励{amounts}"
    taxed = [r for r in rewards if r.requires_tax]
    if len(taxed) == len(rewards):
        text += "（须当年形成税收）"
    elif taxed:
        text += f"（{'、'.join(r.entry_kind for r in taxed)}须当年形成税收）"
    split = [r for r in rewards if r.split]
    if split:
        first = {percent_text(r.first_share) for r in split}
        text += f"，首期兑现{'/'.join(sorted(first))}、其余次年仍在库时兑现"
    return text


# how a 请示 says a deferral's reason to the government that approves it: in the words of the offices involved,
# not the ledger's short titles (“不在税务数据中” reads as if the firm paid no tax)
PLAIN_WAITING = {"J107": "税务部门暂无其当年税收数据", "J104": "尚未经统计部门确认", "J105": "税务部门数据尚未报来"}


def excluded_text(batch: Batch, unit_label: str) -> str:
    if not batch.exclusions:
        return "各{unit_label}申报的企业本批均符合兑现条件。".format(unit_label=unit_label)
    firms = distinct(batch.exclusions)  # a firm claimed by two counties is counted once
    later = [x for x in firms if x.later]
    final = [x for x in firms if not x.later]
    causes = Counter(x.group for x in final)  # by the exclusion's code (domain.reward_reasons)
    parts = [f"{cause}{n}家" for cause, n in causes.items()]
    text = f"另有{len(firms)}家（次）本批未予兑现"
    if parts:
        text += "：" + "，".join(parts)
    if later:
        reasons = waiting_reasons((x.code for x in later), PLAIN_WAITING)
        which = "该企业" if len(later) == 1 else f"这{len(later)}家"  # only the deferred may be added later
        text += ("，" if parts else "：") + f"暂缓{len(later)}家（{reasons}），{which}条件具备后可追加"
    return text + f"，已逐一反馈各{unit_label}核对。"


def early_text(batch: Batch) -> str:
    """What a batch approved before its year ended must say (a draft: made before the year ended)."""
    when = batch.approved_at or dt.datetime.now().isoformat(sep=" ")
    if not before_year_end(batch.year, when):
        return ""
    return (f"本批于{batch.year}年度结束前审批，企业当年税收以截至审批时税务部门的数据为准；"
            "当年税收尚未形成的企业暂缓兑现，全年数据定稿后按规定追加审批。")


def sharing_text(policy: Policy, counties: list[str] | None = None) -> str:
    """The 市县分担 rule in one sentence, counties with the same split named together; only ``counties`` (those
    paid in the batch) when given, “各区” then only when the batch pays every district."""
    splits: dict[tuple[float, float], list[str]] = {}
    for s in policy.cost_sharing:
        if counties is None or s.county in counties:
            splits.setdefault((s.city_share, s.county_share), []).append(s.county)
    everyone = [s.county for s in policy.cost_sharing]
    if not splits:
        return ""
    parts = [f"{_group_name(names, everyone)}{_ratio(city, county)}" for (city, county), names in splits.items()]
    if len(splits) == 1 and len(next(iter(splits.values()))) == len(everyone):  # one split for every county
        (city, county), = splits
        return f"奖励资金市、县分担比例为{_ratio(city, county)}。"
    return "奖励资金市、县分担比例为：" + "，".join(parts) + "。"


_SUFFIX_GROUPS = {frozenset("区"): "各区", frozenset("县"): "各县", frozenset("市"): "各市", frozenset("县市"): "各县市"}


def _group_name(names: list[str], everyone: list[str]) -> str:
    """“各区” when ``names`` are exactly the units whose names end in 区 (likewise 各县市, 各县, 各市) and more
    than one, else the names themselves."""
    suffixes = frozenset(name[-1] for name in names)
    label = _SUFFIX_GROUPS.get(suffixes)
    if label and len(names) > 1 and sorted(names) == sorted(n for n in everyone if n[-1] in suffixes):  # not “各市”
        return label
    return "、".join(names)


def _ratio(city: float, county: float) -> str:
    """5∶5, 3∶7 (tenths, as the plan writes them), or 50%∶50% where tenths are not exact."""
    tenths = [share(city) * 10, share(county) * 10]
    if all(t == t.to_integral_value() for t in tenths):
        return "∶".join(decimal_text(t) for t in tenths)
    return f"{percent_text(city)}∶{percent_text(county)}"


def higher_text(policy: Policy, counties: list[str] | None = None) -> str:
    """就高 in one sentence: which counties' own standards are higher, and who pays the difference; only
    ``counties`` (those paid in the batch) when given."""
    city = {r.entry_kind: r.amount_yuan for r in policy.rewards}
    higher = [p for p in policy.county_rewards if p.amount_yuan > city.get(p.entry_kind, p.amount_yuan)
              and (counties is None or p.county in counties)]
    if not higher:
        return ""
    named = "、".join(f"{p.county}（{p.entry_kind}{wan_text(p.amount_yuan)}）" for p in higher)
    if policy.reward_city_basis == "city_standard":
        who = "高出部分由县级承担"
    else:
        who = "按分担比例承担"
    return f"{named}县级标准较高，就高兑现，{who}。"


def contexts(batch: Batch, policy: Policy, number: str, day: dt.date | None) -> dict[str, dict]:
    settings = policy.document("reward_request")
    (county_totals, city) = batch.totals
    date = G.date_text(day) if day else BLANK_DATE
    batch_text = f"（第{batch.seq}批）" if batch.seq > 1 else ""
    numbered, groups, rows = 0, [], []
    by_county = {t.county: t for t in county_totals}
    places = wan_places(city.amount, city.city_amount, city.county_amount,
                        *(x for t in county_totals for x in (t.amount, t.city_amount, t.county_amount)))
    paid = group_by_county(batch.lines, batch.counties)
    for county, lines in paid.items():
        entries = []
        for line in sorted(lines, key=lambda x: (x.tranche == 2, x.name)):
            numbered += 1
            item = {"no": numbered, "county": county, "name": line.name, "uscc": line.uscc, "category": _category(line),
                    "kind": line.kind, "tranche": line.tranche_label,
                    "standard": figures(line.payable), "amount": figures(line.amount), "city": figures(line.city_amount),
                    "county_amount": figures(line.county_amount)}
            entries.append(item)
            rows.append(item)
        t = by_county[county]
        groups.append({"county": county, "lines": entries, "count": t.count, "amount": figures(t.amount),
                       "city": figures(t.city_amount), "county_amount": figures(t.county_amount),
                       "first": figures(t.first_amount), "second": figures(t.second_amount),
                       "amount_wan": wan_column(t.amount, places), "city_wan": wan_column(t.city_amount, places),
                       "county_wan": wan_column(t.county_amount, places)})
    first = f"{batch.year}年新入规企业首期奖励"
    second = f"{batch.year - 1}年入规企业第二期奖励"
    if city.first_count and city.second_count:
        breakdown = (f"其中{first}{city.first_count}家、{wan(city.first_amount)}万元，"
                     f"{second}{city.second_count}家、{wan(city.second_amount)}万元。")
    else:
        breakdown = f"均为{first if city.first_count else second}。"
    span = BLANK_SPAN
    if day:
        end = policy.working_days.span_end(day, policy.display_days)  # 节假日 sheet
        span = f"{G.date_text(day)}至{G.date_text(end)}"
    attachment = f"{batch.year}年度奖励资金拟兑现企业名单{batch_text}"
    common = {
        "year": batch.year, "prev_year": batch.year - 1, "batch_text": batch_text, "plan": cite(policy.plan_title),
        "unit_label": policy.unit_label, "signer": settings.signer, "date": date, "count": city.count,
        "total": figures(city.amount), "total_capitals": capitals(city.amount), "city_amount": figures(city.city_amount),
        "county_amount": figures(city.county_amount), "display_days": policy.display_days,
        "total_wan": wan(city.amount), "city_wan": wan(city.city_amount), "county_wan": wan(city.county_amount),
        "sum_wan": wan_column(city.amount, places), "sum_city_wan": wan_column(city.city_amount, places),
        "sum_county_wan": wan_column(city.county_amount, places),
        "contact": settings.contact or "联系人：　　　　，电话：　　　　", "attachment_title": attachment, "groups": groups,
    }
    request = {
        **common, "mark": settings.mark, "doc_number": number, "issuer_person": settings.issuer_person or "　　　",
        "recipients": settings.recipients, "standards": _standards(policy), "breakdown": breakdown,
        "excluded_text": excluded_text(batch, policy.unit_label) + early_text(batch),
        "sharing_text": sharing_text(policy, list(paid)),  # the counties of the batch, no others
        "higher_text": higher_text(policy, list(paid)), "copy_to": settings.copy_to or "无", "printer": settings.printer,
        "printed": date,
    }
    request_ref = f"{settings.signer}《关于拨付{batch.year}年度规模以上工业企业培育奖励资金{batch_text}的请示》"
    if number:
        request_ref += f"（{number}）"
    form = {**common, "city_capitals": capitals(city.city_amount), "county_capitals": capitals(city.county_amount),
            "first_total": figures(city.first_amount), "second_total": figures(city.second_amount),
            "request_ref": request_ref}
    display = {**common, "rows": rows, "display_span": span, "address": settings.address or "　" * 12,
               "email": settings.email or "　" * 8}
    return {"request": request, "form": form, "display": display}


def batch_folder(workspace: Workspace, batch: Batch) -> Path:
    return workspace.output / REWARDS_DIR_NAME / batch.label


def _sources(workspace: Workspace, templates: Path | None) -> dict[str, Path]:
    folder = template_folder(workspace, templates)
    sources = {}
    for key, name in TEMPLATE_FILES.items():
        sources[key] = folder / name
        if not sources[key].is_file():
            if templates is not None:
                raise UserError(f"模板文件夹“{folder}”中缺少“{name}”。可从工作区的“公文模板”文件夹复制。")
            sources[key] = BUILT_IN_TEMPLATES / name  # a workspace made before the reward templates existed
    return sources


def check_templates(workspace: Workspace, policy: Policy, batch: Batch, templates: Path | None) -> None:
    """Before a batch is approved: its documents can be written (templates present, every variable known)."""
    texts = contexts(batch, policy, "", None)
    for key, source in _sources(workspace, templates).items():
        try:
            tools().documents.check_docx(source, texts[key])
        except TemplateProblem as problem:
            raise UserError(str(problem) + "本批未审批。") from None


def write_batch(workspace: Workspace, policy: Policy, batch: Batch, *, day: dt.date | None, number: str,
                templates: Path | None, pdf: bool) -> tuple[Path, list[Path], str]:
    """Write the batch's documents and workbooks; returns (folder, files, why no PDF)."""
    sources = _sources(workspace, templates)
    out = batch_folder(workspace, batch)
    texts = contexts(batch, policy, number, day)
    names = {"request": f"{batch.label}奖励资金请示", "form": f"{batch.label}奖励资金审批表",
             "display": f"{batch.label}拟兑现企业名单公示"}
    files, workbooks = tools().files, tools().workbooks
    written: list[Path] = []
    for key in TEMPLATE_FILES:
        try:
            target = files.unused_path(out, names[key], ".docx", "（第{}版）")
            written.append(tools().documents.render_docx(sources[key], texts[key], target))
        except TemplateProblem as problem:
            raise UserError(str(problem)) from None
    now = dt.datetime.now().replace(microsecond=0)
    details = out / "明细"
    # the workbooks carry the 请示's signer and date (blank where the 请示's is), not the clock
    issued = {"created": now, "issuer": policy.document("reward_request").signer,
              "day": G.date_text(day) if day else ""}
    written.append(workbooks.write_reward_workbook(files.unused_path(details, f"{batch.label}奖励明细（全市）", ".xlsx",
                                                                     "（第{}版）"), batch, policy, None, **issued))
    for county in batch.counties:
        written.append(workbooks.write_reward_workbook(files.unused_path(details, f"{batch.label}奖励明细（{county}）",
                                                                         ".xlsx", "（第{}版）"),
                                                       batch, policy, county, **issued))
    problem = ""
    if pdf:
        for path in [p for p in written if p.suffix == ".docx"]:
            try:
                written.append(tools().documents.to_pdf(path, path.with_suffix(".pdf")))
            except NoOfficeSuite as error:
                problem = str(error)
                break
    return out, written, problem
