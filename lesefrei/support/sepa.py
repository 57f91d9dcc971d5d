"""Writing the pain.008.001.08 file and checking it against the official XSD.

The file is written incrementally (lxml's `xmlfile`) and validated while it is read back
(`iterparse` with the schema), so that memory stays flat however many debits a run
holds: the totals of the group header and of each payment information block come first
in the file, and are passed in (the export computes them with aggregate queries);
the writer checks that the debits it is given add up to them.
"""

import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from io import BytesIO
from itertools import groupby
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.utils.translation import gettext as _
from lxml import etree
from schwifty import IBAN
from text_unidecode import unidecode

PAIN_008 = "pain.008.001.08"
NAMESPACE = f"urn:iso:std:iso:20022:tech:xsd:{PAIN_008}"
SCHEMA_PATH = Path(__file__).resolve().parent / "schemas" / f"{PAIN_008}.xsd"


class SepaFileError(Exception):
    """The generated file does not match the schema: a bug or bad master data."""


class UnreadableName(SepaFileError):
    """A name no bank can read. The message completes "Der Name … " / "Kontoinhaber/in …"
    in German: the pledge form shows it to the reader, the collection run to finance."""


# Control characters (C0, DEL, C1), lone surrogates and the two non-characters: XML
# forbids most of them, and none belongs in a name a bank prints on a statement.
CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# Invisible formatting characters: soft hyphen, zero-width spaces and joiners, the
# direction marks, embeddings, overrides and isolates (U+202E shows "Müller" as
# "Mürell" on a staff screen), the byte order mark. The forms refuse them in names;
# the file leaves them out.
INVISIBLE_CHARACTERS = re.compile(
    "[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]"
)


@dataclass(slots=True)
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


@dataclass(frozen=True)
class Batch:
    """One payment information block: the debits of one collection date and sequence
    type (the bank needs both per block), with their number and sum."""

    collection_date: date
    sequence_type: str
    count: int
    total: Decimal


@dataclass(frozen=True)
class Creditor:
    name: str
    iban: str
    bic: str
    creditor_id: str


def creditor() -> Creditor:
    iban = IBAN(settings.SUPPORT_CREDITOR_IBAN)
    bic = settings.SUPPORT_CREDITOR_BIC or (str(iban.bic.compact) if iban.bic else "")
    return Creditor(
        name=unidecode(settings.SUPPORT_CREDITOR_NAME)[:70],
        iban=str(iban.compact),
        bic=bic,
        creditor_id=settings.SUPPORT_CREDITOR_ID.replace(" ", ""),
    )


def new_message_id() -> str:
    """Unique per file (at most 35 characters): the time and 48 random bits."""
    return f"{datetime.now():%Y%m%d%H%M%S}-{secrets.token_hex(6)}"


@cache
def pain_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA_PATH)))


def validate_pain_file(file: BinaryIO) -> None:
    """Raise SepaFileError unless `file` holds a valid pain.008.001.08 document. The
    document is validated as it is parsed (by libxml2, element by element), and each
    transaction is dropped from the tree once read."""
    _refuse_doctype(file)
    events = etree.iterparse(
        file,
        events=("end",),
        tag=TAG["DrctDbtTxInf"],
        schema=pain_schema(),
        # Not resolve_entities=False: with it, lxml 6.1 takes a file that ends early
        # for complete. External entities and DTDs stay off all the same.
        resolve_entities="internal",
        no_network=True,
        load_dtd=False,
    )
    try:
        for _event, element in events:
            element.clear(keep_tail=True)
            while element.getprevious() is not None:
                del element.getparent()[0]
    except etree.XMLSyntaxError as error:
        raise SepaFileError(f"pain.008 invalid: {error.msg}") from None


def _refuse_doctype(file: BinaryIO) -> None:
    """A pain.008 file has no DOCTYPE: refuse one before validating. libxml2's schema
    validation while expanding internal entities crashes the process (lxml 6.1), so a
    file with entity definitions must never reach it. Reads up to the root element."""
    start = file.tell()
    head = etree.iterparse(
        file, events=("start",), resolve_entities=False, no_network=True, load_dtd=False
    )
    try:
        first = next(head, None)
        doctype = first[1].getroottree().docinfo.doctype if first is not None else ""
    except etree.XMLSyntaxError as error:
        raise SepaFileError(f"pain.008 invalid: {error.msg}") from None
    finally:
        file.seek(start)
    if doctype:
        raise SepaFileError("pain.008 invalid: a DOCTYPE is not allowed")


