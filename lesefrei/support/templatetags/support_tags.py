from decimal import Decimal
from typing import Any

from django import template

from lesefrei.support import selectors
from lesefrei.support.models import format_euro

register = template.Library()


@register.simple_tag
def campaign_progress() -> dict[str, Any] | None:
    """The support box's figure (cached; the same for every reader)."""
    return selectors.campaign_progress()


@register.filter
def euro(amount: Decimal | int | str | None) -> str:
    return "" if amount is None or amount == "" else format_euro(Decimal(amount))
