from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lesefrei.support import services
from lesefrei.support.returns import ReturnFileError


class Command(BaseCommand):
    help = (
        "Import the bank's return information (camt.054 or camt.053 XML): mark each returned "
        "collection with its reason code and fee. Importing the same file again changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="camt.054 or camt.053 XML file")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: Datei nicht gefunden.")
        try:
            result = services.import_returns(path.read_bytes(), filename=path.name)
        except ReturnFileError as error:
            raise CommandError(f"{path.name}: {error} Es wurde nichts geändert.") from None
        if result.already_imported:
            self.stdout.write(f"{path.name} wurde schon eingelesen; nichts geändert.")
            return
        self.stdout.write(
            f"{path.name} ({result.source.message_type}): {len(result.returned)} "
            f"Rücklastschriften erfasst, {result.duplicates} schon bekannt, "
            f"{len(result.paused)} Unterstützungen pausiert, {len(result.cancelled)} beendet."
        )
        for item in result.returned:
            self.stdout.write(
                f"  {item.collection.end_to_end_id}: {item.reason_code} ({item.reason_text})"
                f", Gebühr {item.fee} EUR"
            )
        if result.skipped:
            self.stdout.write("Nicht verbucht (bitte von Hand prüfen):")
            for entry in result.skipped:
                self.stdout.write(f"  {entry.reference or '(ohne Referenz)'}: {entry.message}")
        if result.unknown_references:
            self.stdout.write("Unbekannte Referenzen (bitte von Hand prüfen):")
            for reference in result.unknown_references:
                self.stdout.write(f"  {reference or '(ohne Referenz)'}")