def validate_pain(xml: bytes) -> None:
    """Raise SepaFileError unless `xml` is a valid pain.008.001.08 document."""
    validate_pain_file(BytesIO(xml))


def amount_text(amount: Decimal) -> str:
    return f"{amount.quantize(Decimal('0.01')):f}"


def write_pain_008(
    out: BinaryIO,
    *,
    message_id: str,
    batches: list[Batch],
    debits: Iterable[Debit],
) -> None:
    """Write one CORE direct-debit file to `out`: a payment information block per
    batch, in the order given, each with the debits of its collection date and sequence
    type, which `debits` must yield in the same order. Raises SepaFileError when the
    debits do not add up to the batches (the header would lie to the bank)."""
    party = creditor()
    with etree.xmlfile(out, encoding="UTF-8") as xf:
        xf.write_declaration()
        with (
            xf.element(TAG["Document"], nsmap={None: NAMESPACE}),
            xf.element(TAG["CstmrDrctDbtInitn"]),
        ):
            with xf.element(TAG["GrpHdr"]):
                _leaf(xf, "MsgId", message_id)
                _leaf(xf, "CreDtTm", f"{datetime.now():%Y-%m-%dT%H:%M:%S}")
                _leaf(xf, "NbOfTxs", str(sum(b.count for b in batches)))
                _leaf(xf, "CtrlSum", amount_text(sum((b.total for b in batches), Decimal(0))))
                with xf.element(TAG["InitgPty"]):
                    _leaf(xf, "Nm", party.name)
                    with xf.element(TAG["Id"]), xf.element(TAG["OrgId"]), xf.element(TAG["Othr"]):
                        _leaf(xf, "Id", party.creditor_id)
            groups = groupby(debits, key=lambda d: (d.collection_date, d.sequence_type))
            for number, batch in enumerate(batches, start=1):
                key, group = next(groups, (None, iter(())))
                if key != (batch.collection_date, batch.sequence_type):
                    raise SepaFileError(
                        f"pain.008: block {batch.sequence_type} {batch.collection_date} "
                        f"announced, but the next debits belong to {key}"
                    )
                with xf.element(TAG["PmtInf"]):
                    _payment_information(xf, party, batch, f"{message_id}-{number}")
                    count, total = 0, Decimal(0)
                    for debit in group:
                        _write_debit(xf, debit)
                        count += 1
                        total += debit.amount
                if (count, total) != (batch.count, batch.total):
                    raise SepaFileError(
                        f"pain.008: block {batch.sequence_type} {batch.collection_date} "
                        f"announces {batch.count} debits, {batch.total} EUR, "
                        f"but has {count}, {total} EUR"
                    )
            if next(groups, None) is not None:
                raise SepaFileError("pain.008: more debits than the blocks announce")


class _Tags(dict[str, str]):
    """Element names in the pain.008 namespace, each built once (the file has millions
    of elements)."""

    def __missing__(self, name: str) -> str:
        self[name] = tag = f"{{{NAMESPACE}}}{name}"
        return tag


TAG = _Tags()
EUR = {"Ccy": "EUR"}


def _leaf(
    xf: etree.xmlfile, name: str, text: str, attributes: dict[str, str] | None = None
) -> None:
    with xf.element(TAG[name], attributes):
        xf.write(text)


def _payment_information(xf: etree.xmlfile, party: Creditor, batch: Batch, ident: str) -> None:
    _leaf(xf, "PmtInfId", ident)
    _leaf(xf, "PmtMtd", "DD")
    _leaf(xf, "BtchBookg", "true")
    _leaf(xf, "NbOfTxs", str(batch.count))
    _leaf(xf, "CtrlSum", amount_text(batch.total))
    with xf.element(TAG["PmtTpInf"]):
        with xf.element(TAG["SvcLvl"]):
            _leaf(xf, "Cd", "SEPA")
        with xf.element(TAG["LclInstrm"]):
            _leaf(xf, "Cd", "CORE")
        _leaf(xf, "SeqTp", batch.sequence_type)
    _leaf(xf, "ReqdColltnDt", batch.collection_date.isoformat())
    with xf.element(TAG["Cdtr"]):
        _leaf(xf, "Nm", party.name)
    with xf.element(TAG["CdtrAcct"]), xf.element(TAG["Id"]):
        _leaf(xf, "IBAN", party.iban)
    with xf.element(TAG["CdtrAgt"]), xf.element(TAG["FinInstnId"]):
        _agent(xf, party.bic)
    _leaf(xf, "ChrgBr", "SLEV")
    with (
        xf.element(TAG["CdtrSchmeId"]),
        xf.element(TAG["Id"]),
        xf.element(TAG["PrvtId"]),
        xf.element(TAG["Othr"]),
    ):
        _leaf(xf, "Id", party.creditor_id)
        with xf.element(TAG["SchmeNm"]):
            _leaf(xf, "Prtry", "SEPA")


