"""Reader endpoints of a ticker: the entries added since a given one (JSON, for the
"3 neue Einträge" notice) and the feeds. Both are the same for every reader, kept under
the versions of the ticker's tag (caching.py) and cacheable by nginx as briefly as pages are, so
they are exact within two seconds of a change."""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import ngettext

from lesefrei.cache import CONTENT, cached_value, key
from lesefrei.cache.pages import accel_expires

from . import caching, selectors
from .feeds import AtomEntryFeed, EntryFeed
from .templatetags.live_tags import spans_days

CACHE_CONTROL = "public, max-age=1"


def _kept(request: HttpRequest, ticker_id: int, name: str, compute: Callable[[], Any]) -> Any:
    """`compute()` kept under the ticker's and the content's versions (None: not kept)."""
    return cached_value(
        key(request, f"live:{name}", [caching.tag(ticker_id), CONTENT], ticker_id), compute
    )


def _shared(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = CACHE_CONTROL
    response["X-Accel-Expires"] = accel_expires()
    return response


def _ticker_state(ticker_id: int) -> dict[str, Any] | None:
    ticker = selectors.live_ticker(ticker_id)
    if ticker is None:
        return None
    ids = list(selectors.entries(ticker_id).order_by("pk").values_list("pk", flat=True))
    return {"ids": ids, "running": ticker.is_running}


def entries_after(request: HttpRequest, ticker_id: str, entry_id: str) -> HttpResponse:
    """{"newest", "count", "notice", "html", "running"}: the entries added after
    `entry_id`, rendered as on the page. `entry_id` is rounded down to an existing
    entry, so the answers kept per version are bounded by the number of entries."""
    ticker_pk = int(ticker_id)
    state = _kept(request, ticker_pk, "state", lambda: _ticker_state(ticker_pk))
    if state is None:
        return JsonResponse({"error": "Diesen Liveticker gibt es nicht."}, status=404)
    since = max((pk for pk in state["ids"] if pk <= int(entry_id)), default=0)

    def answer() -> dict[str, Any]:
        new = selectors.entries_after(ticker_pk, since)
        show_dates = spans_days(list(selectors.entries(ticker_pk)))
        html = "".join(
            render_to_string("live/includes/entry.html", {"entry": entry, "show_dates": show_dates})
            for entry in new
        )
        count = len(new)
        return {
            "newest": max((entry.pk for entry in new), default=since),
            "count": count,
            "notice": ngettext("%(count)d neuer Eintrag", "%(count)d neue Einträge", count)
            % {"count": count},
            "html": html,
            "running": state["running"],
        }

    data = _kept(request, ticker_pk, f"after:{since}", answer)
    return _shared(JsonResponse(data))


def feed(request: HttpRequest, ticker_id: str, kind: str) -> HttpResponse:
    ticker_pk = int(ticker_id)
    feed_view = AtomEntryFeed() if kind == "atom" else EntryFeed()

    def render() -> tuple[bytes, str]:
        response = feed_view(request, ticker_id=ticker_pk)
        return response.content, response["Content-Type"]

    content, content_type = _kept(request, ticker_pk, f"feed-{kind}", render)
    return _shared(HttpResponse(content, content_type=content_type))
