from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.urls import reverse

from lesefrei.content.importers import (
    ArticleImportError,
    check_characters,
    check_file_size,
    decode_text,
    parse_plain_text,
)
from lesefrei.content.models import SectionPage
from lesefrei.content.services import create_article, get_or_create_author


class Command(BaseCommand):
    help = (
        "Import a UTF-8 text file as an article: headline on the first line, teaser on the "
        "next, then one paragraph per line; short lines before a paragraph become subheadings."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--section", help="slug of the section (default: the first one)")
        parser.add_argument("--kicker", help="Dachzeile (default: the section's name)")
        parser.add_argument(
            "--author", action="append", default=[], help="author's name; may be repeated"
        )
        parser.add_argument("--publish", action="store_true", help="publish instead of a draft")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            # The size first: a huge file is refused without being read into memory.
            check_file_size(path.stat().st_size)
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(
                f"Die Datei {path} lässt sich nicht lesen: {error.strerror}."
            ) from error
        except ArticleImportError as error:
            raise CommandError(f"{path}: {error}") from error
        try:
            parsed = parse_plain_text(decode_text(data))
            check_characters("Die Dachzeile", options["kicker"] or "")
            for name in options["author"]:
                check_characters("Der Autorenname", name)
        except ArticleImportError as error:
            raise CommandError(f"{path}: {error}") from error

        section = self.find_section(options["section"])
        kicker = (options["kicker"] or "").strip()
        if not kicker:
            kicker = section.title
            self.stderr.write(
                f"Hinweis: keine Dachzeile angegeben, vorläufig „{kicker}“ gesetzt. "
                "Bitte im CMS anpassen."
            )
        if len(kicker) > 80:
            raise CommandError("Die Dachzeile ist zu lang (höchstens 80 Zeichen).")

        if any(not name.strip() for name in options["author"]):
            raise CommandError("Ein leerer Autorenname ist nicht erlaubt.")

        # New author pages and the article are stored together or not at all.
        with transaction.atomic():
            authors = []
            for name in options["author"]:
                author, created = get_or_create_author(name)
                if created:
                    self.stderr.write(f"Hinweis: neue Autorenseite für „{author.title}“ angelegt.")
                authors.append(author)
            article = create_article(
                section,
                headline=parsed.headline,
                teaser=parsed.teaser,
                kicker=kicker,
                body=parsed.body,
                authors=authors,
                publish=options["publish"],
            )
        state = "veröffentlicht" if options["publish"] else "als Entwurf gespeichert"
        self.stderr.write(
            f"„{article.title}“ {state}: {parsed.paragraph_count} Absätze, "
            f"{len(parsed.subheadings)} Zwischenüberschriften. Bearbeiten: "
            f"{settings.SITE_URL}{reverse('wagtailadmin_pages:edit', args=[article.pk])}"
        )
        self.stdout.write(article.get_full_url() or "")

    def find_section(self, slug: str | None) -> SectionPage:
        sections = SectionPage.objects.all().order_by("path")
        if not sections.exists():
            raise CommandError("Es gibt noch kein Ressort. Bitte zuerst eines im CMS anlegen.")
        if not slug:
            return sections.first()
        section = sections.filter(slug=slug).first()
        if section is None:
            known = ", ".join(sections.values_list("slug", flat=True))
            raise CommandError(f"Unbekanntes Ressort „{slug}“. Vorhanden: {known}.")
        return section
