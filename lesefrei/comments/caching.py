"""Which cache tags comments carry (lesefrei/cache/).

The article page and the comment pages of an article show `comments:<id>`; the front
page and every article page show the most-commented list, `most-commented`. The pieces
built from comments (the comment section, the ranking, the thread lists) are kept under
the versions of the same tags, so one `changed(*tags_changed_by(ids))` after a
moderation decision drops the pages and the pieces alike.
"""

from collections.abc import Iterable

from django.conf import settings

MOST_COMMENTED_TAG = "most-commented"


def page_tag(article_id: int) -> str:
    return f"comments:{article_id}"


def tags_changed_by(article_ids: Iterable[int]) -> list[str]:
    """What a change of these articles' comments touches: their comments, and the
    ranking (an approval or removal may move any article in or out of it)."""
    return [MOST_COMMENTED_TAG, *(page_tag(article_id) for article_id in sorted(set(article_ids)))]


def timeout() -> int:
    return settings.COMMENTS_CACHE_SECONDS
