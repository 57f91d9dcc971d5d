"""Plain text of articles, search queries and highlighted snippets.

Wagtail's database backend has no highlighter, so snippets are cut and marked here:
the article's text is escaped piece by piece and only the <mark> elements this module
writes are markup. A term highlights every word that starts with it or with its stem
(German endings dropped), which is what the stemming backends match.
"""

import html
import re
from dataclasses import dataclass, field
from typing import Any

import nh3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

MAX_QUERY_LENGTH = 200
MAX_TERMS = 10
WORD = re.compile(r"\w+", re.UNICODE)
GERMAN_ENDINGS = ("ern", "en", "er", "es", "em", "e", "n", "s")


@dataclass
class SearchQuery:
    """What the reader typed, cleaned: words only, no operators, bounded in size."""

    raw: str
    terms: list[str] = field(default_factory=list)
    truncated: bool = False

    @property
    def text(self) -> str:
        return " ".join(self.terms)

    @property
    def is_empty(self) -> bool:
        return not self.terms


def parse_query(raw: str | None) -> SearchQuery:
    """Words of the query (letters and digits in any script), at most MAX_TERMS of them.

    Punctuation, quotes, operators and markup are dropped, so "<script>" or "' OR 1=1 --"
    become harmless words or nothing at all; the backend never sees syntax of its own.
    """
    raw = (raw or "").strip()
    text = raw[:MAX_QUERY_LENGTH]
    words = [word for word in WORD.findall(text) if word.strip("_")]
    unique: list[str] = []
    for word in words:
        if word.casefold() not in {seen.casefold() for seen in unique}:
            unique.append(word)
    truncated = len(raw) > MAX_QUERY_LENGTH or len(unique) > MAX_TERMS
    return SearchQuery(raw=raw, terms=unique[:MAX_TERMS], truncated=truncated)


def html_to_text(value: str) -> str:
    """The text of an HTML fragment, whitespace collapsed. An HTML parser (nh3) strips
    the tags: Django's strip_tags gives up on hostile nesting ("<<<<…") with
    SuspiciousOperation, and agency headlines are input from outside."""
    text = nh3.clean(value, tags=set())
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def block_text(kind: str, value: Any) -> str:
    """Readable text of one body block (paragraph, subheading, quote, info box, image),
    from its stored value."""
    if kind == "paragraph":
        return html_to_text(value)
    if kind == "subheading":
        return str(value)
    if kind == "quote":
        return f"„{value['text']}“ {value.get('attribution') or ''}".strip()
    if kind == "info_box":
        return f"{value['title']}: {html_to_text(value['text'])}"
    if kind in ("image", "embed"):
        return value.get("caption" if kind == "image" else "title") or ""
    return ""


def article_text(article: Any) -> str:
    """Teaser and body of an article as one plain text, for snippets and word counts.
    Read from the stored body, so no image of it is loaded (a search page shows many)."""
    blocks = article.body.raw_data
    parts = [article.teaser, *(block_text(block["type"], block["value"]) for block in blocks)]
    return " ".join(part for part in parts if part)


def term_stems(terms: list[str]) -> list[str]:
    """Each term and, for longer ones, the term without a German inflection ending."""
    stems: set[str] = set()
    for term in terms:
        lowered = term.casefold()
        stems.add(lowered)
        for ending in GERMAN_ENDINGS:
            if len(lowered) - len(ending) >= 4 and lowered.endswith(ending):
                stems.add(lowered[: -len(ending)])
                break
    return sorted(stems, key=len, reverse=True)


def term_pattern(terms: list[str]) -> re.Pattern[str] | None:
    stems = term_stems(terms)
    if not stems:
        return None
    alternatives = "|".join(re.escape(stem) for stem in stems)
    return re.compile(rf"\b(?:{alternatives})\w*", re.IGNORECASE | re.UNICODE)


def highlight(text: str, terms: list[str]) -> SafeString:
    """`text`, escaped, with every word matching a term wrapped in <mark>."""
    pattern = term_pattern(terms)
    if pattern is None:
        return escape(text)
    pieces: list[str] = []
    position = 0
    for match in pattern.finditer(text):
        pieces.append(str(escape(text[position : match.start()])))
        pieces.append(f"<mark>{escape(match.group(0))}</mark>")
        position = match.end()
    pieces.append(str(escape(text[position:])))
    return mark_safe("".join(pieces))  # every piece was escaped above


def snippet(text: str, terms: list[str], length: int = 240) -> SafeString:
    """About `length` characters of `text` around the first match, highlighted.

    Without a match in the text (the hit was in the headline, an author or a topic),
    the beginning of the text is shown.
    """
    pattern = term_pattern(terms)
    match = pattern.search(text) if pattern else None
    start = 0
    if match and match.start() > length // 3:
        start = text.rfind(" ", 0, match.start() - length // 3) + 1
    end = start + length
    if end < len(text):
        cut = text.rfind(" ", start, end)
        end = cut if cut > start else end
    excerpt = text[start:end].strip()
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(f"{prefix}{highlight(excerpt, terms)}{suffix}")  # both parts escaped
