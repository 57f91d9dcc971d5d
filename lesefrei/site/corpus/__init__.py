"""A synthetic archive for benchmarks: `manage.py generate_corpus`.

`generate(options, write)` adds, in one transaction, authors, topics and articles (real,
published Wagtail pages in the search index), reader accounts with their comments and
supporters with pledges and SEPA mandates. Rows are written in batches with
`bulk_create` (and, for the page subclasses Django cannot bulk-create, one INSERT per
batch into the subclass table), not through the services one by one; the counters and
caches the services would keep are brought in step at the end.

Generated data is recognisable: page slugs, reader user names and supporter e-mail
addresses start with `korpus-`. Running again adds more (paths continue after the last
child); there is no removal: generate into a scratch database and drop it.
"""

import random
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import connections, models, router, transaction
from django.db.models import F, Min, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from wagtail.models import Page, Site
from wagtail.search.backends import get_search_backend

from lesefrei.content.models import (
    ArticleAuthor,
    ArticlePage,
    ArticleTopic,
    AuthorIndexPage,
    AuthorPage,
    HomePage,
    SectionPage,
    Topic,
    TopicIndexPage,
)
from lesefrei.content.slugs import german_slug

from . import words
from .search import index_objects

PREFIX = "korpus-"

# Sections created when the site has none (the demo brings its own six).
SECTIONS = (
    ("politik", "Politik"),
    ("wirtschaft", "Wirtschaft"),
    ("gesellschaft", "Gesellschaft"),
    ("kultur", "Kultur"),
    ("wissen", "Wissen"),
    ("region", "Region"),
)


class CorpusError(Exception):
    """Input or a state of the site the generator refuses (message in German)."""


@dataclass
class Options:
    articles: int = 0
    comments: int = 0
    supporters: int = 0
    seed: int = 1
    batch_size: int = 2000
    years: int = 5
    now: datetime | None = None  # the instant the archive ends; default: this hour

    def validate(self) -> None:
        for name in ("articles", "comments", "supporters"):
            if getattr(self, name) < 0:
                raise CorpusError(f"--{name} muss 0 oder größer sein.")
        if self.batch_size < 1:
            raise CorpusError("--batch-size muss mindestens 1 sein.")
        if not 1 <= self.years <= 50:
            raise CorpusError("--years muss zwischen 1 und 50 liegen.")
        if self.comments and not self.articles:
            raise CorpusError(
                "Kommentare werden unter den neu erzeugten Artikeln verteilt: "
                "--comments braucht --articles > 0."
            )


@dataclass
class Report:
    articles: list[int] = field(default_factory=list)
    authors: int = 0
    topics: int = 0
    readers: int = 0
    comments: int = 0
    replies: int = 0
    supporters: int = 0
    pledges: int = 0
    due_until: date | None = None
    due_collections: int = 0
    timings: dict[str, float] = field(default_factory=dict)


def batched[T](items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@contextmanager
def given_creation_times(*model_fields: tuple[type[models.Model], str]) -> Iterator[None]:
    """Let bulk_create store the `auto_now_add` times set on the objects (backdated
    history) instead of now."""
    fields = [model._meta.get_field(name) for model, name in model_fields]
    for item in fields:
        item.auto_now_add = False
    try:
        yield
    finally:
        for item in fields:
            item.auto_now_add = True


def insert_rows(model: type[models.Model], objs: Sequence[models.Model], batch_size: int) -> None:
    """INSERT the objects' rows into `model`'s own table only (the child table of a
    multi-table model, whose parent rows exist already), values prepared by the fields."""
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    fields = list(model._meta.local_concrete_fields)
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table),
        ", ".join(quote(item.column) for item in fields),
        ", ".join(["%s"] * len(fields)),
    )
    with connection.cursor() as cursor:
        for chunk in batched(objs, batch_size):
            cursor.executemany(
                sql,
                [
                    [item.get_db_prep_save(item.pre_save(obj, True), connection) for item in fields]
                    for obj in chunk
                ],
            )


