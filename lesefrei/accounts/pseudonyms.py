"""The rules for a reader's pseudonym: the one public thing about a reader.

A pseudonym is shown above every comment, so it must not carry contact data (e-mail
addresses, web addresses), must not impersonate the newsroom, and must not be made to
look like someone else's by Unicode tricks. The rules, in order:

1. normalised to NFKC, with runs of white space made one space and the ends trimmed;
2. no control or invisible characters; no e-mail address; no web address or domain;
3. 3 to 40 characters;
4. letters of any script, digits, space and . _ - only, at least one letter;
5. no word mixes scripts (e.g. a Cyrillic "а" inside a Latin word);
6. no reserved name (admin, redaktion, moderation, the site's name, "gelöschtes Konto" …);
7. unique, compared by `pseudonym_key`: case-folded, separators removed, so that
   "Mara K.", "mara_k" and "MARA-K" are the same pseudonym.
"""

import re
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MIN_LENGTH = 3
MAX_LENGTH = 40
SEPARATORS = frozenset(" ._-")

# Compared against every word and against the whole pseudonym without separators.
RESERVED_NAMES = frozenset(
    {
        "admin",
        "administrator",
        "administration",
        "redaktion",
        "chefredaktion",
        "moderation",
        "moderator",
        "moderatorin",
        "lesefrei",
        "support",
        "system",
        "root",
        "webmaster",
        "postmaster",
        "impressum",
        "anonym",
        "anonymous",
        "gelöschteskonto",
        "geloeschteskonto",
        "gelöscht",
        "geloescht",
    }
)

# Top-level domains that turn "name.de" into an address. Not every TLD: enough to catch
# the ones people type, without rejecting "Dr.Müller" or "Mara K.".
COMMON_TLDS = (
    "com|de|net|org|info|eu|at|ch|io|co|me|tv|ly|uk|ru|biz|xyz|app|online|site|shop|"
    "link|club|top|blog|news|page|live|social|email|berlin|hamburg|koeln|nrw|bayern|to|gg"
)
DOMAIN = re.compile(rf"[^\W_]\.(?:{COMMON_TLDS})(?![^\W\d_])", re.IGNORECASE)
URL_MARKERS = re.compile(r"https?|www\.|://", re.IGNORECASE)
# Scripts that legitimately share one word (Japanese, Korean with Hanja).
SCRIPT_FAMILIES = {"HIRAGANA": "CJK", "KATAKANA": "CJK", "HANGUL": "CJK", "CJK": "CJK"}


def normalise_pseudonym(raw: str) -> str:
    """NFKC, white space collapsed to single spaces, ends trimmed."""
    text = unicodedata.normalize("NFKC", raw)
    return " ".join(text.split())


def pseudonym_key(pseudonym: str) -> str:
    """What uniqueness is checked on: case-folded, without separators."""
    normalised = normalise_pseudonym(pseudonym).casefold()
    return "".join(ch for ch in normalised if ch not in SEPARATORS)


def _script(char: str) -> str:
    name = unicodedata.name(char, "")
    first = name.split(" ", 1)[0].split("-", 1)[0]
    return SCRIPT_FAMILIES.get(first, first)


def _words(text: str) -> list[str]:
    words, current = [], []
    for char in text:
        if char in SEPARATORS:
            if current:
                words.append("".join(current))
            current = []
        else:
            current.append(char)
    if current:
        words.append("".join(current))
    return words


def _reserved_names() -> frozenset[str]:
    site_name = pseudonym_key(getattr(settings, "WAGTAIL_SITE_NAME", ""))
    return RESERVED_NAMES | ({site_name} if site_name else set())


def clean_pseudonym(raw: object) -> str:
    """The normalised pseudonym, or a ValidationError with a German message.

    Uniqueness is not checked here (it needs the database): see
    `lesefrei.accounts.services.ensure_pseudonym_available`.
    """
    if not isinstance(raw, str):
        raise ValidationError(_("Bitte geben Sie ein Pseudonym ein."), code="required")
    value = normalise_pseudonym(raw)
    if not value:
        raise ValidationError(_("Bitte geben Sie ein Pseudonym ein."), code="required")
    if any(unicodedata.category(char)[0] == "C" for char in value):
        raise ValidationError(
            _("Das Pseudonym enthält unsichtbare oder Steuerzeichen. Bitte nur sichtbare Zeichen."),
            code="control",
        )
    if "@" in value:
        raise ValidationError(
            _("Bitte keine E-Mail-Adresse als Pseudonym: es ist für alle sichtbar."),
            code="email",
        )
    if URL_MARKERS.search(value) or DOMAIN.search(value.replace(" ", "")):
        raise ValidationError(
            _("Bitte keine Web-Adresse als Pseudonym."),
            code="url",
        )
    if len(value) < MIN_LENGTH or len(value) > MAX_LENGTH:
        raise ValidationError(
            _("Das Pseudonym muss zwischen %(min)d und %(max)d Zeichen lang sein (jetzt: %(n)d).")
            % {"min": MIN_LENGTH, "max": MAX_LENGTH, "n": len(value)},
            code="length",
        )
    for char in value:
        category = unicodedata.category(char)
        if not (category[0] in "LM" or category == "Nd" or char in SEPARATORS):
            raise ValidationError(
                _(
                    "„%(char)s“ ist im Pseudonym nicht erlaubt. Erlaubt sind Buchstaben, "
                    "Ziffern, Leerzeichen und . _ -"
                )
                % {"char": char},
                code="character",
            )
    if not any(unicodedata.category(char)[0] == "L" for char in value):
        raise ValidationError(
            _("Das Pseudonym muss mindestens einen Buchstaben enthalten."), code="no_letter"
        )
    for word in _words(value):
        scripts = {_script(char) for char in word if unicodedata.category(char)[0] == "L"}
        if len(scripts) > 1:
            raise ValidationError(
                _(
                    "„%(word)s“ mischt Schriften (z. B. lateinische und kyrillische Buchstaben "
                    "in einem Wort). Bitte nur eine Schrift pro Wort."
                )
                % {"word": word},
                code="mixed_script",
            )
    reserved = _reserved_names()
    words = {word.casefold() for word in _words(value)}
    if pseudonym_key(value) in reserved or words & reserved:
        raise ValidationError(
            _("Dieses Pseudonym ist für die Redaktion reserviert. Bitte wählen Sie ein anderes."),
            code="reserved",
        )
    return value
