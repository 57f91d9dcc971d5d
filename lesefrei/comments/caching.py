"""Cache keys of the comment lists and the ranking, and their invalidation.

Each cached read is stored under a key that contains a version; a change sets a new
version (a timestamp, so an evicted version key can never bring back an old entry). A
reader that fetched the old version before the change can only fill the old key, which
nobody reads any more: the next request after a change always sees it.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from lesefrei.site import pagecache

RANKING = "ranking"
# Page-cache tags: the article page and comment pages of an article show `comments:<id>`;
# the home page and every article page show the most-commented list.
MOST_COMMENTED_TAG = "most-commented"


def page_tag(article_id: int) -> str:
    return f"comments:{article_id}"


def version_key(scope: str) -> str:
    return f"comments:version:{scope}"


def version(scope: str) -> int:
    key = version_key(scope)
    current = cache.get(key)
    if current is None:
        current = time.time_ns()
        if not cache.add(key, current, None):
            current = cache.get(key, current)
    return current


def versioned_key(scope: str, *parts: object) -> str:
    return ":".join(["comments", scope, str(version(scope)), *map(str, parts)])


def article_scope(article_id: int) -> str:
    return f"article:{article_id}"


def bump(*scopes: str) -> None:
    for scope in scopes:
        cache.set(version_key(scope), time.time_ns(), None)


def invalidate_after_commit(article_ids: set[int] | list[int]) -> None:
    """New versions for these articles' comment lists and the ranking: now, and again
    once the transaction that changed them has committed (a request that read the old
    rows in between may have cached them under the version set now)."""
    scopes = [article_scope(article_id) for article_id in set(article_ids)]
    bump(RANKING, *scopes)
    # Whole pages showing these comments or the ranking (lesefrei/site/pagecache.py).
    pagecache.invalidate(MOST_COMMENTED_TAG, *(page_tag(article_id) for article_id in article_ids))

    def _bump() -> None:
        bump(RANKING, *scopes)
        from .signals import comments_changed

        comments_changed.send(sender=None, article_ids=sorted(set(article_ids)))

    transaction.on_commit(_bump)


def timeout() -> int:
    return settings.COMMENTS_CACHE_SECONDS
