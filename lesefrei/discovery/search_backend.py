"""Wagtail's database search backend, with every search term also matching as a prefix.

PostgreSQL's `german` configuration stems ("Verhandlungen" and "Verhandlung" both become
"verhandl") but does not split compounds; SQLite's FTS5 neither stems nor splits. Treating
each term as a prefix lets "Gipfel" find "Gipfeltreffen" on both, and "Verhandlung" find
"Verhandlungen" on SQLite too. The selector sends one PlainText per term (combined with
And), so the backend's "last term is a prefix" rule applies to each of them.

Elasticsearch/OpenSearch do not need this: point WAGTAILSEARCH_BACKENDS at them directly.
"""

from typing import Any

from wagtail.search.backends import database


def SearchBackend(params: dict[str, Any]) -> Any:  # the name Wagtail imports
    backend = database.SearchBackend(params)
    compiler = backend.query_compiler_class
    backend.query_compiler_class = type(
        f"Prefix{compiler.__name__}", (compiler,), {"LAST_TERM_IS_PREFIX": True}
    )
    return backend
