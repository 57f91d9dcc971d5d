"""Writing comments: who may, what is refused (with which message), what goes to the
queue, and that one submission is stored once."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from lesefrei.comments import selectors, services
from lesefrei.comments.models import Comment, ModerationAction, Status
from lesefrei.comments.rules import CommentRefused
from lesefrei.content.models import ArticlePage

from . import factories

pytestmark = pytest.mark.django_db


def write_url(article: ArticlePage) -> str:
    return reverse("comments:write", args=[article.pk])


def post(client, article: ArticlePage, text: str, key: str = "", parent: str = ""):
    return client.post(write_url(article), {"text": text, "key": key, "parent": parent})


def refusal(user, article: ArticlePage, text: str, **kwargs) -> CommentRefused:
    with pytest.raises(CommentRefused) as refused:
        services.post_comment(user, article, text, **kwargs)
    return refused.value


# Who may write


def test_confirmed_reader_comment_waits_for_moderation_and_only_the_author_sees_it(client):
    article = factories.article()
    author = factories.reader("Mara K.")
    client.force_login(author)

    page = client.get(write_url(article))
    assert "Angemeldet als <strong>Mara K.</strong>" in page.content.decode()
    key = page.context["form"]["key"].value()
    response = post(client, article, "Ein erster, sachlicher Gedanke.", key)

    comment = Comment.objects.get()
    assert response.status_code == 302
    assert comment.status == Status.PENDING
    own_page = client.get(response["Location"]).content.decode()
    assert "wartet auf Freischaltung" in own_page
    assert "Ein erster, sachlicher Gedanke." in own_page
    client.logout()
    public = client.get(reverse("comments:list", args=[article.pk])).content.decode()
    assert "Ein erster, sachlicher Gedanke." not in public
    assert selectors.approved_count(article.pk) == 0


def test_anonymous_visitor_is_sent_to_login_and_stores_nothing(client):
    article = factories.article()
    response = post(client, article, "Hallo")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not Comment.objects.exists()


def test_unconfirmed_reader_is_asked_to_confirm_the_address(client):
    article = factories.article()
    client.force_login(factories.reader(verified=False))
    page = client.get(write_url(article)).content.decode()
    assert "bestätigen Sie zuerst Ihre E-Mail-Adresse" in page
    assert "<textarea" not in page
    response = post(client, article, "Darf ich?")
    assert response.status_code == 400
    assert "bestätigen Sie zuerst Ihre E-Mail-Adresse" in response.content.decode()
    assert not Comment.objects.exists()


def test_closed_comments_are_refused():
    article = factories.article()
    ArticlePage.objects.filter(pk=article.pk).update(comments_mode="closed")
    article.refresh_from_db()
    refused = refusal(factories.reader(), article, "Zu spät?")
    assert refused.code == "comments_closed"
    assert refused.message == "Die Kommentare zu diesem Artikel sind geschlossen."


def test_comments_close_automatically_after_the_configured_days():
    old = factories.article(published_at=timezone.now() - timedelta(days=8))
    recent = factories.article(published_at=timezone.now() - timedelta(days=2))
    ArticlePage.objects.filter(pk__in=[old.pk, recent.pk]).update(
        comments_mode="auto", comments_close_after_days=7
    )
    old.refresh_from_db()
    recent.refresh_from_db()
    assert refusal(factories.reader(), old, "Noch offen?").code == "comments_closed"
    assert services.post_comment(factories.reader(), recent, "Ja, noch offen.").created


def test_banned_reader_is_refused_with_the_end_of_the_ban():
    article = factories.article()
    reader = factories.reader()
    services.ban_reader(reader, None, until=timezone.now() + timedelta(days=3))
    refused = refusal(reader, article, "Ich bin wieder da.")
    assert refused.code == "banned"
    assert "gesperrt" in refused.message and "bis" in refused.message


def test_expired_ban_no_longer_blocks():
    article = factories.article()
    reader = factories.reader()
    ban = services.ban_reader(reader, None, until=timezone.now() + timedelta(days=1))
    ban.until = timezone.now() - timedelta(minutes=1)
    ban.save()
    assert services.post_comment(reader, article, "Wieder dabei.").created


# What is refused, with which message


@pytest.mark.parametrize(
    ("text", "code", "phrase"),
    [
        ("", "empty", "Bitte schreiben Sie zuerst Ihren Kommentar."),
        ("   \n\n \t ", "empty", "Bitte schreiben Sie zuerst Ihren Kommentar."),
        ("x" * 1501, "too_long", "1501 Zeichen lang, erlaubt sind höchstens 1500"),
        ("ä" * 100_000, "too_long", "100000 Zeichen lang"),
        (
            " ".join(f"https://example.org/{n}" for n in range(6)),
            "too_many_links",
            "6 Links, erlaubt sind höchstens 5",
        ),
        ("Null\x00Byte", "control_characters", "Steuerzeichen"),
        ("rechts\u202enach links", "control_characters", "Steuerzeichen"),
        ("kaputt \ufffd\ufffd", "unreadable", "nicht gelesen werden"),
    ],
)
def test_refusals_have_a_clear_german_message_and_store_nothing(text, code, phrase):
    refused = refusal(factories.reader(), factories.article(), text)
    assert refused.code == code
    assert phrase in refused.message
    assert not Comment.objects.exists()


def test_exactly_the_length_limit_is_accepted():
    result = services.post_comment(factories.reader(), factories.article(), "y" * 1500)
    assert len(result.comment.text) == 1500


def test_posting_too_fast_is_refused_then_allowed_again(settings):
    article = factories.article()
    reader = factories.reader()
    services.post_comment(reader, article, "Erster Kommentar.")
    refused = refusal(reader, article, "Zweiter, gleich danach.")
    assert refused.code == "too_fast" and "zu schnell" in refused.message
    cache.delete(f"comments:rate:last:{reader.pk}")
    assert services.post_comment(reader, article, "Zweiter, etwas später.").created


def test_rate_window_limits_comments_per_reader(settings):
    settings.COMMENTS_MIN_INTERVAL = 0
    settings.COMMENTS_RATE_LIMIT = 3
    article = factories.article()
    reader = factories.reader()
    for number in range(3):
        services.post_comment(reader, article, f"Kommentar {number}.")
    assert refusal(reader, article, "Einer zu viel.").code == "rate_limited"
    assert Comment.objects.count() == 3
    # Other readers are not affected.
    assert services.post_comment(factories.reader(), article, "Ich darf.").created


def test_refusals_in_the_form_are_shown_and_keep_the_text(client):
    article = factories.article()
    client.force_login(factories.reader())
    response = post(client, article, "z" * 1600, key="k1")
    html = response.content.decode()
    assert response.status_code == 400
    assert "1600 Zeichen lang, erlaubt sind höchstens 1500" in html
    assert 'aria-invalid="true"' in html
    assert "z" * 1600 in html
    assert not Comment.objects.exists()


# Stored once


def test_double_submission_with_the_same_key_stores_one_comment(client):
    article = factories.article()
    client.force_login(factories.reader())
    first = post(client, article, "Doppelklick!", key="a" * 32)
    second = post(client, article, "Doppelklick!", key="a" * 32)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Comment.objects.count() == 1


def test_retry_with_the_same_key_returns_the_first_comment_even_after_the_rate_limit():
    article = factories.article()
    reader = factories.reader()
    first = services.post_comment(reader, article, "Einmal.", idempotency_key="retry-1")
    retry = services.post_comment(reader, article, "Einmal.", idempotency_key="retry-1")
    assert first.created and not retry.created
    assert retry.comment.pk == first.comment.pk
    assert Comment.objects.count() == 1


def test_same_text_resubmitted_without_a_key_is_stored_once():
    article = factories.article()
    reader = factories.reader()
    services.post_comment(reader, article, "Ohne Schlüssel.")
    cache.delete(f"comments:rate:last:{reader.pk}")
    again = services.post_comment(reader, article, "Ohne Schlüssel.  ")
    assert not again.created
    assert Comment.objects.count() == 1


def test_same_key_from_two_readers_stores_two_comments():
    article = factories.article()
    services.post_comment(factories.reader(), article, "Von A.", idempotency_key="same")
    services.post_comment(factories.reader(), article, "Von B.", idempotency_key="same")
    assert Comment.objects.count() == 2


# Replies


def test_reply_to_a_reply_becomes_a_reply_to_its_top_level_comment():
    article = factories.article()
    top = factories.comment(article, approve=True)
    reply = factories.comment(article, parent=top, approve=True)
    answer = factories.comment(article, parent=reply)
    assert answer.parent_id == top.pk


def test_reply_to_a_hidden_comment_is_refused():
    article = factories.article()
    pending = factories.comment(article)
    refused = refusal(factories.reader(), article, "Antwort", parent=pending)
    assert refused.code == "parent_hidden"


def test_reply_to_a_comment_of_another_article_is_refused():
    other = factories.comment(factories.article(), approve=True)
    refused = refusal(factories.reader(), factories.article(), "Antwort", parent=other)
    assert refused.code == "parent_hidden"


# Pre-, post-moderation, banned words, links, trust


def test_post_moderation_publishes_at_once():
    factories.site_settings(moderation="post")
    article = factories.article()
    comment = factories.comment(article, text="Sofort sichtbar.")
    assert comment.status == Status.APPROVED
    assert selectors.approved_count(article.pk) == 1
    assert ModerationAction.objects.filter(action="auto_approve", comment=comment).exists()


def test_banned_word_sends_the_comment_to_the_queue_with_the_reason():
    factories.site_settings(moderation="post", banned_words="Lügenpresse\nVollidiot")
    article = factories.article()
    comment = factories.comment(article, text="Typisch LÜGENPRESSE, sag ich doch.")
    assert comment.status == Status.PENDING
    assert comment.queue_reason == "Verbotene Wörter: Lügenpresse"
    harmless = factories.comment(article, text="Die Presse lügt nicht, sie irrt manchmal.")
    assert harmless.status == Status.APPROVED


def test_links_over_the_limit_send_the_comment_to_the_queue():
    factories.site_settings(moderation="post")
    article = factories.article()
    linked = factories.comment(
        article, text="Quellen: https://a.example.org www.b.example.org und c.example.org"
    )
    assert linked.status == Status.PENDING
    assert "3 Links" in linked.queue_reason
    one_link = factories.comment(article, text="Quelle: https://www.destatis.de/rente")
    assert one_link.status == Status.APPROVED


def test_mixed_script_words_go_to_the_queue_but_mixed_languages_do_not():
    factories.site_settings(moderation="post")
    article = factories.article()
    spoof = factories.comment(article, text="Zahlen Sie bei \u03a1aypal ein.")
    assert spoof.status == Status.PENDING
    assert "gemischter Schrift" in spoof.queue_reason
    languages = factories.comment(article, text="Спасибо und danke, شكرا – 🙂 schön.")
    assert languages.status == Status.APPROVED


def test_trusted_reader_is_approved_automatically_until_a_recent_rejection(settings):
    settings.COMMENTS_TRUST_APPROVED = 2
    article = factories.article()
    reader = factories.reader()
    for _ in range(2):
        factories.comment(article, reader, approve=True)
    trusted = factories.comment(article, reader, text="Jetzt ohne Wartezeit.")
    assert trusted.status == Status.APPROVED

    rejected = factories.comment(article, reader, text="Ein Ausrutscher.")
    services.reject_comment(rejected, None, "Beleidigung", notify=False)
    after_rejection = factories.comment(article, reader, text="Wieder in der Warteschlange.")
    assert after_rejection.status == Status.PENDING


# Reports


def test_report_once_per_reader_with_reason_brings_the_comment_back_to_the_queue(client):
    article = factories.article()
    comment = factories.comment(article, approve=True)
    reporter = factories.reader()
    client.force_login(reporter)

    response = client.post(
        reverse("comments:report", args=[comment.pk]), {"reason": "beleidigung", "details": "X"}
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.open_reports == 1 and comment.status == Status.APPROVED
    assert comment in selectors.moderation_queue("offen")
    again = client.post(
        reverse("comments:report", args=[comment.pk]), {"reason": "spam"}, follow=True
    )
    assert "bereits gemeldet" in again.content.decode()
    comment.refresh_from_db()
    assert comment.open_reports == 1
    assert comment.reports.get().reason == "Beleidigung oder Angriff auf Personen: X"


def test_report_needs_a_reason_and_not_ones_own_comment(client):
    article = factories.article()
    author = factories.reader()
    comment = factories.comment(article, author, approve=True)
    client.force_login(factories.reader())
    response = client.post(reverse("comments:report", args=[comment.pk]), {"reason": ""})
    assert response.status_code == 400
    assert "Bitte wählen Sie einen Grund." in response.content.decode()
    with pytest.raises(CommentRefused) as refused:
        services.report_comment(comment, author, "Selbstanzeige")
    assert refused.value.code == "own_comment"


def test_pending_comments_cannot_be_reported(client):
    comment = factories.comment(factories.article())
    client.force_login(factories.reader())
    assert client.get(reverse("comments:report", args=[comment.pk])).status_code == 404
