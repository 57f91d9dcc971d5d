"""How many database queries an uncached render of each reading page needs.

The page cache is off in tests (PAGE_CACHE_ENABLED defaults to False), so every request
renders. Each page is measured twice: cold (the Django cache emptied, so every cached
list, figure and fragment is computed from the database) and warm (the same request
again: what a render costs when only the page cache is missing). Every scenario is built
twice, with few and with many comments, articles or hits; both must need exactly the
number written down here, so a query per comment, article, author or hit fails the test.

Counts are written down per database (`expected`); today SQLite and PostgreSQL (with
Redis as the cache) need the same number, search included (Wagtail's database backend
runs one query on both).
"""

from collections.abc import Callable
from datetime import timedelta
from io import BytesIO

import pytest
from django.core.cache import cache
from django.core.files.images import ImageFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from lesefrei.comments import services as comment_services
from lesefrei.comments.models import Comment, Status
from lesefrei.comments.tests import factories as comment_factories
from lesefrei.content.models import ArticlePage, CreditedImage, SectionPage
from lesefrei.support.models import Campaign
from lesefrei.support.tests import factories as support_factories
from tests import factories

pytestmark = pytest.mark.django_db

FEW, MANY = "few", "many"


def expected(counts: dict[str, int]) -> int:
    """The count for the database the tests run on (SQLite or PostgreSQL)."""
    return counts[connection.vendor]


def same_on_both(count: int) -> dict[str, int]:
    return {"sqlite": count, "postgresql": count}


# Cold: the Django cache is empty. Warm: the same request right after a cold one.
# Lists keep their article count per content version (content.models.paginate), so a
# warm list page does not count its section, author or topic again.
# The footer's legal links (pages/selectors.py) cost four queries once per content
# version: the site's root paths, the footer setting, the linked pages and the Kontakt
# page; an article also looks up the corrections log's address (one more).
EXPECTED = {
    "article": {"cold": same_on_both(34), "warm": same_on_both(0)},
    "home": {"cold": same_on_both(27), "warm": same_on_both(0)},
    "section": {"cold": same_on_both(18), "warm": same_on_both(3)},
    "section_page_2": {"cold": same_on_both(18), "warm": same_on_both(3)},
    "author": {"cold": same_on_both(20), "warm": same_on_both(3)},
    "topic": {"cold": same_on_both(20), "warm": same_on_both(8)},
    # PostgreSQL ranks a bounded set of candidates in a few steps (discovery/search_backend.py);
    # the ranking is then kept under the content version, so a warm search loads only the
    # shown page's articles.
    "search": {"cold": {"sqlite": 17, "postgresql": 21}, "warm": same_on_both(1)},
    "feed": {"cold": same_on_both(7), "warm": same_on_both(5)},
    "section_feed": {"cold": same_on_both(8), "warm": same_on_both(6)},
}


def image(number: int) -> CreditedImage:
    buffer = BytesIO()
    Image.new("RGB", (640, 360), (40 + number * 20, 90, 160)).save(buffer, format="JPEG")
    return CreditedImage.objects.create(
        title=f"Bild {number}",
        credit=f"Foto: Ana Lima {number}",
        description=f"Ein Platz in der Stadt, Ansicht {number}",
        file=ImageFile(buffer, name=f"bild-{number}.jpg"),
    )


def body(picture: CreditedImage) -> list[tuple[str, object]]:
    return [
        (
            "paragraph",
            '<p>„Wir bleiben dran“, sagt die Sprecherin. <a href="https://example.org/">Quelle</a></p>',
        ),
        ("subheading", "Was jetzt geschieht"),
        ("image", {"image": picture, "caption": "Der Platz am Morgen", "credit": ""}),
        ("quote", {"text": "Das ist erst der Anfang.", "attribution": "Jana Oberländer"}),
        ("info_box", {"title": "Hintergrund", "text": "<p>Die Reform gilt <b>ab 2027</b>.</p>"}),
        (
            "embed",
            {
                "url": "https://video.example.org/v/1",
                "title": "Die Debatte im Video",
                "description": "",
            },
        ),
        ("paragraph", "<p>Der letzte Absatz.</p>"),
    ]


