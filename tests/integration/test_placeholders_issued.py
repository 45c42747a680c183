"""Nothing unwritten is issued (#36): a policy whose 发文设置 still holds a placeholder (李××) drafts but does not
issue, and says which cell; lint-doc finds a placeholder anywhere a reader would see it; a document's file
properties name who issues it and when it was made."""

from __future__ import annotations

import datetime as dt

import docx
import openpyxl

from conftest import SAMPLE_REPORTS, new_workspace
from toolkit.adapters.docx_lint import lint_docx
from toolkit.cli import main
from toolkit.demo.samples import accept_examples
from toolkit.domain import policy_layout as L


def _find(sheet, text: str) -> tuple[int, int]:
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value == text:
                return cell.row, cell.column
    raise AssertionError(text)


def _workspace_with_placeholder(tmp_path, capsys):
    root = new_workspace(tmp_path / "工作区", reports=(SAMPLE_REPORTS / "2022-03").glob("*.xlsx"))
    assert main(["consolidate", "--workspace", str(root), "--period", "2022-03"]) == 0
    accept_examples(root / "政策参数.xlsx")  # the city has reviewed its sheets...
    book = openpyxl.load_workbook(root / "政策参数.xlsx")
    sheet = book[L.SHEET_DOCUMENTS]
    row, _ = _find(sheet, "奖励资金请示")
    _, col = _find(sheet, "签发人")
    sheet.cell(row, col).value = "李××"  # ...but left the 签发人 unwritten
    book.save(root / "政策参数.xlsx")
    capsys.readouterr()
    return root, sheet.cell(row, col).coordinate


def test_a_placeholder_in_the_issuing_settings_stops_issuing_and_names_its_cell(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "300")
    root, where = _workspace_with_placeholder(tmp_path, capsys)
    folder = root / "输出" / "公文" / "2022-03"
    assert main(["notices", "--workspace", str(root), "--period", "2022-03", "--date", "2022-04-08", "--number"]) == 2
    out = capsys.readouterr().out
    assert f"“发文设置”表 {where}（签发人：“李××”）" in out and "不能签发" in out and "草稿" in out
    assert not folder.exists()
    assert main(["notices", "--workspace", str(root), "--period", "2022-03", "--draft"]) == 0  # a draft may
    assert sorted(p.name for p in folder.glob("*.docx")) == ["2022年1-3月工作情况通报.docx", "2022年1-3月表扬通报.docx"]


def test_lint_doc_finds_a_placeholder_in_a_paragraph_a_table_and_a_footer(tmp_path, capsys):
    root, _ = _workspace_with_placeholder(tmp_path, capsys)
    assert main(["notices", "--workspace", str(root), "--period", "2022-03", "--draft"]) == 0
    bulletin = next((root / "输出" / "公文" / "2022-03").glob("*工作情况通报.docx"))
    assert not [p for p in lint_docx(bulletin) if "未替换" in p.message]  # as made: nothing unwritten

    for where, damage in (("段", lambda d: d.add_paragraph("（联系人：王××，电话：0731-28××××××）")),
                          ("表格", lambda d: d.add_table(rows=1, cols=1).cell(0, 0).paragraphs[0].add_run("××路××号")),
                          ("页脚", lambda d: d.sections[0].footer.add_paragraph("{{ contact }}"))):
        document = docx.Document(str(bulletin))
        damage(document)
        broken = tmp_path / f"改坏的{where}.docx"
        document.save(str(broken))
        found = [p for p in lint_docx(broken) if "未替换" in p.message]
        assert len(found) == 1 and where in found[0].where, (where, found)


def test_a_document_s_properties_name_its_issuer_and_when_it_was_made(tmp_path, capsys):
    root, _ = _workspace_with_placeholder(tmp_path, capsys)
    before = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    assert main(["notices", "--workspace", str(root), "--period", "2022-03", "--draft"]) == 0
    bulletin = next((root / "输出" / "公文" / "2022-03").glob("*工作情况通报.docx"))
    props = docx.Document(str(bulletin)).core_properties
    assert props.author == props.last_modified_by == "株洲市工业和信息化局"  # the 工作情况通报's issuer in the sample
    assert props.created >= before and props.created == props.modified and props.revision == 1  # in UTC
    assert props.title == bulletin.stem and "guishang" not in (props.author + props.comments + props.keywords)
