from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lesefrei.support import services


class Command(BaseCommand):
    help = (
        "Write one pain.008.001.08 file with every collection due up to --until and not yet "
        "exported; the file is stored in the database (and written to --out)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--until", required=True, help="last due date, YYYY-MM-DD")
        parser.add_argument("--out", help="also write the file here")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            until = date.fromisoformat(options["until"])
        except ValueError:
            raise CommandError(
                f"--until {options['until']!r} ist kein Datum der Form JJJJ-MM-TT."
            ) from None
        out = Path(options["out"]) if options["out"] else None
        if out is not None and (out.is_dir() or not out.parent.is_dir()):
            raise CommandError(f"--out {out}: kein schreibbarer Dateipfad.")
        result = services.export_due_collections(until, out=out)
        if result.skipped:
            self.stderr.write(
                f"{len(result.skipped)} fällige Einzüge wurden nicht eingereicht, weil ihre "
                "Daten nicht in die Datei der Bank passen (bitte klären; sie bleiben fällig):"
            )
            for item in result.skipped:
                self.stderr.write(
                    f"  Mandat {item.mandate_reference}, fällig am {item.due_date:%d.%m.%Y}: "
                    f"{item.reason}"
                )
        if result.skipped_without_mandate:
            self.stderr.write(
                f"{result.skipped_without_mandate} fällige Einzüge ohne gültiges Mandat "
                "wurden nicht eingereicht."
            )
        run = result.run
        if run is None:
            self.stdout.write(f"Bis {until:%d.%m.%Y} ist nichts mehr fällig; keine Datei erzeugt.")
            return
        self.stdout.write(
            f"{run.filename}: {run.transaction_count} Lastschriften, {run.control_sum} EUR, "
            f"SHA-256 {run.sha256}" + (f", geschrieben nach {out}" if out else "")
        )
