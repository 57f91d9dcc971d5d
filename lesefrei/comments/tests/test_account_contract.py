"""The two functions the accounts app relies on: anonymisation and data export."""

import pytest
from django.conf import settings

from lesefrei.comments import selectors, services
from lesefrei.comments.models import Ban, CommentReport, ModerationAction, Status

from . import factories

pytestmark = pytest.mark.django_db


def test_anonymised_comments_stay_and_lose_every_link_to_the_reader(client):
    article = factories.article()
    leaving = factories.reader("Wegzug")
    other = factories.reader("Bleibt")
    shown = factories.comment(article, leaving, "Meine Meinung bleibt stehen.", approve=True)
    factories.comment(article, leaving, "Noch in der Prüfung.")
    mine_reported = factories.comment(article, other, "Ein gemeldeter Kommentar.", approve=True)
    services.report_comment(mine_reported, leaving, "Beleidigung")
    services.ban_reader(leaving, None, reason="Test")
    count_before = selectors.approved_count(article.pk)
    ranking_before = [(item.article_id, item.count) for item in selectors.most_commented()]

    assert services.anonymise_comments_of(leaving) == 2

    shown.refresh_from_db()
    assert shown.author is None and shown.status == Status.APPROVED
    assert shown.author_name == "gelöschtes Konto"
    assert not leaving.comments.exists()
    assert not CommentReport.objects.filter(reporter=leaving).exists()
    assert not ModerationAction.objects.filter(reader=leaving).exists()
    assert not Ban.objects.filter(user=leaving).exists()
    assert selectors.approved_count(article.pk) == count_before
    assert [(i.article_id, i.count) for i in selectors.most_commented()] == ranking_before
    html = client.get(f"/kommentare/{article.pk}/").content.decode()
    assert "gelöschtes Konto" in html and "Wegzug" not in html


def test_anonymised_account_can_be_deleted_and_comments_remain():
    article = factories.article()
    leaving = factories.reader()
    comment = factories.comment(article, leaving, approve=True)
    services.anonymise_comments_of(leaving)
    leaving.delete()
    comment.refresh_from_db()
    assert comment.author_id is None
    assert selectors.approved_count(article.pk) == 1


def test_export_lists_every_comment_with_article_text_date_and_status():
    article = factories.article(headline="Streit um die Haltelinie")
    author = factories.reader()
    factories.comment(article, author, "Erster Gedanke.", approve=True)
    factories.comment(article, author, "Zweiter Gedanke.")
    factories.comment(article, factories.reader(), "Nicht meiner.")

    exported = selectors.comments_for_export(author)

    assert [item["text"] for item in exported] == ["Erster Gedanke.", "Zweiter Gedanke."]
    assert exported[0]["article_headline"] == "Streit um die Haltelinie"
    assert exported[0]["article_url"] == settings.SITE_URL + article.url
    assert [item["status"] for item in exported] == ["approved", "pending"]
    assert exported[0]["created"].startswith(str(exported[0]["created"][:4]))
