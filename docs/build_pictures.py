"""Render the pictures of the clerk's guide and the README (docs/images/*.png) from what the product writes.

Run ``make pictures`` (needs LibreOffice and pdftoppm). Each workbook picture is one sheet of a workbook the
product writes, after the button that fills it has run through the file adapter; each document picture is
one page of a document the demo year issues, rendered as `--pdf` renders it (the product's font mapping).
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

from toolkit.domain.buttons import CONTROL_SHEET, input_cell  # noqa: E402
from toolkit.adapters.file_book import FileBook  # noqa: E402
from toolkit.adapters.office_pdf import to_pdf  # noqa: E402
from toolkit.cli import main as guishang  # noqa: E402
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
        demo = documents(work)
        workbench(SAMPLES / "2022-06" / "茶陵县_2022-06_规上工业企业报表.xlsx", demo, work)
    for path in sorted(IMAGES.glob("*.png")):
        print(path.relative_to(ROOT))


# one page of each document type of the demo year: (file under 输出, page, picture name)
DOCUMENT_PAGES = (
    ("公文/2022-06/2022年1-6月工作情况通报.docx", 1, "公文-工作情况通报"),
    ("公文/2022-06/2022年1-6月表扬通报.docx", 1, "公文-表扬通报"),
    ("公文/2022-06/2022年1-6月通报批评.docx", 1, "公文-通报批评"),
    ("公文/2022-06/2022年1-6月催报通知.docx", 1, "公文-催报函"),
    ("公文/2022-06/2022年1-6月通报批评.docx", -1, "公文-版记"),
    ("奖励/2022年度第1批/2022年度第1批奖励资金请示.docx", 2, "公文-奖励资金请示"),
    ("奖励/2022年度第1批/2022年度第1批奖励资金请示.docx", 3, "公文-奖励资金请示附件"),
    ("奖励/2022年度第1批/2022年度第1批奖励资金审批表.docx", 1, "公文-奖励资金审批表"),
    ("奖励/2022年度第1批/2022年度第1批拟兑现企业名单公示.docx", 1, "公文-拟兑现企业名单公示"),
)


def documents(work: Path) -> Path:
    """Run the demo year (as `make demo` does, without PDFs) and picture one page of each document type; returns
    the demo's workspace."""
    demo = work / "演示"
    if guishang(["demo", str(demo), "--no-pdf"]) != 0:
        raise SystemExit("演示未完成，无法生成公文图片")
    output = demo / "工作区" / "输出"
    for relative, page, name in DOCUMENT_PAGES:
        pdf = to_pdf(output / relative, work / f"{name}.pdf")
        if page < 0:
            info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
            page = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages")))
        subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", str(page), "-l", str(page), "-singlefile", str(pdf),
                        str(work / name)], check=True)
        shutil.copyfile(work / f"{name}.png", IMAGES / f"{name}.png")
    return demo / "工作区"


def workbench(report: Path, workspace: Path, work: Path) -> None:
    """Every page of the workbench at 1366×768 in Debian's chromium (skipped without it): the city's pages on the
    demo year's workspace, the inbox after a county's workbook is dropped in, and the county self-check page after
    an upload."""
    import threading

    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("（未安装 Playwright，跳过工作台截图）")
        return
    if not Path("/usr/bin/chromium").exists():
        print("（未安装 chromium，跳过工作台截图）")
        return
    from toolkit.services.workspace import Workspace
    from toolkit.web.app import create_app
    from toolkit.web.server import start

    city_workspace = Workspace.at(workspace)
    app = create_app(city_workspace.policy(), policy_source="工作区“工作区”的政策参数.xlsx", workspace=city_workspace)
    server = start(app, "127.0.0.1", 0, threads=2)
    threading.Thread(target=server.run, daemon=True).start()
    base = f"http://127.0.0.1:{server.effective_port}"
    resaved = work / report.name.replace(".xlsx", "（重报）.xlsx")  # a county's workbook the inbox has not seen
    openpyxl.load_workbook(report).save(resaved)
    pages = (("/status?period=2022-06", "工作台-报送情况", None), ("/consolidate?period=2022-06", "工作台-汇总", "#chart[data-ready]"),
             ("/pipeline?period=2022-09", "工作台-培育", "#firm-line[data-ready]"),
             ("/assign?year=2022", "工作台-认定", None), ("/notices?period=2022-06", "工作台-公文", None),
             ("/preview/notices/2022-06/2022年1-6月通报批评.docx", "工作台-公文预览", "img.page"),
             ("/rewards?year=2023", "工作台-奖励", None), ("/policy", "工作台-政策参数", None))
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
            page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="zh-CN")
            page.set_default_timeout(60_000)
            for path, name, ready in pages:
                page.goto(base + path)
                if ready:
                    page.locator(ready).first.wait_for()
                page.screenshot(path=str(IMAGES / f"{name}.png"))
            page.goto(base + "/notices?period=2022-12")  # a run's own page: the drafts of the year-end notices
            page.get_by_role("button", name="生成草稿").click()
            page.locator("#job[data-state=done]").wait_for(timeout=300_000)
            page.screenshot(path=str(IMAGES / "工作台-后台运行.png"))
            page.goto(base + "/inbox")
            page.set_input_files("#drop input[type=file]", str(resaved))
            page.locator("#taken article.taken:not(.sending)").first.wait_for()
            page.locator("#taken").scroll_into_view_if_needed()
            page.screenshot(path=str(IMAGES / "工作台-收件箱.png"))
            browser.close()
    finally:
        server.close()

    app = create_app(city_workspace.policy(), policy_source="内置样例（株洲 2022—2025）", self_check_only=True,
                     token="株洲工信2022")  # on the intranet: the access token asked first
    server = start(app, "127.0.0.1", 0, threads=2)
    threading.Thread(target=server.run, daemon=True).start()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
            page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="zh-CN")
            page.goto(f"http://127.0.0.1:{server.effective_port}/self-check")
            page.screenshot(path=str(IMAGES / "工作台-输入访问口令.png"))
            page.fill("input[name=token]", "株洲工信2022")
            page.get_by_role("button", name="进入").click()
            page.set_input_files("input[name=workbook]", str(report))
            page.get_by_role("button", name="开始自查").click()
            page.locator("#result").wait_for()
            page.screenshot(path=str(IMAGES / "工作台-县区自查.png"))
            browser.close()
    finally:
        server.close()


if __name__ == "__main__":
    main()
