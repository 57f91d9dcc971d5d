"""German slugs: "Öko-Prämie für Bäcker" -> "oeko-praemie-fuer-baecker", for every page
wherever it is made. The importers and the demo build slugs with `german_slug`; the CMS
fills the slug field in the browser (Wagtail's slug widget, given German replacements
below) and the server has the last word: a slug still holding umlauts or ß is
transliterated before it is validated, in the CMS form (`GermanSlugField`) and on every
page save (`GermanSlugPage`, a mixin of the page models)."""

from typing import Any

from django import forms
from django.db import models
from django.utils.text import slugify
from wagtail.admin.forms.models import register_form_field_override
from wagtail.admin.widgets import SlugInput

GERMAN_TRANSLITERATION = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss", "ẞ": "SS"}
)


def german_slug(text: str, max_length: int = 80) -> str:
    """A URL slug that reads as German: "Öko-Prämie für Bäcker" -> "oeko-praemie-fuer-baecker"."""
    slug = slugify(text.translate(GERMAN_TRANSLITERATION))[:max_length].strip("-")
    return slug or "artikel"


def transliterated_slug(slug: str) -> str:
    """`slug` as the server keeps it: plain ASCII slugs unchanged, anything else (umlauts,
    ß, other accents, capitals) transliterated the German way. Empty stays empty."""
    if not slug or (slug.isascii() and slug == slugify(slug)):
        return slug
    return german_slug(slug, max_length=255)


class GermanSlugField(forms.SlugField):
    """The CMS's slug field: transliterates before Wagtail checks the slug is free."""

    def to_python(self, value: Any) -> str:
        return transliterated_slug(super().to_python(value))


class GermanSlugInput(SlugInput):
    """Wagtail's slug widget, with the German replacements applied before its own
    (which would turn "ä" into "a")."""

    def __init__(self, attrs: dict | None = None, **kwargs: Any) -> None:
        kwargs.setdefault(
            "formatters", [(letter, GERMAN_TRANSLITERATION[ord(letter)]) for letter in "äöüÄÖÜßẞ"]
        )
        super().__init__(attrs, **kwargs)


# Every slug field in Wagtail's forms (pages, snippets) gets both; registered after
# Wagtail's own override of SlugField, which it replaces.
register_form_field_override(
    models.SlugField, override={"widget": GermanSlugInput, "form_class": GermanSlugField}
)


class GermanSlugPage:
    """Mixin for page models: a slug with umlauts (from code, an import, the API) is
    transliterated before Wagtail validates it, so uniqueness is checked on the slug
    that is stored."""

    def full_clean(self, *args: Any, **kwargs: Any) -> None:
        self.slug = transliterated_slug(self.slug)
        super().full_clean(*args, **kwargs)

    def minimal_clean(self) -> None:
        self.slug = transliterated_slug(self.slug)
        super().minimal_clean()
