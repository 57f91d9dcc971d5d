"""Forms of reader accounts: allauth's sign-up form with the pseudonym, and lesefrei's
own forms for the pseudonym and for deleting the account."""

from typing import Any

from allauth.account import forms as allauth_forms
from allauth.core import context, ratelimit
from django import forms
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from . import services
from .pseudonyms import MAX_LENGTH

PSEUDONYM_HELP = _(
    "Ihr öffentlicher Name über Ihren Kommentaren: 3 bis 40 Zeichen, Buchstaben, Ziffern, "
    "Leerzeichen und . _ - . Bitte keine E-Mail- oder Web-Adresse."
)


def pseudonym_field(**kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=_("Pseudonym"),
        help_text=PSEUDONYM_HELP,
        # Long enough that normalisation (NFKC, spaces) decides, not the browser.
        max_length=MAX_LENGTH * 4,
        strip=False,
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
        error_messages={
            "required": _("Bitte geben Sie ein Pseudonym ein."),
            "max_length": _("Das Pseudonym darf höchstens %(max)d Zeichen lang sein.")
            % {"max": MAX_LENGTH},
        },
        **kwargs,
    )


class GermanLabelsMixin:
    """lesefrei's labels on allauth's forms, and no placeholders: a label above the
    field says what goes in, and a placeholder that repeats it only adds noise."""

    labels: dict[str, Any] = {}
    required_messages: dict[str, Any] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs.pop("placeholder", None)
            if name in self.labels:
                field.label = self.labels[name]
            if name in self.required_messages:
                field.error_messages["required"] = self.required_messages[name]


class LoginForm(GermanLabelsMixin, allauth_forms.LoginForm):
    labels = {
        "login": _("E-Mail-Adresse"),
        "password": _("Passwort"),
        "remember": _("Angemeldet bleiben"),
    }
    required_messages = {
        "login": _("Bitte geben Sie Ihre E-Mail-Adresse ein."),
        "password": _("Bitte geben Sie Ihr Passwort ein."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The page links "Passwort vergessen?" beside the button.
        self.fields["password"].help_text = ""


class AddEmailForm(GermanLabelsMixin, allauth_forms.AddEmailForm):
    labels = {"email": _("Neue E-Mail-Adresse")}


class ChangePasswordForm(GermanLabelsMixin, allauth_forms.ChangePasswordForm):
    labels = {
        "oldpassword": _("Bisheriges Passwort"),
        "password1": _("Neues Passwort"),
        "password2": _("Neues Passwort wiederholen"),
    }


class ResetPasswordForm(GermanLabelsMixin, allauth_forms.ResetPasswordForm):
    labels = {"email": _("E-Mail-Adresse")}


class ResetPasswordKeyForm(GermanLabelsMixin, allauth_forms.ResetPasswordKeyForm):
    labels = {"password1": _("Neues Passwort"), "password2": _("Neues Passwort wiederholen")}


class SignupForm(GermanLabelsMixin, allauth_forms.SignupForm):
    """allauth's sign-up (e-mail, password twice) plus the public pseudonym.

    The user, the profile and the e-mail address are created in one transaction: a
    sign-up that fails half-way leaves nothing behind.
    """

    field_order = ["email", "pseudonym", "password1", "password2"]
    labels = {
        "email": _("E-Mail-Adresse"),
        "password1": _("Passwort"),
        "password2": _("Passwort wiederholen"),
    }
    required_messages = {
        "email": _("Bitte geben Sie Ihre E-Mail-Adresse ein."),
        "password1": _("Bitte wählen Sie ein Passwort."),
        "password2": _("Bitte geben Sie das Passwort noch einmal ein."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pseudonym"] = pseudonym_field()
        self.fields["email"].help_text = _(
            "Nur für die Anmeldung und Nachrichten zu Ihrem Konto; nie öffentlich."
        )
        self.order_fields(self.field_order)

    def clean_pseudonym(self) -> str:
        return services.valid_new_pseudonym(self.cleaned_data.get("pseudonym"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        email = cleaned.get("email")
        # Sign-ups per account (the e-mail address): every valid sign-up sends a mail.
        if (
            email
            and not self.errors
            and not ratelimit.consume(context.request, action="signup_email", key=email.lower())
        ):
            raise ValidationError(
                _(
                    "Für diese E-Mail-Adresse gab es gerade zu viele Registrierungen. "
                    "Bitte versuchen Sie es später noch einmal."
                ),
                code="rate_limited",
            )
        return cleaned

    def custom_signup(self, request: HttpRequest, user: AbstractBaseUser) -> None:
        services.create_reader_profile(user, self.cleaned_data["pseudonym"])

    def try_save(self, request: HttpRequest) -> tuple[AbstractBaseUser | None, Any]:
        try:
            with transaction.atomic():
                return super().try_save(request)
        except ValidationError as error:
            # Another sign-up took the pseudonym between validation and saving.
            self.add_error("pseudonym", error)
            response = TemplateResponse(request, "account/signup.html", {"form": self})
            return None, response


class PseudonymForm(forms.Form):
    pseudonym = pseudonym_field()

    def __init__(self, *args: Any, user: AbstractBaseUser, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["pseudonym"].label = _("Neues Pseudonym")

    def clean_pseudonym(self) -> str:
        return services.valid_new_pseudonym(self.cleaned_data.get("pseudonym"), user=self.user)


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Ihr Passwort"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Bitte geben Sie zur Bestätigung Ihr Passwort ein.")},
    )

    def __init__(self, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        self.request = request
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not ratelimit.consume(self.request, action="reauthenticate", user=self.request.user):
            raise ValidationError(
                _("Zu viele Versuche. Bitte warten Sie eine Minute."), code="rate_limited"
            )
        if not self.request.user.check_password(password):
            raise ValidationError(_("Das Passwort stimmt nicht."), code="wrong_password")
        return password
