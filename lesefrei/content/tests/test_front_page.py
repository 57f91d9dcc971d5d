"""The curated front page: the editors' lead and pinned stories, the automatic rest, and
the page cache following their choice."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lesefrei.cache.pages import PageCacheApp
from lesefrei.content.models import ArticlePage, HomePage
from tests import factories

pytestmark = pytest.mark.django_db


def picture(key: str):
    return factories.image(f"Bild {key}", key, f"Beschreibung {key}")


def hours_ago(hours: float):
    return timezone.now() - timedelta(hours=hours)


def front(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def lead_of(html: str) -> str:
    start = html.index('aria-label="Aufmacher"')
    return html[html.rindex("<section", 0, start) : html.index("</section>", start)]


def block_of(html: str, slug: str) -> str:
    start = html.index(f'id="ressort-{slug}"')
    return html[start : html.index("</section>", start)]


def pins(home: HomePage, *blocks: tuple) -> list:
    """StreamField data for `section_pins`: (section, [articles]) per block."""
    return [
        ("section", {"section": section, "articles": list(articles)})
        for section, articles in blocks
    ]


def curate(home: HomePage, *, lead=None, blocks=(), per_section=None) -> None:
    """What an editor does in the CMS: change the home page and publish it."""
    home = HomePage.objects.get(pk=home.pk)
    home.lead_article = lead
    home.section_pins = pins(home, *blocks)
    if per_section is not None:
        home.articles_per_section = per_section
    home.full_clean()
    home.save_revision().publish()


def headlines_in(html: str, articles) -> list[str]:
    """The headlines of `articles` in the order they stand in `html`."""
    found = [(html.index(a.title), a.title) for a in articles if a.title in html]
    return [title for _, title in sorted(found)]


def test_automatic_lead_is_the_newest_article_with_an_image(client):
    politik = factories.section("Politik")
    pictured = factories.article(
        politik,
        headline="Ein Bild vom Gipfel",
        lead_image=picture("gipfel"),
        published_at=hours_ago(5),
    )
    short = factories.article(politik, headline="Kurzmeldung ohne Bild", published_at=hours_ago(1))
    html = front(client)
    assert pictured.title in lead_of(html)
    assert "lead--text" not in lead_of(html)
    # The newer short item is not lost: it opens its section's block.
    assert short.title in block_of(html, "politik")


def test_without_any_image_the_newest_article_leads_in_the_text_layout(client):
    factories.article(headline="Ältere Meldung", published_at=hours_ago(5))
    newest = factories.article(headline="Neueste Meldung", published_at=hours_ago(1))
    lead = lead_of(front(client))
    assert newest.title in lead
    assert 'class="lead lead--text"' in lead and "<picture" not in lead


def test_a_chosen_lead_without_image_gets_the_text_layout(client):
    factories.article(headline="Mit Bild", lead_image=picture("a"), published_at=hours_ago(1))
    chosen = factories.article(headline="Der Kommentar des Tages", published_at=hours_ago(9))
    curate(factories.home_page(), lead=chosen)
    lead = lead_of(front(client))
    assert chosen.title in lead and 'class="lead lead--text"' in lead


def test_pinned_articles_open_their_block_in_the_editors_order_and_the_rest_fills_newest_first(
    client,
):
    politik, kultur = factories.section("Politik"), factories.section("Kultur")
    a, b, c, d, e = (
        factories.article(politik, headline=f"Politik {name}", published_at=hours_ago(hours))
        for name, hours in (("A", 1), ("B", 2), ("C", 3), ("D", 4), ("E", 5))
    )
    kultur_lead = factories.article(
        kultur, headline="Theater", lead_image=picture("t"), published_at=hours_ago(0.5)
    )
    curate(factories.home_page(), blocks=[(politik, [e, c])], per_section=4)
    html = front(client)
    assert kultur_lead.title in lead_of(html)
    politik_block = block_of(html, "politik")
    assert headlines_in(politik_block, [a, b, c, d, e]) == [e.title, c.title, a.title, b.title]
    assert d.title not in html


def test_unpublished_chosen_articles_fall_back_to_automatic(client):
    politik = factories.section("Politik")
    newest = factories.article(
        politik, headline="Neu mit Bild", lead_image=picture("n"), published_at=hours_ago(1)
    )
    chosen_lead = factories.article(politik, headline="Gewählt", published_at=hours_ago(3))
    pinned = factories.article(politik, headline="Angeheftet", published_at=hours_ago(30))
    others = [
        factories.article(politik, headline=f"Weitere {n}", published_at=hours_ago(2 + n))
        for n in range(3)
    ]
    curate(factories.home_page(), lead=chosen_lead, blocks=[(politik, [pinned])], per_section=3)
    html = front(client)
    assert chosen_lead.title in lead_of(html)
    assert headlines_in(block_of(html, "politik"), [pinned, newest, *others])[0] == pinned.title

    chosen_lead.unpublish()
    pinned.unpublish()
    html = front(client)
    assert newest.title in lead_of(html)
    assert pinned.title not in html and chosen_lead.title not in html
    assert headlines_in(block_of(html, "politik"), others) == [o.title for o in others]


def test_an_expired_chosen_lead_falls_back_once_the_scheduler_has_run(client):
    automatic = factories.article(
        headline="Automatisch", lead_image=picture("x"), published_at=hours_ago(1)
    )
    chosen = factories.article(headline="Bis Mittag aktuell", published_at=hours_ago(2))
    curate(factories.home_page(), lead=chosen)
    assert chosen.title in lead_of(front(client))
    ArticlePage.objects.filter(pk=chosen.pk).update(expire_at=timezone.now() - timedelta(minutes=1))
    call_command("publish_scheduled", verbosity=0)
    assert automatic.title in lead_of(front(client))


def test_a_deleted_chosen_lead_and_pins_of_deleted_pages_leave_a_working_front_page(client):
    politik = factories.section("Politik")
    automatic = factories.article(politik, headline="Bleibt", published_at=hours_ago(1))
    chosen = factories.article(politik, headline="Wird gelöscht", published_at=hours_ago(2))
    curate(factories.home_page(), lead=chosen, blocks=[(politik, [chosen])])
    chosen.delete()
    html = front(client)
    assert automatic.title in lead_of(html) and "Wird gelöscht" not in html


@pytest.fixture
def editor_client(client, django_user_model):
    from django.contrib.auth.models import Group

    editor = django_user_model.objects.create_user("chefin", "c@example.org", "geheim-123")
    editor.is_staff = True
    editor.save()
    editor.groups.add(Group.objects.get(name="Editors"), Group.objects.get(name="Moderators"))
    client.force_login(editor)
    return client


def edit_home(client, *, lead=None, blocks=(), per_section=4, publish=True):
    """POST the home page's edit form as the CMS sends it."""
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

    home = factories.home_page()
    section_blocks = []
    for section, articles in blocks:
        items = {
            str(n): {"type": "item", "value": a.pk, "deleted": "", "order": str(n), "id": ""}
            for n, a in enumerate(articles)
        }
        items["count"] = str(len(articles))
        section_blocks.append(("section", {"section": section.pk, "articles": items}))
    data = nested_form_data(
        {
            "title": home.title,
            "slug": home.slug,
            "lead_article": lead.pk if lead else "",
            "articles_per_section": per_section,
            "section_pins": streamfield(section_blocks),
            "comments": inline_formset([]),
        }
    )
    if publish:
        data["action-publish"] = "publish"
    return client.post(f"/cms/pages/{home.pk}/edit/", data)


