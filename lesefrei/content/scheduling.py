"""Scheduled publishing: go-live and expiry times set in the CMS take effect by themselves.

Wagtail stores a scheduled publication as a revision with `approved_go_live_at` and an
expiry as `expire_at` on the live object; its `publish_scheduled` command acts on both
once. This module does the same through the same API (`Revision.publish`,
`unpublish(set_expired=True)`, the same log actions), with three guarantees the command
lacks:

- each object is published or unpublished in a transaction of its own, after locking its
  row and reading it again: two schedulers running at once (a second `make demo`, a
  deploy overlapping the old process) never publish the same revision twice, and an
  editor's save that locks the same row (content/workflow.py) never overwrites it;
- one object that fails is logged and skipped; the others are still published;
- a run finds everything that fell due while no scheduler was running, so an article
  scheduled during a restart goes live when the scheduler is back, once.

Publishing sends Wagtail's `page_published` / `page_unpublished` signals like any
publication, so the page cache, feeds, sitemaps, the search index and "meistkommentiert"
follow (content/signals.py).

`run_scheduler` is the loop: the `run_scheduler` management command (deploy/Procfile,
deploy/systemd) and the development server's thread (`manage.py runserver`, which
`make demo` starts) both run it.
"""

import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import close_old_connections, models, transaction
from django.utils import timezone
from wagtail.models import DraftStateMixin, Page, Revision

logger = logging.getLogger(__name__)

DEFAULT_INTERVAL = 30.0


@dataclass
class ScheduledRun:
    """What one run did: the revisions published and the objects unpublished (as
    "<model> <pk>"), and the ones that failed."""

    published: list[str] = field(default_factory=list)
    unpublished: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def scheduled_models() -> list[type[models.Model]]:
    """Page and every other model with draft state (snippets), as Wagtail's command does."""
    return [Page] + [
        model
        for model in apps.get_models()
        if issubclass(model, DraftStateMixin) and not issubclass(model, Page)
    ]


def lock_row(model: type[models.Model], pk: Any) -> None:
    """Lock the object's row until the transaction ends (pages: the `wagtailcore_page`
    row, the one the CMS edit view locks too). SQLite ignores the lock; there the
    IMMEDIATE transaction mode (settings) already lets one writer in at a time."""
    base = Page if issubclass(model, Page) else model
    list(base.objects.select_for_update().filter(pk=pk).values_list("pk", flat=True))


def _label(model: type[models.Model], pk: Any) -> str:
    return f"{model._meta.label} {pk}"


def unpublish_expired(now: datetime, run: ScheduledRun) -> None:
    for model in scheduled_models():
        due = model.objects.filter(live=True, expire_at__lt=now).order_by("expire_at")
        for pk in list(due.values_list("pk", flat=True)):
            label = _label(model, pk)
            try:
                with transaction.atomic():
                    lock_row(model, pk)
                    obj = due.filter(pk=pk).first()
                    if obj is None:  # unpublished meanwhile, by an editor or another scheduler
                        continue
                    if isinstance(obj, Page):
                        obj = obj.specific
                    obj.unpublish(set_expired=True, log_action="wagtail.unpublish.scheduled")
            except Exception:
                logger.exception("scheduled unpublishing of %s failed", label)
                run.failed.append(label)
            else:
                logger.info("scheduled unpublishing: %s", label)
                run.unpublished.append(label)


def publish_due_revisions(now: datetime, run: ScheduledRun) -> None:
    due = Revision.objects.filter(approved_go_live_at__lt=now).order_by("approved_go_live_at")
    for revision_id, content_type_id, object_id in list(
        due.values_list("pk", "content_type_id", "object_id")
    ):
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        label = f"revision {revision_id} of {model._meta.label if model else '?'} {object_id}"
        try:
            with transaction.atomic():
                if model is not None:
                    lock_row(model, object_id)
                revision = due.filter(pk=revision_id).first()
                if revision is None:  # published meanwhile, or the schedule was cancelled
                    continue
                # The go-live time has passed, so Wagtail publishes it now instead of
                # scheduling it again.
                revision.publish(log_action="wagtail.publish.scheduled")
        except Exception:
            logger.exception("scheduled publication of %s failed", label)
            run.failed.append(label)
        else:
            logger.info("scheduled publication: %s", label)
            run.published.append(label)


def publish_scheduled(now: datetime | None = None) -> ScheduledRun:
    """Unpublish what has expired, then publish what has fallen due (Wagtail's order)."""
    now = now or timezone.now()
    run = ScheduledRun()
    unpublish_expired(now, run)
    publish_due_revisions(now, run)
    return run


def ticks(interval: float, clock: Callable[[], float] = time.time) -> Iterator[float]:
    """Seconds to wait until each next multiple of `interval` on the clock: with 30 s,
    every run starts at :00 or :30, so a page scheduled for 09:16 goes live at 09:16:00."""
    while True:
        now = clock()
        yield interval - (now % interval)


def run_scheduler(
    interval: float = DEFAULT_INTERVAL,
    stop: threading.Event | None = None,
    exit_with_parent: bool = False,
) -> None:
    """Run `publish_scheduled` now and then every `interval` seconds until `stop` is
    set (or, with `exit_with_parent`, until the process that started this one ends)."""
    stop = stop or threading.Event()
    parent = os.getppid()
    logger.info("scheduler: publishing scheduled pages every %s s", interval)
    for wait in ticks(interval):
        try:
            publish_scheduled()
        except Exception:
            # A database that is briefly away must not end the loop: the next tick retries.
            logger.exception("scheduler: run failed")
        finally:
            close_old_connections()
        # Wake at least once a second to notice a stop or the parent's end.
        deadline = time.monotonic() + wait
        while (left := deadline - time.monotonic()) > 0:
            if stop.wait(min(left, 1.0)) or (exit_with_parent and os.getppid() != parent):
                logger.info("scheduler: stopped")
                return


def start_scheduler_thread(
    interval: float = DEFAULT_INTERVAL,
) -> tuple[threading.Thread, threading.Event]:
    """The scheduler as a daemon thread of this process (the development server's): it
    shares the process's in-memory cache, so the pages it publishes leave that cache
    too. Set the returned event to stop it."""
    stop = threading.Event()
    thread = threading.Thread(
        target=_run_in_thread, args=(interval, stop), name="lesefrei-scheduler", daemon=True
    )
    thread.start()
    return thread, stop


def _run_in_thread(interval: float, stop: threading.Event) -> None:
    from django.db import connections

    try:
        run_scheduler(interval, stop)
    finally:
        connections.close_all()
