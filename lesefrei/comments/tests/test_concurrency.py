"""50 readers post at once against the live server (real HTTP, each logged in), each
submitting their form twice (a double click): every accepted comment is stored exactly
once and the counts match. PostgreSQL only: SQLite serialises all writers anyway."""

import re
import threading
import time
import urllib.error
import urllib.request
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from lesefrei.comments import selectors
from lesefrei.comments.models import ArticleCommentStats, Comment, Status
from lesefrei.content.models import ArticlePage

from . import factories

READERS = 50

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(_NoRedirect)


def _request(url: str, cookies: dict[str, str], data: dict | None = None) -> tuple[int, str, list]:
    body = urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, method="POST" if body else "GET")
    request.add_header("Cookie", "; ".join(f"{name}={value}" for name, value in cookies.items()))
    if body:
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
    # The test server's listen queue is short: a refused or reset connection is retried
    # with the same form, as a browser or a proxy would (the idempotency key makes that safe).
    for attempt in range(20):
        try:
            with OPENER.open(request, timeout=60) as response:
                cookies = response.headers.get_all("Set-Cookie") or []
                return response.status, response.read().decode(), cookies
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace"), []
        except (ConnectionError, urllib.error.URLError):
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError(f"{url} did not answer")


def test_fifty_readers_posting_at_once_store_each_comment_exactly_once(live_server):
    factories.site_settings(moderation="post")
    article = factories.article(headline="Alle reden mit")
    url = live_server.url + reverse("comments:write", args=[article.pk])

    forms = []
    for number in range(READERS):
        reader = factories.reader(f"Gleichzeitig{number}")
        client = Client()
        client.force_login(reader)
        cookies = {"sessionid": client.cookies["sessionid"].value}
        status, html, set_cookies = _request(url, cookies)
        assert status == 200, html[:500]
        for header in set_cookies:
            name, _, rest = header.partition("=")
            if name == "csrftoken":
                cookies["csrftoken"] = rest.split(";", 1)[0]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        key = re.search(r'name="key" value="([^"]+)"', html).group(1)
        data = {
            "csrfmiddlewaretoken": token,
            "key": key,
            "text": f"Meinung Nummer {number}: „gleichzeitig“ geschrieben.",
        }
        forms.append((cookies, data))

    start = threading.Barrier(READERS)
    results: list[tuple[int, int]] = []
    lock = threading.Lock()

    def post_twice(cookies: dict, data: dict) -> None:
        start.wait()
        first, _, _ = _request(url, cookies, data)
        second, _, _ = _request(url, cookies, data)  # the double click / retry
        with lock:
            results.append((first, second))

    threads = [threading.Thread(target=post_twice, args=form) for form in forms]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)

    assert len(results) == READERS
    assert all(result == (302, 302) for result in results), results
    comments = Comment.objects.filter(article=article)
    assert comments.count() == READERS
    assert comments.values("author").distinct().count() == READERS
    assert comments.filter(status=Status.APPROVED).count() == READERS
    assert ArticleCommentStats.objects.get(article=article).approved_count == READERS
    assert selectors.approved_count(article.pk) == READERS
    ranking = selectors.most_commented()
    assert (ranking[0].article_id, ranking[0].count) == (article.pk, READERS)
    page = urllib.request.urlopen(live_server.url + ArticlePage.objects.get(pk=article.pk).url)
    assert f'data-count="{READERS}"' in page.read().decode()
