"""Filling Wagtail's database search index for many new pages at once.

`add_bulk` of modelsearch's database backend is correct but slow for a hundred thousand
articles: its indexer reads every search field once per column it fills (the
StreamField body is rendered and stripped of HTML five times per article), builds a
Django expression per text and compiles it. Here the backend's own indexer still decides
what is indexed (fields, related fields, weights, configurations), reading each field
once; on PostgreSQL the rows are then written with plain SQL of the same shape as the
backend's INSERT (setweight(to_tsvector(config, text), weight) joined with ||). Other
databases use `add_bulk` with the read-once indexer.
"""

import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from modelsearch.index import AutocompleteField, SearchField

POSTGRES_MODULE = "modelsearch.backends.database.postgres.postgres"


def read_once_indexer(index: Any) -> type | None:
    """The backend module's ObjectIndexer, keeping what it read per object and field."""
    original = getattr(sys.modules[type(index).__module__], "ObjectIndexer", None)
    if original is None:
        return None

    class ReadOnce(original):
        def prepare_field(self, obj: Any, search_field: Any) -> Iterator[Any]:
            memo = self.__dict__.setdefault("_read_once", {})
            key = (id(obj), id(search_field))
            if key not in memo:
                memo[key] = list(super().prepare_field(obj, search_field))
            return iter(memo[key])

    return ReadOnce


@contextmanager
def fields_read_once(index: Any) -> Iterator[None]:
    """While active, the backend's own add_items uses the read-once indexer."""
    module = sys.modules[type(index).__module__]
    original = getattr(module, "ObjectIndexer", None)
    replacement = read_once_indexer(index)
    if replacement is None:
        yield
        return
    module.ObjectIndexer = replacement
    try:
        yield
    finally:
        module.ObjectIndexer = original


def _vector(texts: list[tuple[str, str]], config: str | None) -> tuple[str, list[Any]]:
    """SQL and parameters of the backend's vector: one setweight(to_tsvector(…)) per
    non-empty text, joined with || (an empty text list is the empty vector)."""
    texts = [(text.strip(), weight) for text, weight in texts]
    texts = [(text, weight) for text, weight in texts if text]
    if not texts:
        return "to_tsvector(COALESCE(%s, ''))", [""]
    parts, params = [], []
    for text, weight in texts:
        if config:
            parts.append("setweight(to_tsvector(%s::regconfig, COALESCE(%s, '')), %s)")
            params.extend([config, text, weight])
        else:
            parts.append("setweight(to_tsvector(COALESCE(%s, '')), %s)")
            params.extend([text, weight])
    return "(" + " || ".join(parts) + ")", params


def _row(indexer: Any, obj: models.Model, content_type: int) -> tuple[str, list[Any]]:
    title: list[tuple[str, str]] = []
    body: list[tuple[str, str]] = []
    autocomplete: list[tuple[str, str]] = []
    for search_field in indexer.search_fields:
        for current, weight, value in indexer.prepare_field(obj, search_field):
            if isinstance(current, SearchField):
                (title if current.field_name == "title" else body).append((value, weight))
            elif isinstance(current, AutocompleteField):
                autocomplete.append((value, weight))
    sql, params = ["%s", "%s"], [content_type, indexer.id]
    for texts, config in (
        (title, indexer.config),
        (autocomplete, indexer.autocomplete_config),
        (body, indexer.config),
    ):
        vector_sql, vector_params = _vector(texts, config)
        sql.append(vector_sql)
        params.extend(vector_params)
    sql += ["1.0", "%s", "%s"]
    params += [indexer.title_text, indexer.body_text]
    return "(" + ", ".join(sql) + ")", params


def index_objects(
    backend: Any, model: type[models.Model], objs: Sequence[models.Model], batch_size: int = 500
) -> None:
    """Index `objs` (of `model`) as the backend's add_bulk would."""
    index = backend.get_index_for_model(model)
    if type(index).__module__ != POSTGRES_MODULE:
        with fields_read_once(index):
            backend.add_bulk(model, objs)
        return
    indexer_class = read_once_indexer(index)
    if not model.get_search_fields() or not objs:
        return
    content_type = ContentType.objects.get_for_model(model).pk
    table = index.entries.model._meta.db_table
    for start in range(0, len(objs), batch_size):
        values, params = [], []
        for obj in objs[start : start + batch_size]:
            row_sql, row_params = _row(indexer_class(obj, backend), obj, content_type)
            values.append(row_sql)
            params.extend(row_params)
        with index.write_connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (content_type_id, object_id, title, autocomplete, body,"
                " title_norm, title_text, body_text) VALUES " + ", ".join(values) + " "
                "ON CONFLICT (content_type_id, object_id) DO UPDATE SET title = EXCLUDED.title,"
                " title_norm = 1.0, autocomplete = EXCLUDED.autocomplete, body = EXCLUDED.body,"
                " title_text = EXCLUDED.title_text, body_text = EXCLUDED.body_text",
                params,
            )
    # New rows carry 1.0 until the backend sets their title norm (average title length
    # over the index / this title's length), once for the whole batch instead of per call.
    index._refresh_title_norms()
