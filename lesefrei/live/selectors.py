"""Reads of tickers and their entries, with the joins their templates need."""

from dataclasses import dataclass

from django.db.models import QuerySet

from lesefrei.content.models import public

from .models import LiveEntry, LiveTickerPage

# A ticker page shows this many entries (a long election night has a few hundred); the
# feed and the "new entries" answer fewer.
ENTRIES_ON_PAGE = 300


@dataclass
class TickerEntries:
    pinned: list[LiveEntry]
    timeline: list[LiveEntry]  # newest first, without the pinned ones

    @property
    def newest_id(self) -> int:
        return max((entry.pk for entry in [*self.pinned, *self.timeline]), default=0)

    @property
    def all(self) -> list[LiveEntry]:
        return [*self.pinned, *self.timeline]


def entries(ticker_id: int) -> QuerySet[LiveEntry]:
    return LiveEntry.objects.filter(ticker_id=ticker_id).select_related("author")


def ticker_entries(ticker_id: int, limit: int | None = None) -> TickerEntries:
    """The pinned entries on top, then the others newest first (at most `limit`)."""
    limit = limit or ENTRIES_ON_PAGE
    rows = list(entries(ticker_id).order_by("-pinned", "-created_at", "-pk")[:limit])
    return TickerEntries(
        pinned=[entry for entry in rows if entry.pinned],
        timeline=[entry for entry in rows if not entry.pinned],
    )


def entries_after(ticker_id: int, entry_id: int) -> list[LiveEntry]:
    """Entries added after `entry_id` (ids grow with every entry), newest first."""
    return list(entries(ticker_id).filter(pk__gt=entry_id).order_by("-created_at", "-pk")[:100])


def live_ticker(ticker_id: int) -> LiveTickerPage | None:
    """The published ticker readers may see, or None."""
    return public(LiveTickerPage.objects.live()).filter(pk=ticker_id).first()
