"""The documents of a reward batch: the request (请示) with the list attached, the approval form (审批表),
the public-display list (公示名单), and a detail workbook for the city and for each county.

Rendered from editable templates (the workspace's 公文模板, else the shipped ones); never written over
an earlier version, since that one may have been signed.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

from toolkit.adapters.atomic import unused_path
from toolkit.adapters.docx_render import TemplateProblem, check_docx, render_docx
from toolkit.adapters.office_pdf import NoOfficeSuite, to_pdf
from toolkit.adapters.reward_workbook import write_reward_workbook
from toolkit.domain import gbt9704 as G
from toolkit.domain.money import capitals, figures, wan_text
from toolkit.domain.policy import Policy
from toolkit.domain.rewards import Batch, RewardLine, distinct, group_by_county
from toolkit.services.errors import UserError
from toolkit.services.documents import BLANK_DATE, cite, template_folder
from toolkit.services.workspace import BUILT_IN_TEMPLATES, Workspace

REWARDS_DIR_NAME = "奖励"
TEMPLATE_FILES = {"request": "奖励资金请示.docx", "form": "奖励资金审批表.docx", "display": "奖励公示名单.docx"}
BLANK_SPAN = "自　　年　　月　　日起至　　年　　月　　日止"


def _category(line: RewardLine) -> str:
    return f"{line.kind}（{line.tranche_label}）"


def _standards(policy: Policy) -> str:
    """对新建投产且当年形成税收的企业奖励10万元、… ；首期兑现50%，剩余部分次年仍在库时兑现."""
    kinds = "，".join(f"对{r.entry_kind}{'且当年形成税收' if r.requires_tax else ''}的企业奖励{wan_text(r.amount_yuan)}"
                     for r in policy.rewards)
    split = [r for r in policy.rewards if r.split]
    if split:
        first = {f"{r.first_share:.0%}" for r in split}
        kinds += f"，首期兑现{'/'.join(sorted(first))}，剩余部分在第二年仍在库时兑现"
    own = [p for p in policy.county_rewards]
    if own:
        kinds += "；县市区已有扶持政策的，按就高原则兑现"
    return kinds


def excluded_text(batch: Batch, unit_label: str) -> str:
    if not batch.exclusions:
        return "本批申报企业均符合兑现条件。"
    firms = distinct(batch.exclusions)  # a firm claimed by two counties is counted once
    later = [x for x in firms if x.later]
    final = [x for x in firms if not x.later]
    causes = Counter(x.group for x in final)  # by the exclusion's code (domain.reward_reasons)
    parts = [f"{cause}的{n}家" for cause, n in causes.items()]
    text = f"{len(firms)}家（次）本批未予兑现"
    if parts:
        text += "：" + "，".join(parts)
    if later:
        text += ("，" if parts else "：") + f"待统计确认、认定归属或核验在库而暂缓的{len(later)}家"
    return text + f"。原因已在明细表中逐一列明，并反馈各{unit_label}核对。"


def contexts(batch: Batch, policy: Policy, number: str, day: dt.date | None) -> dict[str, dict]:
    settings = policy.document("reward_request")
    (county_totals, city) = batch.totals
    date = G.date_text(day) if day else BLANK_DATE
    batch_text = f"（第{batch.seq}批）" if batch.seq > 1 else ""
    numbered, groups, rows = 0, [], []
    by_county = {t.county: t for t in county_totals}
    for county, lines in group_by_county(batch.lines, batch.counties).items():
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
                       "city": figures(t.city_amount), "county_amount": figures(t.county_amount)})
    parts = []
    if city.first_count:
        parts.append(f"{batch.year}年新入规企业首期奖励{city.first_count}家、{figures(city.first_amount)}元")
    if city.second_count:
        parts.append(f"{batch.year - 1}年入规企业第二期奖励{city.second_count}家、{figures(city.second_amount)}元")
    breakdown = "；".join(parts) + "。"
    span = BLANK_SPAN
    if day:
        end = policy.working_days.span_end(day, policy.display_days)  # 节假日 sheet
        span = f"{G.date_text(day)}至{G.date_text(end)}"
    common = {
        "year": batch.year, "prev_year": batch.year - 1, "batch_text": batch_text, "plan": cite(policy.plan_title),
        "unit_label": policy.unit_label, "signer": settings.signer, "date": date, "count": city.count,
        "total": figures(city.amount), "total_capitals": capitals(city.amount), "city_amount": figures(city.city_amount),
        "county_amount": figures(city.county_amount), "display_days": policy.display_days,
        "contact": settings.contact or "联系人：　　　　，电话：　　　　",
    }
    request = {
        **common, "mark": settings.mark, "doc_number": number, "issuer_person": settings.issuer_person or "　　　",
        "recipients": settings.recipients, "standards": _standards(policy), "breakdown": breakdown,
        "excluded_text": excluded_text(batch, policy.unit_label),
        "attachment_title": f"{batch.year}年度奖励资金拟兑现企业名单{batch_text}",
        "groups": groups, "copy_to": settings.copy_to or "无", "printer": settings.printer, "printed": date,
    }
    form = {**common, "groups": groups, "city_capitals": capitals(city.city_amount),
            "county_capitals": capitals(city.county_amount)}
    display = {**common, "rows": rows, "display_span": span}
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
            check_docx(source, texts[key])
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
    written: list[Path] = []
    for key in TEMPLATE_FILES:
        try:
            written.append(render_docx(sources[key], texts[key], unused_path(out, names[key], ".docx", "（第{}版）")))
        except TemplateProblem as problem:
            raise UserError(str(problem)) from None
    now = dt.datetime.now().replace(microsecond=0)
    details = out / "明细"
    written.append(write_reward_workbook(unused_path(details, f"{batch.label}奖励明细（全市）", ".xlsx", "（第{}版）"),
                                         batch, policy, None, created=now))
    for county in batch.counties:
        written.append(write_reward_workbook(unused_path(details, f"{batch.label}奖励明细（{county}）", ".xlsx",
                                                         "（第{}版）"), batch, policy, county, created=now))
    problem = ""
    if pdf:
        for path in [p for p in written if p.suffix == ".docx"]:
            try:
                written.append(to_pdf(path, path.with_suffix(".pdf")))
            except NoOfficeSuite as error:
                problem = str(error)
                break
    return out, written, problem
