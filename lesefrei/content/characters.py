"""Characters that text of the newspaper may not contain, in one place.

Every text an editor or an agency gives us ends up in XML (RSS, Atom, sitemaps, a
partner's NewsML) and JSON. XML 1.0 forbids most control characters outright (a feed
with ESC in a headline is not XML at all; Django's feed writer refuses it), and allows
DEL and the C1 controls only as "discouraged". No newsroom copy needs any of them, so:

- where text enters (the CMS forms, the importers) such a character is refused with a
  message that names the field and the position, and nothing is stored;
- where text leaves (feeds, sitemaps, ninjs) it is dropped, so a row that got in some
  other way (an old import, a database console) cannot break a feed for every reader.

Tab, line feed and carriage return are ordinary whitespace and stay.
"""

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# C0 controls but tab/LF/CR, DEL, C1 controls, lone surrogates (from JSON "\ud800"
# escapes) and the two non-characters XML forbids.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def first_control_character(text: str) -> re.Match[str] | None:
    return CONTROL_CHARACTERS.search(text)


def control_character_problem(text: str) -> str | None:
    """A German description of the first refused character in `text`, or None."""
    match = first_control_character(text)
    if match is None:
        return None
    return _(
        "enthält ein unzulässiges Steuerzeichen (U+%(code)04X) an Stelle %(position)d. "
        "Bitte entfernen: es würde Feeds und Sitemaps unlesbar machen."
    ) % {"code": ord(match.group()), "position": match.start() + 1}


def validate_no_control_characters(value: Any) -> None:
    """Django validator for a text field (also usable on StreamField blocks)."""
    if isinstance(value, str):
        problem = control_character_problem(value)
        if problem:
            raise ValidationError(_("Der Text %(problem)s") % {"problem": problem}, code="control")


def strip_control_characters(text: str) -> str:
    """`text` without the characters above, for output that must stay well-formed."""
    return CONTROL_CHARACTERS.sub("", text)


def strip_control_characters_deep(value: Any) -> Any:
    """`value` with every string inside (dicts, lists, tuples) stripped."""
    if isinstance(value, str):
        return strip_control_characters(value)
    if isinstance(value, dict):
        return {key: strip_control_characters_deep(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(strip_control_characters_deep(item) for item in value)
    return value


def strings_in(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], str]]:
    """Every string inside `value` with where it sits (keys and indexes), for checks."""
    if isinstance(value, str):
        return [(path, value)]
    if isinstance(value, dict):
        return [found for key, item in value.items() for found in strings_in(item, (*path, key))]
    if isinstance(value, list | tuple):
        return [found for i, item in enumerate(value) for found in strings_in(item, (*path, i))]
    return []
