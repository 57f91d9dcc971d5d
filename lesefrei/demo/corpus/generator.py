"""The run of `manage.py generate_corpus`: one transaction, phase by phase (articles.py,
readers.py, comments.py, supporters.py), rows through the bulk path (bulk.py), and at
the end the caches brought in step through the apps' own functions."""

import random
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import models, transaction
from django.utils import timezone
from wagtail.models import Page

from lesefrei.cache import CONTENT, changed
from lesefrei.comments import services as comment_services
from lesefrei.content import caching as content_caching
from lesefrei.content.models import AuthorPage, SectionPage, Topic
from lesefrei.support import services as support_services
from lesefrei.support.models import Supporter

from . import articles, comments, readers, supporters
from .options import PREFIX, Options, Report
from .supporters import PledgePlan


def nowhere(text: str) -> None:
    """Progress that nobody reads."""


class Generator:
    """The state one run shares between its phases: what was asked, the seeded random
    source, the instant the archive ends, and what was made so far."""

    def __init__(self, options: Options, write: Callable[[str], None] = nowhere) -> None:
        self.options = options
        self.prefix = options.prefix
        self.write = write
        self.rnd = random.Random(options.seed)
        self.now = options.now or timezone.now().replace(minute=0, second=0, microsecond=0)
        self.report = Report()

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rnd.getrandbits(128), version=4)

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        self.write(f"{name} …")
        yield
        seconds = time.perf_counter() - started
        self.report.timings[name] = seconds
        self.write(f"{name}: {seconds:.1f} s")

    def next_number(self, queryset: models.QuerySet, field_name: str) -> int:
        """The next free number after what earlier runs generated (<prefix><n>-…)."""
        return queryset.filter(**{f"{field_name}__startswith": self.prefix}).count() + 1

    def earlier_runs(self) -> str:
        """What earlier runs generated: part of the seed, so that running again with the
        same seed adds new data (new translation keys, form tokens, mandate references)
        instead of repeating the first run's, while a fresh database always gets the same."""
        return "/".join(
            str(queryset.filter(**{f"{name}__startswith": self.prefix}).count())
            for queryset, name in (
                (Page.objects.all(), "slug"),
                (get_user_model().objects.all(), "username"),
                (Supporter.objects.all(), "email"),
            )
        )

    def refresh_caches(self, sections: list[SectionPage], authors: list[AuthorPage]) -> None:
        """What the services would have marked changed for each new row, once: the
        sections, authors and topics the new articles appear under (the content app's
        own tags), the most-commented ranking, the campaign figure."""
        tags = {CONTENT, content_caching.SEARCH, "list:front", "list:topics"}
        for page in [*sections, *authors]:
            tags |= content_caching.tags_changed_by(page)
        tags |= {
            f"list:topic-slug:{slug}"
            for slug in Topic.objects.filter(slug__startswith=self.prefix).values_list(
                "slug", flat=True
            )
        }
        if sections or authors:
            changed(*tags)
        if self.options.comments:
            comment_services.refresh_most_commented()
        if self.options.supporters:
            support_services.progress_changed()

    def run(self) -> Report:
        self.options.validate()
        options = self.options
        with transaction.atomic():
            home = articles.home()
            self.rnd.seed(f"{options.seed}/{self.earlier_runs()}")
            sections: list[SectionPage] = []
            authors: list[AuthorPage] = []
            made: list[tuple[int, datetime, str]] = []
            if options.articles:
                with self.phase("Ressorts, Autorinnen und Autoren, Themen"):
                    sections, author_index = articles.structure(home)
                    authors = articles.authors(self, author_index, sections)
                    topics = articles.topics(self)
                with self.phase(f"{options.articles} Artikel"):
                    made = articles.articles(self, sections, authors, topics)
                with self.phase("Suchindex"):
                    articles.index(self, authors, [pk for pk, _, _ in made])
            if options.comments:
                readers_wanted = max(1, min(options.comments, round(options.comments / 15)))
                with self.phase(f"{readers_wanted} Leserkonten"):
                    reader_ids = readers.readers(self, readers_wanted)
                with self.phase(f"{options.comments} Kommentare"):
                    comments.comments(self, made, reader_ids)
            if options.supporters:
                with self.phase(f"{options.supporters} Unterstützerinnen und Unterstützer"):
                    supporters.supporters(self)
            self.refresh_caches(sections, authors)
        return self.report


def generate(options: Options, write: Callable[[str], None] = nowhere) -> Report:
    """Generate the corpus described by `options` in one transaction (all or nothing)."""
    if settings.DEBUG:
        write("Hinweis: DEBUG ist an; Django merkt sich jede Abfrage (langsamer, mehr Speicher).")
    return Generator(options, write).run()


# Smaller pieces of the same generator, for fixtures of a given shape (bench/prepare.py).


def add_readers(count: int, *, prefix: str = PREFIX, seed: int = 1) -> list[int]:
    """`count` more confirmed readers named <prefix>leser-<n>; their ids."""
    generator = Generator(Options(seed=seed, prefix=prefix))
    generator.rnd.seed(f"{seed}/{generator.earlier_runs()}")
    with transaction.atomic():
        return readers.readers(generator, count)


def add_pledges(
    plans: Sequence[PledgePlan],
    *,
    prefix: str = PREFIX,
    seed: int = 1,
    batch_size: int = 2000,
    today: date | None = None,
) -> tuple[int, int]:
    """Supporters, pledges and mandates as `plans` describe them; (supporters, pledges)."""
    now = timezone.make_aware(datetime.combine(today, datetime.min.time())) if today else None
    generator = Generator(Options(seed=seed, prefix=prefix, batch_size=batch_size, now=now))
    generator.rnd.seed(f"{seed}/{generator.earlier_runs()}")
    with transaction.atomic():
        return supporters.write_pledges(generator, plans)


def add_discussion(
    article: Page, count: int, commenters: Sequence[AbstractBaseUser], *, seed: int = 1
) -> int:
    """`count` approved comments under `article`, through the comment services."""
    return len(comments.add_discussion(article, count, commenters, seed=seed))
