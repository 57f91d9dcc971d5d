import time
from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone

from lesefrei.demo.corpus import CorpusError, Options, generate


class Command(BaseCommand):
    help = (
        "Generate a synthetic archive for benchmarks: articles (published Wagtail pages in "
        "the search index), reader accounts with comments, supporters with pledges. "
        "Adds to what exists; generated data starts with 'korpus-'. "
        "See docs/operations.md, 'Synthetic corpus for benchmarks'."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--articles", type=int, default=0, help="articles to add")
        parser.add_argument("--comments", type=int, default=0, help="comments to add")
        parser.add_argument("--supporters", type=int, default=0, help="supporters to add")
        parser.add_argument("--seed", type=int, default=1, help="same seed, same data")
        parser.add_argument("--batch-size", type=int, default=2000, help="rows per INSERT")
        parser.add_argument(
            "--years", type=int, default=5, help="articles spread over this many years"
        )
        parser.add_argument(
            "--now",
            help="end of the archive, YYYY-MM-DDTHH:MM (default: the current hour); "
            "the same seed and --now give the same data",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = None
        if options["now"]:
            try:
                now = datetime.fromisoformat(options["now"])
            except ValueError:
                raise CommandError(
                    f"--now {options['now']!r} ist kein Zeitpunkt der Form JJJJ-MM-TTTHH:MM."
                ) from None
            if timezone.is_naive(now):
                now = timezone.make_aware(now)
        corpus = Options(
            articles=options["articles"],
            comments=options["comments"],
            supporters=options["supporters"],
            seed=options["seed"],
            batch_size=options["batch_size"],
            years=options["years"],
            now=now,
        )
        try:
            report = generate(corpus, self.stdout.write)
        except CorpusError as error:
            raise CommandError(str(error)) from None
        if connection.vendor == "postgresql":
            # Fresh statistics, as autovacuum would gather them later: without them the
            # planner misjudges the new rows by orders of magnitude.
            started = time.monotonic()
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            self.stdout.write(
                f"Statistiken aktualisiert (ANALYZE) in {time.monotonic() - started:.1f} s."
            )
        total = sum(report.timings.values())
        self.stdout.write(
            f"Fertig in {total:.1f} s: {len(report.articles)} Artikel, {report.authors} "
            f"Autorinnen/Autoren, {report.topics} neue Themen, {report.readers} Leserkonten, "
            f"{report.comments} Kommentare ({report.replies} Antworten), "
            f"{report.supporters} Unterstützer/innen mit {report.pledges} Zusagen."
        )
        if report.due_until:
            self.stdout.write(
                f"Fällig: {report.due_collections} Einzüge – "
                f"manage.py sepa_export --until {report.due_until:%Y-%m-%d}"
            )