def add_children(parent: Page, pages: Sequence[Page], batch_size: int) -> None:
    """Append `pages` (unsaved, all of one specific type) as the last children of
    `parent`: treebeard paths after the last existing child, depth, url_path and locale
    as Wagtail would set them, the wagtailcore_page rows with bulk_create, then the
    subclass rows, then the parent's numchild."""
    if not pages:
        return
    depth = parent.depth + 1
    last = (
        Page.objects.filter(path__startswith=parent.path, depth=depth)
        .order_by("-path")
        .values_list("path", flat=True)
        .first()
    )
    number = Page._str2int(last[-Page.steplen :]) if last else 0
    base_fields = [item for item in Page._meta.concrete_fields if not item.primary_key]
    rows = []
    for page in pages:
        number += 1
        page.path = Page._get_path(parent.path, depth, number)
        page.depth = depth
        page.numchild = 0
        page.url_path = f"{parent.url_path}{page.slug}/"
        page.locale_id = parent.locale_id
        rows.append(Page(**{item.attname: getattr(page, item.attname) for item in base_fields}))
    Page.objects.bulk_create(rows, batch_size=batch_size)
    for page, row in zip(pages, rows, strict=True):
        page.id = page.page_ptr_id = row.pk
    insert_rows(type(pages[0]), pages, batch_size)
    Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(pages))
    parent.numchild += len(pages)


