"""The workbench for browser tests: Debian's chromium under Playwright (its own browser download is unreachable
here), one per module, and the app served by waitress on a free loopback port, in a thread."""

from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("GUISHANG_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium under Playwright; skipped visibly when either is missing, a failure with
    REQUIRE_BROWSER=1 (CI installs both)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    if sync_playwright is None or not Path(CHROMIUM).exists():
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 但缺少 Playwright 或浏览器 {CHROMIUM}（apt-get install chromium）")
        pytest.skip("Playwright or Debian's chromium is not installed: browser tests skipped")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM)
        yield launched
        launched.close()


@contextmanager
def serving(app):
    """``app`` served by waitress on a free loopback port; yields its base address."""
    from toolkit.web.server import start

    running = start(app, "127.0.0.1", 0, threads=4)

    def serve() -> None:
        try:
            running.run()
        except OSError:  # closed from the test's thread while the loop waited in select (EBADF): the end
            pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{running.effective_port}"
    finally:
        running.close()
        thread.join(5)
