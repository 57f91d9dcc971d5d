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


def sqlite_rank(self: Any, vector: Any, query: Any, config: Any = None, boost: float = 1.0) -> Any:
    """FTS5's bm25() already ranks the whole MATCH expression. Combining it per term, as
    the backend does for PostgreSQL's ts_rank, multiplies negative numbers and scrambles
    the order of multi-word results; one bm25() per row keeps it monotonic."""
    from modelsearch.backends.database.sqlite.query import BM25

    rank = BM25()
    return rank * boost if boost != 1.0 else rank


def SearchBackend(params: dict[str, Any]) -> Any:  # the name Wagtail imports
    backend = database.SearchBackend(params)
    compiler = backend.query_compiler_class
    attributes: dict[str, Any] = {"LAST_TERM_IS_PREFIX": True}
    if compiler.__module__.endswith(".sqlite.sqlite"):
        attributes["build_tsrank"] = sqlite_rank
    backend.query_compiler_class = type(f"Prefix{compiler.__name__}", (compiler,), attributes)
    return backend
