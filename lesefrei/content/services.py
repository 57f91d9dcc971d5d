"""State changes of content: creating articles and authors. The importers, the demo
loader and (later) the syndication import all create articles through here."""

import logging
import re
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from .models import (
    ArticleAuthor,
    ArticlePage,
    AuthorIndexPage,
    AuthorPage,
    CreditedImage,
    SectionPage,
)
from .slugs import german_slug

logger = logging.getLogger(__name__)


def unique_child_slug(parent: Any, base: str) -> str:
    taken = set(parent.get_children().values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug = f"{base}-{number}"
        number += 1
    return slug


def get_or_create_author(name: str, **fields: Any) -> tuple[AuthorPage, bool]:
    """The author page called `name` (case-insensitive), created under the author index
    when there is none yet."""
    name = re.sub(r"\s+", " ", name).strip()
    existing = AuthorPage.objects.filter(title__iexact=name).first()
    if existing is not None:
        return existing, False
    index = AuthorIndexPage.objects.first()
    if index is None:
        raise ValueError(
            "Es gibt noch kein Autorenverzeichnis, unter dem Autoren angelegt werden können."
        )
    author = AuthorPage(title=name, slug=unique_child_slug(index, german_slug(name)), **fields)
    index.add_child(instance=author)
    logger.info("author created: %s", name)
    return author, True


@transaction.atomic
def create_article(
    section: SectionPage,
    *,
    headline: str,
    teaser: str,
    kicker: str,
    body: Sequence[tuple[str, Any]],
    authors: Iterable[AuthorPage] = (),
    topics: Iterable[str] = (),
    place: str = "",
    lead_image: CreditedImage | None = None,
    lead_image_caption: str = "",
    correction: str = "",
    published_at: datetime | None = None,
    slug: str | None = None,
    publish: bool = False,
    user: AbstractBaseUser | None = None,
) -> ArticlePage:
    """Create an article under `section` as a draft, or published when `publish` is true.

    `body` is a list of (block type, value) pairs of ArticleBodyBlock. Either the whole
    article with its first revision is stored, or nothing.
    """
    article = ArticlePage(
        title=headline,
        slug=slug or unique_child_slug(section, german_slug(headline)),
        kicker=kicker,
        teaser=teaser,
        place=place,
        lead_image=lead_image,
        lead_image_caption=lead_image_caption,
        correction=correction,
        published_at=published_at,
        body=list(body),
        live=False,
        owner=user,
    )
    for order, author in enumerate(authors):
        article.article_authors.add(ArticleAuthor(author=author, sort_order=order))
    article.topics.add(*topics)
    section.add_child(instance=article)
    revision = article.save_revision(user=user, log_action=True)
    if publish:
        revision.publish(user=user)
        article.refresh_from_db()
    logger.info("article created: %s (%s)", article.pk, "published" if publish else "draft")
    return article
