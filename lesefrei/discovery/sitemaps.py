"""/sitemap.xml: Wagtail's sitemap of all live public pages (with lastmod), plus the topic
pages (routes of the topic index, which Wagtail's sitemap does not list), and the entries
of the news sitemap. Addresses are on SITE_URL like every other address lesefrei hands
out; titles have control characters dropped (content/characters.py), so one bad row
cannot make the file invalid XML."""

from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap as DjangoSitemap
from django.db.models import QuerySet
from django.utils.timezone import localtime
from wagtail.contrib.sitemaps import Sitemap

from lesefrei.content.characters import strip_control_characters
from lesefrei.content.models import Topic
from lesefrei.content.selectors import topics_in_use

from .rendering import absolute, page_url, topic_url
from .selectors import recent_articles


class PublicSitemap(Sitemap):
    def _urls(self, page: Any, protocol: Any, domain: Any) -> list[dict[str, Any]]:
        urls = super()._urls(page, protocol, domain)
        for url in urls:
            parts = urlsplit(url["location"])
            url["location"] = absolute(parts.path + (f"?{parts.query}" if parts.query else ""))
        return urls


class TopicSitemap(DjangoSitemap):
    def __init__(self, request: Any = None) -> None:
        self.request = request

    def items(self) -> QuerySet[Topic]:
        # Only topics of live public articles; `newest` is their latest publication.
        return topics_in_use()

    def location(self, topic: Topic) -> str:
        return topic_url(topic) or absolute("/")

    def lastmod(self, topic: Topic) -> datetime | None:
        return topic.newest

    def get_urls(self, page: int = 1, site: Any = None, protocol: Any = None) -> list[dict]:
        # Locations are already absolute (SITE_URL); Django would prefix its own domain.
        urls = []
        for topic in self.paginator.page(page).object_list:
            urls.append({"item": topic, "location": self.location(topic), "lastmod": topic.newest})
        return urls


SITEMAPS = {"pages": PublicSitemap, "topics": TopicSitemap}


def news_sitemap_entries(hours: int = 48) -> list[dict[str, str]]:
    """Google's news sitemap: the articles of the last `hours`, newest first."""
    return [
        {
            "public_url": page_url(article),
            "title": strip_control_characters(article.title),
            # W3C datetime, as the protocol asks: seconds and a +01:00 offset.
            "published": localtime(article.date_published).replace(microsecond=0).isoformat(),
        }
        for article in recent_articles(hours=hours)
    ]
