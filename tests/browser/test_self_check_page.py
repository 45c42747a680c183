"""The county self-check page in a real browser (#21): Debian's chromium driven by Playwright, against the
workbench served by waitress on a free loopback port. A county uploads its faulty workbook, reads the findings
with their cells, and downloads the results workbook and the marked copy; a page looked at, at 1366×768."""

from __future__ import annotations


import openpyxl
import pytest

from conftest import ROOT
from web_serving import browser, serving  # noqa: F401 - browser is a fixture


FAULTY = ROOT / "samples" / "县区报表" / "2022-06" / "攸县_2022-06_规上工业企业报表.xlsx"
@pytest.fixture(scope="module")
def server(policy, tmp_path_factory):
    from toolkit.web.app import create_app
    from toolkit.web.uploads import Uploads

    uploads = Uploads(tmp_path_factory.mktemp("uploads"))
    app = create_app(policy, policy_source="内置样例（株洲 2022—2025）", self_check_only=True, uploads=uploads)
    with serving(app) as address:
        yield address
    uploads.close()


def test_a_county_finds_its_mistakes_before_sending(browser, server, tmp_path):
    page = browser.new_page(viewport={"width": 1366, "height": 768}, accept_downloads=True)
    page.set_default_timeout(20_000)
    page.goto(server + "/")
    assert page.url.endswith("/self-check")
    assert page.locator("h1").inner_text() == "县区报表自查"
    page.set_input_files("input[name=workbook]", str(FAULTY))
    page.get_by_role("button", name="开始自查").click()
    result = page.locator("#result")
    result.wait_for()
    assert "有错误，须改正后重新报送" in result.inner_text()
    rows = page.locator("table.findings tbody tr")
    assert rows.count() >= 3
    cells = [rows.nth(i).locator("td").nth(3).inner_text() for i in range(rows.count())]
    assert "A35" in cells  # the duplicate code of the sample, where it is
    page.screenshot(path=str(tmp_path / "县区自查.png"), full_page=False)
    assert (tmp_path / "县区自查.png").stat().st_size > 20_000

    for kind, sheet in (("results", None), ("marked", "校验结果")):
        with page.expect_download() as waiting:
            page.locator(f"a.download[data-kind={kind}]").click()
        download = waiting.value
        saved = tmp_path / download.suggested_filename
        download.save_as(saved)
        assert saved.name.startswith("攸县_2022-06_规上工业企业报表_")
        book = openpyxl.load_workbook(saved)
        if sheet:
            assert book.sheetnames[0] == sheet
    page.close()


def test_a_file_that_is_not_a_workbook_is_told_on_the_page(browser, server, tmp_path):
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.goto(server + "/self-check")
    wrong = tmp_path / "名单.csv"
    wrong.write_text("a,b\n", encoding="utf-8")
    page.set_input_files("input[name=workbook]", str(wrong))
    page.get_by_role("button", name="开始自查").click()
    page.locator("[role=alert]").wait_for()
    assert "不是 Excel 工作簿" in page.locator("[role=alert]").inner_text()
    page.close()
