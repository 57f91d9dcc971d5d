"""The corpus's discussions: many comments in bulk for the archive (`comments`), and a
small debate under one article written through lesefrei.comments.services
(`add_discussion`, for the benchmarks' article with an exact number of comments)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import F, Min, OuterRef, Subquery
from django.db.models.functions import Coalesce

from lesefrei.comments import services
from lesefrei.comments.models import ArticleCommentStats, Comment, Status
from lesefrei.content.models import ArticlePage

from . import words
from .bulk import batched

if TYPE_CHECKING:
    from .generator import Generator


def comments(gen: Generator, articles: list[tuple[int, datetime, str]], readers: list[int]) -> None:
    """`options.comments` comments under the new articles, in bulk, with the approved
    counts the services would have kept."""
    rnd = gen.rnd
    total = gen.options.comments
    # Most articles get few or no comments, a few get hundreds or thousands.
    weights = [0.0 if rnd.random() < 0.35 else rnd.paretovariate(1.1) for _ in range(len(articles))]
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
        if queued >= gen.options.batch_size * 5:
            made, answered = comment_batch(gen, queue, readers, reader_cum, approved_counts)
            written, replies = written + made, replies + answered
            queue, queued = [], 0
            gen.write(f"  {written}/{total} Kommentare")
    if queue:
        made, answered = comment_batch(gen, queue, readers, reader_cum, approved_counts)
        written, replies = written + made, replies + answered
    ArticleCommentStats.objects.bulk_create(
        [
            ArticleCommentStats(article_id=article_id, approved_count=count)
            for article_id, count in approved_counts.items()
            if count
        ],
        batch_size=gen.options.batch_size,
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
    for chunk in batched(readers, gen.options.batch_size * 5):
        User.objects.filter(pk__in=chunk).update(
            date_joined=Coalesce(Subquery(first_comment), F("date_joined")) - timedelta(days=1)
        )
    gen.report.comments, gen.report.replies = written, replies


def comment_batch(
    gen: Generator,
    queue: list[tuple[int, datetime, str, int]],
    readers: list[int],
    reader_cum: list[float],
    approved_counts: dict[int, int],
) -> tuple[int, int]:
    rnd = gen.rnd
    now = gen.now
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
    Comment.objects.bulk_create(tops, batch_size=gen.options.batch_size)
    for reply, parent in answers:
        reply.parent_id = tops[parent].pk
    Comment.objects.bulk_create([reply for reply, _ in answers], batch_size=gen.options.batch_size)
    return len(tops) + len(answers), len(answers)


def add_discussion(
    article: ArticlePage,
    count: int,
    readers: Sequence[AbstractBaseUser],
    *,
    seed: int = 1,
    moderator: AbstractBaseUser | None = None,
) -> list[Comment]:
    """`count` approved comments under `article`, every fourth a reply to the thread
    before it, posted and approved through lesefrei.comments.services as readers and a
    moderator would (counter, log and cache versions kept by the services). A few
    thousand at most: volume goes through `comments`."""
    rnd = random.Random(seed)
    topic = article.kicker or article.title
    made: list[Comment] = []
    tops: list[Comment] = []
    while len(made) < count:
        index = len(made)
        parent = tops[-1] if index % 4 == 3 and tops else None
        result = services.post_comment(
            readers[index % len(readers)],
            article,
            words.comment_text(rnd, topic, reply=parent is not None),
            parent=parent,
            idempotency_key=f"korpus-{article.pk}-{seed}-{rnd.getrandbits(64):x}",
            rate_limited=False,
        )
        if not result.created:  # the same text by the same reader a moment ago: redraw
            continue
        comment = result.comment
        if comment.status != Status.APPROVED:
            comment = services.approve_comment(comment, moderator)
        if parent is None:
            tops.append(comment)
        made.append(comment)
    return made
