"""/sitemap.xml: Wagtail's sitemap of all live public pages (with lastmod), its
addresses on SITE_URL like every other address lesefrei hands out."""

from typing import Any
from urllib.parse import urlsplit

from wagtail.contrib.sitemaps import Sitemap

from .rendering import absolute


class PublicSitemap(Sitemap):
    def _urls(self, page: Any, protocol: Any, domain: Any) -> list[dict[str, Any]]:
        urls = super()._urls(page, protocol, domain)
        for url in urls:
            parts = urlsplit(url["location"])
            url["location"] = absolute(parts.path + (f"?{parts.query}" if parts.query else ""))
        return urls
