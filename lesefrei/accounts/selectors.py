"""Reads about reader accounts, for this app and for others (comments, support)."""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.utils import timezone
from django.utils.translation import gettext

from .models import ReaderProfile

EXPORT_FORMAT = "lesefrei-konto-export/1"


def reader_profile(user: AbstractBaseUser | AnonymousUser) -> ReaderProfile | None:
    if not user.is_authenticated:
        return None
    try:
        return user.reader_profile
    except ReaderProfile.DoesNotExist:
        return None


def display_name(user: AbstractBaseUser) -> str:
    """How allauth names a user (ACCOUNT_USER_DISPLAY): the pseudonym, never the
    e-mail address or login name."""
    profile = reader_profile(user)
    return profile.pseudonym if profile else gettext("Leserin oder Leser")


def is_confirmed_reader(user: AbstractBaseUser | AnonymousUser | None) -> bool:
    """True for an active, logged-in reader with a pseudonym and a confirmed primary
    e-mail address: the readers who may comment."""
    from allauth.account.models import EmailAddress

    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if reader_profile(user) is None:
        return False
    return EmailAddress.objects.filter(user=user, primary=True, verified=True).exists()


def reader_status(user: AbstractBaseUser | AnonymousUser) -> dict[str, Any]:
    """The contract of /konto/status.json (see docs/accounts-operations.md)."""
    profile = reader_profile(user)
    return {
        "authenticated": bool(user.is_authenticated),
        "pseudonym": profile.pseudonym if profile else None,
        "confirmed": is_confirmed_reader(user),
    }


def email_addresses(user: AbstractBaseUser) -> list[dict[str, Any]]:
    from allauth.account.models import EmailAddress

    return [
        {"email": address.email, "primary": address.primary, "verified": address.verified}
        for address in EmailAddress.objects.filter(user=user).order_by("-primary", "email")
    ]


def account_export(user: AbstractBaseUser) -> dict[str, Any]:
    """Everything lesefrei keeps about a reader, as the reader downloads it."""
    from lesefrei.comments.selectors import comments_for_export
    from lesefrei.support.selectors import pledges_for_export

    profile = reader_profile(user)
    return {
        "format": EXPORT_FORMAT,
        "exported_at": timezone.now(),
        "profile": {
            "pseudonym": profile.pseudonym if profile else None,
            "pseudonym_changed_at": profile.pseudonym_changed_at if profile else None,
            "created_at": profile.created_at if profile else user.date_joined,
            "last_login": user.last_login,
        },
        "email_addresses": email_addresses(user),
        "comments": comments_for_export(user),
        "pledges": pledges_for_export(user),
    }
