from datetime import datetime
from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils import timezone
from wagtail.models import Page, Site

from lesefrei.cache import CONTENT, add_cache_tags, cached_value, key
from lesefrei.cache.adapters import current_site
from lesefrei.cache.pieces import fragment_tag
from lesefrei.content.models import (
    AuthorIndexPage,
    SectionPage,
    TopicIndexPage,
    credit_line,
    public,
)

register = template.Library()


def _page_links(site: Site, models: tuple[type[Page], ...], menu_only: bool = False) -> list[dict]:
    """Address, title, id and tree path of the live, public pages of `models` right
    under the site's root, as plain data kept per content version."""
    links: list[dict] = []
    for model in models:
        pages = public(model.objects.live()).child_of(site.root_page)
        if menu_only:
            pages = pages.in_menu()
        links.extend(
            {"pk": page.pk, "path": page.path, "url": page.url, "title": page.title}
            for page in pages
        )
    return links


def _site_links(context: dict[str, Any], name: str, **kwargs: Any) -> list[dict]:
    request = context.get("request")
    site = current_site(request) if request else None
    if site is None:
        return []
    return cached_value(
        key(request, f"links:{name}", [CONTENT], site.pk), lambda: _page_links(site, **kwargs)
    )


def _kept_html(context: dict[str, Any], name: str, template_name: str, data: dict) -> str:
    """`template_name` rendered with `data`, kept per content version, site, language and
    data: the navigation is the same on every page of a section."""
    request = context.get("request")
    site = current_site(request) if request else None
    if site is None:
        return render_to_string(template_name, data)
    vary = [site.pk, *(str(value) for value in data.values() if not isinstance(value, list))]
    return cached_value(
        key(request, name, [CONTENT], *vary), lambda: render_to_string(template_name, data)
    )


@register.simple_tag(takes_context=True)
def section_nav(context: dict[str, Any]) -> str:
    """The sections of the current site, in the editors' menu order; the current one is
    the page itself or the section the page (an article) stands in."""
    sections = _site_links(context, "sections", models=(SectionPage,), menu_only=True)
    page = context.get("page")
    current_pk = None
    if isinstance(page, Page) and page.path:
        current_pk = next(
            (section["pk"] for section in sections if page.path.startswith(section["path"])),
            None,
        )
    elif isinstance(context.get("section"), SectionPage):
        current_pk = context["section"].pk
    data = {"sections": sections, "current_pk": current_pk}
    return _kept_html(context, "section-nav", "content/includes/section_nav.html", data)


@register.simple_tag(takes_context=True)
def footer_links(context: dict[str, Any]) -> str:
    links = _site_links(context, "footer", models=(AuthorIndexPage, TopicIndexPage))
    return _kept_html(
        context, "footer-links", "content/includes/footer_links.html", {"links": links}
    )


register.tag("fragment", fragment_tag("endfragment", (CONTENT,)))


register.filter("credit_line", credit_line)


@register.filter
def wagtail_page_pk(value: Any) -> int | str:
    """The id of a Wagtail page, "" for anything else called `page` (a paginator page)."""
    return value.pk if isinstance(value, Page) and value.pk else ""


@register.filter
def page_number(value: Any) -> str:
    """The `?seite=` value when it is a number, else "" (keys of kept pieces stay
    bounded by what the page shows)."""
    value = str(value or "")
    return value if value.isascii() and value.isdigit() and len(value) < 7 else ""


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
