"""Reads shared by the content pages: every list of articles is built here, with the
joins and prefetches its templates need, so that no template queries in a loop."""

from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet

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
    """Live articles, newest first, ready for teaser lists (kicker, headline, teaser, image)."""
    return (
        public(ArticlePage.objects.live())
        # Not select_related: Django then skips the prefetch, and with it the renditions.
        .prefetch_related(
            # All renditions of the listed images in one query, whichever sizes and
            # formats the teaser template asks for.
            Prefetch("lead_image", queryset=CreditedImage.objects.prefetch_renditions())
        )
        .order_by(F("published_at").desc(nulls_last=True), "-pk")
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
    of queries is bounded by the number of sections, not of articles.
    """
    lead = None
    if home.lead_article_id:
        lead = with_authors(published_articles()).filter(pk=home.lead_article_id).first()
    if lead is None:
        lead = with_authors(published_articles().descendant_of(home)).first()
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
