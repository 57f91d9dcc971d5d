"""Which cache tag a ticker's entries carry (lesefrei/cache/).

The entries are not part of the page's revision, so a change of them does not change
the tag `content`, which would make every page of the site render its kept pieces
again. Each ticker has a tag of its own instead, `live:<id>`: pages showing the entries
carry it, and the rendered entries, the JSON-LD, the feeds and the "new entries" answers
are kept under its version. nginx keeps a page at most 1.5 s and then revalidates, so a
new entry is visible within two seconds.
"""

from lesefrei.cache import add_cache_tags, changed


def tag(ticker_id: int) -> str:
    return f"live:{ticker_id}"


def show_entries(request: object, ticker_id: int) -> None:
    """Mark the page being rendered as showing the ticker's entries."""
    add_cache_tags(request, tag(ticker_id))


def entries_changed(ticker_id: int) -> None:
    changed(tag(ticker_id))
