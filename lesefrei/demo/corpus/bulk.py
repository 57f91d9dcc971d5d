"""The corpus's one bulk path: rows written in batches, not through the services.

Why: a benchmark corpus holds a hundred thousand articles, a million comments and a
hundred thousand pledges with years of history. Through the services each article is a
Wagtail `add_child` with a revision and a publish, each comment a locked transaction with
its counter, log and cache versions, each pledge dated today: hours of work, and no way
to backdate what happened in the past. So the generator builds the same rows the services
would (with the apps' own rules: slugs, pseudonyms, due dates, mandate references,
encrypted IBANs), writes them here in batches, and brings counters and caches in step
once at the end through the apps' own functions (generator.refresh_caches).
"""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django.db import connections, models, router
from django.db.models import F
from wagtail.models import Page


def batched[T](items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@contextmanager
def given_creation_times(*model_fields: tuple[type[models.Model], str]) -> Iterator[None]:
    """Let bulk_create store the `auto_now_add` times set on the objects (backdated
    history) instead of now."""
    fields = [model._meta.get_field(name) for model, name in model_fields]
    for item in fields:
        item.auto_now_add = False
    try:
        yield
    finally:
        for item in fields:
            item.auto_now_add = True


def insert_rows(model: type[models.Model], objs: Sequence[models.Model], batch_size: int) -> None:
    """INSERT the objects' rows into `model`'s own table only (the child table of a
    multi-table model, whose parent rows exist already), values prepared by the fields."""
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    fields = list(model._meta.local_concrete_fields)
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table),
        ", ".join(quote(item.column) for item in fields),
        ", ".join(["%s"] * len(fields)),
    )
    with connection.cursor() as cursor:
        for chunk in batched(objs, batch_size):
            cursor.executemany(
                sql,
                [
                    [item.get_db_prep_save(item.pre_save(obj, True), connection) for item in fields]
                    for obj in chunk
                ],
            )


def add_children(parent: Page, pages: Sequence[Page], batch_size: int) -> None:
    """Append `pages` (unsaved, all of one specific type) as the last children of
    `parent`: treebeard paths after the last existing child, depth, url_path and locale
    as Wagtail would set them, the wagtailcore_page rows with bulk_create, then the
    subclass rows, then the parent's numchild."""
    if not pages:
        return
    depth = parent.depth + 1
    last = (
        Page.objects.filter(path__startswith=parent.path, depth=depth)
        .order_by("-path")
        .values_list("path", flat=True)
        .first()
    )
    number = Page._str2int(last[-Page.steplen :]) if last else 0
    base_fields = [item for item in Page._meta.concrete_fields if not item.primary_key]
    rows = []
    for page in pages:
        number += 1
        page.path = Page._get_path(parent.path, depth, number)
        page.depth = depth
        page.numchild = 0
        page.url_path = f"{parent.url_path}{page.slug}/"
        page.locale_id = parent.locale_id
        rows.append(Page(**{item.attname: getattr(page, item.attname) for item in base_fields}))
    Page.objects.bulk_create(rows, batch_size=batch_size)
    for page, row in zip(pages, rows, strict=True):
        page.id = page.page_ptr_id = row.pk
    insert_rows(type(pages[0]), pages, batch_size)
    Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(pages))
    parent.numchild += len(pages)
