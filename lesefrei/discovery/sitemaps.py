"""/sitemap.xml: Wagtail's sitemap of all live public pages (with lastmod), plus the topic
pages (routes of the topic index, which Wagtail's sitemap does not list). Addresses are
on SITE_URL like every other address lesefrei hands out."""

from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap as DjangoSitemap
from django.db.models import Max, Q, QuerySet
from wagtail.contrib.sitemaps import Sitemap

from lesefrei.content.models import Topic
from lesefrei.content.selectors import topics_in_use

from .rendering import absolute, topic_url


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
        live = Q(tagged_articles__content_object__live=True)
        return topics_in_use().annotate(
            newest=Max("tagged_articles__content_object__last_published_at", filter=live)
        )

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
