"""State changes of discovery: importing agency items (ninjs) as articles."""

import logging
from dataclasses import dataclass
from typing import Any, Literal

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from lesefrei.content.models import ArticleAuthor, ArticlePage, SectionPage
from lesefrei.content.services import create_article, get_or_create_author

from .models import SyndicatedItem
from .ninjs import NinjsItem

logger = logging.getLogger(__name__)

Outcome = Literal["created", "updated", "published", "unchanged", "older", "withdrawn", "skipped"]


@dataclass
class ImportResult:
    outcome: Outcome
    article: ArticlePage | None
    item: NinjsItem


def is_newer(item: NinjsItem, known: SyndicatedItem) -> bool | None:
    """True when `item` is newer than what was imported, False when older, None when the
    same version. Numeric versions compare as numbers; otherwise versioncreated decides."""
    if item.version and known.version and item.version.isdigit() and known.version.isdigit():
        if int(item.version) != int(known.version):
            return int(item.version) > int(known.version)
    elif item.version and item.version != known.version and not item.version_created:
        return True
    if item.version_created and known.version_created:
        if item.version_created != known.version_created:
            return item.version_created > known.version_created
        return None
    if item.version != known.version:
        return True
    return None


def set_authors(article: ArticlePage, names: list[str]) -> None:
    authors = [get_or_create_author(name)[0] for name in names]
    article.article_authors = [
        ArticleAuthor(author=author, sort_order=order) for order, author in enumerate(authors)
    ]


@transaction.atomic
def import_ninjs_item(
    item: NinjsItem,
    *,
    section: SectionPage,
    publish: bool = False,
    user: AbstractBaseUser | None = None,
) -> ImportResult:
    """Create or update the article for one agency item; all of it, or nothing.

    The same uri updates the article it created before (as a new revision, published
    when `publish` is set) instead of creating a second one; an older or the same version
    changes nothing. A withheld or canceled item unpublishes its article.
    """
    known = SyndicatedItem.objects.select_for_update().filter(uri=item.uri).first()
    if known is None:
        if item.pubstatus != "usable":
            logger.info("ninjs %s: %s, not imported", item.uri, item.pubstatus)
            return ImportResult("skipped", None, item)
        authors = [get_or_create_author(name)[0] for name in item.authors]
        article = create_article(
            section,
            headline=item.headline,
            teaser=item.teaser,
            kicker=item.kicker,
            body=item.body,
            authors=authors,
            topics=item.topics,
            place=item.place,
            publish=publish,
            user=user,
        )
        SyndicatedItem.objects.create(
            uri=item.uri,
            version=item.version,
            version_created=item.version_created,
            article=article,
        )
        logger.info("ninjs %s: created article %s", item.uri, article.pk)
        return ImportResult("created", article, item)

    article = known.article
    newer = is_newer(item, known)
    if newer is None:
        if publish and item.pubstatus == "usable" and not article.live:
            # The same copy again, now with --publish: the editors' go-ahead for the draft.
            article.get_latest_revision().publish(user=user)
            logger.info("ninjs %s: article %s published", item.uri, article.pk)
            article.refresh_from_db()
            return ImportResult("published", article, item)
        return ImportResult("unchanged", article, item)
    if newer is False:
        logger.info("ninjs %s: version %s older than %s", item.uri, item.version, known.version)
        return ImportResult("older", article, item)

    known.version, known.version_created = item.version, item.version_created
    known.save()
    if item.pubstatus != "usable":
        if article.live:
            article.unpublish(user=user, log_action=True)
        logger.info("ninjs %s: %s, article %s unpublished", item.uri, item.pubstatus, article.pk)
        return ImportResult("withdrawn", article, item)

    draft: Any = article.get_latest_revision_as_object()
    draft.title = item.headline
    draft.kicker = item.kicker
    draft.teaser = item.teaser
    draft.body = item.body
    draft.place = item.place
    draft.topics.set(item.topics)
    set_authors(draft, item.authors)
    revision = draft.save_revision(user=user, log_action=True)
    if publish:
        revision.publish(user=user)
    logger.info("ninjs %s: updated article %s", item.uri, article.pk)
    article.refresh_from_db()
    return ImportResult("updated", article, item)
