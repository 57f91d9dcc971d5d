"""Writing the pain.008.001.08 file (sepaxml) and checking it against the official XSD."""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.conf import settings
from lxml import etree
from schwifty import IBAN
from sepaxml import SepaDD

PAIN_008 = "pain.008.001.08"
SCHEMA_PATH = Path(__file__).resolve().parent / "schemas" / f"{PAIN_008}.xsd"


class SepaFileError(Exception):
    """The generated file does not match the schema: a bug or bad master data."""


@dataclass(frozen=True)
class Debit:
    """One transaction of the file, as read from a collection and its mandate."""

    end_to_end_id: str
    amount: Decimal
    sequence_type: str
    collection_date: date
    mandate_reference: str
    mandate_signed_on: date
    debtor_name: str
    iban: str
    bic: str
    remittance: str
    address: dict[str, str]


@cache
def pain_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA_PATH)))


def validate_pain(xml: bytes) -> None:
    """Raise SepaFileError unless `xml` is a valid pain.008.001.08 document."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    document = etree.fromstring(xml, parser)
    schema = pain_schema()
    if not schema.validate(document):
        error = schema.error_log.last_error
        raise SepaFileError(f"pain.008 invalid at line {error.line}: {error.message}")


def creditor_config() -> dict[str, object]:
    iban = IBAN(settings.SUPPORT_CREDITOR_IBAN)
    bic = settings.SUPPORT_CREDITOR_BIC or (str(iban.bic.compact) if iban.bic else "")
    config: dict[str, object] = {
        "name": settings.SUPPORT_CREDITOR_NAME,
        "IBAN": str(iban.compact),
        "batch": True,
        "creditor_id": settings.SUPPORT_CREDITOR_ID.replace(" ", ""),
        "currency": "EUR",
        "instrument": "CORE",
    }
    if bic:
        config["BIC"] = bic
    return config


def cents(amount: Decimal) -> int:
    return int((amount * 100).quantize(Decimal("1")))


def build_pain_008(debits: Iterable[Debit]) -> tuple[bytes, str]:
    """The XML of one CORE direct-debit file and its message id. sepaxml groups the
    transactions into one payment information block per collection date and sequence
    type (the bank needs both per block); the file is validated before it is returned."""
    document = SepaDD(creditor_config(), schema=PAIN_008, clean=True)
    for debit in debits:
        payment: dict[str, object] = {
            "name": debit.debtor_name,
            "IBAN": debit.iban,
            "amount": cents(debit.amount),
            "type": debit.sequence_type,
            "collection_date": debit.collection_date,
            "mandate_id": debit.mandate_reference,
            "mandate_date": debit.mandate_signed_on,
            "description": debit.remittance,
            "endtoend_id": debit.end_to_end_id,
        }
        if debit.bic:
            payment["BIC"] = debit.bic
        if debit.address:
            payment["address"] = debit.address
        document.add_payment(payment)
    # Compact: pretty printing goes through minidom, which needs several times the
    # memory and time of the file itself (100,000 debits: minutes and gigabytes).
    xml = document.export(validate=False, pretty_print=False)
    validate_pain(xml)
    return xml, document.msg_id


def sepa_text(value: str, length: int) -> str:
    """Text in the SEPA character set: transliterated (Zürich → Zurich), then anything
    else replaced, as sepaxml does for names and remittance texts."""
    from text_unidecode import unidecode

    return re.sub(r"[^A-Za-z0-9/\-?:().,'+ ]", " ", unidecode(value))[:length].strip()
