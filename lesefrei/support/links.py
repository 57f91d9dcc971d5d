"""Signed, expiring links: the confirmation page after the form, and the self-service
page every confirmation mail carries. Signed with SECRET_KEY (TimestampSigner through
django.core.signing); no database row to find, nothing to guess."""

from django.conf import settings
from django.core import signing
from django.urls import reverse

from .models import Pledge

MANAGE_SALT = "lesefrei.support.manage"
CONFIRMATION_SALT = "lesefrei.support.confirmation"
CLAIM_SALT = "lesefrei.support.claim"
CONFIRMATION_MAX_AGE = 7 * 24 * 3600


def _token(pledge: Pledge, salt: str) -> str:
    return signing.dumps({"p": pledge.pk}, salt=salt)


def _pledge(token: str, salt: str, max_age: int) -> Pledge | None:
    try:
        data = signing.loads(token, salt=salt, max_age=max_age)
    except signing.BadSignature:  # also SignatureExpired
        return None
    if not isinstance(data, dict) or not isinstance(data.get("p"), int):
        return None
    return Pledge.objects.select_related("supporter").filter(pk=data["p"]).first()


def manage_path(pledge: Pledge) -> str:
    return reverse("support:manage", args=[_token(pledge, MANAGE_SALT)])


def manage_url(pledge: Pledge) -> str:
    return settings.SITE_URL + manage_path(pledge)


def pledge_from_manage_token(token: str) -> Pledge | None:
    return _pledge(token, MANAGE_SALT, settings.SUPPORT_LINK_MAX_AGE_DAYS * 24 * 3600)


def confirmation_path(pledge: Pledge) -> str:
    return reverse("support:confirmation", args=[_token(pledge, CONFIRMATION_SALT)])


def pledge_from_confirmation_token(token: str) -> Pledge | None:
    return _pledge(token, CONFIRMATION_SALT, CONFIRMATION_MAX_AGE)


def claim_path(pledge: Pledge) -> str:
    """The link that joins a pledge to the reader account of its address; mailed only
    to that address, and it names the address so that a later change of the pledge's
    supporter voids it."""
    token = signing.dumps({"p": pledge.pk, "e": pledge.supporter.email}, salt=CLAIM_SALT)
    return reverse("support:claim", args=[token])


def claim_url(pledge: Pledge) -> str:
    return settings.SITE_URL + claim_path(pledge)


def pledge_from_claim_token(token: str) -> Pledge | None:
    pledge = _pledge(token, CLAIM_SALT, settings.SUPPORT_LINK_MAX_AGE_DAYS * 24 * 3600)
    if pledge is None:
        return None
    data = signing.loads(token, salt=CLAIM_SALT)
    return pledge if data.get("e") == pledge.supporter.email else None
