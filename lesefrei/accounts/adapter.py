"""lesefrei's allauth adapter: where allauth asks the project what to do."""

import unicodedata
from types import SimpleNamespace
from typing import Any

from allauth.account import app_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from lesefrei.site.tasks import send_later

from .clients import client_key
from .services import new_reader_username

SILENT_MESSAGES = {"account/messages/logged_in.txt", "account/messages/logged_out.txt"}


class ReaderAccountAdapter(DefaultAccountAdapter):
    # allauth's German addresses readers with "du"; lesefrei says "Sie" everywhere.
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "account_inactive": _("Dieses Konto ist gesperrt."),
        "duplicate_email": _("Diese E-Mail-Adresse gehört schon zu Ihrem Konto."),
        "email_password_mismatch": _("E-Mail-Adresse oder Passwort stimmen nicht."),
        "email_taken": _("Zu dieser E-Mail-Adresse gibt es schon ein Konto."),
        "enter_current_password": _("Bitte geben Sie Ihr bisheriges Passwort ein."),
        "incorrect_password": _("Das Passwort stimmt nicht."),
        "invalid_or_expired_key": _("Der Link ist ungültig oder abgelaufen."),
        "invalid_password_reset": _("Der Link zum Zurücksetzen ist ungültig."),
        "too_many_login_attempts": _(
            "Zu viele fehlgeschlagene Anmeldeversuche. Bitte versuchen Sie es in einigen "
            "Minuten noch einmal."
        ),
        "unknown_email": _("Zu dieser E-Mail-Adresse gibt es kein Konto."),
        "unverified_primary_email": _("Ihre E-Mail-Adresse muss zuerst bestätigt sein."),
        "same_as_current": _("Das ist schon Ihre jetzige Adresse."),
        "rate_limited": _("Zu viele Anfragen. Bitte warten Sie einen Moment."),
    }

    def add_message(
        self,
        request: HttpRequest,
        level: int,
        message_template: str | None = None,
        message_context: dict[str, Any] | None = None,
        extra_tags: str = "",
        message: str | None = None,
    ) -> None:
        """No "angemeldet"/"abgemeldet" notes: after them readers land on article or home
        pages, which are the same for everyone and show no messages, so the note would
        turn up pages later, out of place. "Mein Konto" and the comment box say it."""
        if message_template in SILENT_MESSAGES:
            return
        super().add_message(request, level, message_template, message_context, extra_tags, message)

    def clean_email(self, email: str) -> str:
        """Every address a reader types (sign-up, a new address, password reset): Django's
        check lets through up to 320 characters, for columns of 254, and control
        characters in a quoted local part ("\x1b"@example.org), which would go raw
        into the header of every mail to it."""
        if len(email) > app_settings.EMAIL_MAX_LENGTH or any(
            unicodedata.category(char) == "Cc" for char in email
        ):
            raise ValidationError(_("Diese E-Mail-Adresse ist ungültig."), code="invalid")
        return super().clean_email(email)

    def get_client_ip(self, request: HttpRequest) -> str:
        """A keyed hash instead of the address: allauth puts what this returns into its
        rate-limit cache keys (and nowhere else, as lesefrei has no user sessions app),
        so no IP address reaches the cache in clear."""
        return client_key(request)

    def populate_username(self, request: HttpRequest, user: AbstractBaseUser) -> None:
        """An opaque username: readers log in with their e-mail address, and a
        username made from it would keep the old address after a change."""
        if not user.get_username():
            user.username = new_reader_username()

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Mails name the newspaper, not the host name of the request."""
        site = SimpleNamespace(
            name=settings.WAGTAIL_SITE_NAME,
            domain=settings.SITE_URL.split("://", 1)[-1],
        )
        request = allauth_context.request
        message = self.render_mail(
            template_prefix,
            email,
            {"request": request, "email": email, **context, "current_site": site},
        )
        # Rendered now, delivered by the task worker: a slow mail server never holds up
        # the reader's sign-up or password reset.
        send_later(message)
