from datetime import timedelta

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories

from .helpers import image

pytestmark = pytest.mark.django_db

BODY = [
    ("paragraph", "<p>„Wir bleiben dran“, sagt die Sprecherin.</p>"),
    ("subheading", "Was jetzt geschieht"),
    ("quote", {"text": "Das ist erst der Anfang.", "attribution": "Jana Oberländer"}),
]


@pytest.fixture
def article():
    author = factories.author("Miriam Köhler")
    return factories.article(
        headline="Streit um die Haltelinie",
        kicker="Debatte um die Rente",
        teaser="Im Bundestag prallen zwei Generationen aufeinander.",
        authors=[author],
        topics=["Rente", "Bundestag"],
        body=BODY,
        lead_image=image(),
        published_at=timezone.now() - timedelta(hours=2),
    )


def parse(client, url: str):
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return response, feed


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_site_feed_items_carry_what_readers_need(client, article, kind):
    response, feed = parse(client, reverse(f"discovery:feed_{kind}"))
    assert response["Content-Type"].startswith(f"application/{kind}+xml")
    assert feed.version == ("rss20" if kind == "rss" else "atom10")
    (entry,) = feed.entries
    assert entry.title == "Debatte um die Rente: Streit um die Haltelinie"
    assert entry.link.endswith(article.url)
    assert "Im Bundestag prallen zwei Generationen aufeinander." in entry.summary
    assert "Wir bleiben dran" not in entry.summary
    assert entry.author == "Miriam Köhler"
    assert {tag.term for tag in entry.tags} == {"Rente", "Bundestag"}
    assert entry.published_parsed is not None
    enclosures = [link for link in entry.links if link.rel == "enclosure"]
    assert enclosures and enclosures[0].type == "image/jpeg"
    assert int(enclosures[0].length) > 0
    if kind == "atom":
        assert entry.updated_parsed is not None


def test_full_text_is_an_option(client, article, settings):
    settings.LESEFREI_FEEDS_FULL_TEXT = True
    _, feed = parse(client, reverse("discovery:feed_rss"))
    summary = feed.entries[0].summary
    assert "„Wir bleiben dran“, sagt die Sprecherin." in summary
    assert "<h2>Was jetzt geschieht</h2>" in summary
    assert "Das ist erst der Anfang." in summary


def test_section_author_and_topic_feeds_list_only_their_articles(client, article):
    other = factories.article(
        factories.section("Kultur"), headline="Uraufführung in Detmold", topics=["Theater"]
    )
    author = article.authors[0]
    for name, slug in [
        ("section_rss", "politik"),
        ("section_atom", "politik"),
        ("author_rss", author.slug),
        ("topic_atom", "rente"),
    ]:
        _, feed = parse(client, reverse(f"discovery:{name}", args=[slug]))
        assert [entry.title for entry in feed.entries] == [
            "Debatte um die Rente: Streit um die Haltelinie"
        ], name
    _, feed = parse(client, reverse("discovery:section_rss", args=["kultur"]))
    assert [entry.title.split(": ", 1)[1] for entry in feed.entries] == [other.title]


def test_unknown_feed_is_a_404(client, article):
    assert client.get(reverse("discovery:section_rss", args=["gibt-es-nicht"])).status_code == 404
    assert client.get(reverse("discovery:topic_rss", args=["gibt-es-nicht"])).status_code == 404


def test_drafts_are_not_in_feeds(client, article):
    factories.article(headline="Noch geheim", publish=False)
    _, feed = parse(client, reverse("discovery:feed_rss"))
    assert [entry.title for entry in feed.entries] == [
        "Debatte um die Rente: Streit um die Haltelinie"
    ]


def test_feeds_are_linked_from_pages(client, article):
    html = client.get(article.url).content.decode()
    assert 'type="application/rss+xml"' in html
    assert reverse("discovery:feed_rss") in html
    assert reverse("discovery:section_atom", args=["politik"]) in html
    author = article.authors[0]
    html = client.get(author.url).content.decode()
    assert reverse("discovery:author_rss", args=[author.slug]) in html


def test_feeds_may_be_cached(client, article):
    response = client.get(reverse("discovery:feed_rss"))
    assert "max-age=300" in response["Cache-Control"]
    assert response.cookies == {}
