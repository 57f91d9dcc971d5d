"""Database-side steps of the benchmark suite, run with the app's Python and settings:

    DATABASE_URL=… .venv/bin/python bench/prepare.py info
    … prepare.py article --comments 200       # the bench article with exactly 200 comments
    … prepare.py readers --count 3000 --out sessions.txt
    … prepare.py queries --count 400
    … prepare.py markers --prefix Messpunkt-ab12
    … prepare.py sepa-fill --collections 100000 --until 2026-12-01

Each prints one JSON document on its last line. Everything it creates is recognisable
(slugs and e-mail addresses starting with "bench-"), and running it again reuses it. The
readers, comments and pledges are made by the corpus generator (lesefrei.demo.corpus),
in the shapes the measurements need.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import secrets
import sys
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lesefrei.settings.dev")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import (  # noqa: E402
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    get_user_model,
)
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from lesefrei.comments.models import ArticleCommentStats, Comment, Status  # noqa: E402
from lesefrei.content.models import ArticlePage, SectionPage  # noqa: E402
from lesefrei.demo import corpus  # noqa: E402

PREFIX = "bench-"


def emit(data: object) -> None:
    print(json.dumps(data, ensure_ascii=False))


def info(_args: argparse.Namespace) -> None:
    section = SectionPage.objects.live().order_by("path").first()
    articles = ArticlePage.objects.live()
    emit(
        {
            "articles": articles.count(),
            "comments": Comment.objects.count(),
            "supporters": _count("support_supporter"),
            "section": section.url if section else None,
            "sample_articles": [a.url for a in articles.order_by("-pk")[:20]],
        }
    )


def _count(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")
        return cursor.fetchone()[0]


def _commenters(count: int) -> list:
    """`count` confirmed bench readers (bench-leser-<n>), made by the corpus generator."""
    User = get_user_model()
    existing = User.objects.filter(username__startswith=f"{PREFIX}leser-").count()
    if existing < count:
        corpus.add_readers(count - existing, prefix=PREFIX)
    return list(User.objects.filter(username__startswith=f"{PREFIX}leser-").order_by("pk")[:count])


def article(args: argparse.Namespace) -> None:
    """The bench article with exactly `--comments` approved comments (a quarter of them
    replies), made once and reused."""
    from tests import factories

    number = args.comments
    slug = f"bench-leserdebatte-{number}"
    page = ArticlePage.objects.filter(slug=slug).first()
    if page is None:
        section = SectionPage.objects.live().order_by("path").first() or factories.section()
        page = factories.article(
            section,
            headline=f"Leserdebatte: Wie viel Verkehr verträgt die Innenstadt? ({number})",
            kicker="Stadtentwicklung",
            teaser="Die Stadt will die Altstadt für Autos sperren. Die Leserinnen und Leser "
            "streiten darüber, was das für Handel, Anwohner und Pendler bedeutet.",
            slug=slug,
            publish=True,
        )
    approved = Comment.objects.filter(article=page, status=Status.APPROVED).count()
    if approved != number:
        readers = _commenters(60)
        with transaction.atomic():
            Comment.objects.filter(article=page).delete()
            ArticleCommentStats.objects.filter(article_id=page.pk).delete()
            corpus.add_discussion(page, number, readers)
    emit({"url": page.url, "pk": page.pk, "comments": number})


def readers(args: argparse.Namespace) -> None:
    """`--count` confirmed readers, each with a fresh logged-in session (as Django's
    login() stores it) and a CSRF secret; written as "sessionid csrf" lines."""
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.middleware.csrf import _get_new_csrf_string

    users = _commenters(args.count)
    backend = settings.AUTHENTICATION_BACKENDS[0]
    expires = timezone.now() + timedelta(days=1)
    sessions, lines = [], []
    for user in users:
        key = secrets.token_hex(16)
        data = {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: backend,
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
        sessions.append(
            Session(session_key=key, session_data=SessionStore().encode(data), expire_date=expires)
        )
        lines.append(f"{key} {_get_new_csrf_string()}")
    Session.objects.bulk_create(sessions)
    Path(args.out).write_text("\n".join(lines) + "\n", encoding="ascii")
    emit({"readers": len(users), "file": args.out})


COMMON_QUERIES = [
    "Haushalt",
    "Klimaschutz",
    "Rente",
    "Bürgermeister",
    "Schule",
    "Wohnungen",
    "Energiewende",
    "Landtag",
    "Bahn",
    "Krankenhaus",
    "Mieten",
    "Radweg",
    "Hafen",
    "Pflege",
    "Stadtrat",
    "Kita",
    "Wahl",
    "Hochwasser",
    "Polizei",
    "Wirtschaft",
    "Verkehr Innenstadt",
    "Schulen Sanierung",
    "Mieten steigen",
    "Bürgermeister Wahl",
    "Klimaschutz Stadt",
    "Bahn Streik",
    "Landtag Haushalt",
    "Pflege Personal",
]
STOPWORDS = {
    "sagte",
    "sagen",
    "immer",
    "wieder",
    "schon",
    "diese",
    "einer",
    "einem",
    "einen",
    "nicht",
    "durch",
    "unter",
    "seine",
    "ihrer",
    "werden",
    "wurde",
    "haben",
    "heute",
}


def queries(args: argparse.Namespace) -> None:
    """Varied German queries: one or two words from the headlines of random articles,
    mixed with common news terms."""
    rng = random.Random(6)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT title FROM wagtailcore_page WHERE live AND depth >= 3 "
            "ORDER BY md5(id::text) LIMIT %s",
            [args.count * 2],
        )
        titles = [row[0] for row in cursor.fetchall()]
    per_title = [
        [w for w in re.findall(r"[A-Za-zÄÖÜäöüß]{5,}", title) if w.lower() not in STOPWORDS]
        for title in titles
    ]
    per_title = [words for words in per_title if words] or [["Zeitung"]]
    result = []
    for index in range(args.count):
        words = per_title[index % len(per_title)]
        if index % 5 == 0:
            result.append(COMMON_QUERIES[index // 5 % len(COMMON_QUERIES)])
        elif index % 5 in (1, 2) or len(words) < 2:
            result.append(rng.choice(words))
        else:  # two words of one headline, as a reader remembers it
            result.append(" ".join(rng.sample(words, 2)))
    emit(result)


def markers(args: argparse.Namespace) -> None:
    """How often each marker starting with `--prefix` is stored in a comment."""
    pattern = re.compile(re.escape(args.prefix) + r"-\d+")
    counts: dict[str, int] = {}
    texts = Comment.objects.filter(text__contains=args.prefix).values_list("text", flat=True)
    for text in texts.iterator():
        for marker in pattern.findall(text):
            counts[marker] = counts.get(marker, 0) + 1
    emit(counts)


def sepa_fill(args: argparse.Namespace) -> None:
    """`--collections` active pledges with one collection each due by `--until`: monthly
    (most), quarterly and one-off, each with a mandate (encrypted IBAN, most with an
    address); 85 % of the recurring ones had an earlier debit exported (RCUR), the others
    are first debits (FRST). Written by the corpus generator from these plans."""
    from lesefrei.support.models import Pledge

    total = args.collections
    until = date.fromisoformat(args.until)
    if Pledge.objects.exists():
        emit({"pledges": Pledge.objects.count(), "reused": True})
        return
    rng = random.Random(8)
    first_names = ["Anna", "Jonas", "Mehmet", "Sophie", "Lukas", "Zeynep", "Jürgen", "Maren"]
    last_names = ["Müller", "Schröder", "Yılmaz", "Weiß", "Becker", "Hoffmann", "Nowak", "Öztürk"]
    amounts = ["5", "10", "15", "25", "7.50"]
    batch = 5000
    for start in range(0, total, batch):
        plans = []
        for number in range(start, min(total, start + batch)):
            kind = rng.random()
            interval = "monthly" if kind < 0.8 else "quarterly" if kind < 0.9 else "once"
            # Within the 23 days before `until` and on a day 1-28: exactly one
            # monthly debit is due, whichever month `until` falls in.
            anchor = until - timedelta(days=rng.randint(0, 20))
            while anchor.day > 28:
                anchor -= timedelta(days=1)
            plans.append(
                corpus.PledgePlan(
                    email=f"{PREFIX}unterstuetzer-{number}@example.org",
                    name=f"{rng.choice(first_names)} {rng.choice(last_names)}",
                    interval=interval,
                    amount=Decimal(rng.choice(amounts)),
                    signed_on=anchor - timedelta(days=400),
                    anchor=anchor,
                    collection_day=anchor.day,
                    address=rng.random() < 0.7,
                    exported_before=(
                        anchor - timedelta(days=90)
                        if interval != "once" and rng.random() < 0.85
                        else None
                    ),
                )
            )
        corpus.add_pledges(plans, prefix=PREFIX, seed=8, batch_size=batch, today=until)
    if connection.vendor == "postgresql":
        # As autovacuum would on a server (this machine kind runs without it): the
        # export's plans need the tables' statistics.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    emit({"pledges": Pledge.objects.count(), "reused": False})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("info")
    command = commands.add_parser("article")
    command.add_argument("--comments", type=int, required=True)
    command = commands.add_parser("readers")
    command.add_argument("--count", type=int, required=True)
    command.add_argument("--out", required=True)
    command = commands.add_parser("queries")
    command.add_argument("--count", type=int, default=400)
    command = commands.add_parser("markers")
    command.add_argument("--prefix", required=True)
    command = commands.add_parser("sepa-fill")
    command.add_argument("--collections", type=int, required=True)
    command.add_argument("--until", required=True)
    args = parser.parse_args()
    {
        "info": info,
        "article": article,
        "readers": readers,
        "queries": queries,
        "markers": markers,
        "sepa-fill": sepa_fill,
    }[args.command](args)


if __name__ == "__main__":
    main()
