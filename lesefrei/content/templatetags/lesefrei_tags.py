from datetime import datetime
from typing import Any

from django import template
from django.utils import timezone
from wagtail.models import Page, Site

from lesefrei.content.models import AuthorIndexPage, SectionPage, TopicIndexPage
from lesefrei.site.pagecache import add_cache_tags

register = template.Library()


@register.inclusion_tag("content/includes/section_nav.html", takes_context=True)
def section_nav(context: dict[str, Any]) -> dict[str, Any]:
    """The sections of the current site, in the editors' menu order."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    sections: list[SectionPage] = []
    if site is not None:
        sections = list(SectionPage.objects.live().public().child_of(site.root_page).in_menu())
    current = context.get("section") or context.get("page")
    current_pk = current.pk if isinstance(current, SectionPage) else None
    return {"sections": sections, "current_pk": current_pk}


@register.inclusion_tag("content/includes/footer_links.html", takes_context=True)
def footer_links(context: dict[str, Any]) -> dict[str, Any]:
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    links: list[Page] = []
    if site is not None:
        for model in (AuthorIndexPage, TopicIndexPage):
            links.extend(model.objects.live().public().child_of(site.root_page))
    return {"links": links}


@register.simple_tag(takes_context=True)
def cache_tag(context: dict[str, Any], *parts: Any) -> str:
    """Declare that the page being rendered shows something (`{% cache_tag "page" id %}`),
    so that the page cache drops it when that changes. Renders nothing."""
    add_cache_tags(context.get("request"), ":".join(str(part) for part in parts))
    return ""


@register.filter
def machine_datetime(value: datetime | None) -> str:
    """An aware datetime as HTML's `datetime` attribute wants it: ISO 8601 to the second,
    in the site's time zone (`date:"c"` adds microseconds, which HTML does not allow)."""
    if not value:
        return ""
    return timezone.localtime(value).isoformat(timespec="seconds")
