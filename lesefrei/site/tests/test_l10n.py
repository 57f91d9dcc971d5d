"""Money the language's way: whole amounts without cents for readers, always with
cents on finance screens; the sign never parts from the amount."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from lesefrei.site.l10n import format_money


@pytest.mark.parametrize(
    ("language", "amount", "cents", "shown"),
    [
        ("de", "10", False, "10\u00a0€"),
        ("de", "12.5", False, "12,50\u00a0€"),
        ("de", "186", True, "186,00\u00a0€"),
        ("de", "1234.5", True, "1.234,50\u00a0€"),
        ("en", "10", False, "€10"),
        ("en", "186", True, "€186.00"),
        ("en", "1234.5", True, "€1,234.50"),
    ],
)
def test_money_keeps_cents_for_finance_and_drops_them_for_whole_reader_amounts(
    language: str, amount: str, cents: bool, shown: str
) -> None:
    with translation.override(language):
        assert format_money(Decimal(amount), cents=cents) == shown


def test_the_money_filter_takes_cents_for_tables() -> None:
    template = Template('{{ amount|money }} / {{ amount|money:"cents" }}')
    with translation.override("de"):
        assert template.render(Context({"amount": Decimal("20")})) == "20\u00a0€ / 20,00\u00a0€"
