"""`{% live_entries page %}`: the ticker's entries and its JSON-LD, kept under the
version of the ticker's tag (caching.py) and tagged `live:<id>` for the page cache."""

import json
from typing import Any

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe

from lesefrei.cache import CONTENT, cached, key
from lesefrei.cache.adapters import current_site
from lesefrei.discovery.metadata import JSON_SCRIPT_ESCAPES

from .. import caching, selectors
from ..metadata import live_blog_posting
from ..models import LiveEntry, LiveTickerPage

register = template.Library()


def json_ld_script(data: dict[str, Any]) -> SafeString:
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return mark_safe(text.translate(JSON_SCRIPT_ESCAPES))  # escaped like json_script


def spans_days(entries: list[LiveEntry]) -> bool:
    """Whether the entries fall on more than one day (then each shows its date too)."""
    days = {timezone.localtime(entry.created_at).date() for entry in entries}
    return len(days) > 1


def render_entries(request: Any, ticker: LiveTickerPage, section: Any) -> str:
    shown = selectors.ticker_entries(ticker.pk)
    return render_to_string(
        "live/includes/entries.html",
        {
            "ticker": ticker,
            "pinned": shown.pinned,
            "timeline": shown.timeline,
            "show_dates": spans_days(shown.all),
            "newest_id": shown.newest_id,
            "updates_url": reverse("live:entries_after", args=[ticker.pk, 0]).replace(
                "/0.json", "/"
            ),
            "json_ld": json_ld_script(live_blog_posting(ticker, section, shown.all)),
        },
        request=request,
    )


@register.simple_tag(takes_context=True)
def live_entries(context: dict[str, Any], ticker: LiveTickerPage) -> str:
    request = context.get("request")
    caching.show_entries(request, ticker.pk)
    site = current_site(request)
    kept_as = key(
        request,
        "live-entries",
        [caching.tag(ticker.pk), CONTENT],
        site.pk if site else "",
        ticker.pk,
    )
    section = context.get("section")
    return mark_safe(cached(request, kept_as, lambda: render_entries(request, ticker, section)))


@register.filter
def entry_time(entry_time: Any, with_date: bool = False) -> str:
    """The entry's local clock time in the language's format ("09:16 Uhr" / "09:16"),
    with the day in front when the ticker runs over more than one day."""
    local = timezone.localtime(entry_time)
    clock = date_format(local, "TIME_FORMAT")
    return f"{date_format(local, 'MONTH_DAY_FORMAT')}, {clock}" if with_date else clock
