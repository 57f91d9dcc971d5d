"""Links to the legal and service pages from anywhere: the footer, "schreiben Sie uns" in
messages and mails, the corrections log under a corrected article. Each address is kept
per content version (selectors.kept_links); the pages that show them are dropped from
the page cache by the tag "site" when one changes (signals.py)."""

import re
from typing import Any

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .. import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def legal_footer_links(context: dict[str, Any]) -> str:
    """The footer's links to the pages the footer setting chooses (`<li>` items)."""
    links = selectors.footer_links_for(context.get("request"))
    return render_to_string("pages/includes/footer_links.html", {"links": links})


def _absolute(url: str) -> str:
    return url if not url or "://" in url else settings.SITE_URL + url


@register.simple_tag(takes_context=True)
def contact_url(context: dict[str, Any], absolute: bool = False) -> str:
    """The Kontakt page's address ("" when the site has none); absolute for mails."""
    url = selectors.contact_url_for(context.get("request"))
    return _absolute(url) if absolute else url


@register.simple_tag(takes_context=True)
def contact_linked(context: dict[str, Any], text: Any) -> SafeString:
    """`text` escaped, with the first "schreiben Sie uns" (in the current language) made
    a link to the Kontakt page: messages that ask readers to write get an address."""
    escaped = str(escape(text))
    url = selectors.contact_url_for(context.get("request"))
    if not url:
        return mark_safe(escaped)
    for phrase in (_("schreiben Sie uns"), _("uns auch einfach schreiben")):
        pattern = re.compile(re.escape(str(escape(phrase))), re.IGNORECASE)
        match = pattern.search(escaped)
        if match:
            link = format_html('<a href="{}">{}</a>', url, mark_safe(match.group(0)))
            return mark_safe(escaped[: match.start()] + link + escaped[match.end() :])
    return mark_safe(escaped)


@register.simple_tag(takes_context=True)
def corrections_link(context: dict[str, Any]) -> str:
    """A link to the corrections log (under a corrected article); "" without a log."""
    url = selectors.corrections_url_for(context.get("request"))
    if not url:
        return ""
    return format_html(
        '<p class="correction__log"><a href="{}">{}</a></p>', url, _("Alle Korrekturen")
    )
