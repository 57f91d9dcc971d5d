"""Reads of comments: what an article shows, the queue, the ranking, a reader's data.

The lists readers see are cached under the versions of their tags (caching.py) and contain plain
data, not model instances, so a cached article page never queries per comment.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from lesefrei.cache import key
from lesefrei.content.models import ArticlePage, public

from . import caching
from .models import ArticleCommentStats, Ban, Comment, Status

SORTS = {
    "neueste": "newest",
    "aelteste": "oldest",
    "empfehlungen": "picks",
}
DEFAULT_SORT = "neueste"


def is_confirmed_reader(user: AbstractBaseUser | AnonymousUser | None) -> bool:
    """A logged-in reader with a confirmed e-mail address (allauth's EmailAddress).

    The accounts app owns the definition; until it offers one, this checks allauth's
    verified address itself. It is the one place comments ask.
    """
    if user is None or not user.is_authenticated:
        return False
    try:
        from lesefrei.accounts.selectors import is_confirmed_reader as accounts_rule
    except ImportError:
        from allauth.account.models import EmailAddress

        return EmailAddress.objects.filter(user=user, verified=True).exists()
    return accounts_rule(user)


def active_ban(user: AbstractBaseUser) -> Ban | None:
    now = timezone.now()
    return (
        Ban.objects.filter(user=user, lifted_at__isnull=True)
        .filter(Q(until__isnull=True) | Q(until__gt=now))
        .order_by("until")
        .first()
    )


def comments_close_at(article: ArticlePage) -> datetime | None:
    """When an article's comments close automatically, or None when they don't."""
    if article.comments_mode != ArticlePage.CommentsMode.AUTO_CLOSE:
        return None
    start = article.date_published or timezone.now()
    return start + timedelta(days=article.comments_close_after_days)


def comments_open(article: ArticlePage, now: datetime | None = None) -> bool:
    if not article.live or article.comments_mode == ArticlePage.CommentsMode.CLOSED:
        return False
    close_at = comments_close_at(article)
    return close_at is None or (now or timezone.now()) < close_at


def approved_count(article_id: int) -> int:
    stats = ArticleCommentStats.objects.filter(article_id=article_id).first()
    return stats.approved_count if stats else 0


# Lists readers see


@dataclass
class ShownComment:
    """A comment as readers see it (cacheable, no model instance)."""

    id: int
    author_name: str
    text: str
    created_at: datetime
    is_pick: bool
    parent_id: int | None = None
    parent_hidden: bool = False
    replies: list["ShownComment"] = field(default_factory=list)


def _visible_comments(article_id: int) -> QuerySet[Comment]:
    return Comment.objects.filter(article_id=article_id, status=Status.APPROVED).select_related(
        "author__reader_profile"
    )


def _shown(comment: Comment, parent_hidden: bool = False) -> ShownComment:
    return ShownComment(
        id=comment.pk,
        author_name=comment.author_name,
        text=comment.text,
        created_at=comment.created_at,
        is_pick=comment.is_pick,
        parent_id=comment.parent_id,
        parent_hidden=parent_hidden,
    )


def _threads(article_id: int, sort: str) -> list[ShownComment]:
    """Top-level comments (and replies whose parent is no longer visible) in the chosen
    order, each with its visible replies, oldest reply first."""
    comments = list(_visible_comments(article_id).order_by("created_at", "pk"))
    visible_ids = {comment.pk for comment in comments}
    threads: list[ShownComment] = []
    by_id: dict[int, ShownComment] = {}
    for comment in comments:
        if comment.parent_id is None or comment.parent_id not in visible_ids:
            shown = _shown(comment, parent_hidden=comment.parent_id is not None)
            threads.append(shown)
            by_id[comment.pk] = shown
    for comment in comments:
        if comment.parent_id in by_id:
            by_id[comment.parent_id].replies.append(_shown(comment))
    if SORTS.get(sort) == "oldest":
        return threads
    threads.reverse()
    if SORTS.get(sort) == "picks":
        threads.sort(key=lambda thread: not thread.is_pick)  # stable: newest within each
    return threads


def article_threads(article_id: int, sort: str = DEFAULT_SORT) -> list[ShownComment]:
    sort = sort if sort in SORTS else DEFAULT_SORT
    kept_as = key(None, "comments:threads", [caching.page_tag(article_id)], sort)
    threads = cache.get(kept_as)
    if threads is None:
        threads = _threads(article_id, sort)
        cache.set(kept_as, threads, caching.timeout())
    return threads


def comment_page(article_id: int, sort: str, page_number: Any) -> Page:
    paginator = Paginator(article_threads(article_id, sort), settings.COMMENTS_PAGE_SIZE)
    return paginator.get_page(page_number)


def article_comment_summary(article: ArticlePage) -> dict[str, Any]:
    """What the article page shows: the count, the first threads, whether it is open.

    Picks first when there are any (the newsroom's choice), else newest first.
    """
    kept_as = key(None, "comments:summary", [caching.page_tag(article.pk)])
    summary = cache.get(kept_as)
    if summary is None:
        count = approved_count(article.pk)
        threads = article_threads(article.pk, "empfehlungen") if count else []
        first = threads[: settings.COMMENTS_ON_ARTICLE]
        summary = {
            "count": count,
            "threads": first,
            "shown": sum(1 + len(thread.replies) for thread in first),
        }
        cache.set(kept_as, summary, caching.timeout())
    return {
        **summary,
        "open": comments_open(article),
        "close_at": comments_close_at(article),
        "more": summary["count"] > summary["shown"],
    }


@dataclass
class RankedArticle:
    rank: int
    article_id: int
    kicker: str
    headline: str
    url: str
    count: int


def most_commented() -> list[RankedArticle]:
    """The articles with the most comments approved in the last days, most first.

    An indexed aggregate over a bounded window (comment_ranking index: status,
    approved_at, article), cached until the next moderation change.
    """
    kept_as = key(None, "comments:ranking", [caching.MOST_COMMENTED_TAG])
    ranking = cache.get(kept_as)
    if ranking is None:
        ranking = rank_most_commented()
        cache.set(kept_as, ranking, caching.timeout())
    return ranking


def rank_most_commented() -> list[RankedArticle]:
    """The ranking computed now, uncached (most_commented() is the cached read)."""
    since = timezone.now() - timedelta(days=settings.COMMENTS_MOST_COMMENTED_DAYS)
    live_ids = public(ArticlePage.objects.live()).values("pk")
    rows = list(
        Comment.objects.filter(
            status=Status.APPROVED, approved_at__gte=since, article_id__in=live_ids
        )
        .values("article_id")
        .annotate(count=Count("pk"))
        .order_by("-count", "article_id")[: settings.COMMENTS_MOST_COMMENTED_LENGTH]
    )
    articles = ArticlePage.objects.in_bulk([row["article_id"] for row in rows])
    return [
        RankedArticle(
            rank=rank,
            article_id=row["article_id"],
            kicker=articles[row["article_id"]].kicker,
            headline=articles[row["article_id"]].title,
            url=articles[row["article_id"]].url,
            count=row["count"],
        )
        for rank, row in enumerate(rows, start=1)
        if row["article_id"] in articles
    ]


# A reader's own comments


def own_comments(user: AbstractBaseUser, article_id: int) -> QuerySet[Comment]:
    """The reader's comments under one article, whatever their status (newest first)."""
    return Comment.objects.filter(author=user, article_id=article_id).order_by("-created_at")


def comments_for_export(user: AbstractBaseUser) -> list[dict[str, Any]]:
    """Every comment of a reader, for their data export (JSON-ready)."""
    comments = (
        Comment.objects.filter(author=user)
        .select_related("article", "parent")
        .order_by("created_at", "pk")
    )
    return [
        {
            "article_headline": comment.article.title,
            "article_url": settings.SITE_URL + (comment.article.url or ""),
            "text": comment.text,
            "created": comment.created_at.isoformat(),
            "status": comment.status,
            "status_label": str(comment.get_status_display()),
            "reply_to": comment.parent_id,
            "editors_pick": comment.is_pick,
            "rejection_reason": comment.rejection_reason,
        }
        for comment in comments
    ]


# The moderation queue


def author_history(user_ids: list[int]) -> dict[int, dict[str, int]]:
    """Approved, rejected and pending counts per author, in one query."""
    rows = (
        Comment.objects.filter(author_id__in=user_ids)
        .values("author_id")
        .annotate(
            approved=Count("pk", filter=Q(status=Status.APPROVED)),
            rejected=Count("pk", filter=Q(status=Status.REJECTED)),
            pending=Count("pk", filter=Q(status=Status.PENDING)),
        )
    )
    return {row.pop("author_id"): row for row in rows}


QUEUE_FILTERS = {
    "offen": Q(status=Status.PENDING) | Q(status=Status.APPROVED, open_reports__gt=0),
    "wartend": Q(status=Status.PENDING),
    "gemeldet": Q(open_reports__gt=0, status=Status.APPROVED),
    "freigeschaltet": Q(status=Status.APPROVED),
    "abgelehnt": Q(status=Status.REJECTED),
    "empfohlen": Q(is_pick=True, status=Status.APPROVED),
    "alle": Q(),
}


def moderation_queue(status: str = "offen", article_id: int | None = None) -> QuerySet[Comment]:
    """Comments for the moderators: the open queue oldest first; decided ones newest first."""
    comments = Comment.objects.filter(QUEUE_FILTERS.get(status, QUEUE_FILTERS["offen"]))
    if article_id:
        comments = comments.filter(article_id=article_id)
    order = ["created_at", "pk"] if status in {"offen", "wartend", "gemeldet"} else ["-created_at"]
    return comments.select_related(
        "article", "author__reader_profile", "parent__author__reader_profile"
    ).order_by(*order)


def queue_articles() -> QuerySet[ArticlePage]:
    """Articles that have comments, for the queue's article filter."""
    return (
        ArticlePage.objects.filter(comments__isnull=False)
        .distinct()
        .order_by("-published_at")
        .only("pk", "title", "kicker")
    )


def open_queue_size() -> int:
    return Comment.objects.filter(QUEUE_FILTERS["offen"]).count()
