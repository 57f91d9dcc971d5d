"""Settings of lesefrei.discovery, read from the environment like the rest (see README)."""

import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


# Feeds carry the teaser; with this on they also carry the full article text.
LESEFREI_FEEDS_FULL_TEXT = _bool("LESEFREI_FEEDS_FULL_TEXT", False)
LESEFREI_FEED_ITEMS = _int("LESEFREI_FEED_ITEMS", 30)

# Search: results per page, and the half-life (days) of the recency boost applied on
# top of the backend's relevance. 0 switches the boost off.
LESEFREI_SEARCH_PAGE_SIZE = _int("LESEFREI_SEARCH_PAGE_SIZE", 10)
LESEFREI_SEARCH_RECENCY_HALF_LIFE_DAYS = _int("LESEFREI_SEARCH_RECENCY_HALF_LIFE_DAYS", 30)

# Read API: requests per client address (Django cache) and how long answers may be cached.
LESEFREI_API_RATE = os.environ.get("LESEFREI_API_RATE", "120/m")
LESEFREI_API_CACHE_SECONDS = _int("LESEFREI_API_CACHE_SECONDS", 60)

# Language of the publication for the news sitemap and ninjs (BCP 47 / ISO 639).
LESEFREI_PUBLICATION_LANGUAGE = os.environ.get("LESEFREI_PUBLICATION_LANGUAGE", "de")

# Proxies in front of the app (nginx: 1): the API's rate limit then counts the address
# the last proxy saw in X-Forwarded-For; with 0 it counts REMOTE_ADDR (never a header a
# client could forge).
NINJA_NUM_PROXIES = _int("LESEFREI_TRUSTED_PROXIES", 0)

# Wagtail's database backend (PostgreSQL: the `german` text search configuration; SQLite:
# FTS5), with search terms matched as prefixes. docs/discovery.md explains how to move to
# OpenSearch/Elasticsearch instead.
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "lesefrei.discovery.search_backend",
        "SEARCH_CONFIG": "german",
    }
}
