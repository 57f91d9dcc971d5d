"""Wagtail's database search backend, with every search term also matching as a prefix.

PostgreSQL's `german` configuration stems ("Verhandlungen" and "Verhandlung" both become
"verhandl") but does not split compounds; SQLite's FTS5 neither stems nor splits. Treating
each term as a prefix lets "Gipfel" find "Gipfeltreffen" on both, and "Verhandlung" find
"Verhandlungen" on SQLite too. The selector sends one PlainText per term (combined with
And), so the backend's "last term is a prefix" rule applies to each of them.

Elasticsearch/OpenSearch do not need this: point WAGTAILSEARCH_BACKENDS at them directly.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection
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


# PostgreSQL: ranking a bounded set of candidates
#
# The backend's own query filters on `title || body @@ query`, an expression no index
# covers, and ranks every match: on 100,000 articles a common word ("Haushalt") matches
# about 60,000 entries, and ts_rank reads each one's body vector (a second per search).
# The functions below keep the backend's index table, weights and rank formula but
# rank only a few hundred candidates, found cheaply:
#
# - the newest matches, by walking the newest articles (the published_at index) and
#   testing each one's entry (common words: a few hundred probes); when that window of
#   newest articles holds too few matches, the words are rare and the GIN indexes on
#   `title` and `body` find every match (per word: title @@ word OR body @@ word, which
#   is what the concatenation matches, but each side has an index);
# - the newest headline matches of the whole archive (the GIN index on `title`), so an
#   old article with the word in its headline is not lost behind newer body matches.


@dataclass(frozen=True)
class PostgresQuery:
    """SQL fragments and parameters for the words of one query (each word a prefix)."""

    config: str
    words: list[str]

    def tsquery(self, word: str) -> tuple[str, list[Any]]:
        # parse_query keeps only letters, digits and "_": quoting suffices.
        return "to_tsquery(%s::regconfig, %s)", [self.config, "'" + word + "':*"]

    def all_words(self) -> tuple[str, list[Any]]:
        parts = [self.tsquery(word) for word in self.words]
        return " && ".join(sql for sql, _ in parts), [p for _, ps in parts for p in ps]

    def match(self) -> tuple[str, list[Any]]:
        """Every word in the headline or in the rest (kicker, teaser, text, authors,
        topics). A stop word ("und"), which to_tsquery reduces to nothing, is left out,
        as in the backend; a query of stop words only matches nothing."""
        every, every_params = self.all_words()
        clauses, params = [f"numnode({every}) > 0"], list(every_params)
        for word in self.words:
            sql, ps = self.tsquery(word)
            clauses.append(f"(numnode({sql}) = 0 OR ie.title @@ {sql} OR ie.body @@ {sql})")
            params += ps * 3
        return " AND ".join(clauses), params

    def archive_match(self) -> tuple[str, list[Any]]:
        """Every word in the headline, or every word in the rest: one lookup in each
        GIN index, which intersects the words itself (a word in the headline and
        another only in the text is found by `match`, among the newest articles)."""
        every, params = self.all_words()
        return (
            f"numnode({every}) > 0 AND (ie.title @@ ({every}) OR ie.body @@ ({every}))",
            params * 3,
        )

    def headline_match(self) -> tuple[str, list[Any]]:
        sql, params = self.all_words()
        return f"numnode({sql}) > 0 AND ie.title @@ ({sql})", params * 2

    def rank(self) -> tuple[str, list[Any]]:
        """The backend's rank: per vector (headline × title_norm, the rest × 1) the
        ts_rank of a single word, or the product of (1 + ts_rank) of each word − 1."""
        from modelsearch.backends.database.postgres.weights import get_sql_weights

        weights = get_sql_weights()
        parts, params = [], []
        for vector, boost in (("ie.title", "ie.title_norm"), ("ie.body", "1.0")):
            ranks = []
            for word in self.words:
                sql, ps = self.tsquery(word)
                ranks.append(f"ts_rank(%s::float4[], {vector}, {sql})")
                params += [weights, *ps]
            if len(ranks) == 1:
                parts.append(f"({ranks[0]}) * {boost}")
            else:
                product = " * ".join(f"(1 + {rank})" for rank in ranks)
                parts.append(f"({product} - 1) * {boost}")
        return " + ".join(parts), params


def newest_matches(
    base_sql: str, base_params: list[Any], query: PostgresQuery, content_type: list[int], limit: int
) -> list[int]:
    """Ids of up to `limit` matching articles among `base_sql` (id, published_at of the
    articles to consider, newest first, bounded), in that order: each article's index
    entry is looked up and tested on its own (LIMIT 1 keeps the lookup a nested probe
    through the (content_type, object_id) index, whatever the planner thinks of the
    words), and the walk stops at `limit` matches."""
    match, match_params = query.match()
    sql = f"""
        SELECT a.id FROM ({base_sql}) AS a(id, published_at)
        CROSS JOIN LATERAL (
            SELECT 1 FROM wagtailsearch_indexentry ie
            WHERE ie.content_type_id = ANY(%s) AND ie.object_id = a.id::varchar AND {match}
            LIMIT 1
        ) AS found
        ORDER BY a.published_at DESC
        LIMIT %s
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [*base_params, content_type, *match_params, limit])
        return [row[0] for row in cursor.fetchall()]


def indexed_matches(
    query: PostgresQuery, content_type: list[int], limit: int, *, headline_only: bool = False
) -> list[int]:
    """Ids of the newest `limit` articles whose entry matches (through the GIN indexes),
    newest first, before any filter (the caller filters)."""
    match, params = query.headline_match() if headline_only else query.archive_match()
    sql = f"""
        SELECT a.page_ptr_id FROM wagtailsearch_indexentry ie
        JOIN content_articlepage a ON a.page_ptr_id = ie.object_id::integer
        WHERE ie.content_type_id = ANY(%s) AND {match}
        ORDER BY a.published_at DESC NULLS LAST, a.page_ptr_id DESC
        LIMIT %s
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [content_type, *params, limit])
        return [row[0] for row in cursor.fetchall()]


def ranked(
    query: PostgresQuery,
    content_type: list[int],
    ids: list[int],
    limit: int,
    now: datetime,
    half_life_days: float,
) -> list[tuple[int, float]]:
    """(id, score) of the best `limit` of `ids`: the backend's rank times the recency
    boost (1 + 0.5 ** (age in days / half-life); 1 without a date or half-life), best
    first, the newer first among equal scores."""
    if not ids:
        return []
    rank, rank_params = query.rank()
    published = "COALESCE(a.published_at, p.first_published_at)"
    boost = (
        f"CASE WHEN {published} IS NULL THEN 1.0 ELSE 1.0 + power(0.5, "
        f"GREATEST(EXTRACT(EPOCH FROM (%s - {published})) / 86400.0, 0) / %s) END"
        if half_life_days
        else "1.0"
    )
    boost_params = [now, half_life_days] if half_life_days else []
    sql = f"""
        SELECT a.page_ptr_id, ({rank}) * {boost} AS score
        FROM content_articlepage a
        JOIN wagtailcore_page p ON p.id = a.page_ptr_id
        JOIN wagtailsearch_indexentry ie
            ON ie.content_type_id = ANY(%s) AND ie.object_id = a.page_ptr_id::varchar
        WHERE a.page_ptr_id = ANY(%s)
        ORDER BY score DESC, {published} DESC NULLS LAST, a.page_ptr_id DESC
        LIMIT %s
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [*rank_params, *boost_params, content_type, ids, limit])
        return [(row[0], float(row[1])) for row in cursor.fetchall()]
