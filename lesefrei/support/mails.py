"""The supporter's mails: confirmation (with the SEPA pre-notification), every change,
pause and end. Sent after the transaction commits; a failing mail server is logged and
never undoes a pledge."""

import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string

from lesefrei.site.tasks import send_mail_later

from . import links, selectors
from .models import Mandate, Pledge

logger = logging.getLogger(__name__)


def send_on_commit(mail: Callable[..., None], *args: Any) -> None:
    def send() -> None:
        try:
            mail(*args)
        except Exception:
            logger.exception("support mail %s failed", mail.__name__)

    transaction.on_commit(send)


def _send(template: str, pledge: Pledge, subject: str, **context: Any) -> None:
    pledge.refresh_from_db()
    mandate = context.pop("mandate", None) or pledge.current_mandate
    context.update(
        pledge=pledge,
        mandate=mandate,
        first_debit=selectors.next_debit(pledge),
        manage_url=links.manage_url(pledge),
        creditor_name=settings.SUPPORT_CREDITOR_NAME,
        creditor_id=settings.SUPPORT_CREDITOR_ID,
        site_name=settings.WAGTAIL_SITE_NAME,
        site_url=settings.SITE_URL,
        link_days=settings.SUPPORT_LINK_MAX_AGE_DAYS,
    )
    body = render_to_string(f"support/mail/{template}.txt", context)
    send_mail_later(
        f"{settings.WAGTAIL_SITE_NAME}: {subject}",
        body,
        settings.DEFAULT_FROM_EMAIL,
        [pledge.supporter.email],
    )


def _has_account(email: str) -> bool:
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    return (
        get_user_model().objects.filter(email__iexact=email).exists()
        or EmailAddress.objects.filter(email__iexact=email, verified=True).exists()
    )


def pledge_confirmation(pledge: Pledge, mandate: Mandate) -> None:
    # A pledge made logged out, with an address that has a reader account: the mail
    # (which only that address receives) carries the link that joins it to the account.
    claim = ""
    if pledge.user_id is None and _has_account(pledge.supporter.email):
        claim = links.claim_url(pledge)
    _send("confirmation", pledge, "Danke für Ihre Unterstützung", mandate=mandate, claim_url=claim)


def claim_links(address: str, pledges: list[Pledge]) -> None:
    """To `address`: a link per pledge made with it, to join it to the reader account."""
    body = render_to_string(
        "support/mail/claim.txt",
        {
            "items": [(p, links.claim_url(p)) for p in pledges],
            "creditor_name": settings.SUPPORT_CREDITOR_NAME,
            "site_name": settings.WAGTAIL_SITE_NAME,
            "site_url": settings.SITE_URL,
            "link_days": settings.SUPPORT_LINK_MAX_AGE_DAYS,
        },
    )
    send_mail_later(
        f"{settings.WAGTAIL_SITE_NAME}: Unterstützung mit Ihrem Konto verbinden",
        body,
        settings.DEFAULT_FROM_EMAIL,
        [address],
    )


def pledge_changed(pledge: Pledge) -> None:
    _send("changed", pledge, "Ihre Unterstützung wurde geändert")


def pledge_paused(pledge: Pledge, reason: str = "") -> None:
    _send("paused", pledge, "Ihre Unterstützung ist pausiert", reason=reason)


def pledge_paused_after_returns(pledge: Pledge) -> None:
    _send("paused_after_returns", pledge, "Ihre Lastschrift kam zurück")


def pledge_cancelled(pledge: Pledge) -> None:
    _send("cancelled", pledge, "Ihre Unterstützung ist beendet")


def mandate_replaced(pledge: Pledge, mandate: Mandate) -> None:
    _send("mandate_replaced", pledge, "Ihre neue Bankverbindung", mandate=mandate)


def manage_link(pledge: Pledge) -> None:
    _send("link", pledge, "Ihr Link zur Unterstützung")
