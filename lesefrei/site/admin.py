"""Pieces for the project's Wagtail ViewSets that show values the way staff read them
(lesefrei/site/l10n.py): Wagtail's generic inspect view and table cells print a value as
Python writes it ("True", "None", "186.00"), so lists and inspect views of money and
yes/no fields use these instead."""

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model
from django.utils.text import capfirst
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import InspectView

from lesefrei.site import l10n


class MoneyColumn(Column):
    """A euro amount: "186,00 €" in German, "€186.00" in English."""

    def get_value(self, instance: Any) -> str:
        return l10n.format_money(super().get_value(instance), cents=True)


class YesNoColumn(Column):
    """A boolean as a word ("ja"/"nein"), which a screen reader reads as well."""

    def get_value(self, instance: Any) -> str:
        return l10n.yes_no(super().get_value(instance))


class MomentColumn(Column):
    """A date or time in local time with the language's short format ("05.12.2026 09:16");
    Wagtail's own date column says "3 hours ago", which a finance list cannot sort by eye."""

    def get_value(self, instance: Any) -> str:
        return l10n.format_moment(super().get_value(instance))


class LocalizedInspectView(InspectView):
    """Wagtail's inspect view with words for booleans and empty values, money for euro
    fields (their verbose name carries "€") and local time for moments."""

    def get_field_display_value(self, field_name: str, field: Any) -> Any:
        value = super().get_field_display_value(field_name, field)
        if field is None:
            try:
                field = self.model._meta.get_field(field_name)
            except FieldDoesNotExist:
                field = None
        return l10n.display_value(value, field)


def field_column(column_class: type[Column], model: type[Model], name: str) -> Column:
    """A `column_class` column for the model field `name`, labelled and sorted as Wagtail
    labels and sorts a column given by name."""
    field = model._meta.get_field(name)
    return column_class(name, label=capfirst(field.verbose_name), sort_key=name)
