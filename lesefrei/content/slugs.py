from django.utils.text import slugify

GERMAN_TRANSLITERATION = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss", "ẞ": "SS"}
)


def german_slug(text: str, max_length: int = 80) -> str:
    """A URL slug that reads as German: "Öko-Prämie für Bäcker" -> "oeko-praemie-fuer-baecker"."""
    slug = slugify(text.translate(GERMAN_TRANSLITERATION))[:max_length].strip("-")
    return slug or "artikel"
