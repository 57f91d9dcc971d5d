"""Settings of lesefrei.discovery, read from the environment like the rest (see README)."""

from .environment import env, env_bool, env_int

# Feeds carry the teaser; with this on they also carry the full article text.
LESEFREI_FEEDS_FULL_TEXT = env_bool("LESEFREI_FEEDS_FULL_TEXT", False)
LESEFREI_FEED_ITEMS = env_int("LESEFREI_FEED_ITEMS", 30)

# Search: results per page, and the half-life (days) of the recency boost applied on
# top of the backend's relevance. 0 switches the boost off.
LESEFREI_SEARCH_PAGE_SIZE = env_int("LESEFREI_SEARCH_PAGE_SIZE", 10)
LESEFREI_SEARCH_RECENCY_HALF_LIFE_DAYS = env_int("LESEFREI_SEARCH_RECENCY_HALF_LIFE_DAYS", 30)

# Read API: requests per client address (Django cache) and how long answers may be cached.
LESEFREI_API_RATE = env("LESEFREI_API_RATE", "120/m")
LESEFREI_API_CACHE_SECONDS = env_int("LESEFREI_API_CACHE_SECONDS", 60)

# Language of the publication for the news sitemap and ninjs (BCP 47 / ISO 639).
LESEFREI_PUBLICATION_LANGUAGE = env("LESEFREI_PUBLICATION_LANGUAGE", "de")

# The API's count of trusted proxies (NINJA_NUM_PROXIES) is in base.py, beside allauth's.

# Wagtail's database backend (PostgreSQL: the `german` text search configuration; SQLite:
# FTS5), with search terms matched as prefixes. docs/discovery.md explains how to move to
# OpenSearch/Elasticsearch instead.
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "lesefrei.discovery.search_backend",
        "SEARCH_CONFIG": "german",
    }
}
