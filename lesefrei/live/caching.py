"""What shows a ticker's entries, and how a change of them reaches readers.

The entries are not part of the page's revision, so a change of them does not set a
new content version (content/fragments.py), which would make every page of the site
render its kept pieces again. Each ticker has a version of its own instead
(`live:version:<id>`), under which its rendered entries, its JSON-LD, its feed and its
"new entries" answers are kept; pages showing the entries carry the page-cache tag
`live:<id>` (lesefrei/site/pagecache.py), which a change drops after commit. nginx keeps
a page at most 1.5 s and then revalidates, so a new entry is visible within two seconds.
"""

from django.db import transaction

from lesefrei.content import fragments
from lesefrei.site.pagecache import add_cache_tags, invalidate


def version_key(ticker_id: int) -> str:
    return f"live:version:{ticker_id}"


def page_tag(ticker_id: int) -> str:
    return f"live:{ticker_id}"


def entries_version(request: object, ticker_id: int) -> int:
    """The ticker's version, read once per request (with the request's other versions)."""
    return fragments.versions(request, version_key(ticker_id))[0]


def show_entries(request: object, ticker_id: int) -> None:
    """Mark the page being rendered as showing the ticker's entries."""
    add_cache_tags(request, page_tag(ticker_id))


def entries_changed(ticker_id: int) -> None:
    """A new version now and after commit (a render that read the old rows in between
    kept its result under the version set now), and the pages showing the entries
    dropped after commit."""
    fragments.bump(version_key(ticker_id))
    transaction.on_commit(lambda: fragments.bump(version_key(ticker_id)))
    invalidate(page_tag(ticker_id))
