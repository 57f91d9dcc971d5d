"""Showing comments: the section under the article (the same for everyone), the
comments page, hostile input shown as text, and "meistkommentiert"."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from lesefrei.accounts.models import ReaderProfile
from lesefrei.comments import selectors, services
from lesefrei.comments.models import Comment, Status

from . import factories

pytestmark = pytest.mark.django_db


def html_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def comments_section(html: str) -> str:
    start = html.index('<section class="comments"')
    return html[start : html.index("</section>", start)]


def ranking(html: str) -> list[str]:
    start = html.index('class="most-commented"')
    block = html[start : html.index("</aside>", start)]
    return re.findall(r'class="headline">([^<]+)<', block)


# The section under the article


def test_article_html_is_the_same_for_every_visitor_and_sets_no_cookie(client):
    article = factories.article()
    author = factories.reader("Jule aus Leipzig")
    factories.comment(article, author, "Ein freigeschalteter Gedanke.", approve=True)
    factories.comment(article, author, "Noch in der Prüfung.")

    anonymous = client.get(article.url)
    client.force_login(author)
    logged_in = client.get(article.url)

    assert html_of(anonymous) == html_of(logged_in)
    html = html_of(anonymous)
    assert "Ein freigeschalteter Gedanke." in html
    assert "Noch in der Prüfung." not in html
    assert "csrfmiddlewaretoken" not in html and "<form" not in comments_section(html)
    assert not anonymous.cookies
    section = comments_section(html)
    assert reverse("comments:write", args=[article.pk]) in section
    assert reverse("account_login") in section


def test_newly_approved_comment_is_visible_on_the_next_request(client):
    article = factories.article()
    comment = factories.comment(article, text="Gleich sichtbar.")
    before = html_of(client.get(article.url))
    assert 'data-count="0"' in before and "Gleich sichtbar." not in before

    services.approve_comment(comment, None)

    after = html_of(client.get(article.url))
    assert 'data-count="1"' in after and "Gleich sichtbar." in after
    listing = html_of(client.get(reverse("comments:list", args=[article.pk])))
    assert "Gleich sichtbar." in listing


def test_article_page_shows_the_first_comments_and_links_to_all(client, settings):
    settings.COMMENTS_ON_ARTICLE = 3
    article = factories.article()
    for number in range(5):
        factories.comment(article, text=f"Kommentar Nummer {number}.", approve=True)
    section = comments_section(html_of(client.get(article.url)))
    assert section.count('class="comment"') == 3
    assert "Alle 5 Kommentare lesen" in section
    assert reverse("comments:list", args=[article.pk]) in section


def test_replies_stand_under_their_parent(client):
    article = factories.article()
    top = factories.comment(article, text="Die Frage.", approve=True)
    factories.comment(article, text="Die Antwort.", parent=top, approve=True)
    factories.comment(article, text="Ein anderer Strang.", approve=True)
    html = html_of(client.get(reverse("comments:list", args=[article.pk])))
    replies = html[html.index('class="comment-replies"') :]
    assert "Die Antwort." in replies[: replies.index("</ol>")]
    assert html.index("Die Frage.") < html.index("Die Antwort.")


def test_comments_page_sorts_newest_oldest_and_picks_first_and_paginates(client, settings):
    settings.COMMENTS_PAGE_SIZE = 2
    article = factories.article()
    made = []
    for number, hours in enumerate([3, 2, 1]):
        comment = factories.comment(article, text=f"Nummer {number}.", approve=True)
        Comment.objects.filter(pk=comment.pk).update(
            created_at=timezone.now() - timedelta(hours=hours)
        )
        made.append(comment)
    services.pick_comment(made[0], None)
    url = reverse("comments:list", args=[article.pk])

    def texts(**params) -> list[str]:
        return re.findall(r"<p>(Nummer \d)\.</p>", html_of(client.get(url, params)))

    assert texts() == ["Nummer 2", "Nummer 1"]
    assert texts(seite=2) == ["Nummer 0"]
    assert texts(sortierung="aelteste") == ["Nummer 0", "Nummer 1"]
    assert texts(sortierung="empfehlungen") == ["Nummer 0", "Nummer 2"]
    assert texts(sortierung="<x>", seite="999") == ["Nummer 0"]


def test_closed_article_shows_comments_but_no_invitation(client):
    article = factories.article()
    factories.comment(article, text="Vor dem Schließen.", approve=True)
    type(article).objects.filter(pk=article.pk).update(comments_mode="closed")
    section = comments_section(html_of(client.get(article.url)))
    assert "Vor dem Schließen." in section
    assert "Die Kommentare zu diesem Artikel sind geschlossen." in section
    assert reverse("comments:write", args=[article.pk]) not in section


def test_status_json_gives_the_per_user_bits(client):
    article = factories.article()
    author = factories.reader("Özgür")
    factories.comment(article, author, "Wartet noch.")
    url = reverse("comments:status", args=[article.pk])
    assert client.get(url).json()["authenticated"] is False
    client.force_login(author)
    data = client.get(url).json()
    assert data["pseudonym"] == "Özgür" and data["confirmed"] and data["can_comment"]
    assert [item["text"] for item in data["pending"]] == ["Wartet noch."]


# Hostile input


def test_html_and_script_in_comments_and_pseudonyms_are_shown_as_text(client):
    article = factories.article()
    author = factories.reader()
    ReaderProfile.objects.filter(user=author).update(pseudonym="<img src=x onerror=alert(1)>")
    factories.comment(
        article,
        author,
        '<script>alert("x")</script> <a href="javascript:alert(1)">klick</a> https://ok.example',
        approve=True,
    )
    for url in [article.url, reverse("comments:list", args=[article.pk])]:
        html = html_of(client.get(url))
        assert "<script>alert" not in html and '<a href="javascript' not in html
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
        assert "&lt;img src=x onerror=alert(1)&gt;" in html
        assert '<a href="https://ok.example" rel="nofollow ugc noopener">' in html


def test_binary_and_invalid_utf8_posts_get_a_message_not_a_500(client):
    article = factories.article()
    client.force_login(factories.reader())
    url = reverse("comments:write", args=[article.pk])
    response = client.post(
        url,
        data=b"text=%FF%FE%00%81binary&key=abc",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert "nicht gelesen werden" in response.content.decode()
    response = client.post(url, {"text": "\x00\x01\x02", "key": "k" * 200, "parent": "abc"})
    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_mixed_script_input_is_accepted_with_a_message(client):
    article = factories.article()
    client.force_login(factories.reader())
    url = reverse("comments:write", args=[article.pk])
    response = client.post(
        url, {"text": "Gut gemacht – Молодцы – أحسنت 👍", "key": "m"}, follow=True
    )
    assert "wartet auf Freischaltung" in html_of(response)
    assert Comment.objects.get().text == "Gut gemacht – Молодцы – أحسنت 👍"


def test_bad_urls_and_ids_answer_404_not_500(client):
    assert client.get("/kommentare/999999/").status_code == 404
    assert client.get("/kommentare/999999/schreiben/").status_code == 404
    assert client.get("/kommentare/melden/999999/").status_code in {302, 404}


# meistkommentiert


def test_most_commented_ranks_articles_by_comments_approved_in_the_window(client, settings):
    settings.COMMENTS_MOST_COMMENTED_LENGTH = 2
    quiet = factories.article(headline="Wenig los")
    busy = factories.article(headline="Viel los")
    middle = factories.article(headline="Etwas los")
    old = factories.article(headline="Lange her")
    for article, count in [(quiet, 1), (busy, 3), (middle, 2), (old, 4)]:
        for _ in range(count):
            factories.comment(article, approve=True)
    Comment.objects.filter(article=old).update(approved_at=timezone.now() - timedelta(days=8))
    factories.comment(quiet)  # pending: not counted

    items = selectors.most_commented()
    assert [(item.headline, item.count) for item in items] == [("Viel los", 3), ("Etwas los", 2)]
    html = html_of(client.get(factories.article(headline="Irgendwo").url))
    assert ranking(html) == ["Viel los", "Etwas los"]
    assert "3 Kommentare" in html
    home = html_of(client.get("/"))
    assert ranking(home) == ["Viel los", "Etwas los"]


def test_rejected_comment_leaves_most_commented(client):
    first = factories.article(headline="Erster")
    second = factories.article(headline="Zweiter")
    a = factories.comment(first, approve=True)
    b = factories.comment(first, approve=True)
    factories.comment(second, approve=True)
    assert [item.headline for item in selectors.most_commented()] == ["Erster", "Zweiter"]
    services.reject_comment(a, None, "Spam", notify=False)
    services.reject_comment(b, None, "Spam", notify=False)
    assert [item.headline for item in selectors.most_commented()] == ["Zweiter"]
    assert ranking(html_of(client.get("/"))) == ["Zweiter"]
    assert selectors.approved_count(first.pk) == 0


def test_counts_and_ranking_stay_consistent_through_every_change():
    article = factories.article(headline="Im Fokus")
    other = factories.article(headline="Daneben")

    def check() -> None:
        for item in [article, other]:
            real = Comment.objects.filter(article=item, status=Status.APPROVED).count()
            assert selectors.approved_count(item.pk) == real
        listed = {item.article_id: item.count for item in selectors.most_commented()}
        for item in [article, other]:
            real = Comment.objects.filter(article=item, status=Status.APPROVED).count()
            assert listed.get(item.pk, 0) == real

    author = factories.reader()
    comments = [factories.comment(article, author) for _ in range(4)]
    check()
    for comment in comments:
        services.approve_comment(comment, None)
        services.approve_comment(comment, None)  # twice: counted once
    check()
    reply = factories.comment(article, parent=comments[0], approve=True)
    factories.comment(other, approve=True)
    check()
    services.reject_comment(comments[1], None, "Spam", notify=False)
    services.reject_comment(comments[1], None, "Spam", notify=False)
    check()
    services.approve_comment(comments[1], None)
    check()
    assert services.delete_comment(comments[0], None) == 2  # with its reply
    assert not Comment.objects.filter(pk=reply.pk).exists()
    check()
    services.anonymise_comments_of(author)
    author.delete()
    check()
    assert selectors.approved_count(article.pk) == 3


def test_unpublished_article_leaves_most_commented():
    article = factories.article(headline="Zurückgezogen")
    factories.comment(article, approve=True)
    assert [item.headline for item in selectors.most_commented()] == ["Zurückgezogen"]
    article.unpublish()
    services.approve_comment(factories.comment(factories.article(headline="Neu")), None)
    assert [item.headline for item in selectors.most_commented()] == ["Neu"]


def test_renamed_author_appears_with_the_new_pseudonym_on_the_next_request(client):
    article = factories.article()
    author = factories.reader("Alter Name")
    factories.comment(article, author, approve=True)
    url = reverse("comments:list", args=[article.pk])
    assert "Alter Name" in html_of(client.get(url))
    ReaderProfile.objects.filter(user=author).update(pseudonym="Neuer Name")
    services.author_renamed(author)
    html = html_of(client.get(url))
    assert "Neuer Name" in html and "Alter Name" not in html


# The whole-page cache (lesefrei/cache/pages.py)


def stored(path: str) -> bool:
    """Whether the WSGI front of the page cache answers `path` without Django."""
    from django.test import RequestFactory

    from lesefrei.cache.pages import PageCacheApp

    def django(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"from django"]

    environ = RequestFactory().get(path).environ
    body = b"".join(PageCacheApp(django)(environ, lambda status, headers: None))
    return body != b"from django"


def test_moderation_drops_cached_pages_showing_the_comments_or_the_ranking(
    client, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_ENABLED = True
    article = factories.article()
    elsewhere = factories.article()
    comment = factories.comment(article, text="Aus dem Seiten-Cache.")
    comments_url = reverse("comments:list", args=[article.pk])
    for path in [article.url, elsewhere.url, comments_url, "/"]:
        assert client.get(path).status_code == 200
        assert stored(path), path

    with django_capture_on_commit_callbacks(execute=True):
        services.approve_comment(comment, None)

    for path in [article.url, elsewhere.url, comments_url, "/"]:
        assert not stored(path), path
    html = html_of(client.get(article.url))
    assert "Aus dem Seiten-Cache." in html and 'data-count="1"' in html


def test_pending_comment_leaves_cached_pages_alone(
    client, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_ENABLED = True
    article = factories.article()
    client.get(article.url)
    with django_capture_on_commit_callbacks(execute=True):
        factories.comment(article, text="Wartet.")
    assert stored(article.url)


def test_personal_comment_pages_are_never_stored(client, settings):
    settings.PAGE_CACHE_ENABLED = True
    article = factories.article()
    client.force_login(factories.reader())
    for name in ["comments:write", "comments:status"]:
        path = reverse(name, args=[article.pk])
        assert client.get(path).status_code == 200
        assert not stored(path), path


def test_refresh_moves_most_commented_along_its_window(client):
    from io import StringIO

    from django.core.management import call_command

    aging = factories.article(headline="Gestern heiß diskutiert")
    factories.comment(aging, approve=True)
    assert [item.headline for item in selectors.most_commented()] == ["Gestern heiß diskutiert"]
    out = StringIO()
    call_command("refresh_most_commented", stdout=out)
    assert "unverändert" in out.getvalue()

    Comment.objects.filter(article=aging).update(approved_at=timezone.now() - timedelta(days=8))
    assert [item.headline for item in selectors.most_commented()] == ["Gestern heiß diskutiert"]
    call_command("refresh_most_commented", stdout=out)
    assert "erneuert" in out.getvalue()
    assert selectors.most_commented() == []
    assert 'class="most-commented"' not in html_of(client.get("/"))
