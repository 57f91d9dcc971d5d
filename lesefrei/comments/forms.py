"""Forms of the reader-facing comment pages and the moderation queue."""

import re
import uuid
from typing import Any

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _

from .models import RejectionReason

REPORT_REASONS = [
    ("beleidigung", _("Beleidigung oder Angriff auf Personen")),
    ("hetze", _("Hetze oder Diskriminierung")),
    ("falsch", _("Falschbehauptung")),
    ("spam", _("Werbung oder Spam")),
    ("daten", _("Persönliche Daten anderer")),
    ("anderes", _("Anderer Grund")),
]


def new_idempotency_key() -> str:
    return uuid.uuid4().hex


def comment_id(value: object) -> int | None:
    """The comment id in a hidden field or in ?antwort=, None for anything else: ASCII
    digits only ("²" and "٣" pass str.isdigit() but are no id), and short enough for
    the database's integers."""
    text = str(value or "").strip()
    return int(text) if re.fullmatch(r"[0-9]{1,17}", text) else None


class PlainTextField(forms.CharField):
    """A CharField without Django's own null-character check: rules.py refuses control
    characters with a message of its own, in the same place for every entry point."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.validators = [
            validator
            for validator in self.validators
            if not isinstance(validator, ProhibitNullCharactersValidator)
        ]


class CommentForm(forms.Form):
    """The comment box. Length and content rules are the service's (rules.py), so the
    form only carries the values; its messages are the service's refusals. The hidden
    fields accept anything: a damaged one must not hide the reason behind a 400."""

    text = PlainTextField(
        label=_("Ihr Kommentar"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    parent = PlainTextField(required=False, widget=forms.HiddenInput)
    key = PlainTextField(required=False, widget=forms.HiddenInput)

    def parent_id(self) -> int | None:
        return comment_id(self.cleaned_data.get("parent"))

    def idempotency_key(self) -> str:
        return "".join(char for char in self.cleaned_data.get("key") or "" if char.isalnum())[:64]


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Warum melden Sie diesen Kommentar?"),
        choices=REPORT_REASONS,
        widget=forms.RadioSelect,
        error_messages={"required": _("Bitte wählen Sie einen Grund.")},
    )
    details = forms.CharField(
        label=_("Erläuterung (freiwillig)"),
        required=False,
        max_length=400,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def reason_text(self) -> str:
        label = dict(REPORT_REASONS)[self.cleaned_data["reason"]]
        details = self.cleaned_data.get("details", "").strip()
        return f"{label}: {details}" if details else str(label)


class PreferencesForm(forms.Form):
    mail_on_rejection = forms.BooleanField(
        label=_("Per E-Mail benachrichtigen, wenn ein Kommentar von mir abgelehnt wird"),
        required=False,
    )


class RejectForm(forms.Form):
    reason = forms.ModelChoiceField(
        label=_("Ablehnungsgrund"),
        queryset=RejectionReason.objects.all(),
        error_messages={"required": _("Bitte wählen Sie einen Ablehnungsgrund.")},
    )


class BanForm(forms.Form):
    until = forms.DateField(
        label=_("gesperrt bis"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leer lassen: dauerhaft."),
    )
    reason = forms.CharField(label=_("Grund"), max_length=300, required=False)
