"""A city's year in the browser workbench (#21), from a new workspace to a paid reward batch, every step through
the pages a clerk would use: the policy workbook checked and put in use (its example marks settled), the half-year
reports taken in and consolidated, a disputed firm settled, the reminder issued while a county is within its
resubmission deadline, the late correction taken in, the criticism issued once the deadline has passed (the period
then closed), the year-end reports consolidated, the statistics and tax offices' lists imported, a reward batch
drafted, approved with its confirmation, reissued and recorded as paid — each document and workbook downloaded and
opened. Debian's chromium under Playwright; LibreOffice is used for page previews where it is installed."""

from __future__ import annotations

import re
import shutil

import openpyxl
import pytest
from docx import Document

from conftest import ROOT, settled_policy
from playwright.sync_api import expect
from web_serving import browser, serving  # noqa: F401 - browser is a fixture

REPORTS = ROOT / "samples" / "县区报表"
OFFICES = ROOT / "samples" / "部门数据"


@pytest.fixture(scope="module")
def workbench(tmp_path_factory):
    from toolkit.services.workspace import init_workspace
    from toolkit.web.app import create_app

    workspace, _ = init_workspace(tmp_path_factory.mktemp("year") / "工作区")
    app = create_app(workspace.policy(), policy_source="工作区的政策参数.xlsx", workspace=workspace)
    with serving(app) as address:
        yield address, workspace


def _take_in(page, address: str, files) -> None:
    page.goto(address + "/inbox")
    before = page.locator("#taken article.taken").count()
    page.set_input_files("#drop input[type=file]", [str(f) for f in files])
    # (a locator, not a script string: the pages' Content-Security-Policy forbids evaluating strings)
    expect(page.locator("#taken article.taken:not(.sending)")).to_have_count(before + len(files), timeout=60_000)


def _run(page, button: str, timeout: int = 240_000) -> str:
    """Press a button that starts a run, follow it to its end and return what it says."""
    page.locator(button).click()
    page.wait_for_url("**/jobs/**")
    page.locator("#job[data-state=done], #job[data-state=failed]").wait_for(timeout=timeout)
    text = page.locator("#job").inner_text()
    assert page.locator("#job").get_attribute("data-state") == "done", text
    page.locator("#running").wait_for(state="detached")  # the banner of a run under way goes with the run
    return text


def _consolidate(page, address: str, period: str) -> str:
    page.goto(f"{address}/consolidate?period={period}")
    return _run(page, "#start")


def _download(page, link, folder):
    with page.expect_download() as waiting:
        link.click()
    target = folder / waiting.value.suggested_filename
    waiting.value.save_as(target)
    return target


def _import_list(page, address: str, form: int, name: str, period: str | None = None) -> None:
    """An office's list through the 部门数据 forms of 奖励 (0: the confirmed list, 1: the taxes)."""
    page.goto(address + "/rewards?year=2022")
    chosen = page.locator("#department-data form").nth(form)
    if period:
        chosen.locator("select[name=period]").select_option(period)
    chosen.locator("input[type=file]").set_input_files(str(OFFICES / name))
    chosen.get_by_role("button", name="导入").click()


def _issue_notices(page, address: str, period: str, day: str, number: bool) -> str:
    page.goto(f"{address}/notices?period={period}")
    page.fill("input[name=day]", day)
    if number:
        page.check("input[name=number]")
    page.check("input[name=confirm]")
    return _run(page, "#issue")


