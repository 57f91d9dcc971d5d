"""Reads shared by the content pages: every list of articles is built here, with the
joins and prefetches its templates need, so that no template queries in a loop."""

from typing import Any

from django.db.models import Count, Max, Prefetch, Q, QuerySet

from .home_blocks import in_section
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
    """Topics with at least one live public article, most used first, with the newest
    publication among those articles (`newest`). A topic that only drafts or private
    (e.g. password-protected) articles carry is listed nowhere: its name may be news."""
    visible = Q(tagged_articles__content_object__in=public(ArticlePage.objects.live()).values("pk"))
    return (
        Topic.objects.annotate(
            article_count=Count("tagged_articles", filter=visible),
            newest=Max("tagged_articles__content_object__last_published_at", filter=visible),
        )
        .filter(article_count__gt=0)
        .order_by("-article_count", "name")
    )


def home_front(home: HomePage) -> dict[str, Any]:
    """The lead article and one block of teasers per section, for the home page.

    The editors' choices come first: their lead, and per section block the articles
    they pinned, in their order. Anything they left open is filled automatically: the
    lead is the newest article with an image (the newest of all when none has one), a
    block's free places the section's newest articles. A chosen article that is not
    (or no longer) published is left out, as if it had not been chosen.

    The queries do not grow with the number of teasers: one for every chosen article
    together, one or two for an automatic lead, one for the sections and one per
    section block. Each block's "newest N live articles under this section" is answered
    by walking the (published_at, page_ptr_id) index until N rows match.
    """
    pins = home.pinned_article_ids()
    chosen_ids = {pk for ids in pins.values() for pk in ids}
    if home.lead_article_id:
        chosen_ids.add(home.lead_article_id)
    chosen: dict[int, ArticlePage] = {}
    if chosen_ids:
        chosen = {a.pk: a for a in with_authors(published_articles()).filter(pk__in=chosen_ids)}

    lead = chosen.get(home.lead_article_id) if home.lead_article_id else None
    if lead is None:
        lead = automatic_lead()
    sections = list(public(SectionPage.objects.live()).child_of(home))
    size = home.articles_per_section
    blocks = []
    for section in sections:
        pinned = [
            chosen[pk]
            for pk in pins.get(section.pk, ())
            if pk in chosen and in_section(chosen[pk], section) and chosen[pk] != lead
        ][:size]
        teasers = list(pinned)
        if len(teasers) < size:
            taken = [article.pk for article in teasers] + ([lead.pk] if lead else [])
            newest = section_articles(section).exclude(pk__in=taken)
            teasers += list(newest[: size - len(teasers)])
        if teasers:
            blocks.append({"section": section, "articles": teasers})
    return {"lead": lead, "section_blocks": blocks}


def automatic_lead() -> ArticlePage | None:
    """The newest article with an image, else the newest article: a front page opens
    with a picture whenever there is one to show.

    Every article stands under the one home page (HomePage.max_count, the page types'
    parents): the newest of all, with no path condition to plan around.
    """
    articles = with_authors(published_articles())
    return articles.filter(lead_image__isnull=False).first() or articles.first()
