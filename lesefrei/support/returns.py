"""Reading the bank's return information: camt.054 (debit notification) and camt.053
(account statement), versions .001.02 to .001.08, parsed with lxml after validation
against the official ISO 20022 schema of the file's own version.

Why not the `camt053` package: it pulls a web framework and some forty packages into
the site (FastAPI, uvicorn, pydantic, rich …), is at version 0.0.x, and its parser
drops what a return import needs (the return fee, the mandate reference). Its schema
files are the official ones; they are copied to schemas/ (see schemas/README.md).
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from lxml import etree

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"
NAMESPACE_PREFIX = "urn:iso:std:iso:20022:tech:xsd:"
MESSAGES = {"camt.054": "BkToCstmrDbtCdtNtfctn/Ntfctn", "camt.053": "BkToCstmrStmt/Stmt"}

# The reasons a direct debit comes back most often (ISO ExternalReturnReason1Code).
REASON_TEXTS = {
    "AC01": gettext_lazy("IBAN fehlerhaft"),
    "AC04": gettext_lazy("Konto erloschen"),
    "AC06": gettext_lazy("Konto gesperrt"),
    "AC13": gettext_lazy("Konto eines Verbrauchers nicht für Firmenlastschrift"),
    "AG01": gettext_lazy("Lastschrift für dieses Konto nicht zulässig"),
    "AG02": gettext_lazy("Ungültiger Transaktionscode"),
    "AM04": gettext_lazy("Deckung unzureichend"),
    "AM05": gettext_lazy("Doppelte Einreichung"),
    "BE05": gettext_lazy("Gläubiger unbekannt"),
    "CNOR": gettext_lazy("Bank des Gläubigers nicht erreichbar"),
    "DNOR": gettext_lazy("Bank des Zahlers nicht erreichbar"),
    "FF01": gettext_lazy("Formatfehler"),
    "MD01": gettext_lazy("Kein gültiges Mandat"),
    "MD02": gettext_lazy("Mandatsdaten fehlen oder sind falsch"),
    "MD06": gettext_lazy("Erstattung auf Wunsch des Zahlers"),
    "MD07": gettext_lazy("Kontoinhaber verstorben"),
    "MS02": gettext_lazy("Widerspruch des Zahlers, ohne Angabe von Gründen"),
    "MS03": gettext_lazy("Grund nicht angegeben"),
    "RC01": gettext_lazy("BIC fehlerhaft"),
    "RR01": gettext_lazy("Angaben zum Zahler fehlen"),
    "RR02": gettext_lazy("Name oder Anschrift des Zahlers fehlen"),
    "RR03": gettext_lazy("Name oder Anschrift des Gläubigers fehlen"),
    "RR04": gettext_lazy("Aufsichtsrechtliche Gründe"),
    "SL01": gettext_lazy("Sonderdienst der Bank des Zahlers"),
}
# Reasons that say the supporter wants the money back or the mandate is gone: the
# pledge ends at once instead of being tried again.
CANCELLING_REASONS = frozenset({"MD06"})


# What CollectionReturn.fee holds (22 digits, two decimals): any single charge the schema
# allows (18 digits) and the sum of up to ten of them.
MAX_FEE = Decimal("1E19")


class ReturnFileError(Exception):
    """The file cannot be read as bank return information; the message says why (German)."""


@dataclass(frozen=True)
class ReturnItem:
    end_to_end_id: str
    mandate_reference: str
    reason_code: str
    amount: Decimal | None
    fee: Decimal
    booked_on: date | None
    problem: str = ""  # why the entry cannot be booked (German); empty when it can


@dataclass
class ReturnFile:
    message_type: str  # "camt.054.001.08"
    items: list[ReturnItem] = field(default_factory=list)


@cache
def schema_for(message_type: str) -> etree.XMLSchema | None:
    path = SCHEMA_DIR / f"{message_type}.xsd"
    if not path.exists():
        return None
    return etree.XMLSchema(etree.parse(str(path)))


def supported_types() -> list[str]:
    return sorted(p.stem for p in SCHEMA_DIR.glob("camt.05[34].*.xsd"))


def _parser() -> etree.XMLParser:
    # No entities, no DTDs, no network: bank files are untrusted input.
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def parse_return_file(data: bytes) -> ReturnFile:
    """Every returned direct debit in a camt.054 or camt.053 file."""
    if not data.strip():
        raise ReturnFileError(_("Die Datei ist leer."))
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as error:
        raise ReturnFileError(
            _("Die Datei ist kein gültiges XML (Zeile %(line)s: %(message)s).")
            % {"line": error.lineno, "message": error.msg}
        ) from None
    if root.getroottree().docinfo.doctype:
        raise ReturnFileError(
            _("Die Datei enthält eine DOCTYPE-Deklaration; Dateien der Bank enthalten keine.")
        )
    namespace = etree.QName(root).namespace or ""
    if not namespace.startswith(NAMESPACE_PREFIX) or etree.QName(root).localname != "Document":
        raise ReturnFileError(
            _("Die Datei ist keine ISO-20022-Nachricht der Bank (camt.054 oder camt.053).")
        )
    message_type = namespace.removeprefix(NAMESPACE_PREFIX)
    family = message_type[:8]
    if family not in MESSAGES:
        raise ReturnFileError(
            _(
                "Die Datei ist eine %(type)s-Nachricht, erwartet wird camt.054 oder camt.053 "
                "mit den Rückgaben der Bank."
            )
            % {"type": message_type}
        )
    schema = schema_for(message_type)
    if schema is None:
        raise ReturnFileError(
            _("Die Version %(type)s wird nicht unterstützt (unterstützt: %(supported)s).")
            % {"type": message_type, "supported": ", ".join(supported_types())}
        )
    try:
        valid = schema.validate(root)
    except etree.Error:
        valid = False
    if not valid:
        error = schema.error_log.last_error
        raise ReturnFileError(
            _("Die Datei entspricht nicht dem Schema %(type)s (Zeile %(line)s: %(message)s).")
            % {
                "type": message_type,
                "line": error.line if error else "?",
                "message": error.message if error else "",
            }
        )
    ns = {"c": namespace}
    container = "/".join(f"c:{part}" for part in MESSAGES[family].split("/"))
    result = ReturnFile(message_type=message_type)
    for entry in root.xpath(f"/c:Document/{container}/c:Ntry", namespaces=ns):
        booked_text = _text(entry, "c:BookgDt/c:Dt | c:BookgDt/c:DtTm", ns)
        booked_on, date_problem = _date(booked_text)
        transactions = entry.xpath("c:NtryDtls/c:TxDtls", namespaces=ns)
        entry_fee = _sum(entry, "c:Chrgs/c:Rcrd/c:Amt | c:Chrgs/c:Amt", ns)
        for transaction in transactions:
            code = _text(transaction, "c:RtrInf/c:Rsn/c:Cd", ns).upper()
            # The bank's own reason (up to 35 characters) is kept as the bank wrote it.
            reason = code or _text(transaction, "c:RtrInf/c:Rsn/c:Prtry", ns)
            if not reason:
                continue  # an ordinary booking on a statement, not a return
            fee = _sum(transaction, "c:Chrgs/c:Rcrd/c:Amt | c:Chrgs/c:Amt", ns)
            if not fee and len(transactions) == 1:
                fee = entry_fee
            amount_text = _text(
                transaction,
                "c:Amt | c:AmtDtls/c:TxAmt/c:Amt | c:AmtDtls/c:InstdAmt/c:Amt",
                ns,
            )
            problem = date_problem
            if fee >= MAX_FEE:
                problem = _("Die Rückgabegebühr %(fee)s EUR ist zu groß, um sie zu buchen.") % {
                    "fee": fee
                }
            result.items.append(
                ReturnItem(
                    end_to_end_id=_text(transaction, "c:Refs/c:EndToEndId", ns),
                    mandate_reference=_text(transaction, "c:Refs/c:MndtId", ns),
                    reason_code=reason,
                    amount=Decimal(amount_text) if amount_text else None,
                    # Euro amounts have cents (ISO 4217); the schema allows five decimals.
                    fee=fee.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP),
                    booked_on=booked_on,
                    problem=problem,
                )
            )
    return result


def _text(element: etree._Element, path: str, ns: dict[str, str]) -> str:
    found = element.xpath(path, namespaces=ns)
    return (found[0].text or "").strip() if found else ""


def _sum(element: etree._Element, path: str, ns: dict[str, str]) -> Decimal:
    total = Decimal("0.00")
    for node in element.xpath(path, namespaces=ns):
        try:
            total += Decimal((node.text or "0").strip())
        except InvalidOperation:
            continue
    return total


def _date(text: str) -> tuple[date | None, str]:
    """The booking day and, for a date the schema allows but the calendar does not
    (years before 1 or after 9999), a German reason to skip the entry."""
    if not text:
        return None, ""
    try:
        return date.fromisoformat(text[:10]), ""
    except ValueError:
        return None, _(
            "Der Buchungstag %(date)s liegt außerhalb des Kalenders (Jahr 1 bis 9999); "
            "der Eintrag wurde nicht verbucht."
        ) % {"date": text}