def _agent(xf: etree.xmlfile, bic: str) -> None:
    if bic:
        _leaf(xf, "BICFI", bic)
    else:
        with xf.element(TAG["Othr"]):
            _leaf(xf, "Id", "NOTPROVIDED")


# The order of a postal address in pain.008.001.08 (PostalAddress24).
ADDRESS_TAGS = (
    ("street_name", "StrtNm"),
    ("postcode", "PstCd"),
    ("town", "TwnNm"),
    ("country", "Ctry"),
)


def _write_debit(xf: etree.xmlfile, debit: Debit) -> None:
    with xf.element(TAG["DrctDbtTxInf"]):
        with xf.element(TAG["PmtId"]):
            _leaf(xf, "EndToEndId", debit.end_to_end_id)
        _leaf(xf, "InstdAmt", amount_text(debit.amount), EUR)
        with xf.element(TAG["DrctDbtTx"]), xf.element(TAG["MndtRltdInf"]):
            _leaf(xf, "MndtId", debit.mandate_reference)
            _leaf(xf, "DtOfSgntr", debit.mandate_signed_on.isoformat())
        with xf.element(TAG["DbtrAgt"]), xf.element(TAG["FinInstnId"]):
            _agent(xf, debit.bic)
        with xf.element(TAG["Dbtr"]):
            try:
                name = debtor_name(debit.debtor_name)
            except UnreadableName as error:
                # The export skips such debits before it writes; reaching this is a bug.
                raise SepaFileError(
                    f"pain.008: the debtor name of mandate {debit.mandate_reference} {error}"
                ) from None
            _leaf(xf, "Nm", name)
            if debit.address:
                with xf.element(TAG["PstlAdr"]):
                    for key, tag in ADDRESS_TAGS:
                        if debit.address.get(key):
                            _leaf(xf, tag, debit.address[key])
        with xf.element(TAG["DbtrAcct"]), xf.element(TAG["Id"]):
            _leaf(xf, "IBAN", debit.iban)
        with xf.element(TAG["RmtInf"]):
            _leaf(xf, "Ustrd", _latin(debit.remittance)[:140])


def debtor_name(value: str) -> str:
    """The debtor's name as the file carries it: transliterated (Zürich → Zurich),
    spaces collapsed, at most 70 characters. Raises UnreadableName for a name with
    control characters, with U+FFFD (what undecodable input becomes: the real name is
    lost), or with nothing a bank can read left after transliteration (emoji only).

    The one check for the forms (banking.check_account_holder), the services and the
    collection run, so that what the form accepts the file can always carry."""
    if not (value.isascii() and value.isprintable()):
        value = INVISIBLE_CHARACTERS.sub("", value)
        if "\ufffd" in value:
            raise UnreadableName(_("enthält unlesbare Zeichen (ein Kodierungsfehler)"))
        if CONTROL_CHARACTERS.search(value):
            raise UnreadableName(_("enthält Steuerzeichen, die keine Bank verarbeiten kann"))
    text = " ".join(_latin(value).split())[:70].strip()
    if CONTROL_CHARACTERS.search(text) or not sepa_text(text, 70).strip(" -/?:().,'+"):
        raise UnreadableName(
            _("enthält keine Buchstaben oder Ziffern, die eine Bank verarbeiten kann")
        )
    return text


def _latin(value: str) -> str:
    """Transliterated (Zürich → Zurich); most names need nothing, and checking is faster
    than transliterating."""
    return value if value.isascii() else unidecode(value)


def sepa_text(value: str, length: int) -> str:
    """Text in the SEPA character set: transliterated (Zürich → Zurich), then anything
    else replaced by a space."""
    return re.sub(r"[^A-Za-z0-9/\-?:().,'+ ]", " ", _latin(value))[:length].strip()
