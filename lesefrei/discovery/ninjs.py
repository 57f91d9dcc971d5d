"""IPTC ninjs (News in JSON): articles out as ninjs 2.2, agency items in from 1.x–3.x.

Export follows the 2.2 schema kept in schemas/ (the tests validate against it). Import
reads what real agency feeds send: `headline` or `headlines[]`, `body_html`/`body_text`
or `bodies[]`, `by`/`byline`/`bylines[]` or authors in `people[]`, `subjects[]`, and the
camelCase names of ninjs 3 (`versionCreated`, `pubStatus`).

What comes in is checked before anything is stored (one bad item is reported and the
others are imported): the file's size and nesting, the official schema of the version the
item has (schemas/README.md), the types of the fields read, the size of the body and,
like every importer, control characters (content/importers.py). What goes out has any
such character dropped, so a bad row already stored cannot break a partner's parser.
"""

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import nh3
from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import escape
from jsonschema import Draft202012Validator
from lxml import html as lxml_html

from lesefrei.content.characters import strip_control_characters_deep
from lesefrei.content.importers import (
    ArticleImportError,
    check_body,
    check_characters,
    check_file_size,
    number,
)
from lesefrei.content.models import ArticlePage

from .rendering import absolute, body_html, lead_rendition, page_url, topic_url
from .text import article_text, html_to_text

NINJS_VERSION = "2.2"
NINJS_SCHEMA_URI = "http://www.iptc.org/std/ninjs/ninjs-schema_2.2.json"


def article_uri(article: ArticlePage) -> str:
    """The stable identifier of an article: its API address (slugs may change, ids don't)."""
    return absolute(f"/api/v1/articles/{article.pk}")


def article_to_ninjs(article: ArticlePage) -> dict[str, Any]:
    """A published article as a ninjs 2.2 news item."""
    authors = article.authors
    text = article_text(article)
    item: dict[str, Any] = {
        "uri": article_uri(article),
        "standard": {"name": "ninjs", "version": NINJS_VERSION, "schema": NINJS_SCHEMA_URI},
        "type": "text",
        "representationtype": "full",
        "version": str(article.live_revision_id or article.latest_revision_id or 1),
        "pubstatus": "usable" if article.live else "withheld",
        "language": settings.LESEFREI_PUBLICATION_LANGUAGE,
        "headlines": [{"role": "main", "value": article.title}],
        "descriptions": [{"role": "summary", "contenttype": "text/plain", "value": article.teaser}],
        "bodies": [
            {
                "role": "main",
                "contenttype": "text/html",
                "value": body_html(article),
                "charcount": len(text),
                "wordcount": len(text.split()),
            }
        ],
        "slugline": article.slug,
        "copyrightholder": settings.WAGTAIL_SITE_NAME,
        "renditions": [{"name": "web", "href": page_url(article), "contenttype": "text/html"}],
    }
    if article.kicker:
        item["headlines"].append({"role": "kicker", "value": article.kicker})
    if article.first_published_at:
        item["firstcreated"] = article.first_published_at.isoformat()
    if article.last_published_at:
        item["versioncreated"] = article.last_published_at.isoformat()
    if article.date_published:
        item["contentcreated"] = article.date_published.isoformat()
    if authors:
        item["by"] = " und ".join(author.title for author in authors)
        item["people"] = [
            {"name": author.title, "rel": "author", "uri": page_url(author)} for author in authors
        ]
    subjects = []
    for topic in article.topics.all():
        subject: dict[str, Any] = {"name": topic.name, "rel": "about", "literal": topic.slug}
        url = topic_url(topic)
        if url:
            subject["uri"] = url
        subjects.append(subject)
    if subjects:
        item["subjects"] = subjects
    if article.place:
        item["located"] = article.place
    rendition = lead_rendition(article)
    if rendition is not None:
        picture: dict[str, Any] = {
            "name": "leadimage",
            "uri": absolute(rendition.url),
            "type": "picture",
            "renditions": [
                {
                    "name": "1200x675",
                    "href": absolute(rendition.url),
                    "contenttype": "image/jpeg",
                    "width": rendition.width,
                    "height": rendition.height,
                }
            ],
        }
        if article.lead_image_caption:
            picture["descriptions"] = [{"role": "caption", "value": article.lead_image_caption}]
        if article.lead_image.credit:
            picture["copyrightholder"] = article.lead_image.credit
        item["associations"] = [picture]
    # A control character stored before the checks existed is dropped, not sent on.
    return strip_control_characters_deep(item)


