"""IPTC ninjs (News in JSON): articles out as ninjs 2.2, agency items in from 1.x–3.x.

Export follows the 2.2 schema kept in schemas/ (the tests validate against it). Import
reads what real agency feeds send: `headline` or `headlines[]`, `body_html`/`body_text`
or `bodies[]`, `by`/`byline`/`bylines[]` or authors in `people[]`, `subjects[]`, and the
camelCase names of ninjs 3 (`versionCreated`, `pubStatus`).
"""

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import nh3
from django.conf import settings
from django.utils.dateparse import parse_datetime
from django.utils.html import escape
from lxml import html as lxml_html

from lesefrei.content.importers import ArticleImportError
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
    return item


# Import ---------------------------------------------------------------------------------

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


def parse_item(raw: Any) -> NinjsItem:
    """Read one ninjs item (1.x, 2.x or 3.x shape); errors name the field, in German."""
    if not isinstance(raw, dict):
        raise ArticleImportError("Eine Meldung muss ein JSON-Objekt sein.")
    data = lowercase_keys(raw)
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
        for s in (data.get("subjects") or data.get("subject") or [])
        if isinstance(s, dict)
    ]
    topics = [str(s.get("name") or s.get("literal") or "").strip()[:100] for s in subjects]
    topics = [topic for topic in topics if topic]
    kicker = (
        html_to_text(str(kicker_entry["value"]))
        if kicker_entry
        else str(data.get("slugline") or "").strip() or (topics[0] if topics else "Meldung")
    )[:80]

    body: list[tuple[str, Any]] = []
    bodies = text_values(data.get("bodies"))
    html_body = next((b for b in bodies if "html" in str(b.get("contenttype", ""))), None)
    if html_body:
        body = html_to_blocks(str(html_body["value"]))
    elif data.get("body_html"):
        body = html_to_blocks(str(data["body_html"]))
    elif bodies:
        body = text_to_blocks(str(bodies[0]["value"]))
    elif data.get("body_text"):
        body = text_to_blocks(str(data["body_text"]))
    if not any(kind == "paragraph" for kind, _ in body):
        raise ArticleImportError("Die Meldung hat keinen Text („bodies“/„body_html“).")

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
    bylines = data.get("bylines")
    if isinstance(bylines, list):
        for entry in bylines:
            value = entry.get("byline") or entry.get("name") if isinstance(entry, dict) else entry
            authors.extend(split_byline(str(value or "")))
    for key in ("by", "byline"):
        if not authors and data.get(key):
            authors = split_byline(str(data[key]))
    if not authors:
        authors = [
            str(person.get("name")).strip()
            for person in (data.get("people") or [])
            if isinstance(person, dict)
            and person.get("name")
            and str(person.get("rel", "author")).lower() in {"author", "byline", "creator"}
        ]

    version_created = None
    for key in ("versioncreated", "firstcreated"):
        if data.get(key):
            version_created = parse_datetime(str(data[key]))
            if version_created is None:
                raise ArticleImportError(f"„{key}“ ist kein Zeitpunkt: {data[key]!r}.")
            break
    pubstatus = str(data.get("pubstatus") or "usable").lower()
    if pubstatus not in {"usable", "withheld", "canceled", "cancelled"}:
        raise ArticleImportError(f"Unbekannter „pubstatus“: {pubstatus!r}.")
    return NinjsItem(
        uri=uri,
        version=str(data.get("version") or "").strip()[:50],
        version_created=version_created,
        pubstatus="canceled" if pubstatus == "cancelled" else pubstatus,
        headline=headline,
        kicker=kicker,
        teaser=teaser,
        body=body,
        authors=[name[:200] for name in authors if name][:10],
        topics=topics[:20],
        place=str(data.get("located") or "").strip()[:80],
    )
