"""The city's workbench in a real browser (#21): a clerk on a new workspace drops a period's returned workbooks
into the inbox page, sees each one's findings at once, consolidates with the progress shown, reads the board, the
figures with their chart and the findings by county, downloads the summary and a county's results, and settles a
firm two counties claim. Debian's chromium under Playwright, the app served by waitress on a loopback port."""

from __future__ import annotations

import shutil

import openpyxl
import pytest

from conftest import ROOT
from playwright.sync_api import expect
from web_serving import browser, serving  # noqa: F401 - browser is a fixture

PERIOD_DIR = ROOT / "samples" / "县区报表" / "2022-06"
JUNE_FILES = sorted(PERIOD_DIR.glob("*.xlsx"))
CORRECTED = ROOT / "samples" / "县区报表" / "2022-06补报" / "茶陵县_2022-06_规上工业企业报表（更正）.xlsx"


@pytest.fixture(scope="module")
def workbench(tmp_path_factory):
    from toolkit.services.workspace import init_workspace
    from toolkit.web.app import create_app

    workspace, _ = init_workspace(tmp_path_factory.mktemp("city") / "工作区")
    shutil.copyfile(ROOT / "samples" / "政策参数.xlsx", workspace.policy_path)
    app = create_app(workspace.policy(), policy_source="工作区的政策参数.xlsx", workspace=workspace)
    with serving(app) as address:
        yield address, workspace


def _page(browser):
    page = browser.new_page(viewport={"width": 1366, "height": 768}, accept_downloads=True, locale="zh-CN")
    page.set_default_timeout(30_000)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # the pages' Content-Security-Policy (no inline script, no eval) holds for everything they do: htmx, the charts
    page.on("console", lambda message: "Content Security Policy" in message.text and errors.append(message.text))
    return page, errors


