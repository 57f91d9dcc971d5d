"""What a page tells machines about itself, in <head>: canonical address, feeds,
OpenGraph and Twitter cards, schema.org JSON-LD (NewsArticle, CollectionPage,
ProfilePage, WebSite). Built from the template context the content pages already have."""

import json
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.templatetags.static import static
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from wagtail.models import Page

from lesefrei.content.models import ArticlePage, AuthorPage, HomePage, SectionPage, Topic

from .rendering import absolute, lead_rendition, page_url, topic_url

LOGO = "img/publisher-logo.png"
LOGO_SIZE = (600, 60)
# As Django's json_script: no "</script>", no "<!--", no entity can end the element early.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@dataclass
class FeedLink:
    title: str
    rss: str
    atom: str


@dataclass
class HeadMetadata:
    canonical: str | None = None
    feeds: list[FeedLink] = field(default_factory=list)
    opengraph: list[tuple[str, str]] = field(default_factory=list)
    twitter: list[tuple[str, str]] = field(default_factory=list)
    json_ld: dict[str, Any] | None = None

    @property
    def json_ld_script(self) -> SafeString:
        """The JSON-LD, escaped for a <script type="application/ld+json"> element."""
        if self.json_ld is None:
            return mark_safe("")
        text = json.dumps(self.json_ld, cls=DjangoJSONEncoder, ensure_ascii=False, indent=None)
        return mark_safe(text.translate(JSON_SCRIPT_ESCAPES))  # escaped like json_script


def publisher() -> dict[str, Any]:
    width, height = LOGO_SIZE
    return {
        "@type": "NewsMediaOrganization",
        "name": settings.WAGTAIL_SITE_NAME,
        "url": absolute("/"),
        "logo": {
            "@type": "ImageObject",
            "url": absolute(static(LOGO)),
            "width": width,
            "height": height,
        },
    }


def feed_links(context: dict[str, Any]) -> list[FeedLink]:
    site = settings.WAGTAIL_SITE_NAME
    links = [
        FeedLink(
            f"{site} – alle Artikel",
            absolute(reverse("discovery:feed_rss")),
            absolute(reverse("discovery:feed_atom")),
        )
    ]
    page = context.get("page")
    section = context.get("section")
    topic = context.get("topic")
    if isinstance(page, SectionPage):
        section = page
    if isinstance(section, SectionPage):
        links.append(
            FeedLink(
                f"{site} – {section.title}",
                absolute(reverse("discovery:section_rss", args=[section.slug])),
                absolute(reverse("discovery:section_atom", args=[section.slug])),
            )
        )
    if isinstance(page, AuthorPage):
        links.append(
            FeedLink(
                f"{site} – {page.title}",
                absolute(reverse("discovery:author_rss", args=[page.slug])),
                absolute(reverse("discovery:author_atom", args=[page.slug])),
            )
        )
    if isinstance(topic, Topic):
        links.append(
            FeedLink(
                f"{site} – Thema: {topic.name}",
                absolute(reverse("discovery:topic_rss", args=[topic.slug])),
                absolute(reverse("discovery:topic_atom", args=[topic.slug])),
            )
        )
    return links


def article_metadata(article: ArticlePage, section: Any, meta: HeadMetadata) -> None:
    url = meta.canonical
    authors = article.authors
    topics = [topic.name for topic in article.topics.all()]
    published = article.date_published
    modified = article.last_published_at or published
    rendition = lead_rendition(article)
    image = absolute(rendition.url) if rendition else None
    section_title = section.title if section is not None else ""

    meta.opengraph += [("og:type", "article")]
    if published:
        meta.opengraph.append(("article:published_time", published.isoformat()))
    if modified:
        meta.opengraph.append(("article:modified_time", modified.isoformat()))
    if section_title:
        meta.opengraph.append(("article:section", section_title))
    meta.opengraph += [("article:author", page_url(author)) for author in authors]
    meta.opengraph += [("article:tag", topic) for topic in topics]

    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": article.title,
        "alternativeHeadline": article.kicker,
        "description": article.teaser,
        "datePublished": published,
        "dateModified": modified,
        "author": [
            {"@type": "Person", "name": author.title, "url": page_url(author)} for author in authors
        ],
        "publisher": publisher(),
        "articleSection": section_title,
        "keywords": topics,
        "inLanguage": settings.LESEFREI_PUBLICATION_LANGUAGE,
        "isAccessibleForFree": True,
    }
    if image:
        data["image"] = [image]
        meta.opengraph += [
            ("og:image", image),
            ("og:image:width", str(rendition.width)),
            ("og:image:height", str(rendition.height)),
            ("og:image:alt", article.lead_image.default_alt_text or article.lead_image_caption),
        ]
    if article.place:
        data["locationCreated"] = {"@type": "Place", "name": article.place}
    meta.json_ld = data


