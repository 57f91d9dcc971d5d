from decimal import Decimal
from typing import Any

from django import template

from lesefrei.cache import add_cache_tags
from lesefrei.cache.pieces import fragment_tag
from lesefrei.support import selectors
from lesefrei.support.models import format_euro

register = template.Library()

# The support box, kept under the version of the campaign's tag (lesefrei/cache/pieces.py).
register.tag(
    "campaign_fragment",
    fragment_tag(
        "endcampaign_fragment", (selectors.CAMPAIGN_CACHE_TAG,), "SUPPORT_PROGRESS_CACHE_SECONDS"
    ),
)


@register.simple_tag(takes_context=True)
def campaign_progress(context: template.Context) -> dict[str, Any] | None:
    """The support box's figure (cached; the same for every reader). The page is tagged,
    so the page cache drops it when the figure changes."""
    add_cache_tags(context.get("request"), selectors.CAMPAIGN_CACHE_TAG)
    return selectors.campaign_progress()


@register.filter
def euro(amount: Decimal | int | str | None) -> str:
    return "" if amount is None or amount == "" else format_euro(Decimal(amount))