# Import ---------------------------------------------------------------------------------

SCHEMAS = Path(__file__).parent / "schemas"
# A feed page of many items may be large; one item's body is bounded separately.
NINJS_FILE_MAX_BYTES = 20 * 1024 * 1024
# The body's HTML before cleaning: far more than the text limit (importers.py) allows
# once the markup is gone, and small enough that the HTML parser keeps every text node.
BODY_HTML_MAX_CHARACTERS = 1_000_000
# Nested elements cost the HTML cleaner time by the square of their depth; real copy
# has a few hundred tags.
BODY_HTML_MAX_TAGS = 10_000
# Real ninjs nests five or six levels (item → associations → renditions → …).
MAX_NESTING = 32
SURROGATES = re.compile("[\ud800-\udfff]")
NINJS_1_KEYS = {"guid", "headline", "body_html", "body_text", "description_text", "byline"}
TEXT_FIELDS = (
    "uri",
    "guid",
    "type",
    "headline",
    "body_html",
    "body_text",
    "description_text",
    "description_html",
    "by",
    "byline",
    "slugline",
    "located",
    "pubstatus",
    "versioncreated",
    "firstcreated",
)


def load_items(data: bytes) -> list[Any]:
    """The items of a ninjs file: one item, a list of items or {"items": [...]} (a feed
    page). Refused with a clear message: too large, not UTF-8 JSON, too deeply nested."""
    check_file_size(len(data), NINJS_FILE_MAX_BYTES)
    try:
        parsed = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ArticleImportError(f"keine gültige JSON-Datei in UTF-8 ({error}).") from error
    except RecursionError as error:
        raise ArticleImportError(
            f"Die Datei ist zu tief verschachtelt (erlaubt sind {MAX_NESTING} Ebenen)."
        ) from error
    # A feed page holds its items two levels down ({"items": [...]}).
    check_structure(parsed, MAX_NESTING + 2)
    if isinstance(parsed, list):
        return parsed
    if isinstance(parsed, dict) and isinstance(parsed.get("items"), list):
        return parsed["items"]
    return [parsed]


def check_structure(value: Any, limit: int = MAX_NESTING) -> None:
    """Refuse lists and objects nested deeper than `limit`, and lone surrogates (JSON's
    "\\ud800" escapes) in any key or string: no text can be made of those. Without
    recursion, so a hostile file cannot exhaust the stack."""
    stack = [(value, 1)]
    while stack:
        current, depth = stack.pop()
        if isinstance(current, str):
            if SURROGATES.search(current):
                check_characters("Die Meldung", current)
        elif isinstance(current, dict | list):
            if depth > limit:
                raise ArticleImportError(
                    f"Die Meldung ist zu tief verschachtelt (erlaubt sind {limit} Ebenen)."
                )
            if isinstance(current, dict):
                stack.extend((key, depth) for key in current)
                stack.extend((child, depth + 1) for child in current.values())
            else:
                stack.extend((child, depth + 1) for child in current)


@cache
def schema_validator(version: str) -> Draft202012Validator:
    schema = json.loads((SCHEMAS / f"ninjs-schema_{version}.json").read_text())
    return Draft202012Validator(schema)


def schema_versions(raw: dict[str, Any]) -> list[str]:
    """The official schemas an item must pass one of: the one of its declared version;
    without a declaration 2.2 or 3.1; none for the ninjs 1.x shape (no schema here)."""
    standard = raw.get("standard")
    declared = str(standard.get("version") or "") if isinstance(standard, dict) else ""
    if declared.startswith("2"):
        return ["2.2"]
    if declared.startswith("3"):
        return ["3.1"]
    if declared.startswith("1") or (not declared and NINJS_1_KEYS & set(raw)):
        return []
    return ["2.2", "3.1"]


