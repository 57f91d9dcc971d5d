"""Forms of the pledge page and the self-service page. They validate at the edge and
say what is wrong in plain German; the services do the rest."""

from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .banking import CheckedIban, check_account_holder, check_iban, check_plain_text
from .models import INTERVAL_SLUGS, Interval, format_euro

INTERVAL_CHOICES = [(slug, Interval(value).label) for slug, value in INTERVAL_SLUGS.items()]
SLUG_OF_INTERVAL = {value: slug for slug, value in INTERVAL_SLUGS.items()}

# Where the account holder may live; the address is only asked for when the bank is
# outside the EEA (SEPA rulebook), and these are the usual cases first.
COUNTRY_CHOICES = [
    ("", _("– bitte wählen –")),
    ("CH", _("Schweiz")),
    ("GB", _("Vereinigtes Königreich")),
    ("LI", _("Liechtenstein")),
    ("MC", _("Monaco")),
    ("SM", _("San Marino")),
    ("AD", _("Andorra")),
    ("VA", _("Vatikanstadt")),
    ("GI", _("Gibraltar")),
    ("JE", _("Jersey")),
    ("GG", _("Guernsey")),
    ("IM", _("Isle of Man")),
    ("AL", _("Albanien")),
    ("MD", _("Moldau")),
    ("ME", _("Montenegro")),
    ("MK", _("Nordmazedonien")),
    ("RS", _("Serbien")),
    ("DE", _("Deutschland")),
    ("AT", _("Österreich")),
    ("BE", _("Belgien")),
    ("DK", _("Dänemark")),
    ("FR", _("Frankreich")),
    ("IT", _("Italien")),
    ("LU", _("Luxemburg")),
    ("NL", _("Niederlande")),
    ("PL", _("Polen")),
    ("CZ", _("Tschechien")),
]


def amount_field(**kwargs: Any) -> forms.DecimalField:
    return forms.DecimalField(
        min_value=settings.SUPPORT_MIN_AMOUNT,
        max_value=settings.SUPPORT_MAX_AMOUNT,
        max_digits=8,
        decimal_places=2,
        localize=True,
        error_messages={
            "required": _("Bitte geben Sie einen Betrag an."),
            "invalid": _("Bitte geben Sie den Betrag als Zahl an, z. B. 12 oder 12,50."),
            "min_value": _("Der Mindestbetrag ist %(limit_value)s €."),
            "max_value": _(
                "Der Höchstbetrag ist %(limit_value)s €; schreiben Sie uns für größere Beiträge."
            ),
            "max_decimal_places": _("Bitte höchstens zwei Nachkommastellen angeben."),
            "max_digits": _("Dieser Betrag ist zu groß."),
        },
        **kwargs,
    )


