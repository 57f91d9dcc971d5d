import re
from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import Page

from tests import factories

pytestmark = pytest.mark.django_db

TYPOGRAPHY = "„Wir sind ‚nicht‘ naiv“ – sagt sie… Straße, Äpfel, Öl, Übermaß."


def html_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode("utf-8")


def test_article_page_shows_the_reference_order(client):
    politik = factories.section("Politik")
    writer = factories.author("Jana Oberländer", role="Redakteurin Politik")
    article = factories.article(
        politik,
        headline="Mithalten im Wandel",
        kicker="Debatte um die Rente",
        teaser="Der Bundestag streitet über das Rentenniveau.",
        authors=[writer],
        place="Berlin",
        topics=["Rente"],
    )
    html = html_of(client.get(article.url))

    positions = [
        html.index('class="kicker">Debatte um die Rente<'),
        html.index('class="headline">Mithalten im Wandel<'),
        html.index('class="article__teaser">Der Bundestag streitet über das Rentenniveau.'),
        html.index(f'href="{writer.url}" rel="author">Jana Oberländer</a>'),
        html.index('<h2 class="subheading">Was jetzt geschieht</h2>'),
        html.index("„Das ist erst der Anfang.“"),
    ]
    assert positions == sorted(positions)
    assert html.count("<h1") == 1
    assert '<span class="byline__place">Berlin</span>' in html
    assert 'href="/themen/rente/" rel="tag">Rente</a>' in html


def test_article_date_is_written_the_german_way(client):
    published = timezone.make_aware(timezone.datetime(2025, 8, 15, 21, 4))
    article = factories.article(published_at=published)
    html = html_of(client.get(article.url))
    assert "15. August 2025, 21:04 Uhr" in html


def test_update_notice_only_when_meaningfully_later(client):
    published = timezone.now() - timedelta(hours=5)
    article = factories.article(published_at=published)
    article.updated_at = published + timedelta(minutes=5)
    article.save_revision().publish()
    assert "aktualisiert" not in html_of(client.get(article.url))

    article.updated_at = published + timedelta(hours=2)
    article.save_revision().publish()
    assert "aktualisiert" in html_of(client.get(article.url))


def test_typography_survives_storage_and_rendering_byte_for_byte(client):
    article = factories.article(
        headline="Straße der „Zukunft“ – ein Überblick…",
        teaser=TYPOGRAPHY,
        body=[("paragraph", f"<p>{TYPOGRAPHY}</p>"), ("subheading", "Wie geht’s weiter?")],
    )
    article = Page.objects.get(pk=article.pk).specific
    assert article.teaser == TYPOGRAPHY
    html = html_of(client.get(article.url))
    assert f'<p class="article__teaser">{TYPOGRAPHY}</p>' in html
    assert f"<p>{TYPOGRAPHY}</p>" in html
    assert "Straße der „Zukunft“ – ein Überblick…" in html
    assert "Wie geht’s weiter?" in html
    assert "&bdquo;" not in html and "&#8222;" not in html


def test_reading_sets_no_cookie_and_loads_nothing_from_other_hosts(client):
    article = factories.article(topics=["Klima"])
    for url in ["/", article.url, article.get_parent().url, "/themen/", "/themen/klima/"]:
        response = client.get(url)
        html = html_of(response)
        assert not response.cookies, (url, response.cookies)
        # What a browser loads by itself: images, scripts, stylesheets, icons, frames.
        loaded = re.findall(r'(?:src|srcset)="([^"]+)"', html) + re.findall(
            r'<link[^>]+rel="(?:stylesheet|icon|preload|modulepreload)"[^>]*href="([^"]+)"', html
        )
        assert [u for u in loaded if re.match(r"(https?:)?//", u)] == [], url
        assert "<iframe" not in html, url
        scripts = re.findall(r"<script(?![^>]*application/ld\+json)[^>]*>", html)
        assert scripts == [], url


def test_home_shows_lead_then_section_blocks_newest_first(client):
    politik, kultur = factories.section("Politik"), factories.section("Kultur")
    now = timezone.now()
    old = factories.article(
        politik, headline="Ältere Meldung", published_at=now - timedelta(days=2)
    )
    newer = factories.article(
        politik, headline="Neuere Meldung", published_at=now - timedelta(days=1)
    )
    factories.article(kultur, headline="Der Aufmacher", published_at=now)
    html = html_of(client.get("/"))
    lead_block = html[html.index('aria-label="Aufmacher"') : html.index('class="home-grid"')]
    assert "Der Aufmacher" in lead_block
    politik_block = html[html.index('id="ressort-politik"') :]
    assert politik_block.index(newer.title) < politik_block.index(old.title)
    assert html.count("Der Aufmacher") == 1


