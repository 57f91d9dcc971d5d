"""Reads of the legal pages and the corrections log. Links that stand on many pages (the
footer, "schreiben Sie uns", the corrections log under an article) are plain data kept
per content version (lesefrei/cache/pieces.py): a page render asks no query for them."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from wagtail.models import Page, Site

from lesefrei.cache import CONTENT, cached_value, key
from lesefrei.cache.adapters import current_site
from lesefrei.content.models import public

from .models import Correction, CorrectionsPage, FooterSettings, LegalPage

# Page-cache tag of the corrections log (lesefrei/cache/).
CORRECTIONS_TAG = "list:corrections"


def corrections_log() -> QuerySet[Correction]:
    """Every correction of a live, public article, newest first."""
    from lesefrei.content.models import ArticlePage

    articles = public(ArticlePage.objects.live()).values("pk")
    return (
        Correction.objects.filter(article__in=articles)
        .select_related("article")
        .order_by("-published_at", "-pk")
    )


def _link(page: Page, site: Site) -> dict[str, Any]:
    return {"pk": page.pk, "title": page.title, "url": page.get_url(current_site=site)}


def footer_pages(site: Site) -> list[Page]:
    """The live, public pages the footer links: those the site setting names, in its
    order, else every legal and service page right under the site's home page."""
    setting = FooterSettings.objects.filter(site=site).first()
    if setting is not None:
        chosen = [link.page_id for link in setting.links.all()]
        if chosen:
            live = {page.pk: page for page in public(Page.objects.live()).filter(pk__in=chosen)}
            return [live[pk] for pk in chosen if pk in live]
    models = (LegalPage, CorrectionsPage)
    pages = public(Page.objects.live()).child_of(site.root_page).type(*models)
    return list(pages.order_by("path"))


def footer_links(site: Site) -> list[dict[str, Any]]:
    return [_link(page, site) for page in footer_pages(site)]


def page_of_kind(site: Site, kind: str) -> LegalPage | None:
    """The site's first live legal page of `kind` (LegalPage.Kind), in tree order."""
    pages = public(LegalPage.objects.live()).descendant_of(site.root_page)
    return pages.filter(kind=kind).order_by("path").first()


def corrections_page(site: Site) -> CorrectionsPage | None:
    pages = public(CorrectionsPage.objects.live()).descendant_of(site.root_page)
    return pages.order_by("path").first()


def site_for(request: HttpRequest | None) -> Site | None:
    """The request's site, or the default site (mails rendered outside a request)."""
    if request is not None:
        return current_site(request)
    return Site.objects.filter(is_default_site=True).first()


def kept_links(request: HttpRequest | None, name: str, compute: Any) -> Any:
    """`compute(site)` for the request's site, kept per content version ("" when there
    is no site or nothing to link: never None, so that an empty answer is kept too)."""
    site = site_for(request)
    if site is None:
        return ""
    return cached_value(
        key(request, f"pages-links:{name}", [CONTENT], site.pk), lambda: compute(site) or ""
    )


def footer_links_for(request: HttpRequest | None) -> list[dict[str, Any]]:
    return kept_links(request, "footer", footer_links) or []


def contact_url_for(request: HttpRequest | None) -> str:
    """The address of the Kontakt page ("" when there is none)."""

    def contact(site: Site) -> str:
        page = page_of_kind(site, LegalPage.Kind.CONTACT)
        return page.get_url(current_site=site) if page else ""

    return kept_links(request, "contact", contact)


def privacy_url_for(request: HttpRequest | None) -> str:
    def privacy(site: Site) -> str:
        page = page_of_kind(site, LegalPage.Kind.PRIVACY)
        return page.get_url(current_site=site) if page else ""

    return kept_links(request, "privacy", privacy)


def corrections_url_for(request: HttpRequest | None) -> str:
    def url(site: Site) -> str:
        page = corrections_page(site)
        return page.get_url(current_site=site) if page else ""

    return kept_links(request, "corrections", url)
