"""Scheduled publishing (content/scheduling.py): go-live and expiry times set in the CMS
take effect when the scheduler runs, once, and every reader page follows."""

import threading
import time
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from wagtail.models import PageLogEntry
from wagtail.signals import page_published

from lesefrei.comments.tests import factories as comment_factories
from lesefrei.content.models import ArticlePage
from lesefrei.content.scheduling import publish_scheduled, start_scheduler_thread
from tests import factories

pytestmark = pytest.mark.django_db


def schedule(article: ArticlePage, seconds: float = 1.0) -> None:
    """What the CMS does when an editor sets "Go-live" and presses Veröffentlichen:
    a revision with the go-live time, published, which Wagtail turns into a schedule."""
    article.go_live_at = timezone.now() + timedelta(seconds=seconds)
    article.save_revision().publish()


def wait_until_due(article: ArticlePage) -> None:
    article.refresh_from_db()
    remaining = (article.go_live_at - timezone.now()).total_seconds()
    if remaining > 0:
        time.sleep(remaining + 0.05)


def scheduled_publications(article: ArticlePage) -> int:
    return PageLogEntry.objects.filter(page=article, action="wagtail.publish.scheduled").count()


def test_scheduled_article_is_not_published_before_its_time():
    article = factories.article(headline="Haushalt unter Vorbehalt", publish=False)
    schedule(article, seconds=3600)

    run = publish_scheduled()

    article.refresh_from_db()
    assert not article.live and run.published == []


def test_scheduled_article_appears_on_front_page_section_feed_and_search_after_the_scheduler_runs(
    client, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_ENABLED = True
    politik = factories.section("Politik")
    factories.article(politik, headline="Eine Meldung von gestern")
    article = factories.article(politik, headline="Sperrfrist für den Wärmeplan", publish=False)
    schedule(article)
    pages = ["/", politik.url, "/feeds/rss/", "/suche/?q=W%C3%A4rmeplan"]
    link = "/politik/sperrfrist-fuer-den-waermeplan/"  # (search marks the words it found)
    for path in pages:  # readers fill the page cache before the time has come
        assert link not in client.get(path).content.decode()
    assert client.get(article.url).status_code == 404

    wait_until_due(article)
    with django_capture_on_commit_callbacks(execute=True):
        run = publish_scheduled()

    assert len(run.published) == 1 and run.failed == []
    for path in pages:
        assert link in client.get(path).content.decode(), path
    assert client.get(article.url).status_code == 200


def test_article_scheduled_while_no_scheduler_ran_is_published_once_when_it_returns():
    article = factories.article(headline="Embargo der Agentur", publish=False)
    schedule(article)
    wait_until_due(article)
    time.sleep(0.5)  # the scheduler was down when the time came

    first, second = publish_scheduled(), publish_scheduled()

    article.refresh_from_db()
    assert article.live and article.first_published_at is not None
    assert len(first.published) == 1 and second.published == []
    assert scheduled_publications(article) == 1


def test_expired_article_leaves_the_front_page_and_most_commented(
    client, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_ENABLED = True
    article = factories.article(headline="Nur bis heute Mittag")
    comment_factories.comment(article, text="Gut zu wissen.", approve=True)
    factories.article(headline="Ein anderer Artikel")
    article.expire_at = timezone.now() + timedelta(seconds=1)
    article.save_revision().publish()
    front = client.get("/").content.decode()
    assert front.count("Nur bis heute Mittag") >= 2  # a teaser and the most-commented entry

    time.sleep(1.1)
    with django_capture_on_commit_callbacks(execute=True):
        run = publish_scheduled()

    article.refresh_from_db()
    assert len(run.unpublished) == 1 and not article.live and article.expired
    assert "Nur bis heute Mittag" not in client.get("/").content.decode()
    assert client.get(article.url).status_code == 404


def test_one_article_that_fails_to_publish_does_not_hold_up_the_others():
    broken = factories.article(headline="Kaputt", publish=False)
    fine = factories.article(headline="Heil", publish=False)
    schedule(broken)
    schedule(fine)
    wait_until_due(fine)

    def refuse(sender, instance, **kwargs):  # a broken receiver, e.g. an unreachable service
        if instance.pk == broken.pk:
            raise RuntimeError("Dienst nicht erreichbar")

    page_published.connect(refuse)
    try:
        run = publish_scheduled()
    finally:
        page_published.disconnect(refuse)

    broken.refresh_from_db()
    fine.refresh_from_db()
    assert fine.live and not broken.live
    assert len(run.failed) == 1 and len(run.published) == 1
    # Nothing of the failed publication is left half-done; the next run tries again.
    assert publish_scheduled().published and ArticlePage.objects.get(pk=broken.pk).live


def test_run_scheduler_once_from_the_command_line():
    article = factories.article(publish=False)
    schedule(article)
    wait_until_due(article)
    out = StringIO()

    call_command("run_scheduler", "--once", stdout=out)

    article.refresh_from_db()
    assert article.live
    assert "veröffentlicht: 1" in out.getvalue()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_scheduler_thread_publishes_by_itself_and_stops_when_told():
    article = factories.article(headline="Von selbst erschienen", publish=False)
    schedule(article, seconds=0.5)
    published = threading.Event()

    def on_published(sender, instance, **kwargs):
        if instance.pk == article.pk:
            published.set()

    page_published.connect(on_published)
    # Waiting on the signal instead of polling the database: SQLite's shared in-memory
    # test database refuses a second thread's query while the scheduler writes.
    thread, stop = start_scheduler_thread(interval=0.25)
    try:
        assert published.wait(10)
    finally:
        stop.set()
        thread.join(5)
        page_published.disconnect(on_published)

    assert ArticlePage.objects.get(pk=article.pk).live
    assert not thread.is_alive()
    assert scheduled_publications(article) == 1


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_schedulers_at_once_publish_each_article_once():
    from django.db import connections

    articles = [factories.article(headline=f"Morgenlage {n}", publish=False) for n in range(5)]
    for article in articles:
        schedule(article)
    wait_until_due(articles[-1])
    published: list[int] = []
    page_published.connect(lambda sender, instance, **kw: published.append(instance.pk), weak=False)
    start = threading.Barrier(2)
    runs = []

    def scheduler() -> None:
        try:
            start.wait()
            runs.append(publish_scheduled())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=scheduler) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert sorted(published) == sorted(article.pk for article in articles)
    assert sum(len(run.published) for run in runs) == 5
    assert all(run.failed == [] for run in runs)
    for article in articles:
        assert scheduled_publications(article) == 1
