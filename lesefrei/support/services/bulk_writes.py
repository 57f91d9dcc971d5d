"""The collection run's writes of many rows at once: new planned collections, the
exported state of a page of collections, and the run's file. On PostgreSQL each is one
statement fed with arrays (unnest) or COPY; on any other database (SQLite in development
and tests) Django's bulk_create, bulk_update and an ordinary UPDATE write the same rows.
Used by services.collection only.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import BinaryIO

from django.db import connection
from django.utils import timezone

from ..models import Collection, CollectionRun


def _postgresql_statements() -> bool:
    """Whether the raw PostgreSQL statements below are used (else the ORM's bulk methods).

    Django has no database-neutral form of them: its ORM knows neither array parameters
    nor COPY, and `connection.features` has no flag for either; its bulk_create and
    bulk_update are the portable path, but spend seconds per 100,000 rows (bulk_update's
    CASE expressions grow with the square of the rows). So the choice is made by vendor,
    here in one place."""
    return connection.vendor == "postgresql"


@dataclass(slots=True)
class Assignment:
    """What an export decides for one collection."""

    collection_id: int
    mandate_id: int
    sequence_type: str
    collection_date: date
    end_to_end_id: str


def insert_planned(rows: list[tuple[int, date, Decimal]]) -> None:
    """New planned collections (pledge id, due date, amount); existing ones stay. On
    PostgreSQL one INSERT … SELECT FROM unnest(arrays): bulk_create spends seconds per
    100,000 rows preparing model instances and parameters."""
    if not rows:
        return
    if not _postgresql_statements():
        Collection.objects.bulk_create(
            [Collection(pledge_id=pk, due_date=due, amount=amount) for pk, due, amount in rows],
            ignore_conflicts=True,
        )
        return
    pledges, days, amounts = zip(*rows, strict=True)
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO "{Collection._meta.db_table}" '
            "(pledge_id, due_date, amount, status, sequence_type, end_to_end_id, hold_reason, "
            "created_at) "
            "SELECT v.pledge, v.day, v.amount, %s, '', '', '', %s "
            "FROM unnest(%s::bigint[], %s::date[], %s::numeric[]) AS v(pledge, day, amount) "
            "ON CONFLICT DO NOTHING",
            [Collection.Status.PLANNED, timezone.now(), list(pledges), list(days), list(amounts)],
        )


def mark_exported(assigned: list[Assignment], run: CollectionRun) -> None:
    """Store the exported state of one page of collections: on PostgreSQL one UPDATE …
    FROM unnest(arrays) (bulk_update's CASE expressions grow with the square of the
    rows), elsewhere bulk_update."""
    if _postgresql_statements():
        table = Collection._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f'UPDATE "{table}" AS c SET status = %s, run_id = %s, mandate_id = v.mandate, '
                "sequence_type = v.sequence, collection_date = v.day, end_to_end_id = v.e2e, "
                "hold_reason = '' "
                "FROM unnest(%s::bigint[], %s::bigint[], %s::text[], %s::date[], %s::text[]) "
                "AS v(id, mandate, sequence, day, e2e) WHERE c.id = v.id",
                [
                    Collection.Status.EXPORTED,
                    run.pk,
                    [a.collection_id for a in assigned],
                    [a.mandate_id for a in assigned],
                    [a.sequence_type for a in assigned],
                    [a.collection_date for a in assigned],
                    [a.end_to_end_id for a in assigned],
                ],
            )
    else:
        Collection.objects.bulk_update(
            [
                Collection(
                    pk=a.collection_id,
                    status=Collection.Status.EXPORTED,
                    run=run,
                    mandate_id=a.mandate_id,
                    sequence_type=a.sequence_type,
                    collection_date=a.collection_date,
                    end_to_end_id=a.end_to_end_id,
                    hold_reason="",
                )
                for a in assigned
            ],
            [
                "status",
                "run",
                "mandate",
                "sequence_type",
                "collection_date",
                "end_to_end_id",
                "hold_reason",
            ],
            batch_size=500,
        )


def store_file(run: CollectionRun, file: BinaryIO) -> None:
    """The file into the run's `xml`. On PostgreSQL it is streamed in with COPY (into a
    temporary table, then one UPDATE), so that the process never holds the whole file
    (58 MB for 100,000 debits) as one string; elsewhere it is read at once."""
    if not _postgresql_statements():
        CollectionRun.objects.filter(pk=run.pk).update(xml=file.read().decode("utf-8"))
        return
    table = CollectionRun._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE support_export_file (xml text)")
        with cursor.copy("COPY support_export_file (xml) FROM STDIN") as copy:
            for chunk in iter(lambda: file.read(1 << 20), b""):
                # COPY's text format: the whole file is one field of one row.
                copy.write(
                    chunk.replace(b"\\", b"\\\\")
                    .replace(b"\n", b"\\n")
                    .replace(b"\r", b"\\r")
                    .replace(b"\t", b"\\t")
                )
            copy.write(b"\n")
        cursor.execute(
            f'UPDATE "{table}" SET xml = f.xml FROM support_export_file AS f '
            f'WHERE "{table}".id = %s',
            [run.pk],
        )
        cursor.execute("DROP TABLE support_export_file")