class ChoiceForm(forms.Form):
    """Step one (a GET form, so it works without JavaScript and can be linked to):
    amount and interval."""

    betrag = forms.ChoiceField(
        label=_("Betrag"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Bitte wählen Sie einen Betrag.")},
    )
    anderer_betrag = amount_field(
        label=_("Anderer Betrag in Euro"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 6}),
    )
    intervall = forms.ChoiceField(
        label=_("Wie oft?"),
        choices=INTERVAL_CHOICES,
        widget=forms.RadioSelect,
        initial="monatlich",
        error_messages={"required": _("Bitte wählen Sie, wie oft Sie geben möchten.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        presets = [(str(a), format_euro(Decimal(a))) for a in settings.SUPPORT_PRESET_AMOUNTS]
        self.fields["betrag"].choices = [*presets, ("anderer", _("anderer Betrag"))]
        self.fields["betrag"].initial = presets[1][0] if len(presets) > 1 else presets[0][0]
        self.fields["betrag"].error_messages["invalid_choice"] = _(
            "Bitte wählen Sie einen der Beträge oder „anderer Betrag“."
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("betrag") == "anderer":
            if data.get("anderer_betrag") is None and "anderer_betrag" not in self.errors:
                self.add_error("anderer_betrag", _("Bitte geben Sie Ihren Betrag an."))
            data["amount"] = data.get("anderer_betrag")
        elif data.get("betrag"):
            data["amount"] = Decimal(data["betrag"])
        if data.get("intervall"):
            data["interval"] = INTERVAL_SLUGS[data["intervall"]]
        return data


class AddressMixin(forms.Form):
    street = forms.CharField(
        label=_("Straße und Hausnummer"),
        max_length=70,
        required=False,
        validators=[check_plain_text],
    )
    postcode = forms.CharField(
        label=_("Postleitzahl"), max_length=16, required=False, validators=[check_plain_text]
    )
    town = forms.CharField(
        label=_("Ort"), max_length=35, required=False, validators=[check_plain_text]
    )
    country = forms.ChoiceField(label=_("Land"), choices=COUNTRY_CHOICES, required=False)

    def clean_address(self, checked: CheckedIban | None) -> dict[str, str]:
        """The structured address when the bank is outside the EEA (town and country at
        least), nothing otherwise: we keep no data SEPA does not need."""
        if checked is None or not checked.needs_address:
            return {}
        data = self.cleaned_data
        if not data.get("town"):
            self.add_error(
                "town",
                _(
                    "Für Konten außerhalb des EWR (hier: %(country)s) verlangt SEPA Ihre "
                    "Anschrift: bitte mindestens den Ort angeben."
                )
                % {"country": checked.country},
            )
        if not data.get("country"):
            self.add_error("country", _("Bitte wählen Sie das Land Ihrer Anschrift."))
        return {key: data.get(key, "") for key in ("street", "postcode", "town", "country")}


class MandateFields(AddressMixin):
    account_holder = forms.CharField(
        label=_("Kontoinhaber/in"),
        max_length=70,
        error_messages={
            "required": _("Bitte geben Sie den Namen der Kontoinhaberin oder des Kontoinhabers an.")
        },
    )
    iban = forms.CharField(
        label=_("IBAN"),
        max_length=42,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
        error_messages={"required": _("Bitte geben Sie Ihre IBAN an.")},
    )

    def clean_account_holder(self) -> str:
        return check_account_holder(self.cleaned_data["account_holder"])

    def clean_iban(self) -> CheckedIban:
        return check_iban(self.cleaned_data["iban"])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        checked = data.get("iban") if isinstance(data.get("iban"), CheckedIban) else None
        data["address"] = self.clean_address(checked)
        return data


class PledgeForm(MandateFields):
    """Step two (POST): who gives, from which account, with the mandate consent."""

    field_order = [
        "name",
        "email",
        "account_holder",
        "iban",
        "street",
        "postcode",
        "town",
        "country",
        "consent",
    ]

    form_token = forms.UUIDField(widget=forms.HiddenInput)
    betrag = amount_field(widget=forms.HiddenInput)
    intervall = forms.ChoiceField(choices=INTERVAL_CHOICES, widget=forms.HiddenInput)
    name = forms.CharField(
        label=_("Ihr Name"),
        max_length=140,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        validators=[check_plain_text],
        error_messages={"required": _("Bitte geben Sie Ihren Namen an.")},
    )
    # As long as the supporter's column; control characters, allowed by the standard in
    # a quoted local part ("\x1b"@example.org), would go raw into every mail's header.
    email = forms.EmailField(
        label=_("E-Mail-Adresse"),
        max_length=254,
        validators=[check_plain_text],
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_(
            "Für die Bestätigung, die Ankündigung der Lastschrift und Ihren Link zur Verwaltung."
        ),
        error_messages={
            "required": _("Bitte geben Sie Ihre E-Mail-Adresse an."),
            "invalid": _("Diese E-Mail-Adresse ist ungültig."),
        },
    )
    consent = forms.BooleanField(
        label=_("Ich erteile das SEPA-Lastschriftmandat wie oben beschrieben."),
        error_messages={
            "required": _("Ohne Ihr Mandat können wir nichts einziehen: bitte bestätigen Sie es.")
        },
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("intervall"):
            data["interval"] = INTERVAL_SLUGS[data["intervall"]]
        return data


class ChangeForm(forms.Form):
    amount = amount_field(
        label=_("Betrag in Euro"),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 6}),
    )
    interval = forms.ChoiceField(label=_("Turnus"), choices=Interval.choices)


class NewMandateForm(MandateFields):
    consent = forms.BooleanField(
        label=_("Ich erteile für dieses Konto ein neues SEPA-Lastschriftmandat."),
        error_messages={"required": _("Bitte bestätigen Sie das neue Mandat.")},
    )


def validation_message(error: ValidationError) -> str:
    return " ".join(error.messages)
