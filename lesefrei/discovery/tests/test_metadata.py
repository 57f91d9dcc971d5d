import json
import re

import pytest
from django.templatetags.static import static

from tests import factories

from .helpers import image

pytestmark = pytest.mark.django_db


def head(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    return html[: html.index("</head>")]


def json_ld(html: str) -> dict:
    (script,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(script)


def meta(html: str, key: str) -> list[str]:
    pattern = rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)">'
    return re.findall(pattern, html)


@pytest.fixture
def article(settings):
    settings.SITE_URL = "https://zeitung.example"
    authors = [factories.author("Miriam Köhler"), factories.author("Jonas Straßer")]
    return factories.article(
        headline="Streit um die Haltelinie",
        kicker="Debatte um die Rente",
        teaser="Im Bundestag prallen zwei Generationen aufeinander.",
        authors=authors,
        topics=["Rente", "Bundestag"],
        lead_image=image(),
        place="Berlin",
    )


def test_article_json_ld_describes_the_news_article(client, article):
    data = json_ld(head(client, article.url))
    url = f"https://zeitung.example{article.url}"
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == article.title
    assert data["description"] == article.teaser
    assert data["url"] == url
    assert data["mainEntityOfPage"]["@id"] == url
    assert data["datePublished"].startswith(article.date_published.strftime("%Y-%m-%dT%H:%M"))
    assert data["dateModified"]
    assert data["author"] == [
        {"@type": "Person", "name": a.title, "url": f"https://zeitung.example{a.url}"}
        for a in article.authors
    ]
    assert data["publisher"]["@type"] == "NewsMediaOrganization"
    assert (
        data["publisher"]["logo"]["url"]
        == f"https://zeitung.example{static('img/publisher-logo.png')}"
    )
    assert data["image"][0].startswith("https://zeitung.example/")
    assert data["articleSection"] == "Politik"
    assert data["keywords"] == ["Rente", "Bundestag"]
    assert data["isAccessibleForFree"] is True


def test_article_carries_canonical_opengraph_and_twitter(client, article):
    html = head(client, article.url)
    url = f"https://zeitung.example{article.url}"
    assert f'<link rel="canonical" href="{url}">' in html
    assert meta(html, "og:type") == ["article"]
    assert meta(html, "og:title") == [article.title]
    assert meta(html, "og:url") == [url]
    assert meta(html, "og:description") == [article.teaser]
    assert meta(html, "og:image")[0].startswith("https://zeitung.example/")
    assert meta(html, "article:tag") == ["Rente", "Bundestag"]
    assert meta(html, "twitter:card") == ["summary_large_image"]
    assert meta(html, "twitter:title") == [article.title]


def test_json_ld_cannot_break_out_of_its_script_element(client, settings):
    settings.SITE_URL = "https://zeitung.example"
    article = factories.article(
        headline="</script><script>alert(1)</script> & <!-- Kommentar",
        teaser="„Zitat“ mit <b>Markup</b>",
    )
    html = head(client, article.url)
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "<" not in script and ">" not in script and "&" not in script
    data = json.loads(script)
    assert data["headline"] == article.title
    assert data["description"] == "„Zitat“ mit <b>Markup</b>"


def test_section_page_has_collection_structured_data(client, article):
    section = article.get_parent().specific
    html = head(client, section.url)
    data = json_ld(html)
    assert data["@type"] == "CollectionPage"
    assert data["name"] == section.title
    assert data["url"] == f"https://zeitung.example{section.url}"
    assert data["publisher"]["@type"] == "NewsMediaOrganization"


def test_author_page_has_profile_structured_data(client, article):
    author = article.authors[0]
    author.role = "Korrespondentin"
    author.bio = "Schreibt über Sozialpolitik."
    author.save_revision().publish()
    data = json_ld(head(client, author.url))
    assert data["@type"] == "ProfilePage"
    assert data["mainEntity"]["@type"] == "Person"
    assert data["mainEntity"]["name"] == "Miriam Köhler"
    assert data["mainEntity"]["jobTitle"] == "Korrespondentin"
    assert data["mainEntity"]["description"] == "Schreibt über Sozialpolitik."


def test_home_page_offers_the_site_search(client, article):
    data = json_ld(head(client, "/"))
    assert data["@type"] == "WebSite"
    assert data["potentialAction"]["target"] == (
        "https://zeitung.example/suche/?q={search_term_string}"
    )


def test_head_loads_nothing_from_other_hosts(client, article):
    html = head(client, article.url)
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert sources
    for source in sources:
        assert source.startswith(("/", "https://zeitung.example/")), source
    assert "<script src" not in html


def test_topic_page_has_collection_structured_data_and_its_own_canonical(client, article):
    html = head(client, "/themen/rente/")
    assert '<link rel="canonical" href="https://zeitung.example/themen/rente/">' in html
    data = json_ld(html)
    assert data["@type"] == "CollectionPage"
    assert data["about"]["name"] == "Rente"


def test_later_list_pages_are_their_own_canonical(client, article, settings):
    settings.LESEFREI_PAGE_SIZE = 1
    factories.article(headline="Noch ein Artikel")
    section = article.get_parent().specific
    html = head(client, f"{section.url}?seite=2")
    assert f'<link rel="canonical" href="https://zeitung.example{section.url}?seite=2">' in html
    html = head(client, f"{section.url}?seite=1")
    assert f'<link rel="canonical" href="https://zeitung.example{section.url}">' in html


def test_head_of_a_page_that_is_not_a_wagtail_page_has_only_feeds(rf):
    from django.core.paginator import Paginator

    from lesefrei.discovery.metadata import head_metadata

    meta = head_metadata({"page": Paginator([1, 2], 1).page(1), "request": rf.get("/")})
    assert meta.canonical is None
    assert meta.json_ld is None
    assert meta.feeds
