"""IBAN, account holder and creditor identifier checks (schwifty for IBANs), in plain
German for the form."""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from schwifty import IBAN
from schwifty import exceptions as iban_errors

from .sepa import CONTROL_CHARACTERS, INVISIBLE_CHARACTERS, UnreadableName, debtor_name

# The European Economic Area: debtors whose bank is elsewhere in the SEPA zone (CH, GB,
# SM, MC, AD, VA, …) must give their postal address (EPC rulebook, since 2016 only there).
EEA_COUNTRIES = frozenset(
    {
        *[
            "AT",
            "BE",
            "BG",
            "CY",
            "CZ",
            "DE",
            "DK",
            "EE",
            "ES",
            "FI",
            "FR",
            "GR",
            "HR",
            "HU",
            "IE",
            "IT",
            "LT",
            "LU",
            "LV",
            "MT",
            "NL",
            "PL",
            "PT",
            "RO",
            "SE",
            "SI",
            "SK",
        ],
        *["IS", "LI", "NO"],
        # French overseas departments and Åland have IBAN country codes of their own.
        *["GF", "GP", "MQ", "RE", "YT", "PM", "BL", "MF", "AX"],
    }
)

# Countries whose complete bank directory schwifty ships: an unknown bank code there is
# a typing error. Elsewhere the directory is partial and the bank may still exist.
COMPLETE_BANK_DIRECTORIES = frozenset({"DE"})


@dataclass(frozen=True)
class CheckedIban:
    iban: str
    bic: str
    bank_name: str
    country: str

    @property
    def needs_address(self) -> bool:
        return self.country not in EEA_COUNTRIES


def check_iban(value: str) -> CheckedIban:
    """The compact IBAN with its bank's BIC, or a ValidationError saying what is wrong."""
    compact = re.sub(r"[\s\-.]", "", value or "").upper()
    if not compact:
        raise ValidationError(_("Bitte geben Sie Ihre IBAN an."), code="required")
    if not re.fullmatch(r"[A-Z]{2}[0-9]{2}[A-Z0-9]+", compact):
        raise ValidationError(
            _(
                "Diese IBAN ist ungültig: Sie beginnt mit dem Länderkürzel und zwei Ziffern "
                "(z. B. DE89 …) und enthält nur Buchstaben und Ziffern."
            ),
            code="format",
        )
    try:
        iban = IBAN(compact, validate_bban=True)
    except iban_errors.InvalidCountryCode:
        raise ValidationError(
            _("Diese IBAN ist ungültig: Das Länderkürzel %(country)s ist unbekannt.")
            % {"country": compact[:2]},
            code="country",
        ) from None
    except iban_errors.InvalidLength:
        raise ValidationError(
            _("Diese IBAN ist ungültig: Sie hat zu viele oder zu wenige Stellen."),
            code="length",
        ) from None
    except iban_errors.InvalidChecksumDigits:
        raise ValidationError(
            _("Diese IBAN ist ungültig: Prüfziffer stimmt nicht."), code="checksum"
        ) from None
    except iban_errors.InvalidBBANChecksum:
        raise ValidationError(
            _("Diese IBAN ist ungültig: Die Kontonummer passt nicht zur Prüfziffer der Bank."),
            code="bban_checksum",
        ) from None
    except iban_errors.SchwiftyException:
        raise ValidationError(
            _("Diese IBAN ist ungültig: Der Aufbau passt nicht zum Land %(country)s.")
            % {"country": compact[:2]},
            code="structure",
        ) from None
    if not iban.in_sepa_zone:
        raise ValidationError(
            _("Lastschriften sind nur von Konten im SEPA-Raum möglich."), code="not_sepa"
        )
    bic = iban.bic
    if bic is None and iban.country_code in COMPLETE_BANK_DIRECTORIES:
        raise ValidationError(
            _("Diese IBAN ist ungültig: Zur Bankleitzahl %(code)s gibt es keine Bank.")
            % {"code": iban.bank_code},
            code="unknown_bank",
        )
    return CheckedIban(
        iban=str(iban.compact),
        bic=str(bic.compact) if bic else "",
        bank_name=(iban.bank_name or "") if bic else "",
        country=iban.country_code,
    )


def check_account_holder(value: str) -> str:
    """The account holder's name as typed (trimmed), or a ValidationError when no bank
    could read it: the pledge form, the self-service form and the services all check
    with this, so nothing stored can stop the collection run (sepa.debtor_name)."""
    value = (value or "").strip()
    if not value:
        raise ValidationError(
            _("Bitte geben Sie den Namen der Kontoinhaberin oder des Kontoinhabers an."),
            code="required",
        )
    try:
        debtor_name(value)
    except UnreadableName as error:
        raise ValidationError(
            _(
                "Der Name der Kontoinhaberin oder des Kontoinhabers %(problem)s. Bitte geben "
                "Sie ihn so ein, wie er bei Ihrer Bank steht."
            )
            % {"problem": error},
            code="unreadable",
        ) from None
    if INVISIBLE_CHARACTERS.search(value):
        raise ValidationError(
            _(
                "Der Name der Kontoinhaberin oder des Kontoinhabers enthält unsichtbare Zeichen "
                "(etwa zur Schreibrichtung). Bitte geben Sie ihn so ein, wie er bei Ihrer Bank "
                "steht."
            ),
            code="invisible",
        )
    return value


def check_plain_text(value: str) -> str:
    """Refuse control characters, U+FFFD and invisible formatting characters in a name
    or an address line (they reach mails, staff screens and, transliterated, the bank's
    file)."""
    if "\ufffd" in value:
        raise ValidationError(
            _("Diese Angabe enthält unlesbare Zeichen (ein Kodierungsfehler); bitte neu eingeben."),
            code="encoding",
        )
    if CONTROL_CHARACTERS.search(value):
        raise ValidationError(
            _("Diese Angabe enthält Steuerzeichen; bitte ohne Sonderzeichen eingeben."),
            code="control",
        )
    if INVISIBLE_CHARACTERS.search(value):
        raise ValidationError(
            _(
                "Diese Angabe enthält unsichtbare Zeichen (etwa zur Schreibrichtung); bitte "
                "ohne sie eingeben."
            ),
            code="invisible",
        )
    return value


def creditor_id_is_valid(creditor_id: str) -> bool:
    """ISO 7064 MOD 97-10 over the national part, the country code and the check digits
    (positions 5–7, the creditor business code, do not count)."""
    compact = re.sub(r"\s", "", creditor_id).upper()
    if not re.fullmatch(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{3}[A-Z0-9]{1,28}", compact):
        return False
    rearranged = compact[7:] + compact[:4]
    return int("".join(str(int(char, 36)) for char in rearranged)) % 97 == 1