def test_editor_can_choose_the_lead_article(client):
    chosen = factories.article(
        headline="Gewählter Aufmacher", published_at=timezone.now() - timedelta(days=3)
    )
    factories.article(headline="Neueste Meldung")
    home = factories.home_page()
    home.lead_article = chosen
    home.save_revision().publish()
    html = html_of(client.get("/"))
    lead_block = html[html.index('aria-label="Aufmacher"') : html.index('class="home-grid"')]
    assert "Gewählter Aufmacher" in lead_block


def test_section_page_paginates_and_tolerates_bad_page_numbers(client, settings):
    settings.LESEFREI_PAGE_SIZE = 2
    politik = factories.section("Politik")
    for number in range(5):
        factories.article(
            politik,
            headline=f"Meldung Nummer {number}",
            published_at=timezone.now() - timedelta(hours=number),
        )
    first = html_of(client.get(politik.url))
    assert "Meldung Nummer 0" in first and "Meldung Nummer 2" not in first
    assert "Seite 1 von 3" in first
    assert "Meldung Nummer 4" in html_of(client.get(politik.url + "?seite=3"))
    for bad in ["abc", "-1", "999999", "1;DROP TABLE", "%00"]:
        assert client.get(politik.url, {"seite": bad}).status_code == 200


def test_list_pages_count_again_after_publishing_and_unpublishing(client, settings):
    settings.LESEFREI_PAGE_SIZE = 2
    politik = factories.section("Politik")
    writer = factories.author("Nele Fuß")
    articles = [
        factories.article(
            politik, headline=f"Meldung {number}", authors=[writer], topics=["Verkehr"]
        )
        for number in range(3)
    ]
    assert "Seite 1 von 2" in html_of(client.get(politik.url))
    assert "Seite 1 von 2" in html_of(client.get(writer.url))
    assert "Seite 1 von 2" in html_of(client.get("/themen/verkehr/"))

    for number in range(3, 5):
        factories.article(politik, headline=f"Meldung {number}", authors=[writer])
    assert "Seite 1 von 3" in html_of(client.get(politik.url))
    assert "Seite 1 von 3" in html_of(client.get(writer.url))

    for article in articles:
        article.unpublish()
    assert client.get("/themen/verkehr/").status_code == 404
    remaining = html_of(client.get(writer.url))
    assert "Meldung 4" in remaining and "Meldung 0" not in remaining
    assert "Seite 1 von" not in remaining


def test_live_article_whose_date_was_removed_around_save_is_left_out(client):
    """save() dates every live article; one undated by a bulk update must not top a list."""
    politik = factories.section("Politik")
    factories.article(politik, headline="Datierte Meldung", published_at=timezone.now())
    undated = factories.article(politik, headline="Undatierte Meldung")
    type(undated).objects.filter(pk=undated.pk).update(published_at=None)
    html = html_of(client.get(politik.url))
    assert "Datierte Meldung" in html
    assert "Undatierte Meldung" not in html


def test_drafts_are_not_shown_to_readers(client):
    politik = factories.section("Politik")
    draft = factories.article(politik, headline="Geheimer Entwurf", publish=False)
    assert "Geheimer Entwurf" not in html_of(client.get(politik.url))
    assert "Geheimer Entwurf" not in html_of(client.get("/"))
    assert client.get(draft.get_url_parts()[2]).status_code == 404


def test_author_page_lists_their_articles(client):
    writer, other = (
        factories.author("Nele Fuß", role="Reporterin", bio="Schreibt über Verkehr."),
        factories.author("Kai Brandt"),
    )
    mine = factories.article(headline="Ihr Artikel", authors=[writer])
    factories.article(headline="Fremder Artikel", authors=[other])
    html = html_of(client.get(writer.url))
    assert "<h1>Nele Fuß</h1>" in html and "Reporterin" in html and "Schreibt über Verkehr." in html
    assert mine.title in html and "Fremder Artikel" not in html


def test_two_authors_are_joined_with_und(client):
    first, second = factories.author("Anna Albers"), factories.author("Bernd Berg")
    article = factories.article(authors=[first, second])
    html = html_of(client.get(article.url))
    assert re.search(r">Anna Albers</a>\s*und\s*<a [^>]*>Bernd Berg</a>", html)


def test_topic_pages_list_topics_and_their_articles(client):
    factories.article(headline="Über das Klima", topics=["Klimaschutz"])
    factories.article(headline="Über Wohnungen", topics=["Wohnen"])
    index = html_of(client.get("/themen/"))
    assert 'href="/themen/klimaschutz/"' in index and "Wohnen" in index
    topic = html_of(client.get("/themen/klimaschutz/"))
    assert "Über das Klima" in topic and "Über Wohnungen" not in topic
    assert client.get("/themen/gibt-es-nicht/").status_code == 404


def test_unknown_address_gets_the_german_404_page(client):
    response = client.get("/gibt/es/nicht/")
    assert response.status_code == 404
    assert "Diese Seite gibt es nicht" in response.content.decode()


