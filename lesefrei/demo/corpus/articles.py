"""The corpus's archive: sections (when the site has none), authors, topics and articles
as published Wagtail pages, and their rows in the search index."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch
from wagtail.models import Site
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
from .bulk import add_children, batched
from .options import CorpusError
from .search import index_objects

if TYPE_CHECKING:
    from .generator import Generator

# Sections created when the site has none (the demo brings its own six).
SECTIONS = (
    ("politik", "Politik"),
    ("wirtschaft", "Wirtschaft"),
    ("gesellschaft", "Gesellschaft"),
    ("kultur", "Kultur"),
    ("wissen", "Wissen"),
    ("region", "Region"),
)


def home() -> HomePage:
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


def structure(home: HomePage) -> tuple[list[SectionPage], AuthorIndexPage]:
    """The sections, author index and topic index, created as an editor would (a page
    added and published) when the site has none."""
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


def page_fields(gen: Generator, title: str, slug: str, published: datetime) -> dict[str, Any]:
    return {
        "title": title,
        "draft_title": title,
        "slug": slug,
        "live": True,
        "has_unpublished_changes": False,
        "first_published_at": published,
        "last_published_at": published,
        "translation_key": gen.uuid(),
    }


def authors(
    gen: Generator, index: AuthorIndexPage, sections: list[SectionPage]
) -> list[AuthorPage]:
    count = max(3, min(400, round(1.2 * gen.options.articles**0.5)))
    number = gen.next_number(AuthorPage.objects.child_of(index), "slug")
    made = []
    for offset in range(count):
        first, last = words.person(gen.rnd)
        name = f"{first} {last}"
        section = gen.rnd.choice(sections)
        since = gen.now - timedelta(days=gen.rnd.randint(60, 365 * gen.options.years))
        topics = gen.rnd.sample(words.topic_names(), 2)
        bio = " ".join(
            words.fill(
                template.replace("{name}", name)
                .replace("{first}", first)
                .replace("{topic2}", topics[1]),
                gen.rnd,
                topics[0],
            )
            for template in gen.rnd.sample(words.BIO_SENTENCES, 3)
        )
        author = AuthorPage(
            **page_fields(gen, name, f"{gen.prefix}{number + offset}-{german_slug(name)}", since),
            role=f"{gen.rnd.choice(words.AUTHOR_ROLES)} {section.title}"[:120],
            bio=bio,
        )
        author.home_section = section.pk  # where they mostly write (not stored)
        made.append(author)
    add_children(index, made, gen.options.batch_size)
    gen.report.authors = len(made)
    return made


def topics(gen: Generator) -> list[Topic]:
    names = words.topic_names()
    wanted = max(10, min(len(names), gen.options.articles // 100))
    names = gen.rnd.sample(names, wanted)
    existing = {topic.name.casefold(): topic for topic in Topic.objects.all()}
    new = [
        Topic(name=name, slug=f"{gen.prefix}{german_slug(name, max_length=80)}")
        for name in names
        if name.casefold() not in existing
    ]
    Topic.objects.bulk_create(new, batch_size=gen.options.batch_size)
    by_name = {topic.name.casefold(): topic for topic in Topic.objects.filter(name__in=names)}
    gen.report.topics = len(new)
    return [by_name[name.casefold()] for name in names]


def body(gen: Generator, topic: str) -> list[dict[str, Any]]:
    rnd = gen.rnd
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
    return [{"type": kind, "value": value, "id": str(gen.uuid())} for kind, value in blocks]


def publication_times(gen: Generator) -> list[datetime]:
    """Spread over the years, denser toward now (an archive grows), oldest first."""
    span = gen.options.years * 365 * 86400
    return sorted(
        gen.now - timedelta(seconds=int(span * gen.rnd.random() ** 1.5) + 60)
        for _ in range(gen.options.articles)
    )


def articles(
    gen: Generator, sections: list[SectionPage], authors: list[AuthorPage], topics: list[Topic]
) -> list[tuple[int, datetime, str]]:
    """The articles, published, with their authors and topics: (pk, published, topic)."""
    rnd = gen.rnd
    batch_size = gen.options.batch_size
    section_weights = [rnd.uniform(0.5, 2.0) for _ in sections]
    topic_weights = [1 / (rank + 1) ** 0.7 for rank in range(len(topics))]
    by_section: dict[int, list[AuthorPage]] = {}
    for author in authors:
        by_section.setdefault(author.home_section, []).append(author)
    number = gen.next_number(ArticlePage.objects.all(), "slug")
    made: list[tuple[int, datetime, str]] = []
    times = publication_times(gen)
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
                **page_fields(
                    gen,
                    title,
                    f"{gen.prefix}{number}-{german_slug(title, max_length=60)}",
                    published,
                ),
                kicker=words.kicker(rnd, topic),
                teaser=" ".join(words.statement(rnd, topic) for _ in range(2))[:600],
                place=rnd.choice(words.PLACES),
                published_at=published,
                body=body(gen, topic),
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
        gen.write(f"  {len(made)}/{gen.options.articles} Artikel")
    gen.report.articles = [pk for pk, _, _ in made]
    return made


def index(gen: Generator, authors: list[AuthorPage], article_ids: list[int]) -> None:
    """The new pages into Wagtail's search index, in batches (search.index_objects:
    the rows the backend's add_bulk writes)."""
    backend = get_search_backend()
    index_objects(
        backend, AuthorPage, list(AuthorPage.objects.filter(pk__in=[a.pk for a in authors]))
    )
    done = 0
    for chunk in batched(article_ids, min(gen.options.batch_size, 1000)):
        found = list(
            ArticlePage.objects.filter(pk__in=chunk).prefetch_related(
                "article_authors__author",
                Prefetch("tagged_items", ArticleTopic.objects.select_related("tag").order_by("pk")),
            )
        )
        for article in found:
            # article.topics.all() in the order it has without a prefetch (taggit's
            # own prefetch of "topics" has another order, which changes the text).
            article._prefetched_objects_cache["topics"] = [
                item.tag for item in article.tagged_items.all()
            ]
        index_objects(backend, ArticlePage, found)
        done += len(chunk)
        if done % 5000 < len(chunk) or done == len(article_ids):
            gen.write(f"  {done}/{len(article_ids)} im Suchindex")
