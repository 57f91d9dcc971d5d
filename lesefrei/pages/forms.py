"""The contact form: spam-safe without a third party.

- A honeypot field ("website"), hidden from people by CSS and from screen readers, that
  bots fill in.
- A signed form key (`django.core.signing`) made when the form is shown: it carries the
  time it was issued and a one-time key. A form sent back faster than a person types
  (MIN_SECONDS) or after MAX_AGE_SECONDS, or with a key not signed by this site, is
  refused with a message; the one-time key makes a second submission a no-op.
"""

import time
import uuid
from typing import Any

from django import forms
from django.core import signing
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _

SALT = "lesefrei.pages.contact"
MIN_SECONDS = 3
MAX_AGE_SECONDS = 24 * 3600
MAX_MESSAGE_LENGTH = 5000


def new_form_key(issued_at: float | None = None) -> str:
    """A signed one-time key with the time the form was shown."""
    issued = int(time.time() if issued_at is None else issued_at)
    return signing.dumps({"k": uuid.uuid4().hex, "t": issued}, salt=SALT, compress=False)


class ContactForm(forms.Form):
    name = forms.CharField(
        label=_("Ihr Name"),
        max_length=120,
        required=False,
        help_text=_("Freiwillig. Für Leserbriefe, die wir veröffentlichen, brauchen wir ihn."),
    )
    email = forms.EmailField(
        label=_("Ihre E-Mail-Adresse"),
        max_length=254,
        help_text=_("Damit wir Ihnen antworten können."),
        error_messages={
            "required": _("Bitte geben Sie Ihre E-Mail-Adresse an, damit wir antworten können."),
            "invalid": _("Bitte geben Sie eine gültige E-Mail-Adresse an, z. B. name@example.org."),
        },
    )
    subject = forms.CharField(
        label=_("Betreff"),
        max_length=150,
        error_messages={
            "required": _("Bitte geben Sie einen Betreff an."),
            "max_length": _("Der Betreff ist zu lang (höchstens %(limit_value)d Zeichen)."),
        },
    )
    text = forms.CharField(
        label=_("Ihre Nachricht"),
        max_length=MAX_MESSAGE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={
            "required": _("Bitte schreiben Sie uns eine Nachricht."),
            "max_length": _(
                "Ihre Nachricht ist zu lang: höchstens %(limit_value)d Zeichen, "
                "jetzt sind es %(show_value)d."
            ),
        },
    )
    # The honeypot: people never see it (CSS, aria-hidden, no tab stop).
    website = forms.CharField(label=_("Bitte leer lassen"), required=False)
    key = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("name", "email", "subject", "text"):
            self.fields[name].widget.attrs.setdefault("maxlength", self.fields[name].max_length)
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        # Control characters (NUL too) get clean_text's one German message.
        self.fields["text"].validators = [
            validator
            for validator in self.fields["text"].validators
            if not isinstance(validator, ProhibitNullCharactersValidator)
        ]

    def clean_email(self) -> str:
        """Django's check lets control characters through in a quoted local part
        ("\x1b"@example.org); the address goes into the mail's Reply-To header."""
        email = self.cleaned_data.get("email", "")
        if any(ord(char) < 32 or 0x7F <= ord(char) <= 0x9F for char in email):
            raise forms.ValidationError(self.fields["email"].error_messages["invalid"], "invalid")
        return email

    def clean_name(self) -> str:
        return _single_line(self.cleaned_data.get("name", ""))

    def clean_subject(self) -> str:
        return _single_line(self.cleaned_data.get("subject", ""))

    def clean_text(self) -> str:
        text = self.cleaned_data.get("text", "")
        if any(ord(char) < 32 and char not in "\n\r\t" for char in text):
            raise forms.ValidationError(
                _("Ihre Nachricht enthält Steuerzeichen. Bitte senden Sie nur Text."),
                code="control_characters",
            )
        return text.strip()

    def clean_key(self) -> str:
        try:
            data = signing.loads(self.cleaned_data.get("key", ""), salt=SALT)
            issued, key = int(data["t"]), str(data["k"])
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            raise forms.ValidationError(
                _("Das Formular ist ungültig. Bitte senden Sie es noch einmal ab."),
                code="bad_key",
            ) from None
        age = time.time() - issued
        if age < MIN_SECONDS:
            raise forms.ValidationError(
                _(
                    "Das ging sehr schnell. Bitte prüfen Sie Ihre Nachricht und senden Sie sie "
                    "noch einmal ab."
                ),
                code="too_fast",
            )
        if age > MAX_AGE_SECONDS:
            raise forms.ValidationError(
                _("Das Formular war zu lange offen. Bitte senden Sie es noch einmal ab."),
                code="expired",
            )
        if not key.isalnum() or len(key) > 64:
            raise forms.ValidationError(_("Das Formular ist ungültig."), code="bad_key")
        return key

    def is_spam(self) -> bool:
        """Whether the honeypot was filled in (checked before anything else)."""
        return bool((self.data.get("website") or "").strip())


def _single_line(value: str) -> str:
    """Header-safe: one line, no control characters (the subject goes into a mail header)."""
    value = "".join(char if ord(char) >= 32 else " " for char in value or "")
    return " ".join(value.split())
