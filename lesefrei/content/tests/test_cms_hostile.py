"""The CMS refuses control characters in what editors type and answers broken requests
with a 404 or a form error, never a 500 (issue 13, findings 2 and 11)."""

import pytest
from wagtail.blocks.base import get_error_json_data
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from lesefrei.content.models import ArticlePage, Topic
from tests import factories

pytestmark = pytest.mark.django_db


def edit_form(article: ArticlePage, body=None, **fields) -> dict:
    """The article's edit form as the CMS sends it when an editor saves a draft."""
    data = {
        "title": article.title,
        "slug": article.slug,
        "kicker": article.kicker,
        "teaser": article.teaser,
        "article_authors": inline_formset([]),
        "place": "",
        "published_at": "",
        "updated_at": "",
        "lead_image": "",
        "lead_image_caption": "",
        "body": streamfield(
            body or [("paragraph", rich_text("<p>Der erste Absatz erzählt, was geschah.</p>"))]
        ),
        "topics": "",
        "correction": rich_text(""),
        "comments_mode": "open",
        "comments_close_after_days": "14",
        "comments": inline_formset([]),
    }
    data.update(fields)
    return nested_form_data(data)


def messages_of(error) -> list[str]:
    def walk(data) -> list[str]:
        found = list(data.get("messages", []))
        children = data.get("blockErrors", {})
        for child in children.values() if isinstance(children, dict) else children:
            if child:
                found += walk(child)
        return found

    return walk(get_error_json_data(error))


@pytest.fixture
def article():
    return factories.article(headline="Der Rat beschließt den Wärmeplan", publish=False)


def test_a_draft_without_control_characters_saves(admin_client, article):
    response = admin_client.post(f"/cms/pages/{article.pk}/edit/", edit_form(article))
    assert response.status_code == 302, response.content.decode()[-2000:]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", "Der Rat \x1b[31m beschließt"),
        ("kicker", "Debatte\x07"),
        ("teaser", "Ein Satz mit \x0c Seitenvorschub."),
        ("lead_image_caption", "Bild\x7f"),
        ("place", "Kas\x01sel"),
        ("topics", "Rente, Wärme\x1b"),
    ],
)
def test_control_characters_in_article_fields_are_refused_at_the_field(
    admin_client, article, field, value
):
    response = admin_client.post(
        f"/cms/pages/{article.pk}/edit/", edit_form(article, **{field: value})
    )
    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    assert "unzulässiges Steuerzeichen" in errors[0]
    assert ArticlePage.objects.get(pk=article.pk).get_latest_revision().content["title"] == (
        article.title
    )


@pytest.mark.parametrize(
    "block",
    [
        ("paragraph", rich_text("<p>Absatz mit \x1b Escape.</p>")),
        ("subheading", "Zwischen\x08titel"),
        ("quote", {"text": "Ein Zitat.", "attribution": "Ana\x1b Lima"}),
        ("info_box", {"title": "Kasten\x02", "text": rich_text("<p>Text.</p>")}),
        ("embed", {"url": "https://example.org/", "title": "Video\x1b", "description": ""}),
    ],
)
def test_control_characters_in_body_blocks_are_refused_at_the_block(admin_client, article, block):
    body = [("paragraph", rich_text("<p>Ein sauberer Absatz.</p>")), block]
    response = admin_client.post(f"/cms/pages/{article.pk}/edit/", edit_form(article, body=body))
    assert response.status_code == 200
    (error,) = response.context["form"].errors["body"].as_data()
    assert any("unzulässiges Steuerzeichen" in message for message in messages_of(error))
    assert set(get_error_json_data(error)["blockErrors"]) == {1}


@pytest.mark.parametrize(
    "broken",
    [
        {"body-count": None},
        {"body-count": "viele"},
        {"body-0-type": None},
        {"body-0-order": "erstens"},
        {"body-0-deleted": None},
        {"body-count": "3"},
    ],
)
def test_a_body_that_arrives_incomplete_is_a_form_error_not_a_500(admin_client, article, broken):
    data = edit_form(article)
    for key, value in broken.items():
        if value is None:
            data.pop(key)
        else:
            data[key] = value
    response = admin_client.post(f"/cms/pages/{article.pk}/edit/", data)
    assert response.status_code == 200
    assert "unvollständig" in str(response.context["form"].errors["body"])
    # The form shows the stored body again, not an empty one.
    assert "Der erste Absatz" in response.content.decode() or "paragraph" in (
        response.content.decode()
    )


@pytest.mark.parametrize("pk", ["x", "1.5", "%00", "9999999999999999999999"])
def test_choosing_a_topic_by_a_malformed_id_is_a_404(admin_client, pk):
    Topic.objects.create(name="Rente", slug="rente")
    response = admin_client.get(f"/cms/snippets/choose/content/topic/chosen/{pk}/")
    assert response.status_code == 404


def test_choosing_an_existing_topic_still_works(admin_client):
    topic = Topic.objects.create(name="Rente", slug="rente")
    response = admin_client.get(f"/cms/snippets/choose/content/topic/chosen/{topic.pk}/")
    assert response.status_code == 200
    assert response.json()["result"]["string"] == "Rente"


def test_control_characters_in_a_topic_name_are_refused(admin_client):
    response = admin_client.post(
        "/cms/snippets/content/topic/add/", {"name": "Rente\x1b", "slug": "rente"}
    )
    assert response.status_code == 200
    assert "unzulässiges Steuerzeichen" in str(response.context["form"].errors["name"])
    assert not Topic.objects.exists()
    response = admin_client.post(
        "/cms/snippets/content/topic/add/", {"name": "Rente", "slug": "rente"}
    )
    assert response.status_code == 302
