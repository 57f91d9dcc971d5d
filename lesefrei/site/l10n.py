"""Values shown to people, in the site's one language (settings.LANGUAGE_CODE): money,
yes/no, empty values, and moments in local time. Templates reach these through the
`formatting` filters (lesefrei/site/templatetags/formatting.py, built into every
template); Python code that builds a sentence or an admin column calls them directly.

Raw values never reach a screen: `True`, `None` and `186.00` are how Python writes them,
not how a reader or a finance clerk does.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import formats, numberformat, timezone
from django.utils.translation import gettext as _

# Shown for a value that is not there (no reader account, no end date).
EMPTY = "—"


def format_money(amount: Decimal | int | str | None, *, cents: bool = False) -> str:
    """Euro amounts the language's way: "10 €" and "12,50 €" in German, "€10" and
    "€12.50" in English. Whole amounts keep no cents, as newsrooms write them to
    readers; `cents` keeps them always ("186,00 €"), as finance screens and tables do."""
    if amount is None or amount == "":
        return ""
    value = Decimal(amount).quantize(Decimal("0.01"))
    places = 0 if value == value.to_integral_value() and not cents else 2
    number = numberformat.format(
        value,
        formats.get_format("DECIMAL_SEPARATOR"),
        decimal_pos=places,
        grouping=formats.get_format("NUMBER_GROUPING"),
        thousand_sep=formats.get_format("THOUSAND_SEPARATOR"),
        force_grouping=True,
    )
    # The position of the sign is the translation's choice (English: "€%(amount)s"); the
    # amount and its sign never part at the end of a line.
    return (_("%(amount)s €") % {"amount": number}).replace(" ", "\u00a0")


def format_number(value: int | Decimal | float) -> str:
    """A count or figure with the language's separators (12.345 / 12,345)."""
    return formats.number_format(value, force_grouping=True)


def yes_no(value: Any) -> str:
    if value is None:
        return EMPTY
    return _("ja") if value else _("nein")


def format_moment(value: datetime | date | None, short: bool = True) -> str:
    """A moment in the site's time zone (TIME_ZONE), never in UTC as stored."""
    if value is None:
        return EMPTY
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        name = "SHORT_DATETIME_FORMAT" if short else "DATETIME_FORMAT"
    else:
        name = "SHORT_DATE_FORMAT" if short else "DATE_FORMAT"
    return formats.date_format(value, name)


def display_value(value: Any, field: models.Field | None = None) -> Any:
    """What a staff screen shows for a model field's value: words for booleans and
    empty values, money for euro amounts, local time for moments; other values as they
    are (model instances and strings render themselves)."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, Decimal) and (field is None or "€" in str(field.verbose_name)):
        return format_money(value, cents=True)
    if isinstance(value, datetime | date):
        return format_moment(value)
    if isinstance(value, int | float | Decimal):
        return format_number(value)
    return value
