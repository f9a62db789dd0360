"""The command room's wall in Chromium at 1920×1080: every panel drawn from the live figures,
nothing empty, no script error, nothing scrolling."""

import pytest
from django.utils import timezone

from tests import factories
from tests.browser.fixtures import login
from tests.command.conftest import load
from tests.supplies import helpers as supply_helpers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_wall_draws_every_panel(_browser, live_server, tree, users):
    load(tree)
    items = supply_helpers.catalogue()
    store = supply_helpers.warehouse(tree.county)
    supply_helpers.stock_in(store, items["N95口罩"], 600)
    supply_helpers.issue(store, tree.village, items["N95口罩"], 140)
    context = _browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    page = context.new_page()
    page.base = live_server.url
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        login(page, "command", factories.PASSWORD)
        page.goto(f"{live_server.url}/command/dashboard/")
        page.wait_for_selector("#supplies-cover li")
        page.wait_for_function("document.querySelector('#wall-status').textContent.length > 0")
        assert not errors
        assert page.evaluate("document.documentElement.scrollWidth") <= 1920
        assert page.evaluate("document.documentElement.scrollHeight") <= 1080
        # Every chart has a canvas; the supplies panel lists the N95 masks with their cover.
        for chart in ("trend", "town", "ledger", "checkpoints", "reports"):
            assert page.locator(f"#chart-{chart} canvas").count() >= 1, chart
        cover = page.inner_text("#supplies-cover")
        assert "N95口罩 460" in cover
        assert page.inner_text("[data-bind='today.persons']").strip() not in ("", "—")
        stamp = timezone.localdate().isoformat()
        assert stamp in page.content()
    finally:
        context.close()
