"""System checks: a misconfigured creditor or IBAN key fails at start, not at the bank."""

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from .banking import creditor_id_is_valid


@register()
def check_creditor(app_configs: Any = None, **kwargs: Any) -> list:
    from schwifty import IBAN

    problems = []
    if not creditor_id_is_valid(settings.SUPPORT_CREDITOR_ID):
        problems.append(
            Error(
                f"SUPPORT_CREDITOR_ID {settings.SUPPORT_CREDITOR_ID!r} is not a valid SEPA "
                "creditor identifier (check digits).",
                id="support.E001",
            )
        )
    try:
        IBAN(settings.SUPPORT_CREDITOR_IBAN)
    except Exception as error:  # schwifty raises several subclasses of ValueError
        problems.append(Error(f"SUPPORT_CREDITOR_IBAN is invalid: {error}.", id="support.E002"))
    if (
        settings.SUPPORT_MIN_AMOUNT <= 0
        or settings.SUPPORT_MAX_AMOUNT < settings.SUPPORT_MIN_AMOUNT
    ):
        problems.append(
            Error(
                "SUPPORT_MIN_AMOUNT must be positive and at most SUPPORT_MAX_AMOUNT.",
                id="support.E003",
            )
        )
    return problems


@register(Tags.security, deploy=True)
def check_iban_keys(app_configs: Any = None, **kwargs: Any) -> list:
    if not settings.SUPPORT_IBAN_KEYS:
        return [
            Warning(
                "SUPPORT_IBAN_KEYS is not set: IBANs are encrypted with a key generated in "
                f"{settings.SUPPORT_IBAN_KEY_FILE}. In production set the key(s) from a "
                "secret store and back them up apart from the database (docs/support.md).",
                id="support.W001",
            )
        ]
    return []
