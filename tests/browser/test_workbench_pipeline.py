"""The 培育 page (#37) in a real browser: on the sample year (2022-03 to 2022-09, 天元区's firms moving as
pipeline_year says) the funnel per county, a firm's line against 2000 万元 with its forecast at December and the
forecast band per county are drawn; a clerk clicks a row of the pool table and sees that firm's line, searches
another by name, and the page holds to its Content-Security-Policy (no inline script). Debian's chromium under
Playwright, the app served by waitress on a loopback port."""

from __future__ import annotations

import pytest

from pipeline_year import ENTERED, GROWER, pipeline_year
from playwright.sync_api import expect
from web_serving import browser, serving  # noqa: F401 - browser is a fixture


@pytest.fixture(scope="module")
def workbench(tmp_path_factory):
    from toolkit.web.app import create_app

    workspace = pipeline_year(tmp_path_factory.mktemp("pipeline") / "工作区")
    app = create_app(workspace.policy(), policy_source="工作区的政策参数.xlsx", workspace=workspace)
    with serving(app) as address:
        yield address


def _page(browser):
    page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page.set_default_timeout(30_000)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: "Content Security Policy" in message.text and errors.append(message.text))
    return page, errors


def test_a_clerk_follows_the_pool_and_a_firms_line_in_the_browser(browser, workbench, tmp_path):
    page, errors = _page(browser)
    page.goto(workbench + "/status?period=2022-09")
    page.get_by_role("link", name="培育", exact=True).click()
    page.wait_for_url("**/pipeline")
    assert page.locator("h1").inner_text() == "培育（2022年1-9月）"

    funnel = page.locator("#funnel[data-ready='1']")
    funnel.locator("canvas").first.wait_for()
    assert funnel.get_attribute("data-series") == "4"  # 培育库企业, 已达2000万元, 已入库（培育库企业）, 对照目标
    line = page.locator("#firm-line[data-ready='1']")
    line.locator("canvas").first.wait_for()
    # unasked, the chart shows the pool table's first row: the firm that has reached 2000 万元
    assert line.get_attribute("data-firm") == GROWER[0] and line.get_attribute("data-points") == "3"
    # its line, the 2000 万元 line, and the forecast at December: the point and its range
    assert line.get_attribute("data-series") == "4" and line.get_attribute("data-forecast") == "1"
    assert "预计全年" in page.locator("#firm-forecast").inner_text()
    band = page.locator("#band[data-ready='1']")
    band.locator("canvas").first.wait_for()
    assert band.get_attribute("data-series") == "5"  # 已入库, the range (its base and span), 预计年末新增, 年度目标
    assert page.locator("#forecast tbody tr").count() == 11  # ten counties and the city
    page.screenshot(path=str(tmp_path / "培育.png"))

    # a click on a row of the pool table shows that firm's line, without leaving the page
    row = page.locator(f"#pool tbody tr[data-uscc='{ENTERED[0]}']")
    row.locator("td").nth(4).click()
    expect(line).to_have_attribute("data-firm", ENTERED[0])
    assert line.get_attribute("data-points") == "3" and page.url.endswith("/pipeline")
    expect(row).to_have_class("act chosen")
    assert page.locator("#firm-form input[name=firm]").input_value() == f"{ENTERED[1]}（{ENTERED[0]}）"
    page.screenshot(path=str(tmp_path / "培育-点选企业.png"))

    # the search box: part of a name, then the page shows that firm
    page.fill("#firm-form input[name=firm]", GROWER[1][2:8])  # part of its name, one firm with it
    page.get_by_role("button", name="查看").click()
    page.wait_for_url("**firm=**")
    line = page.locator("#firm-line[data-ready='1']")
    expect(line).to_have_attribute("data-firm", GROWER[0])
    assert page.locator("#firm-said").count() == 0  # one firm matched: nothing to say

    # June: the same firm's line has the two returns so far
    page.goto(workbench + f"/pipeline?period=2022-06&firm={GROWER[0]}")
    expect(page.locator("#firm-line[data-ready='1']")).to_have_attribute("data-points", "2")
    assert errors == []
