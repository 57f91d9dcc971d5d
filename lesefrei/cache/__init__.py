"""lesefrei's cache layer: what a newcomer needs to know, in one place.

Readers all see the same pages, so pages and their pieces are kept and shared. One idea
keeps them correct: **tags and their versions** (versions.py).

- A *tag* names something shown that can change: ``page:12``, ``list:front``,
  ``comments:12``, ``most-commented``, ``support:campaign``, ``live:7``, ``content``.
  Each app says which tags its things carry (``<app>/caching.py``).
- **Saying what output depends on.** A page being rendered says what it shows with
  ``add_cache_tags(request, *tags)``; a piece or value is kept under
  ``key(request, name, depends_on=tags, *vary)`` with ``cached`` (HTML, also restores the
  page tags of the piece) or ``cached_value`` (anything picklable). That is all a view,
  template tag or selector does.
- **Saying what changed.** Every service that changes what readers see calls
  ``changed(*tags)`` inside its transaction: new versions now and again after commit,
  stored pages carrying a tag dropped after commit (and purged from a CDN configured
  through Wagtail's frontend cache). Nothing kept under an old version is read again.
- **Where it is kept.** Django's default cache: Redis in production (redis.py: an outage
  is a miss, never an error), the in-process cache otherwise. Pieces are also kept in the
  process (pieces.py), stored pages are served before Django by a WSGI wrapper and
  checked against the versions of their tags on every hit (pages.py).
- **Versions read per request.** A request reads each version once; tags that most pages
  need are registered by their app (``register`` in AppConfig.ready) and read with the
  content version in one round trip when the page is routed (content/routing.py).

Modules: versions.py (tags and versions), pages.py (the page cache), pieces.py (pieces
and values, the ``{% fragment %}`` tag), adapters.py (the two Wagtail request attributes
the layer leans on, tested), redis.py (the Redis backend).
"""

from __future__ import annotations

from functools import partial

from django.db import transaction

from . import pages, versions
from .pages import add_cache_tags
from .pieces import CONTENT, cached, cached_value, key
from .versions import register

__all__ = [
    "CONTENT",
    "add_cache_tags",
    "cached",
    "cached_value",
    "changed",
    "key",
    "register",
]


def changed(*tags: str) -> None:
    """What `tags` name changed: call it in the transaction that changes it (or outside
    one). New versions now, so a render that reads the old rows from here on keeps its
    output under versions that are already old; and once the transaction has committed,
    new versions again and every stored page carrying one of the tags dropped. A rolled
    back change only costs a render."""
    tags = {tag for tag in tags if tag}
    if not tags:
        return
    versions.bump(tags)
    transaction.on_commit(partial(pages.invalidate_now, tags))
