"""The 应入尽入 page (#38) in a real browser: a clerk imports the starting register and the departments' files by the
page's forms, runs the screen and follows the job to its end, and sees the funnel drawn per county and each firm's
evidence and stage; the page holds to its Content-Security-Policy (no inline script). Debian's chromium under
Playwright, the app served by waitress on a loopback port."""

from __future__ import annotations

import pytest

from conftest import new_workspace
from playwright.sync_api import expect
from county_files import register_file
from screening_data import CODES, department_files
from web_serving import browser, serving  # noqa: F401 - browser is a fixture


@pytest.fixture(scope="module")
def workbench(tmp_path_factory):
    from toolkit.services.workspace import Workspace
    from toolkit.web.app import create_app

    root = new_workspace(tmp_path_factory.mktemp("screening") / "工作区")
    workspace = Workspace(root)
    app = create_app(workspace.policy(), policy_source="工作区的政策参数.xlsx", workspace=workspace)
    with serving(app) as address:
        yield address


def test_a_clerk_imports_screens_and_follows_the_funnel_in_the_browser(browser, workbench, tmp_path):
    page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page.set_default_timeout(30_000)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: "Content Security Policy" in message.text and errors.append(message.text))
    page.goto(workbench + "/status")
    page.get_by_role("link", name="应入尽入", exact=True).click()
    page.wait_for_url("**/screening")
    expect(page.get_by_role("button", name="筛选并写出清单")).to_be_disabled()

    listing = register_file(tmp_path / "名录.xlsx", [(CODES["held"], "株洲在库老厂有限公司", "430202", "荷塘区")])
    page.set_input_files("#starting input[type=file]", str(listing))
    page.get_by_role("button", name="导入名录").click()
    expect(page.locator(".flash").first).to_contain_text("已导入规划起始名录“名录.xlsx”：1 家")
    page.set_input_files("#departments input[type=file]", [str(p) for p in department_files(tmp_path)])
    page.locator("#departments").get_by_role("button", name="导入").click()
    expect(page.locator("#department-files tbody tr")).to_have_count(3)

    page.fill("#run input[name=period]", "2022-09")
    page.get_by_role("button", name="筛选并写出清单").click()
    expect(page.locator("#screened")).to_contain_text("共列出 4 家", timeout=60_000)
    page.get_by_role("link", name="查看结果").click()
    funnel = page.locator("#funnel[data-ready='1']")
    funnel.locator("canvas").first.wait_for()
    assert funnel.get_attribute("data-series") == "5"
    assert page.locator("#firm-table tbody tr").count() == 4
    assert page.locator("#outputs a").count() == 11  # the city's file and ten counties' worklists
    page.screenshot(path=str(tmp_path / "应入尽入.png"), full_page=True)
    page.locator("#funnel-table").get_by_role("link", name="天元区").click()
    expect(page.locator("#firm-table tbody tr")).to_have_count(2)
    assert errors == []
