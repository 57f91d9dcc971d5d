import pytest
from playwright.sync_api import expect

from tests import factories

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_partner_tries_the_api_in_its_docs_under_the_site_policy(desktop_page, live_server):
    factories.article(headline="Für die Partner")
    page = desktop_page
    page.goto(live_server.url + "/api/v1/docs")
    page.get_by_text("List Articles").click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    live = page.locator(".live-responses-table .response-col_status")
    expect(live.nth(1)).to_have_text("200")
    expect(page.locator(".live-responses-table")).to_contain_text("Für die Partner")
    # Swagger UI's own files and icons load; a refused inline script, style or image
    # would be a console error here.
    assert page.console.errors == []
