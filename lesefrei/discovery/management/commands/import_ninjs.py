"""python manage.py import_ninjs FILE_OR_DIR [--section SLUG] [--publish]"""

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from lesefrei.content.importers import ArticleImportError, check_file_size
from lesefrei.content.models import SectionPage
from lesefrei.discovery.ninjs import NINJS_FILE_MAX_BYTES, load_items, parse_item
from lesefrei.discovery.services import import_ninjs_item

MESSAGES = {
    "created": "angelegt",
    "updated": "aktualisiert",
    "published": "veröffentlicht (gleiche Version, bisher Entwurf)",
    "unchanged": "unverändert (gleiche Version)",
    "older": "übersprungen (ältere Version als die importierte)",
    "withdrawn": "zurückgezogen (Artikel offline genommen)",
    "skipped": "übersprungen (zurückgezogene Meldung)",
}


class Command(BaseCommand):
    help = (
        "Agenturmeldungen im IPTC-Format ninjs (JSON, Version 1–3) als Artikel importieren; "
        "eine Datei oder alle *.json eines Ordners."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="eine .json-Datei oder ein Ordner mit .json-Dateien")
        parser.add_argument("--section", help="Slug des Ressorts (Standard: das erste Ressort)")
        parser.add_argument("--publish", action="store_true", help="sofort veröffentlichen")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        if path.is_dir():
            files = sorted(path.glob("*.json"))
            if not files:
                raise CommandError(f"Im Ordner {path} liegt keine .json-Datei.")
        elif path.is_file():
            files = [path]
        else:
            raise CommandError(f"{path} gibt es nicht.")
        section = self.section(options.get("section"))

        failures = 0
        for file in files:
            try:
                # The size first: a huge file is refused without being read into memory.
                check_file_size(file.stat().st_size, NINJS_FILE_MAX_BYTES)
                items = load_items(file.read_bytes())
            except ArticleImportError as error:
                failures += 1
                self.stderr.write(f"{file.name}: {error}")
                continue
            except OSError as error:
                failures += 1
                self.stderr.write(f"{file.name}: lässt sich nicht lesen ({error.strerror}).")
                continue
            for number, raw in enumerate(items, start=1):
                label = file.name if number == 1 else f"{file.name} (Meldung {number})"
                try:
                    item = parse_item(raw)
                    result = import_ninjs_item(item, section=section, publish=options["publish"])
                except (ArticleImportError, DatabaseError, ValidationError, ValueError) as error:
                    failures += 1
                    self.stderr.write(f"{label}: nicht importiert – {error}")
                    continue
                self.stdout.write(f"{label}: „{item.headline}“ {MESSAGES[result.outcome]}")
        if failures:
            raise CommandError(f"{failures} Meldung(en) oder Datei(en) nicht importiert.")

    def section(self, slug: str | None) -> SectionPage:
        sections = SectionPage.objects.all()
        if slug:
            section = sections.filter(slug=slug).first()
            if section is None:
                known = ", ".join(sections.values_list("slug", flat=True)) or "–"
                raise CommandError(f"Es gibt kein Ressort „{slug}“ (vorhanden: {known}).")
            return section
        section = sections.order_by("path").first()
        if section is None:
            raise CommandError("Es gibt noch kein Ressort, in das importiert werden kann.")
        return section
