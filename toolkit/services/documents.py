"""What every official document shares: the template folder, how a document is cited, the blank date the
office fills at signing, and 发文字号 given by the tool (never twice, journalled for rebuilds)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from toolkit.domain.hints import Action, Hint
from toolkit.domain.policy import Policy
from toolkit.ports.files import NoOfficeSuite
from toolkit.ports.tools import tools
from toolkit.services.closing import keep_policy
from toolkit.services.errors import UserError
from toolkit.services.workspace import BUILT_IN_TEMPLATES, TEMPLATES_DIR_NAME, Workspace

BLANK_DATE = "　　　　年　　月　　日"  # the office fills the date at signing


def template_folder(workspace: Workspace, chosen: Path | None) -> Path:
    """--templates, else the workspace's own 公文模板 folder, else the templates shipped with the tool."""
    for folder in (chosen, workspace.root / TEMPLATES_DIR_NAME, BUILT_IN_TEMPLATES):
        if folder is not None and Path(folder).is_dir():
            return Path(folder)
        if folder is chosen and chosen is not None:
            raise UserError(f"模板文件夹“{chosen}”不存在。")
    raise UserError("找不到公文模板：工作区中没有“公文模板”文件夹，本工具自带的模板也不在。"
                    "可重新建立工作区补回缺少的文件夹（已有的文件不会被改动）。", Hint.of(Action.INIT_WORKSPACE, dir=workspace.root))


def refuse_examples(policy: Policy, source: Path, sheets: tuple[str, ...], what: str, draft: Hint) -> None:
    """A document that cites values still marked 示例数据 in the policy workbook, or values that are still
    placeholders (王××), is not issued: the city replaces them first (it may draft meanwhile). The message names
    each sheet and cell."""
    unwritten = policy.placeholders_in(*sheets)
    if unwritten:
        where = "、".join(f"“{p.sheet}”表 {p.cell}（{p.column}：“{p.value}”）" for p in unwritten)
        raise UserError(f"{what}将引用政策参数工作簿“{source.name}”中尚未填写实际内容的{where}，不能签发：公文中不能出现"
                        "“××”“示例”之类的占位内容。请填写本单位的实际内容后再生成；在此之前可以只生成草稿。", draft)
    marks = policy.examples_in(*sheets)
    if marks:
        where = "、".join(f"“{m.sheet}”表（{m.cell}）" for m in marks)
        raise UserError(f"{what}引用了政策参数工作簿“{source.name}”中仍标为示例数据的{where}，不能签发。请按本市实际核对、替换这些数据，"
                        f"并删去所标单元格中的“示例数据”字样后再生成；在此之前可以只生成草稿。", draft)


def cite(title: str) -> str:
    """A document as officers cite it: 《株洲市培育规模以上工业企业实施方案》（株政办发〔2022〕1号）."""
    title = title.strip()
    if title.startswith("《"):
        return title
    name, _, rest = title.partition("（")
    number = rest.split("）", 1)[0] if rest else ""
    inner = name.strip().replace("《", "〈").replace("》", "〉")  # a title within a title: 〈〉 (GB/T 15834)
    return f"《{inner}》" + (f"（{number}）" if number else "")


def allocate_number(workspace: Workspace, store, doc_type: str, key: str, prefix: str, year: int, at: str) -> int:
    """A document's 发文字号 (inside the caller's transaction): the one given before, else the next free one,
    journalled so that a rebuild never gives the same number twice."""
    given = store.papers.number_given(doc_type, key)
    if given:
        return given.number
    value = store.papers.number(doc_type, key, prefix, year, at)
    workspace.archive.record({"event": "doc_number", "doc_type": doc_type, "period": key, "prefix": prefix,
                              "year": year, "number": value, "at": at,
                              "policy": keep_policy(workspace, workspace.archive)})
    return value


@dataclass
class Preview:
    """How a written document looks: its pages as pictures (with LibreOffice), else its text."""

    document: Path
    pages: list[Path] = field(default_factory=list)
    pdf: Path | None = None
    text: list[str] = field(default_factory=list)
    note: str = ""  # why only the text is shown


def preview(document: Path, folder: Path) -> Preview:
    """Pictures of ``document``'s pages in ``folder``: from the PDF written beside it when it is as new as the
    document, else converted now by LibreOffice; without LibreOffice, the document's text."""
    document, folder = Path(document), Path(folder)
    beside = document.with_suffix(".pdf")
    try:
        if beside.is_file() and beside.stat().st_mtime >= document.stat().st_mtime:
            pdf = beside
        else:
            pdf = tools().documents.to_pdf(document, folder / f"{document.stem}.pdf")
    except NoOfficeSuite as missing:
        return Preview(document, text=tools().documents.docx_text(document), note=str(missing))
    return Preview(document, tools().documents.pdf_pages(pdf, folder), pdf)


def can_make_pdf() -> bool:
    """LibreOffice is installed here: documents can be written with their PDFs and previewed as pages."""
    return tools().documents.soffice() is not None