def test_lead_image_has_dimensions_alt_text_and_credit(client, django_capture_on_commit_callbacks):
    image = factories.image("Testbild", "testbild", "Ein Hügel im Abendlicht")
    article = factories.article(lead_image=image, lead_image_caption="Abendstimmung")
    html = html_of(client.get(article.url))
    figure = html[html.index('class="article__lead-image"') :]
    figure = figure[: figure.index("</figure>")]
    assert 'alt="Ein Hügel im Abendlicht"' in figure
    assert re.search(r'height="\d+"', figure) and re.search(r'width="\d+"', figure)
    assert "srcset=" in figure and ".webp" in figure
    assert "Bild: lesefrei-Grafik" in figure


def test_republishing_much_later_shows_an_update_but_a_quick_fix_does_not(client):
    article = factories.article()
    first = article.first_published_at
    ArticlePage = type(article)
    ArticlePage.objects.filter(pk=article.pk).update(last_published_at=first + timedelta(minutes=3))
    assert "aktualisiert" not in html_of(client.get(article.url))
    ArticlePage.objects.filter(pk=article.pk).update(last_published_at=first + timedelta(hours=3))
    assert "aktualisiert" in html_of(client.get(article.url))


def test_kept_page_and_home_pieces_follow_every_publication(client, django_assert_num_queries):
    """Without the page cache, an article and the home page render from pieces and page
    objects kept per content version (no query at all); a correction, a new article and
    an unpublished one must still show on the next request."""
    politik = factories.section("Politik")
    article = factories.article(politik, headline="Der Rat vertagt die Entscheidung")
    home = article.get_parent().get_parent()
    for url in (article.url, home.url, article.url, home.url):
        client.get(url)  # twice: the first render also makes image renditions
    with django_assert_num_queries(0):
        assert "Der Rat vertagt die Entscheidung" in html_of(client.get(article.url))
    with django_assert_num_queries(0):
        assert "Der Rat vertagt die Entscheidung" in html_of(client.get(home.url))

    article.title = "Der Rat entscheidet doch noch heute"
    article.save_revision().publish()
    assert "Der Rat entscheidet doch noch heute" in html_of(client.get(article.url))
    assert "Der Rat entscheidet doch noch heute" in html_of(client.get(home.url))

    newer = factories.article(politik, headline="Bürgerbegehren erreicht die Hürde")
    assert "Bürgerbegehren erreicht die Hürde" in html_of(client.get(home.url))

    article.unpublish()
    assert client.get(article.url).status_code == 404
    front = html_of(client.get(home.url))
    assert "Der Rat entscheidet doch noch heute" not in front
    assert "Bürgerbegehren erreicht die Hürde" in front
    assert newer.title in html_of(client.get(newer.url))


@pytest.mark.parametrize(
    ("credit", "shown"),
    [
        ("dpa", "Bild: dpa"),
        ("Foto: Ana Lima", "Foto: Ana Lima"),
        ("GRAFIK: lesefrei", "GRAFIK: lesefrei"),
        ("© Stadtarchiv Kassel", "© Stadtarchiv Kassel"),
        ("Photo: AP/Jane Doe", "Photo: AP/Jane Doe"),
        ("  Fotograf Meier ", "Bild: Fotograf Meier"),
        ("", ""),
    ],
)
def test_credit_gets_a_label_only_when_it_has_none(credit, shown):
    from lesefrei.content.models import credit_line

    assert credit_line(credit) == shown


def test_body_image_credit_stands_on_its_own_line_without_a_doubled_label(client):
    from lesefrei.discovery.rendering import body_html
    from lesefrei.discovery.tests.helpers import image

    picture = image(credit="Foto: Ana Lima")
    article = factories.article(
        body=[
            ("paragraph", "<p>Der Saal war voll.</p>"),
            ("image", {"image": picture, "caption": "Der Plenarsaal am Morgen"}),
        ]
    )
    html = html_of(client.get(article.url))
    figure = html[html.index('class="figure"') :]
    figure = figure[: figure.index("</figure>")]
    assert 'Der Plenarsaal am Morgen <span class="credit">Foto: Ana Lima</span>' in figure
    assert "Bild: Foto" not in html
    assert "<figcaption>Der Plenarsaal am Morgen (Foto: Ana Lima)</figcaption>" in body_html(
        article
    )


def test_previewing_a_draft_never_shows_it_to_readers(client, rf):
    """Wagtail renders a preview under the page's own address: a piece of the draft kept
    there would be what the next reader sees."""
    article = factories.article(headline="Der Titel, wie er erschienen ist")
    assert "Der Titel, wie er erschienen ist" in html_of(client.get(article.url))
    article.title = "Ein Entwurf, den niemand sehen soll"
    preview = article.make_preview_request(rf.get("/cms/"))
    assert "Ein Entwurf, den niemand sehen soll" in preview.content.decode()
    html = html_of(client.get(article.url))
    assert "Ein Entwurf" not in html and "Der Titel, wie er erschienen ist" in html
