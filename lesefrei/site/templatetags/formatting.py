"""Filters for values shown to people (lesefrei/site/l10n.py), built into every template
(settings TEMPLATES "builtins"): `{{ pledge.amount|money }}`, `{{ campaign.is_active|yes_no }}`,
`{{ pledge.ends_on|or_empty }}`."""

from decimal import Decimal
from typing import Any

from django import template

from lesefrei.site import l10n

register = template.Library()


@register.filter
def money(amount: Decimal | int | str | None, style: str = "") -> str:
    """`{{ amount|money }}` for readers ("10 €"), `{{ amount|money:"cents" }}` for
    finance screens and tables ("10,00 €")."""
    return l10n.format_money(amount, cents=style == "cents")


@register.filter
def yes_no(value: Any) -> str:
    return l10n.yes_no(value)


@register.filter
def or_empty(value: Any) -> Any:
    """The value, or a dash when there is none (instead of "None" or nothing)."""
    return l10n.EMPTY if value is None or value == "" else value


@register.filter
def number(value: int | Decimal | float | None) -> str:
    return l10n.EMPTY if value is None else l10n.format_number(value)