class Generator:
    def __init__(self, options: Options, write: Callable[[str], None]) -> None:
        self.options = options
        self.write = write
        self.rnd = random.Random(options.seed)
        self.now = options.now or timezone.now().replace(minute=0, second=0, microsecond=0)
        self.report = Report()

    # Helpers

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
        """The next free number after what earlier runs generated (korpus-<n>-…)."""
        return queryset.filter(**{f"{field_name}__startswith": PREFIX}).count() + 1

    # The site's structure

    def home(self) -> HomePage:
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        root = site.root_page.specific if site else None
        if not isinstance(root, HomePage):
            root = HomePage.objects.first()
        if root is None:
            raise CorpusError(
                "Es gibt keine Startseite. Bitte zuerst `manage.py migrate` ausführen "
                "(und für die Ressorts gern `manage.py load_demo_content`)."
            )
        return root

    def structure(self, home: HomePage) -> tuple[list[SectionPage], AuthorIndexPage]:
        sections = list(SectionPage.objects.live().child_of(home).order_by("path"))
        if not sections:
            for slug, title in SECTIONS:
                section = SectionPage(title=title, slug=slug, show_in_menus=True)
                home.add_child(instance=section)
                section.save_revision().publish()
                sections.append(section)
        author_index = AuthorIndexPage.objects.child_of(home).first()
        if author_index is None:
            author_index = AuthorIndexPage(title="Autorinnen und Autoren", slug="autorinnen")
            home.add_child(instance=author_index)
            author_index.save_revision().publish()
        if not TopicIndexPage.objects.exists():
            topic_index = TopicIndexPage(title="Themen", slug="themen")
            home.add_child(instance=topic_index)
            topic_index.save_revision().publish()
        return sections, author_index

    def page_fields(self, title: str, slug: str, published: datetime) -> dict[str, Any]:
        return {
            "title": title,
            "draft_title": title,
            "slug": slug,
            "live": True,
            "has_unpublished_changes": False,
            "first_published_at": published,
            "last_published_at": published,
            "translation_key": self.uuid(),
        }

    # Authors and topics

    def authors(self, index: AuthorIndexPage, sections: list[SectionPage]) -> list[AuthorPage]:
        count = max(3, min(400, round(1.2 * self.options.articles**0.5)))
        number = self.next_number(AuthorPage.objects.child_of(index), "slug")
        authors = []
        for offset in range(count):
            first, last = words.person(self.rnd)
            name = f"{first} {last}"
            section = self.rnd.choice(sections)
            since = self.now - timedelta(days=self.rnd.randint(60, 365 * self.options.years))
            topics = self.rnd.sample(words.topic_names(), 2)
            bio = " ".join(
                words.fill(
                    template.replace("{name}", name)
                    .replace("{first}", first)
                    .replace("{topic2}", topics[1]),
                    self.rnd,
                    topics[0],
                )
                for template in self.rnd.sample(words.BIO_SENTENCES, 3)
            )
            author = AuthorPage(
                **self.page_fields(name, f"{PREFIX}{number + offset}-{german_slug(name)}", since),
                role=f"{self.rnd.choice(words.AUTHOR_ROLES)} {section.title}"[:120],
                bio=bio,
            )
            author.home_section = section.pk  # where they mostly write (not stored)
            authors.append(author)
        add_children(index, authors, self.options.batch_size)
        self.report.authors = len(authors)
        return authors

    def topics(self) -> list[Topic]:
        names = words.topic_names()
        wanted = max(10, min(len(names), self.options.articles // 100))
        names = self.rnd.sample(names, wanted)
        existing = {topic.name.casefold(): topic for topic in Topic.objects.all()}
        new = [
            Topic(name=name, slug=f"{PREFIX}{german_slug(name, max_length=80)}")
            for name in names
            if name.casefold() not in existing
        ]
        Topic.objects.bulk_create(new, batch_size=self.options.batch_size)
        by_name = {topic.name.casefold(): topic for topic in Topic.objects.filter(name__in=names)}
        self.report.topics = len(new)
        return [by_name[name.casefold()] for name in names]

    # Articles

    def body(self, topic: str) -> list[dict[str, Any]]:
        rnd = self.rnd
        paragraphs = rnd.randint(6, 12)
        headings = set(rnd.sample(range(2, paragraphs), k=min(rnd.randint(2, 3), paragraphs - 2)))
        blocks = []
        for number in range(paragraphs):
            if number in headings:
                blocks.append(("subheading", words.subheading(rnd, topic)))
            if number == 4 and rnd.random() < 0.3:
                name = f"{rnd.choice(words.FIRST_NAMES)} {rnd.choice(words.LAST_NAMES)}"
                blocks.append(("quote", {"text": rnd.choice(words.QUOTES), "attribution": name}))
            blocks.append(("paragraph", f"<p>{words.paragraph(rnd, topic)}</p>"))
        return [{"type": kind, "value": value, "id": str(self.uuid())} for kind, value in blocks]

    def publication_times(self) -> list[datetime]:
        """Spread over the years, denser toward now (an archive grows), oldest first."""
        span = self.options.years * 365 * 86400
        return sorted(
            self.now - timedelta(seconds=int(span * self.rnd.random() ** 1.5) + 60)
            for _ in range(self.options.articles)
        )

    def articles(
        self, sections: list[SectionPage], authors: list[AuthorPage], topics: list[Topic]
    ) -> list[tuple[int, datetime, str]]:
        rnd = self.rnd
        batch_size = self.options.batch_size
        section_weights = [rnd.uniform(0.5, 2.0) for _ in sections]
        topic_weights = [1 / (rank + 1) ** 0.7 for rank in range(len(topics))]
        by_section: dict[int, list[AuthorPage]] = {}
        for author in authors:
            by_section.setdefault(author.home_section, []).append(author)
        number = self.next_number(ArticlePage.objects.all(), "slug")
        made: list[tuple[int, datetime, str]] = []
        times = self.publication_times()
        for chunk in batched(times, batch_size):
            pending: dict[int, list[ArticlePage]] = {}
            links: list[tuple[ArticlePage, list[AuthorPage], list[Topic]]] = []
            for published in chunk:
                section = rnd.choices(sections, weights=section_weights)[0]
                chosen = rnd.choices(topics, weights=topic_weights, k=rnd.randint(1, 4))
                chosen = list(dict.fromkeys(chosen))
                topic = chosen[0].name
                title = words.headline(rnd, topic)
                team = by_section.get(section.pk) or authors
                writers = [rnd.choice(team)]
                if rnd.random() < 0.15:
                    writers = list(dict.fromkeys([*writers, rnd.choice(authors)]))
                mode = rnd.random()
                article = ArticlePage(
                    **self.page_fields(
                        title, f"{PREFIX}{number}-{german_slug(title, max_length=60)}", published
                    ),
                    kicker=words.kicker(rnd, topic),
                    teaser=" ".join(words.statement(rnd, topic) for _ in range(2))[:600],
                    place=rnd.choice(words.PLACES),
                    published_at=published,
                    body=self.body(topic),
                    comments_mode=(
                        ArticlePage.CommentsMode.CLOSED
                        if mode < 0.03
                        else ArticlePage.CommentsMode.AUTO_CLOSE
                        if mode < 0.2
                        else ArticlePage.CommentsMode.OPEN
                    ),
                )
                number += 1
                pending.setdefault(section.pk, []).append(article)
                links.append((article, writers, chosen))
            for section in sections:
                add_children(section, pending.get(section.pk, []), batch_size)
            ArticleAuthor.objects.bulk_create(
                [
                    ArticleAuthor(article_id=article.pk, author_id=writer.pk, sort_order=order)
                    for article, writers, _ in links
                    for order, writer in enumerate(writers)
                ],
                batch_size=batch_size,
            )
            ArticleTopic.objects.bulk_create(
                [
                    ArticleTopic(content_object_id=article.pk, tag_id=topic.pk)
                    for article, _, chosen in links
                    for topic in chosen
                ],
                batch_size=batch_size,
            )
            made.extend(
                (article.pk, article.published_at, chosen[0].name) for article, _, chosen in links
            )
            self.write(f"  {len(made)}/{self.options.articles} Artikel")
        self.report.articles = [pk for pk, _, _ in made]
        return made

    def index(self, authors: list[AuthorPage], article_ids: list[int]) -> None:
        """The new pages into Wagtail's search index, in batches (search.index_objects:
        the rows the backend's add_bulk writes)."""
        backend = get_search_backend()
        index_objects(
            backend, AuthorPage, list(AuthorPage.objects.filter(pk__in=[a.pk for a in authors]))
        )
        done = 0
        for chunk in batched(article_ids, min(self.options.batch_size, 1000)):
            articles = list(
                ArticlePage.objects.filter(pk__in=chunk).prefetch_related(
                    "article_authors__author",
                    Prefetch(
                        "tagged_items", ArticleTopic.objects.select_related("tag").order_by("pk")
                    ),
                )
            )
            for article in articles:
                # article.topics.all() in the order it has without a prefetch (taggit's
                # own prefetch of "topics" has another order, which changes the text).
                article._prefetched_objects_cache["topics"] = [
                    item.tag for item in article.tagged_items.all()
                ]
            index_objects(backend, ArticlePage, articles)
            done += len(chunk)
            if done % 5000 < len(chunk) or done == len(article_ids):
                self.write(f"  {done}/{len(article_ids)} im Suchindex")

    # Readers and comments

    def readers(self, count: int) -> list[int]:
        from allauth.account.models import EmailAddress

        from lesefrei.accounts.models import ReaderProfile
        from lesefrei.accounts.pseudonyms import clean_pseudonym, pseudonym_key
        from lesefrei.site.demo import DEMO_PASSWORD

        User = get_user_model()
        rnd = self.rnd
        password = make_password(DEMO_PASSWORD)
        number = self.next_number(User.objects.all(), "username")
        ids: list[int] = []
        for chunk in batched(range(count), self.options.batch_size):
            users, pseudonyms = [], []
            for _ in chunk:
                first, last = words.person(rnd)
                place = rnd.choice(words.PLACES)
                wish = [
                    f"{first} {last[0]}.",
                    f"{first}_{place}",
                    f"{first}{rnd.randint(10, 99)}",
                    f"{first} aus {place}",
                    f"{last}{rnd.randint(1, 999)}",
                ][rnd.randrange(5)]
                try:
                    pseudonym = clean_pseudonym(wish)
                except ValidationError:
                    pseudonym = f"Leser_{number}"
                pseudonyms.append(pseudonym)
                local = german_slug(f"{first}-{last}", max_length=40)
                users.append(
                    User(
                        username=f"{PREFIX}leser-{number}",
                        email=f"{PREFIX}{local}-{number}@example.org",
                        password=password,
                        date_joined=self.now,
                    )
                )
                number += 1
            # Unique by pseudonym_key, here and against every reader already stored:
            # a taken one gets the reader's own number.
            keys = [pseudonym_key(pseudonym) for pseudonym in pseudonyms]
            taken = set(
                ReaderProfile.objects.filter(pseudonym_key__in=keys).values_list(
                    "pseudonym_key", flat=True
                )
            )
            seen: set[str] = set()
            for position, key in enumerate(keys):
                if key in taken or key in seen:
                    suffix = users[position].username.rsplit("-", 1)[1]
                    pseudonyms[position] = f"{pseudonyms[position][:30]}_{suffix}"
                seen.add(pseudonym_key(pseudonyms[position]))
            User.objects.bulk_create(users, batch_size=self.options.batch_size)
            EmailAddress.objects.bulk_create(
                [
                    EmailAddress(user=user, email=user.email, primary=True, verified=True)
                    for user in users
                ],
                batch_size=self.options.batch_size,
            )
            with given_creation_times((ReaderProfile, "created_at")):
                ReaderProfile.objects.bulk_create(
                    [
                        ReaderProfile(
                            user=user,
                            pseudonym=pseudonym,
                            pseudonym_key=pseudonym_key(pseudonym),
                            created_at=self.now,
                        )
                        for user, pseudonym in zip(users, pseudonyms, strict=True)
                    ],
                    batch_size=self.options.batch_size,
                )
            ids.extend(user.pk for user in users)
        self.report.readers = len(ids)
        return ids

    def comments(self, articles: list[tuple[int, datetime, str]], readers: list[int]) -> None:
        from lesefrei.comments.models import ArticleCommentStats, Comment

        rnd = self.rnd
        total = self.options.comments
        # Most articles get few or no comments, a few get hundreds or thousands.
        weights = [
            0.0 if rnd.random() < 0.35 else rnd.paretovariate(1.1) for _ in range(len(articles))
        ]
        if not any(weights):
            weights[-1] = 1.0
        counts = [0] * len(articles)
        for index in rnd.choices(range(len(articles)), weights=weights, k=total):
            counts[index] += 1
        reader_weights = [1 / (rank + 1) ** 0.8 for rank in range(len(readers))]
        reader_cum = []
        running = 0.0
        for weight in reader_weights:
            running += weight
            reader_cum.append(running)
        approved_counts: dict[int, int] = {}
        written = replies = 0
        queue: list[tuple[int, datetime, str, int]] = []
        queued = 0
        for (article_id, published, topic), count in zip(articles, counts, strict=True):
            if count:
                queue.append((article_id, published, topic, count))
                queued += count
            if queued >= self.options.batch_size * 5:
                made, answered = self.comment_batch(queue, readers, reader_cum, approved_counts)
                written, replies = written + made, replies + answered
                queue, queued = [], 0
                self.write(f"  {written}/{total} Kommentare")
        if queue:
            made, answered = self.comment_batch(queue, readers, reader_cum, approved_counts)
            written, replies = written + made, replies + answered
        ArticleCommentStats.objects.bulk_create(
            [
                ArticleCommentStats(article_id=article_id, approved_count=count)
                for article_id, count in approved_counts.items()
                if count
            ],
            batch_size=self.options.batch_size,
        )
        # A reader joined before their first comment.
        User = get_user_model()
        first_comment = (
            Comment.objects.filter(author=OuterRef("pk"))
            .order_by()
            .values("author")
            .annotate(first=Min("created_at"))
            .values("first")
        )
        for chunk in batched(readers, self.options.batch_size * 5):
            User.objects.filter(pk__in=chunk).update(
                date_joined=Coalesce(Subquery(first_comment), F("date_joined")) - timedelta(days=1)
            )
        self.report.comments, self.report.replies = written, replies

    def comment_batch(
        self,
        queue: list[tuple[int, datetime, str, int]],
        readers: list[int],
        reader_cum: list[float],
        approved_counts: dict[int, int],
    ) -> tuple[int, int]:
        from lesefrei.comments.models import Comment, Status

        rnd = self.rnd
        now = self.now
        tops: list[Comment] = []
        answers: list[tuple[Comment, int]] = []  # (reply, index of its parent in tops)
        for article_id, published, topic, count in queue:
            age = (now - published).total_seconds()
            # Discussions happen in the first days after publication.
            offsets = sorted(min(rnd.expovariate(1 / 40_000) + 60, age) for _ in range(count))
            threads: list[int] = []
            approved = 0
            for offset in offsets:
                created = published + timedelta(seconds=offset)
                waited = (now - created).total_seconds()
                roll = rnd.random()
                if roll < 0.05:
                    status = Status.REJECTED
                elif roll < 0.13 and waited < 3 * 86400:
                    status = Status.PENDING
                else:
                    status = Status.APPROVED
                decided = min(created + timedelta(minutes=rnd.randint(2, 240)), now)
                reply_to = rnd.choice(threads) if threads and rnd.random() < 0.28 else None
                comment = Comment(
                    article_id=article_id,
                    author_id=rnd.choices(readers, cum_weights=reader_cum)[0],
                    text=words.comment_text(rnd, topic, reply=reply_to is not None),
                    status=status,
                    created_at=created,
                    approved_at=decided if status == Status.APPROVED else None,
                    moderated_at=None if status == Status.PENDING else decided,
                    rejection_reason=(
                        rnd.choice(words.REJECTION_REASONS) if status == Status.REJECTED else ""
                    ),
                )
                if status == Status.APPROVED:
                    approved += 1
                if reply_to is None:
                    comment.is_pick = status == Status.APPROVED and rnd.random() < 0.02
                    if status == Status.APPROVED:
                        threads.append(len(tops))
                    tops.append(comment)
                else:
                    answers.append((comment, reply_to))
            approved_counts[article_id] = approved_counts.get(article_id, 0) + approved
        Comment.objects.bulk_create(tops, batch_size=self.options.batch_size)
        for reply, parent in answers:
            reply.parent_id = tops[parent].pk
        Comment.objects.bulk_create(
            [reply for reply, _ in answers], batch_size=self.options.batch_size
        )
        return len(tops) + len(answers), len(answers)

    # Supporters

    def supporters(self) -> None:
        from schwifty import IBAN

        from lesefrei.support import crypto, schedule, services
        from lesefrei.support.banking import check_iban
        from lesefrei.support.models import Campaign, Interval, Mandate, Pledge, Supporter

        rnd = self.rnd
        today = timezone.localdate(self.now)
        self.report.due_until = today
        if not Campaign.objects.filter(is_active=True).exists():
            Campaign.objects.create(title="50.000 Unterstützerinnen und Unterstützer")
        number = self.next_number(Supporter.objects.all(), "email")
        recurring = (
            [Interval.MONTHLY] * 82
            + [Interval.YEARLY] * 10
            + [Interval.QUARTERLY] * 5
            + [Interval.HALF_YEARLY] * 3
        )
        amounts = {
            Interval.MONTHLY: [5] * 30
            + [10] * 30
            + [15] * 15
            + [7, 8, 12] * 5
            + [20] * 6
            + [25] * 3
            + [50],
            Interval.QUARTERLY: [15, 20, 30, 45],
            Interval.HALF_YEARLY: [30, 50, 60],
            Interval.YEARLY: [50, 60, 100, 120, 120],
            Interval.ONCE: [20, 25, 50, 100],
        }
        streets = ("Hauptstraße", "Lindenweg", "Bahnhofstraße", "Am Markt", "Gartenstraße")
        pledge_count = due = 0
        for chunk in batched(range(self.options.supporters), self.options.batch_size):
            supporters, plans = [], []
            for _ in chunk:
                first, last = words.person(rnd)
                name = f"{first} {last}"
                signed_on = today - timedelta(days=rnd.randint(0, 6 * 365))
                started = timezone.make_aware(datetime.combine(signed_on, datetime.min.time()))
                local = german_slug(f"{first}-{last}", max_length=40)
                supporter = Supporter(
                    email=f"{PREFIX}{local}-{number}@example.org",
                    name=name,
                    created_at=started,
                )
                number += 1
                supporters.append(supporter)
                interval = rnd.choice(recurring)
                plans.append((supporter, name, interval, signed_on, started))
                if rnd.random() < 0.1:  # a one-off gift on top, signed in the last weeks
                    signed = today - timedelta(days=rnd.randint(14, 40))
                    plans.append(
                        (
                            supporter,
                            name,
                            Interval.ONCE,
                            signed,
                            timezone.make_aware(datetime.combine(signed, datetime.min.time())),
                        )
                    )
            with given_creation_times(
                (Supporter, "created_at"), (Pledge, "created_at"), (Mandate, "created_at")
            ):
                Supporter.objects.bulk_create(supporters, batch_size=self.options.batch_size)
                pledges, mandates = [], []
                for supporter, name, interval, signed_on, started in plans:
                    first_due = services.earliest_due_date(signed_on)
                    day = first_due.day
                    status = Pledge.Status.ACTIVE
                    anchor, last_used = first_due, None
                    ends_on = ended_at = None
                    end_reason = ""
                    roll = rnd.random()
                    if interval == Interval.ONCE:
                        pass
                    elif roll < 0.04:
                        status, end_reason = Pledge.Status.PAUSED, "Pause auf Wunsch"
                    elif roll < 0.10:
                        status = Pledge.Status.CANCELLED
                        ends_on = signed_on + timedelta(days=rnd.randint(30, 900))
                        ends_on = min(ends_on, today)
                        ended_at = timezone.make_aware(
                            datetime.combine(ends_on, datetime.min.time())
                        )
                        end_reason = "Auf Wunsch beendet"
                    elif first_due <= today:
                        # Earlier debits are history (not generated); the pledge is due
                        # once more on or before today: anchor = its last due date.
                        dates = schedule.due_dates(first_due, day, interval, until=today)
                        anchor = dates[-1]
                        last_used = dates[-2] if len(dates) > 1 else None
                    if status == Pledge.Status.ACTIVE and anchor <= today:
                        due += 1
                    pledge = Pledge(
                        supporter=supporter,
                        amount=Decimal(rnd.choice(amounts[interval])),
                        interval=interval,
                        status=status,
                        anchor_date=anchor,
                        collection_day=day,
                        ends_on=ends_on,
                        ended_at=ended_at,
                        end_reason=end_reason,
                        form_token=self.uuid(),
                        created_at=started,
                    )
                    iban = check_iban(str(IBAN.random("DE", random=rnd)))
                    mandates.append(
                        Mandate(
                            pledge=pledge,
                            reference=services.mandate_reference_for(pledge.form_token),
                            account_holder=name[:70],
                            iban_encrypted=crypto.encrypt(iban.iban),
                            iban_masked=crypto.mask_iban(iban.iban),
                            bic=iban.bic,
                            bank_name=iban.bank_name[:140],
                            street=f"{rnd.choice(streets)} {rnd.randint(1, 120)}",
                            postcode=f"{rnd.randint(1067, 99998):05d}",
                            town=rnd.choice(words.PLACES[:70]),
                            country="DE",
                            signed_on=signed_on,
                            status=(
                                Mandate.Status.REVOKED
                                if status == Pledge.Status.CANCELLED
                                else Mandate.Status.ACTIVE
                            ),
                            last_used_on=last_used,
                            created_at=started,
                        )
                    )
                    pledges.append(pledge)
                Pledge.objects.bulk_create(pledges, batch_size=self.options.batch_size)
                for mandate in mandates:
                    mandate.pledge_id = mandate.pledge.pk
                Mandate.objects.bulk_create(mandates, batch_size=self.options.batch_size)
            pledge_count += len(pledges)
            self.report.supporters += len(supporters)
            self.write(f"  {self.report.supporters}/{self.options.supporters} Unterstützer")
        self.report.pledges = pledge_count
        self.report.due_collections = due

    # Caches

    def refresh_caches(self, sections: list[SectionPage], authors: list[AuthorPage]) -> None:
        """What the services would have invalidated for each change, once: the lists
        the new articles appear in, the most-commented ranking, the campaign figure."""
        from lesefrei.comments import caching as comment_caching
        from lesefrei.site import pagecache
        from lesefrei.support.services import progress_changed

        tags = {"nav", "list:front", "list:topics", "list:authors"}
        tags |= {f"list:section:{section.pk}" for section in sections}
        tags |= {f"page:{section.pk}" for section in sections}
        tags |= {f"list:author:{author.pk}" for author in authors}
        tags |= {
            f"list:topic-slug:{slug}"
            for slug in Topic.objects.filter(slug__startswith=PREFIX).values_list("slug", flat=True)
        }
        pagecache.invalidate(*tags)
        if self.options.comments:
            comment_caching.invalidate_after_commit([])
        if self.options.supporters:
            progress_changed()

    def earlier_runs(self) -> str:
        """What earlier runs generated: part of the seed, so that running again with the
        same seed adds new data (new translation keys, form tokens, mandate references)
        instead of repeating the first run's, while a fresh database always gets the same."""
        from lesefrei.support.models import Supporter

        return "/".join(
            str(queryset.filter(**{f"{name}__startswith": PREFIX}).count())
            for queryset, name in (
                (Page.objects.all(), "slug"),
                (get_user_model().objects.all(), "username"),
                (Supporter.objects.all(), "email"),
            )
        )

    def run(self) -> Report:
        self.options.validate()
        options = self.options
        with transaction.atomic():
            home = self.home()
            self.rnd.seed(f"{options.seed}/{self.earlier_runs()}")
            sections: list[SectionPage] = []
            authors: list[AuthorPage] = []
            articles: list[tuple[int, datetime, str]] = []
            if options.articles:
                with self.phase("Ressorts, Autorinnen und Autoren, Themen"):
                    sections, author_index = self.structure(home)
                    authors = self.authors(author_index, sections)
                    topics = self.topics()
                with self.phase(f"{options.articles} Artikel"):
                    articles = self.articles(sections, authors, topics)
                with self.phase("Suchindex"):
                    self.index(authors, [pk for pk, _, _ in articles])
            if options.comments:
                readers_wanted = max(1, min(options.comments, round(options.comments / 15)))
                with self.phase(f"{readers_wanted} Leserkonten"):
                    readers = self.readers(readers_wanted)
                with self.phase(f"{options.comments} Kommentare"):
                    self.comments(articles, readers)
            if options.supporters:
                with self.phase(f"{options.supporters} Unterstützerinnen und Unterstützer"):
                    self.supporters()
            self.refresh_caches(sections, authors)
        return self.report


def generate(options: Options, write: Callable[[str], None] = lambda text: None) -> Report:
    """Generate the corpus described by `options` in one transaction (all or nothing)."""
    if settings.DEBUG:
        write("Hinweis: DEBUG ist an; Django merkt sich jede Abfrage (langsamer, mehr Speicher).")
    return Generator(options, write).run()