def build_newspaper(size: str) -> dict[str, object]:
    """Sections, authors, topics, articles with lead and body images, a campaign with
    supporters and comments in the ranking: few or many of each."""
    many = size == MANY
    # The same sections either way: the home page reads one teaser block per section.
    politik = factories.section("Politik")
    wirtschaft = factories.section("Wirtschaft")
    authors = [factories.author(f"Autorin {name}") for name in ("Anna", "Berta", "Clara")]
    pictures = [image(number) for number in range(4 if many else 2)]
    per_section = 7 if many else 3
    now = timezone.now()
    articles: list[ArticlePage] = []
    for index in range(per_section):
        for section in (politik, wirtschaft):
            picture = pictures[index % len(pictures)]
            articles.append(
                factories.article(
                    section,
                    headline=f"Streit um die Haltelinie {section.slug} {index}",
                    authors=authors[: 3 if many else 1] if index % 2 == 0 else authors[1:2],
                    topics=["Rente", "Bundestag", "Haushalt"][: 3 if many else 1],
                    body=body(picture),
                    lead_image=picture,
                    lead_image_caption="Der Platz",
                    published_at=now - timedelta(hours=index * 2 + 1),
                    correction="<p>Eine Zahl war falsch.</p>" if index == 0 else "",
                    place="Berlin",
                )
            )
    Campaign.objects.create(title="Kampagne", goal=50_000, supporters_offset=12_000)
    for _ in range(3 if many else 1):
        support_factories.pledge()
    return {"politik": politik, "authors": authors, "articles": articles}


def add_comments(article: ArticlePage, count: int) -> None:
    """`count` approved comments, every third one a reply, by a handful of readers;
    posted through the comments service under post-moderation."""
    comment_factories.site_settings(moderation="post")
    readers = [comment_factories.reader() for _ in range(5)]
    parents: list[Comment] = []
    for number in range(count):
        parent = parents[number % len(parents)] if number % 3 == 2 and parents else None
        result = comment_services.post_comment(
            readers[number % len(readers)],
            article,
            f"Kommentar {number}: Das sehe ich anders, siehe https://example.org/{number}.\n\nZweitens.",
            parent=parent,
            rate_limited=False,
        )
        assert result.comment.status == Status.APPROVED
        if parent is None:
            parents.append(result.comment)
    if count:
        comment_services.pick_comment(parents[0], None)


def queries_of(request: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = request()
    assert response.status_code == 200, response.status_code
    return len(captured.captured_queries)


def measure(client, url: str) -> dict[str, int]:
    """Queries of a cold and then a warm render of `url`. One render before, so that
    one-time work (image renditions, the site's first version stamps) is not counted."""
    client.get(url)
    cache.clear()
    cold = queries_of(lambda: client.get(url))
    warm = queries_of(lambda: client.get(url))
    return {"cold": cold, "warm": warm}


def assert_counts(name: str, seen: dict[str, int]) -> None:
    wanted = {kind: expected(counts) for kind, counts in EXPECTED[name].items()}
    assert seen == wanted, f"{name} on {connection.vendor}: {seen} queries, expected {wanted}"


@pytest.fixture(params=[FEW, MANY])
def newspaper(request) -> dict[str, object]:
    paper = build_newspaper(request.param)
    paper["size"] = request.param
    return paper


def test_article_with_comments_support_box_and_most_commented(client, newspaper):
    article = newspaper["articles"][0]
    other = newspaper["articles"][1]
    add_comments(article, 200 if newspaper["size"] == MANY else 3)
    add_comments(other, 2)
    html = client.get(article.url).content.decode()
    assert 'class="support-box"' in html and 'class="most-commented"' in html
    assert html.count('class="comment') >= 3
    assert_counts("article", measure(client, article.url))


def test_home(client, newspaper):
    add_comments(newspaper["articles"][2], 2)
    assert_counts("home", measure(client, "/"))


def test_section_and_its_second_page(client, newspaper, settings):
    settings.LESEFREI_PAGE_SIZE = 2
    section = newspaper["politik"]
    assert_counts("section", measure(client, section.url))
    assert_counts("section_page_2", measure(client, section.url + "?seite=2"))


def test_author(client, newspaper):
    author = newspaper["authors"][1]
    assert_counts("author", measure(client, author.url))


def test_topic(client, newspaper):
    assert_counts("topic", measure(client, "/themen/rente/"))


def test_search_results(client, newspaper):
    html = client.get(reverse("discovery:search"), {"q": "Haltelinie"}).content.decode()
    assert html.count('class="search-hit__title"') == (10 if newspaper["size"] == MANY else 6)
    assert_counts("search", measure(client, reverse("discovery:search") + "?q=Haltelinie"))


def test_site_feeds(client, newspaper):
    counts = {kind: measure(client, reverse(f"discovery:feed_{kind}")) for kind in ("rss", "atom")}
    assert counts["rss"] == counts["atom"]
    assert_counts("feed", counts["rss"])


def test_section_feeds(client, newspaper):
    slug = SectionPage.objects.get(slug="politik").slug
    counts = {
        kind: measure(client, reverse(f"discovery:section_{kind}", args=[slug]))
        for kind in ("rss", "atom")
    }
    assert counts["rss"] == counts["atom"]
    assert_counts("section_feed", counts["rss"])
