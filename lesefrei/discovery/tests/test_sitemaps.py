from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.utils import timezone

from tests import factories

pytestmark = pytest.mark.django_db

NS = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


def test_sitemap_lists_published_pages_with_lastmod(client, settings):
    settings.SITE_URL = "https://zeitung.example"
    article = factories.article(headline="Bürger kaufen ihren Bus", topics=["Mobilität"])
    draft = factories.article(headline="Noch ein Entwurf", publish=False)
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert "max-age" in response["Cache-Control"]
    root = ElementTree.fromstring(response.content)
    urls = {
        url.findtext("s:loc", namespaces=NS): url.findtext("s:lastmod", namespaces=NS)
        for url in root.findall("s:url", NS)
    }
    assert urls[f"https://zeitung.example{article.url}"] == timezone.localdate().isoformat()
    assert "https://zeitung.example/politik/" in urls
    assert urls["https://zeitung.example/themen/mobilitaet/"] == timezone.localdate().isoformat()
    assert not any(draft.slug in loc for loc in urls)


def test_news_sitemap_follows_the_protocol_for_the_last_48_hours(client, settings):
    settings.SITE_URL = "https://zeitung.example"
    fresh = factories.article(headline="Stichwahl in Zgorzelec „knapp“ entschieden")
    factories.article(headline="Alte Meldung", published_at=timezone.now() - timedelta(hours=49))
    response = client.get("/news-sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ElementTree.fromstring(response.content)
    entries = root.findall("s:url", NS)
    assert len(entries) == 1
    (entry,) = entries
    assert entry.findtext("s:loc", namespaces=NS) == f"https://zeitung.example{fresh.url}"
    news = entry.find("news:news", NS)
    assert news.findtext("news:publication/news:name", namespaces=NS) == settings.WAGTAIL_SITE_NAME
    assert news.findtext("news:publication/news:language", namespaces=NS) == "de"
    assert news.findtext("news:title", namespaces=NS) == fresh.title
    published = news.findtext("news:publication_date", namespaces=NS)
    expected = timezone.localtime(fresh.date_published).replace(microsecond=0).isoformat()
    assert published == expected


def test_robots_txt_names_both_sitemaps(client, settings):
    settings.SITE_URL = "https://zeitung.example"
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Sitemap: https://zeitung.example/sitemap.xml" in lines
    assert "Sitemap: https://zeitung.example/news-sitemap.xml" in lines
    assert "Disallow: /cms/" in lines
