"""What a ticker tells machines: schema.org LiveBlogPosting (coverageStartTime,
coverageEndTime, liveBlogUpdate as BlogPosting items) built on the article's
NewsArticle data from discovery.metadata, and the ticker's feeds in <head>."""

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.html import strip_tags

from lesefrei.discovery.metadata import FeedLink, HeadMetadata, article_metadata
from lesefrei.discovery.rendering import absolute, page_url

from .models import LiveEntry, LiveTickerPage

# Search engines read the newest updates; the page shows more.
UPDATES_IN_JSON_LD = 50


def feed_urls(ticker: LiveTickerPage) -> tuple[str, str]:
    return (
        absolute(reverse("live:feed_rss", args=[ticker.pk])),
        absolute(reverse("live:feed_atom", args=[ticker.pk])),
    )


def adjust_head_metadata(ticker: LiveTickerPage, meta: HeadMetadata) -> None:
    rss, atom = feed_urls(ticker)
    meta.feeds.append(
        FeedLink(f"{settings.WAGTAIL_SITE_NAME} – Liveticker: {ticker.title}", rss, atom)
    )
    meta.json_ld = None


def entry_url(ticker_url: str, entry: LiveEntry) -> str:
    return f"{ticker_url}#eintrag-{entry.pk}"


def entry_plain_text(entry: LiveEntry) -> str:
    return " ".join(strip_tags(entry.text).split())


def blog_posting(ticker_url: str, entry: LiveEntry) -> dict[str, Any]:
    text = entry_plain_text(entry)
    posting: dict[str, Any] = {
        "@type": "BlogPosting",
        "@id": entry_url(ticker_url, entry),
        "url": entry_url(ticker_url, entry),
        "headline": entry.title or text[:110],
        "articleBody": text,
        "datePublished": entry.created_at,
        "dateModified": entry.updated_at or entry.created_at,
    }
    if entry.author is not None:
        posting["author"] = {
            "@type": "Person",
            "name": entry.author.title,
            "url": page_url(entry.author),
        }
    for block in entry.media:
        if block.block_type == "image" and block.value.get("image") is not None:
            rendition = block.value["image"].get_rendition("width-1200|format-jpeg")
            posting["image"] = absolute(rendition.url)
    return posting


def live_blog_posting(
    ticker: LiveTickerPage, section: Any, entries: list[LiveEntry]
) -> dict[str, Any]:
    """The ticker's JSON-LD: the article's NewsArticle data as a LiveBlogPosting, with
    the newest entries (pinned ones included) as liveBlogUpdate."""
    meta = HeadMetadata(canonical=page_url(ticker))
    article_metadata(ticker, section, meta)
    data = dict(meta.json_ld or {})
    data["@type"] = "LiveBlogPosting"
    if ticker.coverage_started:
        data["coverageStartTime"] = ticker.coverage_started
    if ticker.coverage_end:
        data["coverageEndTime"] = ticker.coverage_end
    newest = sorted(entries, key=lambda entry: (entry.created_at, entry.pk), reverse=True)
    newest = newest[:UPDATES_IN_JSON_LD]
    changes = [entry.updated_at or entry.created_at for entry in newest]
    if changes and data.get("dateModified") and max(changes) > data["dateModified"]:
        data["dateModified"] = max(changes)
    data["liveBlogUpdate"] = [blog_posting(meta.canonical or "", entry) for entry in newest]
    return data
