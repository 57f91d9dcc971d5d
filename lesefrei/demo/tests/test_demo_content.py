import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from lesefrei.content.models import ArticlePage, AuthorPage, SectionPage

pytestmark = pytest.mark.django_db


def test_demo_content_has_the_promised_shape_and_loads_twice_without_duplicates(client):
    out = StringIO()
    call_command("load_demo_content", stdout=out)
    counts = (
        SectionPage.objects.live().count(),
        AuthorPage.objects.live().count(),
        ArticlePage.objects.live().count(),
    )
    assert counts[0] >= 5 and counts[1] >= 6 and counts[2] >= 12
    assert "redaktion" in out.getvalue() and "lesefrei-demo" in out.getvalue()

    call_command("load_demo_content", stdout=StringIO())
    assert (
        SectionPage.objects.count(),
        AuthorPage.objects.count(),
        ArticlePage.objects.count(),
    ) == counts
    assert (
        get_user_model()
        .objects.filter(username__in=["redaktion", "chefredaktion", "admin"])
        .count()
        == 3
    )

    for article in ArticlePage.objects.live():
        kinds = [block.block_type for block in article.body]
        assert 8 <= kinds.count("paragraph") <= 20, article.title
        assert 2 <= kinds.count("subheading") <= 4, article.title
        assert article.kicker and article.teaser and article.authors
        text = "".join(str(block.value) for block in article.body)
        assert len(re.findall("„", text)) >= 2, article.title
        assert client.get(article.url).status_code == 200


def test_demo_editor_can_open_the_cms(client):
    call_command("load_demo_content", stdout=StringIO())
    assert client.login(username="redaktion", password="lesefrei-demo")
    assert client.get("/cms/").status_code == 200
    article = ArticlePage.objects.live().first()
    assert client.get(f"/cms/pages/{article.pk}/edit/").status_code == 200