def section_metadata(section: SectionPage, meta: HeadMetadata) -> None:
    meta.opengraph.append(("og:type", "website"))
    meta.json_ld = {
        "@context": "https://schema.org",
        "@type": "CollectionPage",
        "name": section.title,
        "description": section.intro or section.search_description,
        "url": meta.canonical,
        "inLanguage": settings.LESEFREI_PUBLICATION_LANGUAGE,
        "isPartOf": {"@type": "WebSite", "name": settings.WAGTAIL_SITE_NAME, "url": absolute("/")},
        "publisher": publisher(),
    }


def topic_metadata(topic: Topic, meta: HeadMetadata) -> None:
    meta.opengraph.append(("og:type", "website"))
    meta.json_ld = {
        "@context": "https://schema.org",
        "@type": "CollectionPage",
        "name": f"Thema: {topic.name}",
        "about": {"@type": "Thing", "name": topic.name},
        "url": meta.canonical,
        "inLanguage": settings.LESEFREI_PUBLICATION_LANGUAGE,
        "isPartOf": {"@type": "WebSite", "name": settings.WAGTAIL_SITE_NAME, "url": absolute("/")},
        "publisher": publisher(),
    }


def author_metadata(author: AuthorPage, meta: HeadMetadata) -> None:
    meta.opengraph += [("og:type", "profile")]
    person: dict[str, Any] = {
        "@type": "Person",
        "name": author.title,
        "url": meta.canonical,
        "worksFor": publisher(),
    }
    if author.role:
        person["jobTitle"] = author.role
    if author.bio:
        person["description"] = author.bio
    if author.photo:
        photo = author.photo.get_rendition("fill-400x400|format-jpeg")
        person["image"] = absolute(photo.url)
        meta.opengraph += [("og:image", person["image"])]
    meta.json_ld = {
        "@context": "https://schema.org",
        "@type": "ProfilePage",
        "url": meta.canonical,
        "mainEntity": person,
    }


def home_metadata(meta: HeadMetadata) -> None:
    meta.opengraph.append(("og:type", "website"))
    meta.json_ld = {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": settings.WAGTAIL_SITE_NAME,
        "url": absolute("/"),
        "inLanguage": settings.LESEFREI_PUBLICATION_LANGUAGE,
        "publisher": publisher(),
        "potentialAction": {
            "@type": "SearchAction",
            "target": absolute(reverse("discovery:search")) + "?q={search_term_string}",
            "query-input": "required name=search_term_string",
        },
    }


def head_metadata(context: dict[str, Any]) -> HeadMetadata:
    """Everything discovery puts in <head> for the page in `context`."""
    page = context.get("page")
    topic = context.get("topic")
    meta = HeadMetadata(feeds=feed_links(context))
    if not isinstance(page, Page) or page.pk is None:
        # Not a Wagtail page (a form page of another app, or "page" is a paginator
        # page there): feeds only.
        return meta
    title = getattr(page, "seo_title", "") or page.title
    description = page.search_description
    meta.canonical = page_url(page)
    if isinstance(topic, Topic):
        meta.canonical = topic_url(topic) or meta.canonical
        title = f"Thema: {topic.name}"
    request = context.get("request")
    page_number = request.GET.get("seite", "") if request is not None else ""
    # ASCII digits only: "²" passes str.isdigit() but not int().
    if page_number.isascii() and page_number.isdigit() and int(page_number) > 1:
        # Later pages of a list are pages of their own, not copies of the first.
        meta.canonical += f"?seite={int(page_number)}"
    if isinstance(topic, Topic):
        topic_metadata(topic, meta)
    elif isinstance(page, ArticlePage):
        description = description or page.teaser
        article_metadata(page, context.get("section"), meta)
    elif isinstance(page, SectionPage):
        description = description or page.intro
        section_metadata(page, meta)
    elif isinstance(page, AuthorPage):
        description = description or page.bio
        author_metadata(page, meta)
    elif isinstance(page, HomePage):
        home_metadata(meta)
    else:
        meta.opengraph.append(("og:type", "website"))
    if hasattr(page, "adjust_head_metadata"):
        # A page type's own additions (a live ticker: its feeds; its JSON-LD with the entries).
        page.adjust_head_metadata(meta)

    meta.opengraph = [
        ("og:site_name", settings.WAGTAIL_SITE_NAME),
        ("og:locale", "de_DE"),
        ("og:title", title),
        ("og:url", meta.canonical),
        *([("og:description", description)] if description else []),
        *meta.opengraph,
    ]
    image = next((value for key, value in meta.opengraph if key == "og:image"), None)
    meta.twitter = [
        ("twitter:card", "summary_large_image" if image else "summary"),
        ("twitter:title", title),
        *([("twitter:description", description)] if description else []),
        *([("twitter:image", image)] if image else []),
    ]
    return meta
