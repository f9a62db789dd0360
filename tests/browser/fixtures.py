"""Playwright on Debian's Chromium against pytest-django's live server.

Loaded for every test folder by tests/conftest.py (one Chromium for the whole session).

CI sets FANGKONG_REQUIRE_BROWSER=1 and installs Chromium, so there these tests always run; on
a workstation without Chromium they are skipped with the reason printed.
"""

import os
import shutil

import pytest

# --lang: date inputs follow the browser's language, as on a Chinese phone.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--lang=zh-CN",
]


def _chromium() -> str | None:
    return os.environ.get("FANGKONG_CHROMIUM") or shutil.which("chromium")


@pytest.fixture(scope="session")
def _browser():
    executable = _chromium()
    if executable is None:
        if os.environ.get("FANGKONG_REQUIRE_BROWSER"):
            pytest.fail("Chromium is required (FANGKONG_REQUIRE_BROWSER) but not installed")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread, so Django would refuse the
    # test's own (synchronous, safe) ORM calls without this; restored when the browser stops.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def open_phone(browser, base: str):
    """A new 375 px wide page in its own context (its own cookies: one person's phone)."""
    context = browser.new_context(
        viewport={"width": 375, "height": 812}, locale="zh-CN", accept_downloads=True
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.base = base
    return page


@pytest.fixture
def phone(_browser, live_server):
    """A 375 px wide page, as on a field worker's phone, against the live server."""
    page = open_phone(_browser, live_server.url)
    yield page
    page.context.close()


@pytest.fixture
def phones(_browser, live_server):
    """Opens one phone per user of a test (`phones()`); all are closed at its end."""
    opened = []

    def open_one():
        page = open_phone(_browser, live_server.url)
        opened.append(page)
        return page

    yield open_one
    for page in opened:
        page.context.close()


def login(page, username: str, password: str) -> None:
    page.goto(f"{page.base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)