def test_a_clerk_takes_in_a_period_and_consolidates_it_in_the_browser(browser, workbench, tmp_path):
    address, workspace = workbench
    page, errors = _page(browser)
    page.goto(address + "/")
    assert page.url.startswith(address + "/status")

    # the inbox: every workbook of the period at once, each checked as it arrives
    page.goto(address + "/inbox?period=2022-06")
    page.set_input_files("#drop input[type=file]", [str(p) for p in JUNE_FILES])
    expect(page.locator('#taken article.taken:not(.sending)')).to_have_count(len(JUNE_FILES), timeout=60_000)
    youxian_drop = page.locator("#taken article.taken", has_text="攸县_2022-06")
    assert youxian_drop.get_by_role("link", name="校验结果").count() == 1  # what to send back, at once
    # the inbox's list follows at once (no reload): every file, each waiting for the consolidation
    expect(page.locator("#inbox tbody tr")).to_have_count(len(JUNE_FILES))
    assert page.locator("#inbox-files h2").inner_text() == f"收件箱中的文件（{len(JUNE_FILES)} 个）"
    taken = page.locator("#taken article.taken")
    texts = {taken.nth(i).get_attribute("data-name"): taken.nth(i).inner_text() for i in range(taken.count())}
    assert set(texts) == {p.name for p in JUNE_FILES}
    assert "有错误" in texts["攸县_2022-06_规上工业企业报表.xlsx"] and "A35" in texts["攸县_2022-06_规上工业企业报表.xlsx"]
    assert "天元区 2022-06" in texts["天元区_2022-06_规上工业企业报表.xlsx"]
    assert sorted(p.name for p in workspace.inbox.iterdir()) == sorted(p.name for p in JUNE_FILES)
    for sample in JUNE_FILES:  # stored whole, byte for byte, with the county's own file time
        assert (workspace.inbox / sample.name).read_bytes() == sample.read_bytes()
        assert abs((workspace.inbox / sample.name).stat().st_mtime - sample.stat().st_mtime) < 1

    # the same file again is not stored twice; another file under a name in use is stored beside it
    page.set_input_files("#drop input[type=file]", str(JUNE_FILES[0]))
    expect(page.locator('#taken article.taken:not(.sending)')).to_have_count(len(JUNE_FILES) + 1, timeout=60_000)
    assert "内容相同" in page.locator("#taken article.taken").first.inner_text()
    assert len(list(workspace.inbox.iterdir())) == len(JUNE_FILES)
    corrected = tmp_path / "茶陵县_2022-06_规上工业企业报表.xlsx"  # 茶陵县's correction, sent under the same name
    shutil.copyfile(CORRECTED, corrected)
    page.set_input_files("#drop input[type=file]", str(corrected))
    expect(page.locator('#taken article.taken:not(.sending)')).to_have_count(len(JUNE_FILES) + 2, timeout=60_000)
    assert "改名存放" in page.locator("#taken article.taken").first.inner_text()
    assert (workspace.inbox / "茶陵县_2022-06_规上工业企业报表（2）.xlsx").read_bytes() == CORRECTED.read_bytes()
    assert (workspace.inbox / corrected.name).read_bytes() == (PERIOD_DIR / corrected.name).read_bytes()

    # before consolidating, the board says nothing is received yet
    page.goto(address + "/status?period=2022-06")
    assert page.locator("#board tbody tr").count() == 10
    assert "未报送 10" in page.locator(".counts").inner_text()
    assert "收件箱里有 11 份 2022-06 的报表尚未导入" in page.locator("#waiting").inner_text()  # what to do next
    page.locator("#waiting a").click()
    page.wait_for_url("**/consolidate?period=2022-06")
    assert page.locator("#nothing-yet").is_visible() and page.locator("#figures").count() == 0  # no rates, no 批评

    # consolidate: the run goes on in the server, the page follows it, then shows where to look
    page.goto(address + "/consolidate?period=2022-06")
    page.locator("#start").click()
    page.wait_for_url("**/jobs/**")
    page.locator("#job[data-state=done]").wait_for(timeout=120_000)
    done = page.locator("#job").inner_text()
    assert "收件箱新收 11 份" in done and "汇总表" in done
    page.get_by_role("link", name="查看结果").click()
    page.locator("#chart[data-ready='1'] canvas").first.wait_for()
    figures = page.locator("#figures tbody tr")
    assert figures.count() == 11  # ten counties and the total
    assert page.locator("#waiting").count() == 0  # everything taken in: nothing said to be waiting
    rows = {figures.nth(i).get_attribute("data-county"): figures.nth(i).inner_text() for i in range(10)}
    assert "被退回" in rows["攸县"] and "已受理" in rows["荷塘区"]
    page.screenshot(path=str(tmp_path / "汇总.png"))

    # findings filtered by county, each cell linked to that county's results to send back
    page.select_option("select[name=county]", "攸县")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url("**county=**")
    found = page.locator("table.findings tbody tr")
    assert found.count() >= 3
    assert {found.nth(i).locator("td").nth(2).inner_text() for i in range(found.count())} == {"攸县"}
    assert found.first.locator("td").first.inner_text().startswith("错误")  # what blocks comes first
    with page.expect_download() as waiting:
        found.first.locator("td").nth(4).locator("a").click()
    results = tmp_path / waiting.value.suggested_filename
    waiting.value.save_as(results)
    assert results.name == "攸县_2022-06_规上工业企业报表_校验结果.xlsx"
    sent_back = openpyxl.load_workbook(results)
    assert "E106" in str([row for sheet in sent_back.worksheets for row in sheet.iter_rows(values_only=True)])

    with page.expect_download() as waiting:
        page.locator("a.download[data-kind=summary]").first.click()
    summary = tmp_path / waiting.value.suggested_filename
    waiting.value.save_as(summary)
    assert summary.name == "株洲市规上工业企业汇总表_2022-06.xlsx"
    assert openpyxl.load_workbook(summary, read_only=True).sheetnames[:3] == ["概览", "完成率图", "报送情况"]

    # the board now: nine accepted, 攸县 returned with its causes and the results to send back
    page.goto(address + "/status?period=2022-06")
    assert "已受理 9" in page.locator(".counts").inner_text()
    youxian = page.locator("#board tr[data-county=攸县]")
    assert "被退回" in youxian.inner_text() and "信用代码重复" in youxian.inner_text()
    assert youxian.get_by_role("link", name="下载").count() == 1

    # a firm two counties both report as new: settled with the form, and the page says so
    page.locator(".counts a.tag").click()
    dispute = page.locator("article.dispute").first
    claimants = [dispute.locator("tbody tr").nth(i).locator("td").first.inner_text()
                 for i in range(dispute.locator("tbody tr").count())]
    assert len(set(claimants)) == 2
    dispute.get_by_role("button", name="确认认定").click()  # nothing chosen: the browser keeps the form
    assert "已认定" not in page.content()
    dispute.locator(f"input[name=county][value={claimants[1]}]").check()
    dispute.locator("input[name=note]").fill("统计部门确认名单列在该区")
    dispute.get_by_role("button", name="确认认定").click()
    page.locator(".flash.done").wait_for()
    assert f"归属{claimants[1]}" in page.locator(".flash.done").inner_text()
    assert f"已认定归属{claimants[1]}" in page.locator("article.dispute").first.inner_text()

    # a file over the limit: said at once, with the limit and that trying again will not help; nothing stored
    huge = tmp_path / "茶陵县_2022-06_规上工业企业报表（含照片）.xlsx"
    with huge.open("wb") as handle:
        handle.truncate(51 * 1024 * 1024)
    before = sorted(p.name for p in workspace.inbox.iterdir())
    page.goto(address + "/inbox?period=2022-06")
    assert "不超过 50 MB" in page.locator("#drop").inner_text()
    page.set_input_files("#drop input[type=file]", str(huge))
    refused = page.locator("#taken article.taken").first
    refused.locator(".problem").wait_for()
    assert "超过 50 MB 的上限，重试也无法放入" in refused.inner_text() and "请刷新页面后重试" not in refused.inner_text()
    assert sorted(p.name for p in workspace.inbox.iterdir()) == before
    assert errors == []
    page.close()
