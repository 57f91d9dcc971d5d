"""Account export and deletion together with the comments app's hooks."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from lesefrei.accounts.services import change_pseudonym, delete_account
from lesefrei.comments.models import Comment, Status
from lesefrei.comments.services import approve_comment, post_comment
from tests import factories

from .factories import PASSWORD, reader

pytestmark = pytest.mark.django_db


@pytest.fixture
def commented():
    article = factories.article(headline="Mithalten im Alter")
    author = reader("Leserin_aus_Kiel")
    comment = post_comment(author, article, "Ein kluger Gedanke zur Rente.").comment
    approve_comment(comment, None)
    return author, article, comment


def test_export_lists_the_readers_comments(client, commented):
    author, _article, _comment = commented
    client.force_login(author)

    data = json.loads(client.get(reverse("reader_export")).content)

    assert len(data["comments"]) == 1
    assert data["comments"][0]["text"] == "Ein kluger Gedanke zur Rente."
    assert data["comments"][0]["article_headline"] == "Mithalten im Alter"


def test_deleted_account_leaves_its_comments_anonymous(client, commented):
    author, article, comment = commented
    client.force_login(author)

    response = client.post(reverse("reader_delete"), {"password": PASSWORD})

    assert response.status_code == 302
    assert not get_user_model().objects.filter(pk=author.pk).exists()
    comment = Comment.objects.get(pk=comment.pk)
    assert comment.author_id is None
    assert comment.status == Status.APPROVED
    assert comment.author_name == "gelöschtes Konto"
    page = client.get(article.url)
    assert "Leserin_aus_Kiel" not in page.text


def test_deletion_is_all_or_nothing(commented, monkeypatch):
    author, _article, comment = commented

    def failing_delete(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(type(author), "delete", failing_delete)
    with pytest.raises(RuntimeError):
        delete_account(author)

    comment.refresh_from_db()
    assert comment.author_id == author.pk, "anonymising is rolled back with the failed deletion"


def test_new_pseudonym_shows_on_the_next_request_of_a_cached_article(client, commented):
    author, article, _comment = commented
    assert "Leserin_aus_Kiel" in client.get(article.url).text
    assert "Leserin_aus_Kiel" in client.get(article.url).text  # now from the caches

    change_pseudonym(author, "Leserin aus Flensburg")

    page = client.get(article.url).text
    assert "Leserin aus Flensburg" in page
    assert "Leserin_aus_Kiel" not in page
