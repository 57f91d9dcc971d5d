"""Turning newsroom copy into articles.

The plain-text format is what editors paste from agency and freelance copy: the
headline on the first line, the teaser on the next non-empty line, then one paragraph
per line. A short line that does not end like a sentence and is followed by a paragraph
is a subheading. Characters are kept exactly as they came: „…“, ‚…‘, –, …, ß.

Both importers (this one and ninjs) refuse what the site could not publish safely: a
control character anywhere in the copy (characters.py) and a text longer than
BODY_MAX_CHARACTERS or with more than BODY_MAX_BLOCKS blocks. The limits are far above
any real article (a long read has ~40,000 characters in ~150 paragraphs) and keep one
article's search index entry well inside PostgreSQL's tsvector limit of 1 MB, and its
editing page usable.
"""

from dataclasses import dataclass, field
from typing import Any

from django.utils.html import escape

from .characters import control_character_problem, strings_in

SUBHEADING_MAX_LENGTH = 80
# A line ending in one of these is a sentence (or a quote), never a subheading.
SENTENCE_ENDINGS = (".", ",", ";", ":", "“", "”", '"', "»", "«", "‘", "’", "'", "›", "‹")
HEADLINE_MAX_LENGTH = 255
TEASER_MAX_LENGTH = 600
BODY_MAX_CHARACTERS = 200_000
BODY_MAX_BLOCKS = 2_000
# A text file bigger than this cannot hold an article within the limits above.
TEXT_FILE_MAX_BYTES = 2 * 1024 * 1024


class ArticleImportError(ValueError):
    """Input an editor can fix; the message says how, in German."""


@dataclass
class ParsedArticle:
    headline: str
    teaser: str
    body: list[tuple[str, Any]] = field(default_factory=list)

    @property
    def subheadings(self) -> list[str]:
        return [value for kind, value in self.body if kind == "subheading"]

    @property
    def paragraph_count(self) -> int:
        return sum(1 for kind, _ in self.body if kind == "paragraph")


def number(value: int) -> str:
    """A count as German text: 200.000."""
    return f"{value:,}".replace(",", ".")


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",") + " MB"


def check_file_size(size: int, limit: int = TEXT_FILE_MAX_BYTES) -> None:
    if size > limit:
        raise ArticleImportError(
            f"Die Datei ist zu groß ({megabytes(size)}; höchstens {megabytes(limit)})."
        )


def check_characters(label: str, value: Any) -> None:
    """Refuse `value` (a string, or blocks/lists holding strings) when it contains a
    control character; the message starts with `label` ("Die Überschrift")."""
    for _, text in strings_in(value):
        problem = control_character_problem(text)
        if problem:
            raise ArticleImportError(f"{label} {problem}")


def check_body(body: list[tuple[str, Any]]) -> None:
    """Refuse a body the site could not index or edit (see the module docstring), or
    one with a control character (naming the block)."""
    if len(body) > BODY_MAX_BLOCKS:
        raise ArticleImportError(
            f"Der Text hat {number(len(body))} Absätze und Zwischenüberschriften; "
            f"erlaubt sind höchstens {number(BODY_MAX_BLOCKS)}."
        )
    characters = sum(len(text) for _, text in strings_in([value for _, value in body]))
    if characters > BODY_MAX_CHARACTERS:
        raise ArticleImportError(
            f"Der Text ist {number(characters)} Zeichen lang; erlaubt sind höchstens "
            f"{number(BODY_MAX_CHARACTERS)}."
        )
    for position, (_, value) in enumerate(body, start=1):
        check_characters(f"Der Text (Block {position})", value)


def decode_text(data: bytes) -> str:
    """UTF-8 text from a file's bytes (a byte-order mark is dropped), or a clear error."""
    check_file_size(len(data))
    if not data.strip():
        raise ArticleImportError("Die Datei ist leer.")
    if b"\x00" in data:
        raise ArticleImportError("Die Datei ist keine Textdatei (sie enthält Nullbytes).")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ArticleImportError(
            f"Die Datei ist nicht in UTF-8 kodiert (ungültiges Byte in Zeile {line}). "
            "Bitte als UTF-8 speichern und erneut importieren."
        ) from error


def is_subheading_candidate(line: str) -> bool:
    return len(line) <= SUBHEADING_MAX_LENGTH and not line.endswith(SENTENCE_ENDINGS)


def paragraph_html(text: str) -> str:
    return f"<p>{escape(text)}</p>"


def parse_plain_text(text: str) -> ParsedArticle:
    lines = [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    for number, line in enumerate(lines, start=1):
        check_characters(f"Zeile {number}", line)
    lines = [line for line in lines if line]
    if not lines:
        raise ArticleImportError("Die Datei ist leer.")
    headline, rest = lines[0], lines[1:]
    if len(headline) > HEADLINE_MAX_LENGTH:
        raise ArticleImportError(
            f"Die erste Zeile (die Überschrift) hat {len(headline)} Zeichen; "
            f"erlaubt sind höchstens {HEADLINE_MAX_LENGTH}."
        )
    if not rest:
        raise ArticleImportError("Nach der Überschrift fehlen Teaser und Text.")
    teaser, body_lines = rest[0], rest[1:]
    if len(teaser) > TEASER_MAX_LENGTH:
        raise ArticleImportError(
            f"Der Teaser (die zweite Zeile) hat {len(teaser)} Zeichen; "
            f"erlaubt sind höchstens {TEASER_MAX_LENGTH}."
        )
    if not body_lines:
        raise ArticleImportError("Die Datei enthält nach Überschrift und Teaser keinen Text.")

    body: list[tuple[str, Any]] = []
    for index, line in enumerate(body_lines):
        following = body_lines[index + 1] if index + 1 < len(body_lines) else None
        if (
            is_subheading_candidate(line)
            and following is not None
            and not is_subheading_candidate(following)
        ):
            body.append(("subheading", line))
        else:
            body.append(("paragraph", paragraph_html(line)))
    if not any(kind == "paragraph" for kind, _ in body):
        raise ArticleImportError("Die Datei enthält nach Überschrift und Teaser keinen Absatz.")
    check_body(body)
    return ParsedArticle(headline=headline, teaser=teaser, body=body)
