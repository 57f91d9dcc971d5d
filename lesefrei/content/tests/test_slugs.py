"""German slugs for every page, wherever it is made, and redirects when one changes."""

import pytest
from django.test import Client

from lesefrei.content.models import ArticlePage, SectionPage
from lesefrei.content.slugs import transliterated_slug
from tests import factories

from .test_workflow import approve_and_publish_form, chief_client

pytestmark = pytest.mark.django_db


def publish_form(article: ArticlePage, **changes: str) -> dict:
    data = approve_and_publish_form(article)
    for key in ("action-workflow-action", "workflow-action-name", "workflow-action-extra-data"):
        del data[key]
    return {**data, "action-publish": "action-publish", **changes}


@pytest.mark.parametrize(
    "slug, stored",
    [
        ("der-rat-beschließt-für-schülerinnen", "der-rat-beschliesst-fuer-schuelerinnen"),
        ("Öko-Prämie-ÄÖÜ", "oeko-praemie-aeoeue"),
        ("foerderung-fuer-waermepumpen", "foerderung-fuer-waermepumpen"),
        ("", ""),
    ],
)
def test_slugs_are_transliterated_the_german_way(slug, stored):
    assert transliterated_slug(slug) == stored


def test_page_saved_from_the_cms_with_an_umlaut_slug_gets_the_transliterated_slug():
    article = factories.article(headline="Der Rat beschließt", publish=False)
    chief = chief_client()

    response = chief.post(
        f"/cms/pages/{article.pk}/edit/",
        publish_form(article, slug="der-rat-beschließt-für-schülerinnen"),
    )

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.slug == "der-rat-beschliesst-fuer-schuelerinnen"
    assert article.live and article.url.endswith("/der-rat-beschliesst-fuer-schuelerinnen/")


def test_cms_slug_widget_replaces_umlauts_as_the_editor_types():
    article = factories.article(headline="Straße", publish=False)
    html = chief_client().get(f"/cms/pages/{article.pk}/edit/").content.decode()
    assert "[[&quot;\\u00e4&quot;,&quot;gu&quot;],&quot;ae&quot;]" in html  # ä -> ae


def test_page_made_in_code_with_an_umlaut_slug_is_stored_transliterated():
    page = SectionPage(title="Fußball", slug="fußball-ärger")
    factories.home_page().add_child(instance=page)
    assert SectionPage.objects.get(pk=page.pk).slug == "fussball-aerger"


def test_changed_slug_of_a_published_article_keeps_a_redirect_from_the_old_address(
    django_capture_on_commit_callbacks,
):
    article = factories.article(headline="Alte Überschrift")
    old_url = article.url
    chief = chief_client()

    with django_capture_on_commit_callbacks(execute=True):  # Wagtail redirects after commit
        response = chief.post(
            f"/cms/pages/{article.pk}/edit/", publish_form(article, slug="neue-überschrift")
        )

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.url != old_url and article.url.endswith("/neue-ueberschrift/")
    answer = Client().get(old_url)
    assert answer.status_code == 301 and answer["Location"].endswith(article.url)
    assert Client().get(article.url).status_code == 200