def schema_problem(error: Any) -> str:
    where = "/".join(str(part) for part in error.absolute_path) or "Meldung"
    if error.validator == "type":
        expected = error.validator_value
        expected = " oder ".join(expected) if isinstance(expected, list) else expected
        return f"„{where}“ hat den falschen Typ (erwartet: {expected})"
    if error.validator == "required":
        return f"in „{where}“ fehlt ein Pflichtfeld ({error.message})"
    if error.validator in {"additionalProperties", "unevaluatedProperties"}:
        return f"„{where}“ enthält Felder, die das Schema nicht kennt ({error.message})"
    return f"„{where}“: {error.message}"


def validate_item(raw: dict[str, Any]) -> None:
    """Refuse an item that breaks the official ninjs schema of its version."""
    versions = schema_versions(raw)
    if not versions:
        return
    failures = []
    for version in versions:
        errors = list(schema_validator(version).iter_errors(raw))
        if not errors:
            return
        failures.append((len(errors), version, errors))
    _, version, errors = min(failures, key=lambda failure: failure[0])
    best = min(errors, key=lambda error: len(error.absolute_path))
    more = f" (und {len(errors) - 1} weitere Fehler)" if len(errors) > 1 else ""
    raise ArticleImportError(
        f"Die Meldung entspricht nicht dem ninjs-Schema {version}: {schema_problem(best)}{more}."
    )


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


INLINE_TAGS = {"b", "i", "a", "br"}
BLOCK_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "li", "div"}
QUOTE_TAGS = {"footer", "cite"}
KICKER_ROLES = {"kicker", "overline", "dachzeile", "topline", "roofline"}
BYLINE_PREFIX = re.compile(r"^\s*(von|by|text:)\s+", re.IGNORECASE)
BYLINE_SEPARATORS = re.compile(r"\s*(?:,|;|/|\bund\b|\band\b|&)\s*", re.IGNORECASE)


@dataclass
class NinjsItem:
    """An agency item, read and checked: everything an article needs."""

    uri: str
    version: str
    version_created: datetime | None
    pubstatus: str
    headline: str
    kicker: str
    teaser: str
    body: list[tuple[str, Any]]
    authors: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    place: str = ""


def lowercase_keys(data: dict[str, Any]) -> dict[str, Any]:
    """ninjs 3 writes camelCase (versionCreated); 1.x and 2.x lowercase."""
    return {key.lower(): value for key, value in data.items()}


def text_values(entries: Any) -> list[dict[str, Any]]:
    if isinstance(entries, str):
        return [{"value": entries}]
    if isinstance(entries, list):
        return [lowercase_keys(e) for e in entries if isinstance(e, dict) and e.get("value")]
    return []


def pick(entries: list[dict[str, Any]], roles: set[str] | None = None) -> dict[str, Any] | None:
    if roles:
        for entry in entries:
            if str(entry.get("role", "")).lower() in roles:
                return entry
    return entries[0] if entries else None


def clean_inline(fragment: str) -> str:
    """Inline HTML reduced to what a paragraph block holds: bold, italic, links."""
    fragment = re.sub(r"<(/?)strong\b", r"<\1b", fragment, flags=re.IGNORECASE)
    fragment = re.sub(r"<(/?)em\b", r"<\1i", fragment, flags=re.IGNORECASE)
    cleaned = nh3.clean(
        fragment,
        tags=INLINE_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
    )
    return re.sub(r"\s+", " ", cleaned).strip()


def inner_html(element: Any) -> str:
    parts = [escape(element.text or "")]
    for child in element:
        parts.append(lxml_html.tostring(child, encoding="unicode", with_tail=True))
    return "".join(str(part) for part in parts)


def element_text(element: Any) -> str:
    return re.sub(r"\s+", " ", element.text_content()).strip()


def html_to_blocks(source: str) -> list[tuple[str, Any]]:
    """Body HTML as the article's blocks: <p> → paragraph, <h1>–<h6> → subheading,
    <blockquote> → quote (attribution from its <footer>/<cite>), list items → paragraphs.
    Anything else (scripts, styles, iframes, attributes) is dropped by nh3 first."""
    safe = nh3.clean(
        source,
        tags=INLINE_TAGS | BLOCK_TAGS | QUOTE_TAGS | {"strong", "em"},
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
    )
    if not safe.strip():
        return []
    root = lxml_html.fragment_fromstring(safe, create_parent="div")
    blocks: list[tuple[str, Any]] = []
    loose = escape(root.text or "").strip()
    if loose:
        blocks.append(("paragraph", f"<p>{loose}</p>"))
    for element in root:
        blocks.extend(element_blocks(element))
        tail = (element.tail or "").strip()
        if tail:
            blocks.append(("paragraph", f"<p>{escape(tail)}</p>"))
    return blocks


