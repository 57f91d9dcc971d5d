"""What leaves the site stays well-formed whatever is stored, and says nothing about
articles readers cannot see (issue 13, findings 2 and 10)."""

import json
from datetime import timedelta

import feedparser
import pytest
from django.utils import timezone
from lxml import etree
from wagtail.models import PageViewRestriction

from lesefrei.content.models import ArticlePage, AuthorPage, Topic
from lesefrei.discovery.ninjs import article_to_ninjs
from tests import factories

pytestmark = pytest.mark.django_db

ESC = "\x1b"
FEEDS = [
    "/feeds/rss/",
    "/feeds/atom/",
    "/feeds/ressort/politik/rss/",
    "/feeds/ressort/politik/atom/",
    "/feeds/autor/miriam-koehler/rss/",
    "/feeds/autor/miriam-koehler/atom/",
    "/feeds/thema/rente/rss/",
    "/feeds/thema/rente/atom/",
]


@pytest.fixture
def stored_with_control_characters(settings):
    """An article whose copy got control characters past every check (an old import,
    a database console): written straight into the table, as the CMS never would."""
    settings.LESEFREI_FEEDS_FULL_TEXT = True
    author = factories.author("Miriam Köhler")
    article = factories.article(
        factories.section("Politik"),
        headline="Streit um die Haltelinie",
        authors=[author],
        topics=["Rente"],
        body=[("paragraph", "<p>Erster Absatz.</p>"), ("subheading", "Was folgt")],
        published_at=timezone.now() - timedelta(hours=1),
    )
    body = json.dumps(
        [
            {"type": "paragraph", "value": f"<p>Absatz mit {ESC}[31m Farbe\x07.</p>", "id": "a"},
            {"type": "subheading", "value": f"Zwischen{ESC}titel", "id": "b"},
        ]
    )
    ArticlePage.objects.filter(pk=article.pk).update(
        title=f"Streit um{ESC} die Haltelinie\x08",  # NUL: PostgreSQL stores none
        kicker=f"Debatte{ESC}",
        teaser="Ein Teaser mit \x01 Steuerzeichen\x7f.",
        body=body,
    )
    AuthorPage.objects.filter(pk=author.pk).update(title=f"Miriam{ESC} Köhler")
    Topic.objects.filter(name="Rente").update(name=f"Rente{ESC}")
    return ArticlePage.objects.get(pk=article.pk)


@pytest.mark.parametrize("url", FEEDS)
def test_feeds_stay_well_formed_with_control_characters_stored(
    client, stored_with_control_characters, url
):
    response = client.get(url)
    assert response.status_code == 200
    etree.fromstring(response.content)  # raises on anything that is not XML
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    (entry,) = feed.entries
    assert entry.title == "Debatte: Streit um die Haltelinie"
    assert "Farbe" in entry.summary and ESC not in entry.summary
    assert [tag.term for tag in entry.tags] == ["Rente"]


def test_sitemaps_stay_well_formed_with_control_characters_stored(
    client, stored_with_control_characters
):
    for url in ("/sitemap.xml", "/news-sitemap.xml"):
        response = client.get(url)
        assert response.status_code == 200
        root = etree.fromstring(response.content)
        assert ESC.encode() not in response.content
    titles = root.findall(".//{http://www.google.com/schemas/sitemap-news/0.9}title")
    assert [title.text for title in titles] == ["Streit um die Haltelinie"]


def test_ninjs_export_drops_control_characters_stored(client, stored_with_control_characters):
    item = article_to_ninjs(stored_with_control_characters)
    text = json.dumps(item, ensure_ascii=False)
    assert ESC not in text and "\x00" not in text and "\x7f" not in text
    assert item["headlines"][0]["value"] == "Streit um die Haltelinie"
    response = client.get(f"/api/v1/articles/{stored_with_control_characters.pk}/ninjs")
    assert response.status_code == 200
    assert "\\u001b" not in response.content.decode() and ESC not in response.content.decode()


# Topics of articles readers cannot see --------------------------------------------------


@pytest.fixture
def private_and_draft_topics():
    factories.article(headline="Öffentlich", topics=["Rente"])
    protected = factories.article(headline="Geschützt", topics=["Geheimprojekt"])
    PageViewRestriction.objects.create(
        page=protected, restriction_type=PageViewRestriction.PASSWORD, password="geheim"
    )
    factories.article(headline="Entwurf", topics=["Fusion"], publish=False)


def test_topic_index_and_sitemap_list_only_topics_of_public_live_articles(
    client, private_and_draft_topics
):
    page = client.get("/themen/").content.decode()
    assert "Rente" in page
    assert "Geheimprojekt" not in page and "Fusion" not in page
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "/themen/rente/" in sitemap
    assert "geheimprojekt" not in sitemap and "fusion" not in sitemap


@pytest.mark.parametrize("slug", ["geheimprojekt", "fusion", "gibt-es-nicht"])
def test_topic_without_a_public_article_answers_404_like_an_unknown_one(
    client, private_and_draft_topics, slug
):
    assert client.get(f"/themen/{slug}/").status_code == 404
    assert client.get(f"/feeds/thema/{slug}/rss/").status_code == 404
    assert client.get(f"/feeds/thema/{slug}/atom/").status_code == 404
    assert client.get("/feeds/thema/rente/rss/").status_code == 200