def test_editor_pins_in_the_cms_and_readers_see_it(editor_client, client):
    politik = factories.section("Politik")
    newest = factories.article(politik, headline="Neueste", published_at=hours_ago(1))
    pinned = factories.article(politik, headline="Angeheftet", published_at=hours_ago(40))
    lead = factories.article(politik, headline="Aufmacher der Chefin", published_at=hours_ago(9))
    response = edit_home(editor_client, lead=lead, blocks=[(politik, [pinned])])
    assert response.status_code == 302, response.content.decode()[-3000:]
    editor_client.logout()
    html = front(client)
    assert lead.title in lead_of(html)
    assert headlines_in(block_of(html, "politik"), [newest, pinned]) == [pinned.title, newest.title]


def field_messages(errors) -> list[str]:
    """Every message of a StreamField's errors, as the CMS shows them beside the blocks."""
    from wagtail.blocks.base import get_error_json_data

    def walk(data: dict) -> list[str]:
        found = list(data.get("messages", []))
        children = data.get("blockErrors", {})
        for child in children.values() if isinstance(children, dict) else children:
            if child:
                found += walk(child)
        return found

    return [message for error in errors.as_data() for message in walk(get_error_json_data(error))]


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("other-section", "Nicht im Ressort „Politik“: „Theater“."),
        ("twice", "Ein Artikel ist in diesem Block doppelt angeheftet."),
        ("section-twice", "Das Ressort „Politik“ hat schon einen Block."),
        ("too-many", "Mehr angeheftete Artikel als Plätze im Block (1) bei: Politik."),
    ],
)
def test_bad_pins_are_refused_in_german_and_change_nothing(editor_client, case, message):
    politik, kultur = factories.section("Politik"), factories.section("Kultur")
    a, b = factories.article(politik), factories.article(politik)
    theater = factories.article(kultur, headline="Theater")
    blocks, per_section = {
        "other-section": ([(politik, [theater])], 4),
        "twice": ([(politik, [a, a])], 4),
        "section-twice": ([(politik, [a]), (politik, [b])], 4),
        "too-many": ([(politik, [a, b])], 1),
    }[case]
    revisions = factories.home_page().revisions.count()
    response = edit_home(editor_client, blocks=blocks, per_section=per_section)
    assert response.status_code == 200
    assert message in " ".join(field_messages(response.context["form"].errors["section_pins"]))
    home = factories.home_page()
    assert home.revisions.count() == revisions
    assert home.articles_per_section == 4 and not home.section_pins