def element_blocks(element: Any) -> list[tuple[str, Any]]:
    tag = element.tag
    if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
        text = element_text(element)
        return [("subheading", text[:250])] if text else []
    if tag == "blockquote":
        attribution = ""
        for cite in element.findall(".//footer") + element.findall(".//cite"):
            attribution = attribution or element_text(cite)
            cite.drop_tree()
        text = element_text(element).strip('„“"”»« ')
        if not text:
            return []
        return [("quote", {"text": text, "attribution": attribution.lstrip("—– -")[:200]})]
    if tag in {"ul", "ol", "div"}:
        return [block for child in element for block in element_blocks(child)]
    inline = clean_inline(inner_html(element))
    return [("paragraph", f"<p>{inline}</p>")] if html_to_text(inline) else []


def text_to_blocks(text: str) -> list[tuple[str, Any]]:
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n|\r\n\s*\r\n", text) if p.strip()]
    if len(paragraphs) == 1:
        paragraphs = [line.strip() for line in text.splitlines() if line.strip()]
    return [("paragraph", f"<p>{escape(p)}</p>") for p in paragraphs]


def split_byline(byline: str) -> list[str]:
    """Names in a byline ("Von Jana Oberländer und Tomasz Wiśniewski, dpa"). A part
    without a capital letter ("dpa", "afp") is the agency's credit, not an author."""
    byline = BYLINE_PREFIX.sub("", byline.strip())
    names = [name.strip() for name in BYLINE_SEPARATORS.split(byline) if name and name.strip()]
    return [name for name in names if any(char.isupper() for char in name)]


def parse_time(data: dict[str, Any], key: str) -> datetime:
    """An aware point in time from a ninjs date (a naive one is in the site's zone)."""
    try:
        moment = parse_datetime(str(data[key]))
    except ValueError:
        moment = None
    if moment is None or not 1900 <= moment.year <= 9998:
        raise ArticleImportError(f"„{key}“ ist kein gültiger Zeitpunkt: {data[key]!r}.")
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def check_body_html(source: str) -> None:
    if len(source) > BODY_HTML_MAX_CHARACTERS:
        raise ArticleImportError(
            f"Der Text der Meldung ist zu groß ({number(len(source))} Zeichen; "
            f"höchstens {number(BODY_HTML_MAX_CHARACTERS)})."
        )
    if source.count("<") > BODY_HTML_MAX_TAGS:
        raise ArticleImportError(
            "Der Text der Meldung hat zu viele HTML-Elemente "
            f"(höchstens {number(BODY_HTML_MAX_TAGS)})."
        )


