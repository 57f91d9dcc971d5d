import pytest

from lesefrei.content.models import ArticlePage
from lesefrei.content.tests.test_front_page import block_of, curate, front, headlines_in, lead_of
from tests import factories

pytestmark = pytest.mark.django_db


def test_demo_front_page_has_a_pinned_lead_with_image_and_a_pinned_story(client):
    from io import StringIO

    from lesefrei.demo import articles as demo

    demo.load(StringIO())
    home = factories.home_page()
    lead = ArticlePage.objects.get(pk=home.lead_article_id)
    newest = ArticlePage.objects.live().order_by("-published_at").first()
    assert lead.lead_image_id and lead != newest  # chosen, not what automatic would pick
    pinned = ArticlePage.objects.get(slug="kieler-baeckerei-gehoert-den-kunden")
    html = front(client)
    assert lead.title in lead_of(html) and "<picture" in lead_of(html)
    gesellschaft = [a for a in ArticlePage.objects.live() if a.get_parent().slug == "gesellschaft"]
    assert headlines_in(block_of(html, "gesellschaft"), gesellschaft)[0] == pinned.title

    # Loading again keeps what an editor chose since.
    curate(home, lead=newest)
    demo.load(StringIO())
    assert factories.home_page().lead_article_id == newest.pk
