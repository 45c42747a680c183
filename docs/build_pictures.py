"""Render the pictures of the clerk's guide (docs/images/*.png) from the real workbooks.

Run ``make pictures`` (needs LibreOffice and pdftoppm). Each picture is one sheet of a workbook the
product writes, after the button that fills it has run through the file adapter.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from toolkit.adapters.control_workbook import CONTROL_SHEET, input_cell  # noqa: E402
from toolkit.adapters.file_book import FileBook  # noqa: E402
from toolkit.adapters.office_pdf import to_pdf  # noqa: E402
from toolkit.excel import city, county  # noqa: E402
from toolkit.services.control_book import write_control_workbooks  # noqa: E402
from toolkit.services.workspace import init_workspace  # noqa: E402

IMAGES = ROOT / "docs" / "images"
SAMPLES = ROOT / "samples" / "县区报表"


def picture(workbook: Path, sheet: str, name: str, area: str | None = None) -> Path:
    """Only ``sheet`` visible (and printed), first page at 70 dpi."""
    with tempfile.TemporaryDirectory() as folder:
        view = Path(folder) / f"view{workbook.suffix}"
        book = openpyxl.load_workbook(workbook, keep_vba=workbook.suffix == ".xlsm")
        for ws in list(book.worksheets):  # a throw-away copy: LibreOffice prints hidden sheets with print ranges
            if ws.title != sheet:
                book.remove(ws)
        book.active = 0
        book[sheet].sheet_view.tabSelected = True
        book[sheet].print_area = area or book[sheet].dimensions
        book.save(view)
        pdf = to_pdf(view, Path(folder) / "view.pdf")
        subprocess.run(["pdftoppm", "-r", "70", "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                        str(Path(folder) / "page")], check=True)
        target = IMAGES / f"{name}.png"
        shutil.copyfile(Path(folder) / "page.png", target)
    return target


def main() -> None:
    IMAGES.mkdir(parents=True, exist_ok=True)
    version = __import__("xlwings").__version__
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        report = work / "茶陵县_2022-06_规上工业企业报表.xlsx"
        shutil.copyfile(SAMPLES / "2022-06" / report.name, report)
        book = FileBook(report)
        county.check_sheet(version, book=book)
        marked = book.save_as(work / "茶陵县（已校验）.xlsx")
        picture(marked, "封面", "县区报表-封面")
        picture(marked, "校验结果", "县区报表-校验结果")
        picture(marked, "新增入规企业", "县区报表-问题单元格", "A1:L16")

        workspace, _ = init_workspace(work / "工作区")
        for period in ("2022-03", "2022-06"):
            for source in (SAMPLES / period).glob("*.xlsx"):
                shutil.copyfile(source, workspace.inbox / source.name)
        control = write_control_workbooks(workspace).paths[0]
        book = FileBook(control)
        for period in ("2022-03", "2022-06"):
            book.write(CONTROL_SHEET, input_cell("报送期"), [[period]])
            city.consolidate(version, book=book)
        filled = book.save_as(work / "市级控制台（运行后）.xlsm")
        picture(filled, CONTROL_SHEET, "市级控制台")
        picture(filled, "报送情况", "市级控制台-报送情况")
        picture(filled, "进度", "市级控制台-进度")
    for path in sorted(IMAGES.glob("*.png")):
        print(path.relative_to(ROOT))


if __name__ == "__main__":
    main()