def test_a_year_of_the_city_in_the_workbench(browser, workbench, tmp_path):
    address, workspace = workbench
    page = browser.new_page(viewport={"width": 1366, "height": 768}, accept_downloads=True, locale="zh-CN")
    page.set_default_timeout(30_000)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: "Content Security Policy" in message.text and errors.append(message.text))

    # the policy: the sample still marks its example sheets; a wrong file is refused with its problems, the
    # settled workbook passes its check and is put in use, the one before kept as a backup
    page.goto(address + "/policy")
    assert "仍标为示例数据" in page.locator("main").inner_text()
    page.set_input_files("input[name=policy]", str(REPORTS / "2022-06" / "天元区_2022-06_规上工业企业报表.xlsx"))
    page.get_by_role("button", name="上传检查").click()
    assert "不能使用" in page.locator("#policy-check").inner_text() or "无法读取" in page.locator("#policy-check").inner_text()
    settled = tmp_path / "settled"
    settled.mkdir()
    shutil.copyfile(workspace.policy_path, settled / "政策参数.xlsx")
    settled_policy(settled)
    page.set_input_files("input[name=policy]", str(settled / "政策参数.xlsx"))
    page.get_by_role("button", name="上传检查").click()
    assert "检查通过" in page.locator("#policy-check").inner_text()
    page.check("#policy-check input[name=confirm]")
    page.locator("#use-policy").click()
    assert "已启用" in page.locator(".flash.done").inner_text()
    assert "仍标为示例数据" not in page.locator("main").inner_text()
    assert workspace.policy_path.read_bytes() == (settled / "政策参数.xlsx").read_bytes()
    assert list(workspace.backups.glob("*_政策参数.xlsx"))

    # the first quarter: every county accepted
    _take_in(page, address, sorted((REPORTS / "2022-03").glob("*.xlsx")))
    assert "收件箱新收 10 份" in _consolidate(page, address, "2022-03")
    page.goto(address + "/status?period=2022-03")
    assert "已受理 10" in page.locator(".counts").inner_text()

    # 2022-06: taken in and consolidated; 攸县 and 茶陵县 returned
    _take_in(page, address, sorted((REPORTS / "2022-06").glob("*.xlsx")))
    go = page.locator("#go-consolidate")  # the period of the files just dropped, not the one last looked at
    assert go.inner_text() == "去汇总 2022-06" and go.get_attribute("href").endswith("period=2022-06")
    assert "收件箱新收 10 份" in _consolidate(page, address, "2022-06")
    page.goto(address + "/status?period=2022-03")
    page.locator("select[name=period]").first.select_option("2022-06")  # the chooser shows the period at once
    page.wait_for_url("**/status?period=2022-06")
    assert "被退回 2" in page.locator(".counts").inner_text()

    # the firm both 天元区 and 株洲经开区 report: settled for 天元区 with the statistics office's word
    page.goto(address + "/assign?year=2022")
    dispute = page.locator("article.dispute").first
    dispute.locator("input[name=county][value=天元区]").check()
    dispute.locator("input[name=note]").fill("统计部门确认名单列在天元区")
    dispute.get_by_role("button", name="确认认定").click()
    assert "归属天元区" in page.locator(".flash.done").inner_text()

    # on the due date the two returned counties are within their deadline: only the reminder goes out
    made = _issue_notices(page, address, "2022-06", "2022-07-08", number=True)
    assert "催报通知" in made and "补报期限" in made and "暂不封账" in made
    reminder = page.locator("#made tbody tr", has_text="催报通知").inner_text()
    assert re.search(r"〔2022〕\d+号", reminder)

    # 茶陵县's correction arrives in time; after the deadline 攸县 is criticised and the period closed
    _take_in(page, address, [REPORTS / "2022-06补报" / "茶陵县_2022-06_规上工业企业报表（更正）.xlsx"])
    _consolidate(page, address, "2022-06")
    made = _issue_notices(page, address, "2022-06", "2022-07-15", number=True)
    assert "通报批评" in made and "已封账" in made
    page.goto(address + "/notices?period=2022-06")
    row = page.locator("#documents tbody tr", has_text="通报批评")
    criticism = _download(page, row.locator("a[data-kind=docx]"), tmp_path)
    text = "\n".join(p.text for p in Document(str(criticism)).paragraphs)
    assert "攸县" in text and "茶陵县" not in text.split("一、基本情况")[-1].split("二、")[0]
    row.get_by_role("link", name="预览").click()
    page.locator("img.page, .text-preview").first.wait_for()
    if page.locator("img.page").count():  # LibreOffice installed: the pages as pictures
        assert page.locator("img.page").first.evaluate("img => img.complete && img.naturalWidth > 500")
    page.goto(address + "/consolidate?period=2022-06")
    assert page.locator("#start").is_disabled()  # closed: the signed figures stay

    # the third quarter with 炎陵县's late report, then the year end
    _take_in(page, address, sorted((REPORTS / "2022-09").glob("*.xlsx")))
    _consolidate(page, address, "2022-09")
    _take_in(page, address, sorted((REPORTS / "2022-09补报").glob("*.xlsx")))
    _consolidate(page, address, "2022-09")
    page.goto(address + "/status?period=2022-09")
    assert page.locator("#board tr[data-county=炎陵县] td.state").inner_text().startswith("已受理")
    _take_in(page, address, sorted((REPORTS / "2022-12").glob("*.xlsx")))
    _consolidate(page, address, "2022-12")

    # the offices' lists (a wrong file refused whole, with its problems)
    _import_list(page, address, 0, "2022年新入规企业税收（税务局）.xlsx", period="2022-12")  # the wrong form
    assert "整份未导入" in page.locator("main").inner_text()
    _import_list(page, address, 0, "2022年规上工业企业新增退库确认名单（统计局）.xlsx", period="2022-12")
    assert "已导入统计部门 2022-12 确认名单" in page.locator(".flash.done").inner_text()
    _import_list(page, address, 1, "2022年新入规企业税收（税务局）.xlsx")
    assert "已导入税务部门2022年税收数据" in page.locator(".flash.done").inner_text()

    # a draft to read, then the approval: refused without the confirmation, recorded with it
    _run(page, "#draft")
    page.goto(address + "/rewards?year=2022")
    due = page.locator("#due").inner_text()
    amount = re.search(r"合计 ([\d.,]+) 万元（([\d,]+) 元）", due)
    assert amount and "草稿" in due
    page.locator("#approve").click()  # the browser keeps the form while the box is not ticked
    assert page.url.endswith("/rewards?year=2022")
    page.fill("#due input[name=day]", "2023-03-15")
    page.check("#due input[name=confirm]")
    approved = _run(page, "#approve")
    assert f"2022年度第1批：合计 {amount.group(2)} 元" in approved
    page.goto(address + "/rewards?year=2022")
    batch = page.locator("article.batch[data-batch='1']")
    assert "尚未登记拨付" in batch.inner_text()
    request_doc = _download(page, batch.locator("a[data-kind=docx]", has_text="请示"), tmp_path)
    assert "奖励" in "".join(p.text for p in Document(str(request_doc)).paragraphs)
    links = batch.locator("a.download")
    assert links.count() >= 3 + 11  # 请示, 审批表, 公示 (and their PDFs with LibreOffice), the city's and each county's detail
    for index in range(links.count()):  # every output of the batch downloads whole and opens
        got = _download(page, links.nth(index), tmp_path)
        if got.suffix == ".docx":
            assert Document(str(got)).paragraphs
        elif got.suffix == ".xlsx":
            assert openpyxl.load_workbook(got, read_only=True).sheetnames
        else:
            assert got.suffix == ".pdf" and got.read_bytes()[:5] == b"%PDF-"

    # the documents again, dated and numbered for signing: a new version, the ledger unchanged
    batch.locator("form", has_text="重新生成").locator("input[name=day]").fill("2023-03-20")
    batch.locator("form", has_text="重新生成").locator("input[name=number]").check()
    _run(page, "article.batch[data-batch='1'] form:has-text('重新生成') button")
    page.goto(address + "/rewards?year=2022")
    assert "第2版" in page.locator("article.batch[data-batch='1']").inner_text()

    # the payment, recorded once
    batch = page.locator("article.batch[data-batch='1']")
    batch.locator("input[name=day]").first.fill("2023-04-20")
    batch.locator("input[name=note]").fill("株财企〔2023〕12号")
    batch.get_by_role("button", name="登记拨付").click()
    assert "已登记 2022年度第1批于 2023-04-20 拨付" in page.locator(".flash.done").inner_text()
    assert "已于 2023-04-20 拨付" in page.locator("article.batch[data-batch='1']").inner_text()
    assert page.locator("article.batch[data-batch='1']").get_by_role("button", name="登记拨付").count() == 0
    store = workspace.open_store()
    try:
        paid = [b for b in store.rewards.batches(2022) if b.seq == 1][0]
        assert paid.paid_on == "2023-04-20" and paid.paid_note == "株财企〔2023〕12号"
    finally:
        store.close()
    assert errors == []
    page.close()
