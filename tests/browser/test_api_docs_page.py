"""The API docs page in Chromium: Swagger UI from the app's own static files, within the
Content Security Policy (nothing refused, nothing fetched from another host). The page
goes to docs/screenshots/api-docs.png."""

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "api-docs.png"


def test_the_api_docs_load_from_the_app_within_its_security_policy(page: Page, live_server):
    hosts, refused = set(), []
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    page.on(
        "console",
        lambda message: refused.append(message.text) if "Refused" in message.text else None,
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    response = page.goto(f"{live_server.url}/api/v1/docs")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    expect(page.get_by_text("Report Cards API")).to_be_visible()
    expect(
        page.locator(".opblock-summary-path", has_text="/api/v1/cycles/{year}/report-cards").first
    ).to_be_visible()
    assert hosts == {urlsplit(live_server.url).netloc}
    assert refused == []
    page.screenshot(path=str(SCREENSHOT))
