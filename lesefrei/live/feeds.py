"""RSS and Atom of a ticker's entries, newest first (Django's syndication framework,
like discovery/feeds.py for articles)."""

from datetime import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.utils.html import escape
from django.utils.text import Truncator
from wagtail.rich_text import expand_db_html

from lesefrei.discovery.feeds import AtomFeed, RssFeed
from lesefrei.discovery.rendering import absolute, page_url

from . import selectors
from .metadata import entry_plain_text, entry_url
from .models import LiveEntry, LiveTickerPage

ENTRIES_IN_FEED = 50


class EntryFeed(Feed):
    # Writers that drop characters XML cannot carry (a row that got in another way).
    feed_type = RssFeed
    language = "de"

    def get_object(self, request: HttpRequest, ticker_id: int) -> LiveTickerPage:
        ticker = selectors.live_ticker(ticker_id)
        if ticker is None:
            raise Http404
        return ticker

    def title(self, obj: LiveTickerPage) -> str:
        return f"Liveticker: {obj.title} – {settings.WAGTAIL_SITE_NAME}"

    def description(self, obj: LiveTickerPage) -> str:
        return obj.teaser

    def subtitle(self, obj: LiveTickerPage) -> str:
        return obj.teaser

    def link(self, obj: LiveTickerPage) -> str:
        return page_url(obj)

    def items(self, obj: LiveTickerPage) -> list[LiveEntry]:
        self.ticker_url = page_url(obj)
        return list(selectors.entries(obj.pk).order_by("-created_at", "-pk")[:ENTRIES_IN_FEED])

    def item_title(self, item: LiveEntry) -> str:
        return item.title or Truncator(entry_plain_text(item)).chars(100)

    def item_description(self, item: LiveEntry) -> str:
        html = expand_db_html(item.text)
        for block in item.media:
            if block.block_type == "quote":
                html += f"<blockquote><p>„{escape(block.value['text'])}“</p></blockquote>"
                if block.value.get("attribution"):
                    html += f"<p>– {escape(block.value['attribution'])}</p>"
            elif block.block_type == "embed":
                url = escape(block.value["url"])
                html += f'<p><a href="{url}">{escape(block.value.get("title") or url)}</a></p>'
            elif block.block_type == "image" and block.value.get("image") is not None:
                image = block.value["image"]
                rendition = image.get_rendition("width-1200|format-jpeg")
                alt = escape(image.default_alt_text or "")
                html += f'<p><img src="{absolute(rendition.url)}" alt="{alt}"></p>'
                if block.value.get("caption"):
                    html += f"<p>{escape(block.value['caption'])}</p>"
        return html

    def item_link(self, item: LiveEntry) -> str:
        return entry_url(self.ticker_url, item)

    def item_guid(self, item: LiveEntry) -> str:
        return entry_url(self.ticker_url, item)

    def item_author_name(self, item: LiveEntry) -> str | None:
        return item.author.title if item.author is not None else None

    def item_pubdate(self, item: LiveEntry) -> datetime:
        return item.created_at

    def item_updateddate(self, item: LiveEntry) -> datetime:
        return item.updated_at or item.created_at


class AtomEntryFeed(EntryFeed):
    feed_type = AtomFeed