def parse_item(raw: Any) -> NinjsItem:
    """Read one ninjs item (1.x, 2.x or 3.x shape); errors name the field, in German."""
    if not isinstance(raw, dict):
        raise ArticleImportError("Eine Meldung muss ein JSON-Objekt sein.")
    check_structure(raw)
    validate_item(raw)
    data = lowercase_keys(raw)
    for key in TEXT_FIELDS:
        if data.get(key) is not None and not isinstance(data[key], str):
            raise ArticleImportError(f"„{key}“ muss Text sein, nicht {type(data[key]).__name__}.")
    if data.get("version") is not None and not isinstance(data["version"], str | int):
        raise ArticleImportError("„version“ muss Text oder eine Zahl sein.")
    uri = str(data.get("uri") or data.get("guid") or "").strip()
    if not uri:
        raise ArticleImportError("Der Meldung fehlt „uri“ (oder „guid“).")
    if len(uri) > 500:
        raise ArticleImportError("„uri“ ist länger als 500 Zeichen.")
    item_type = str(data.get("type") or "text").lower()
    if item_type not in {"text", "composite"}:
        raise ArticleImportError(f"Nur Textmeldungen lassen sich importieren, nicht „{item_type}“.")

    headlines = text_values(data.get("headlines")) or text_values(data.get("headline"))
    headline_entry = pick(headlines, {"main", "headline", ""})
    headline = html_to_text(str(headline_entry["value"])) if headline_entry else ""
    if not headline:
        raise ArticleImportError("Der Meldung fehlt die Überschrift („headline“/„headlines“).")
    if len(headline) > 255:
        raise ArticleImportError(f"Die Überschrift hat {len(headline)} Zeichen; erlaubt: 255.")
    kicker_entry = next(
        (h for h in headlines if str(h.get("role", "")).lower() in KICKER_ROLES), None
    )
    subjects = [
        lowercase_keys(s)
        for s in as_list(data.get("subjects") or data.get("subject"))
        if isinstance(s, dict)
    ]
    topics = [str(s.get("name") or s.get("literal") or "").strip()[:100] for s in subjects]
    topics = [topic for topic in topics if topic]
    kicker = (
        html_to_text(str(kicker_entry["value"]))
        if kicker_entry
        else str(data.get("slugline") or "").strip() or (topics[0] if topics else "")
    )[:80].strip() or "Meldung"

    body: list[tuple[str, Any]] = []
    bodies = text_values(data.get("bodies"))
    html_body = next((b for b in bodies if "html" in str(b.get("contenttype", ""))), None)
    source = None
    if html_body:
        source = str(html_body["value"])
    elif data.get("body_html"):
        source = str(data["body_html"])
    if source is not None:
        check_body_html(source)
        body = html_to_blocks(source)
    elif bodies:
        check_body_html(str(bodies[0]["value"]))
        body = text_to_blocks(str(bodies[0]["value"]))
    elif data.get("body_text"):
        check_body_html(str(data["body_text"]))
        body = text_to_blocks(str(data["body_text"]))
    if not any(kind == "paragraph" for kind, _ in body):
        raise ArticleImportError("Die Meldung hat keinen Text („bodies“/„body_html“).")
    check_body(body)

    descriptions = text_values(data.get("descriptions"))
    description = pick(descriptions, {"summary", "teaser", "lead", "abstract"})
    teaser = html_to_text(str(description["value"])) if description else ""
    teaser = teaser or html_to_text(
        str(data.get("description_text") or data.get("description_html") or "")
    )
    if not teaser:
        first = next(value for kind, value in body if kind == "paragraph")
        teaser = html_to_text(first)
    if len(teaser) > 600:
        teaser = teaser[:599].rsplit(" ", 1)[0] + "…"

    authors: list[str] = []
    for entry in as_list(data.get("bylines")):
        value = entry.get("byline") or entry.get("name") if isinstance(entry, dict) else entry
        authors.extend(split_byline(str(value or "")))
    for key in ("by", "byline"):
        if not authors and data.get(key):
            authors = split_byline(str(data[key]))
    if not authors:
        authors = [
            str(person.get("name")).strip()
            for person in as_list(data.get("people"))
            if isinstance(person, dict)
            and person.get("name")
            and str(person.get("rel", "author")).lower() in {"author", "byline", "creator"}
        ]
    authors = [re.sub(r"\s+", " ", name).strip()[:200] for name in authors]

    version_created = None
    for key in ("versioncreated", "firstcreated"):
        if data.get(key):
            version_created = parse_time(data, key)
            break
    pubstatus = str(data.get("pubstatus") or "usable").lower()
    if pubstatus not in {"usable", "withheld", "canceled", "cancelled"}:
        raise ArticleImportError(f"Unbekannter „pubstatus“: {pubstatus!r}.")
    item = NinjsItem(
        uri=uri,
        version=str(data.get("version") or "").strip()[:50],
        version_created=version_created,
        pubstatus="canceled" if pubstatus == "cancelled" else pubstatus,
        headline=headline,
        kicker=kicker,
        teaser=teaser,
        body=body,
        authors=[name for name in authors if name][:10],
        topics=topics[:20],
        place=str(data.get("located") or "").strip()[:80],
    )
    check_item_characters(item)
    return item


def check_item_characters(item: NinjsItem) -> None:
    """Refuse the item when a field that reaches the site holds a control character
    (the body was checked block by block already)."""
    for label, value in (
        ("„uri“", item.uri),
        ("„version“", item.version),
        ("Die Überschrift", item.headline),
        ("Die Dachzeile", item.kicker),
        ("Der Teaser", item.teaser),
        ("Ein Autorenname", item.authors),
        ("Ein Thema", item.topics),
        ("Der Ort", item.place),
    ):
        check_characters(label, value)