def test_front_page_queries_do_not_grow_with_the_pinned_articles(client):
    politik, kultur = factories.section("Politik"), factories.section("Kultur")
    articles = {
        section: [
            factories.article(
                section, lead_image=picture(f"{section.slug}{n}"), published_at=hours_ago(n)
            )
            for n in range(1, 5)
        ]
        for section in (politik, kultur)
    }

    def cold_queries() -> int:
        front(client)  # image renditions are made once, not counted
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            front(client)
        return len(captured.captured_queries)

    one = articles[politik][:1]
    curate(factories.home_page(), lead=articles[kultur][0], blocks=[(politik, one)])
    few = cold_queries()
    curate(
        factories.home_page(),
        lead=articles[kultur][0],
        blocks=[(politik, articles[politik]), (kultur, articles[kultur][1:])],
    )
    assert cold_queries() <= few


def test_home_preview_shows_the_editors_unsaved_choice(rf, client):
    politik = factories.section("Politik")
    factories.article(
        politik, headline="Live-Aufmacher", lead_image=picture("l"), published_at=hours_ago(1)
    )
    candidate = factories.article(politik, headline="Kandidat", published_at=hours_ago(2))
    front(client)  # the live front page's pieces are now kept
    home = factories.home_page()
    home.lead_article = candidate
    preview = home.make_preview_request(rf.get("/cms/"))
    assert candidate.title in lead_of(preview.content.decode())
    assert "Live-Aufmacher" in lead_of(front(client))


@pytest.fixture
def page_cache_on(settings) -> None:
    settings.PAGE_CACHE_ENABLED = True


def not_django(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"from django"]


def served_from_cache(path: str) -> bool:
    """Whether the WSGI front answers `path` from the page cache, without Django."""
    environ = RequestFactory().get(path).environ
    body = b"".join(PageCacheApp(not_django)(environ, lambda status, headers: None))
    return body != b"from django"


def test_changing_the_pinned_lead_drops_the_cached_front_page_at_once(
    client, page_cache_on, django_capture_on_commit_callbacks
):
    politik = factories.section("Politik")
    factories.article(
        politik, headline="Erster Aufmacher", lead_image=picture("e"), published_at=hours_ago(1)
    )
    chosen = factories.article(
        politik, headline="Der gewählte Aufmacher", published_at=hours_ago(5)
    )
    assert "Erster Aufmacher" in lead_of(front(client))
    assert served_from_cache("/")

    home = HomePage.objects.get()
    home.lead_article = chosen
    with django_capture_on_commit_callbacks(execute=True):
        home.save_revision()  # a draft changes nothing readers see
    assert served_from_cache("/")
    with django_capture_on_commit_callbacks(execute=True):
        home.get_latest_revision().publish()
    assert not served_from_cache("/")
    assert chosen.title in lead_of(front(client))
    assert served_from_cache("/")

    with django_capture_on_commit_callbacks(execute=True):
        curate(home, lead=None)
    assert not served_from_cache("/")
    assert "Erster Aufmacher" in lead_of(front(client))
