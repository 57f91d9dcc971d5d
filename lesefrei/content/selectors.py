"""Reads shared by the content pages: every list of articles is built here, with the
joins and prefetches its templates need, so that no template queries in a loop."""

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from .models import (
    ArticleAuthor,
    ArticlePage,
    AuthorPage,
    CreditedImage,
    HomePage,
    SectionPage,
    Topic,
    public,
)


def published_articles() -> QuerySet[ArticlePage]:
    """Live articles, newest first, ready for teaser lists (kicker, headline, teaser, image).

    Ordered along the index on (published_at, page_ptr_id), read backwards: for "the
    newest N" (the home page's blocks, a section's first page) PostgreSQL walks it and
    stops after N matching rows instead of sorting the whole archive. A live article
    always has its date (ArticlePage.save, migration 0004); the filter keeps an undated
    one (written around save()) from topping a list, as NULL sorts first in descending
    order on PostgreSQL.
    """
    return (
        public(ArticlePage.objects.live())
        .filter(published_at__isnull=False)
        # Not select_related: Django then skips the prefetch, and with it the renditions.
        .prefetch_related(
            # All renditions of the listed images in one query, whichever sizes and
            # formats the teaser template asks for.
            Prefetch("lead_image", queryset=CreditedImage.objects.prefetch_renditions())
        )
        .order_by("-published_at", "-pk")
    )


def with_authors(articles: QuerySet[ArticlePage]) -> QuerySet[ArticlePage]:
    return articles.prefetch_related(
        Prefetch(
            "article_authors",
            queryset=ArticleAuthor.objects.select_related("author").order_by("sort_order"),
        )
    )


def section_articles(section: SectionPage) -> QuerySet[ArticlePage]:
    return published_articles().child_of(section)


def author_articles(author: AuthorPage) -> QuerySet[ArticlePage]:
    return published_articles().filter(article_authors__author=author)


def topic_articles(tag: Topic) -> QuerySet[ArticlePage]:
    return published_articles().filter(tagged_items__tag=tag)


def topics_in_use() -> QuerySet[Topic]:
    """Topics with at least one published article, most used first."""
    live = Q(tagged_articles__content_object__live=True)
    return (
        Topic.objects.annotate(article_count=Count("tagged_articles", filter=live))
        .filter(article_count__gt=0)
        .order_by("-article_count", "name")
    )


def home_front(home: HomePage) -> dict[str, Any]:
    """The lead article and one block of recent teasers per section, for the home page.

    One query per section block: a newspaper has a handful of sections, so the count
    of queries is bounded by the number of sections, not of articles. Each is "the
    newest N live articles under this section", which PostgreSQL answers by walking the
    (published_at, page_ptr_id) index until N rows match, however large the archive.
    """
    lead = None
    if home.lead_article_id:
        lead = with_authors(published_articles()).filter(pk=home.lead_article_id).first()
    if lead is None:
        # Every article stands under the one home page (HomePage.max_count, the page
        # types' parents): the newest of all, with no path condition to plan around.
        lead = with_authors(published_articles()).first()
    sections = list(public(SectionPage.objects.live()).child_of(home))
    blocks = []
    for section in sections:
        articles = section_articles(section)
        if lead is not None:
            articles = articles.exclude(pk=lead.pk)
        teasers = list(articles[: home.articles_per_section])
        if teasers:
            blocks.append({"section": section, "articles": teasers})
    return {"lead": lead, "section_blocks": blocks}
