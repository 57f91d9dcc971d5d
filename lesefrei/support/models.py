"""Reader revenue: campaigns, supporters, pledges, SEPA mandates, collections, returns.

Models hold data and invariants (unique constraints that make double debits impossible);
every state change goes through services.py, every non-trivial read through selectors.py.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from lesefrei.site.l10n import format_moment, format_money

from . import crypto


class Interval(models.TextChoices):
    ONCE = "once", _("einmalig")
    MONTHLY = "monthly", _("monatlich")
    QUARTERLY = "quarterly", _("vierteljährlich")
    HALF_YEARLY = "half_yearly", _("halbjährlich")
    YEARLY = "yearly", _("jährlich")


# The URL parameter spelling of each interval (/unterstuetzen/?intervall=monatlich).
INTERVAL_SLUGS = {
    "einmalig": Interval.ONCE,
    "monatlich": Interval.MONTHLY,
    "vierteljaehrlich": Interval.QUARTERLY,
    "halbjaehrlich": Interval.HALF_YEARLY,
    "jaehrlich": Interval.YEARLY,
}


class Campaign(models.Model):
    """What the support box says and the goal its progress bar counts toward.

    The newest active campaign is shown; the figure counts supporters with an active
    recurring pledge, plus `supporters_offset` (supporters counted outside lesefrei,
    e.g. members of the cooperative before the site existed).
    """

    title = models.CharField(_("Titel"), max_length=120)
    goal = models.PositiveIntegerField(
        _("Ziel (Unterstützerinnen und Unterstützer)"),
        default=50_000,
        validators=[MinValueValidator(1)],
    )
    supporters_offset = models.PositiveIntegerField(
        _("Bereits anderswo gezählt"),
        default=0,
        help_text=_("Wird zur Zahl der aktiven regelmäßigen Unterstützungen addiert."),
    )
    heading = models.CharField(_("Überschrift"), max_length=120, default="Alle können uns lesen.")
    text = models.TextField(
        _("Text"),
        default=(
            "Wir sind eine Genossenschaft und gehören unseren Leserinnen und Lesern. "
            "Unsere Artikel bleiben frei – getragen von Menschen, die freiwillig zahlen."
        ),
    )
    minimum_text = models.CharField(
        _("Einstiegssatz"), max_length=160, default="Sie sind schon ab 5 Euro dabei."
    )
    button_text = models.CharField(_("Knopf"), max_length=60, default="Jetzt unterstützen")
    is_active = models.BooleanField(_("aktiv"), default=True)
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)

    panels = [
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("goal"), FieldPanel("supporters_offset")]),
        MultiFieldPanel(
            [
                FieldPanel("heading"),
                FieldPanel("text"),
                FieldPanel("minimum_text"),
                FieldPanel("button_text"),
            ],
            heading=_("Texte der Unterstützungsbox"),
        ),
        FieldPanel("is_active"),
    ]

    class Meta:
        verbose_name = _("Kampagne")
        verbose_name_plural = _("Kampagnen")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class Supporter(models.Model):
    """An e-mail address that pledges were made with. Anyone can type any address, so
    the record proves nothing about who pledged: its name is the one of the first form
    (only the address's own account, logged in, may correct it), and a reader account
    sees a pledge only through `Pledge.user` (services.start_pledge, claim_pledge)."""

    email = models.EmailField(_("E-Mail"), unique=True)
    name = models.CharField(_("Name"), max_length=140)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Leserkonto"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supporters",
    )
    created_at = models.DateTimeField(_("seit"), auto_now_add=True)

    class Meta:
        verbose_name = _("Unterstützer/in")
        verbose_name_plural = _("Unterstützerinnen und Unterstützer")
        ordering = ["name"]
        permissions = [
            ("view_full_iban", "Can view full IBANs (logged)"),
            ("run_collections", "Can export collections and import returns"),
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


class Pledge(models.Model):
    """A promise to give `amount` every `interval` from `anchor_date` on.

    Due dates follow schedule.due_dates(anchor_date, collection_day, interval): the
    day of month the supporter signed up for, clamped to short months. A change of
    amount or interval, a pause and a resumption move `anchor_date` forward; collections
    already exported stay as they are.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", _("aktiv")
        PAUSED = "paused", _("pausiert")
        CANCELLED = "cancelled", _("beendet")
        COMPLETED = "completed", _("abgeschlossen")

    supporter = models.ForeignKey(
        Supporter,
        verbose_name=_("Unterstützer/in"),
        on_delete=models.PROTECT,
        related_name="pledges",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Leserkonto"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pledges",
        help_text=_(
            "Das Konto, mit dem die Zusage angemeldet abgegeben oder über den Link an seine "
            "Adresse bestätigt wurde."
        ),
    )
    name = models.CharField(
        _("Name laut Formular"),
        max_length=140,
        blank=True,
        help_text=_("Wie sich die Person in dieser Zusage genannt hat; die E-Mails grüßen so."),
    )
    amount = models.DecimalField(_("Betrag (€)"), max_digits=8, decimal_places=2)
    interval = models.CharField(_("Turnus"), max_length=12, choices=Interval.choices)
    status = models.CharField(
        _("Status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    anchor_date = models.DateField(_("Fällig ab"))
    collection_day = models.PositiveSmallIntegerField(_("Einzugstag"))
    ends_on = models.DateField(_("Endet am"), null=True, blank=True)
    end_reason = models.CharField(_("Grund des Endes"), max_length=200, blank=True)
    form_token = models.UUIDField(_("Formular-Token"), unique=True, editable=False)
    created_at = models.DateTimeField(_("begonnen"), auto_now_add=True)
    ended_at = models.DateTimeField(_("beendet am"), null=True, blank=True)
    updated_at = models.DateTimeField(_("geändert"), auto_now=True)

    class Meta:
        verbose_name = _("Zusage")
        verbose_name_plural = _("Zusagen")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "interval"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="pledge_amount_positive"),
            models.CheckConstraint(
                condition=models.Q(collection_day__gte=1, collection_day__lte=31),
                name="pledge_collection_day_in_month",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.amount_display} {self.get_interval_display()} – {self.supporter.name}"

    @property
    def amount_display(self) -> str:
        return format_euro(self.amount)

    @property
    def is_recurring(self) -> bool:
        return self.interval != Interval.ONCE

    @property
    def current_mandate(self) -> "Mandate | None":
        mandates = [m for m in self.mandates.all() if m.status == Mandate.Status.ACTIVE]
        return max(mandates, key=lambda m: m.pk) if mandates else None


class Mandate(models.Model):
    """A SEPA core direct-debit mandate. The IBAN is stored encrypted (Fernet); the masked
    form is kept beside it so lists never need to decrypt."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("gültig")
        REPLACED = "replaced", _("ersetzt")
        REVOKED = "revoked", _("widerrufen")
        EXPIRED = "expired", _("verfallen")

    pledge = models.ForeignKey(
        Pledge, verbose_name=_("Zusage"), on_delete=models.PROTECT, related_name="mandates"
    )
    reference = models.CharField(_("Mandatsreferenz"), max_length=35, unique=True)
    account_holder = models.CharField(_("Kontoinhaber/in"), max_length=70)
    iban_encrypted = models.TextField(_("IBAN (verschlüsselt)"), editable=False)
    iban_masked = models.CharField(_("IBAN"), max_length=50)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    bank_name = models.CharField(_("Bank"), max_length=140, blank=True)
    street = models.CharField(_("Straße und Hausnummer"), max_length=70, blank=True)
    postcode = models.CharField(_("Postleitzahl"), max_length=16, blank=True)
    town = models.CharField(_("Ort"), max_length=35, blank=True)
    country = models.CharField(_("Land"), max_length=2, blank=True)
    signed_on = models.DateField(_("Unterschrieben am"))
    status = models.CharField(
        _("Status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    last_used_on = models.DateField(_("Zuletzt genutzt"), null=True, blank=True)
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)

    class Meta:
        verbose_name = _("Mandat")
        verbose_name_plural = _("Mandate")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.reference} ({self.iban_masked})"

    @property
    def iban(self) -> str:
        """The full IBAN. Only services.reveal_iban (logged) and the export read it."""
        return crypto.decrypt(self.iban_encrypted)


class CollectionRun(models.Model):
    """One pain.008 file: stored in the database (never publicly served), with its
    checksum, number of transactions and control sum."""

    created_at = models.DateTimeField(_("erstellt"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    until = models.DateField(_("fällig bis"))
    message_id = models.CharField(_("Nachrichten-ID"), max_length=35, unique=True)
    filename = models.CharField(_("Dateiname"), max_length=100)
    xml = models.TextField(_("Datei"), editable=False)
    sha256 = models.CharField(_("Prüfsumme (SHA-256)"), max_length=64)
    transaction_count = models.PositiveIntegerField(_("Lastschriften"))
    control_sum = models.DecimalField(_("Kontrollsumme (€)"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("Einzugslauf")
        verbose_name_plural = _("Einzugsläufe")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        total = format_money(self.control_sum, cents=True)
        return f"{self.filename} ({self.transaction_count}, {total})"


class Collection(models.Model):
    """One debit of a pledge on one due date. The unique (pledge, due_date) pair and the
    run it was exported in make sure that no due date is ever debited twice."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("geplant")
        EXPORTED = "exported", _("eingereicht")
        RETURNED = "returned", _("zurückgegeben")

    class Sequence(models.TextChoices):
        FIRST = "FRST", _("Erstlastschrift")
        RECURRING = "RCUR", _("Folgelastschrift")
        ONE_OFF = "OOFF", _("Einmallastschrift")

    pledge = models.ForeignKey(
        Pledge, verbose_name=_("Zusage"), on_delete=models.PROTECT, related_name="collections"
    )
    due_date = models.DateField(_("fällig am"))
    amount = models.DecimalField(_("Betrag (€)"), max_digits=8, decimal_places=2)
    status = models.CharField(
        _("Status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    mandate = models.ForeignKey(
        Mandate,
        verbose_name=_("Mandat"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="collections",
    )
    run = models.ForeignKey(
        CollectionRun,
        verbose_name=_("Einzugslauf"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="collections",
    )
    sequence_type = models.CharField(
        _("Sequenz"), max_length=4, choices=Sequence.choices, blank=True
    )
    collection_date = models.DateField(_("Einzugsdatum"), null=True, blank=True)
    end_to_end_id = models.CharField(_("Ende-zu-Ende-Referenz"), max_length=35, blank=True)
    hold_reason = models.CharField(
        _("Nicht eingereicht, weil"),
        max_length=300,
        blank=True,
        help_text=_(
            "Warum der letzte Einzugslauf diese fällige Lastschrift übersprungen hat; "
            "leer, sobald sie eingereicht ist."
        ),
    )
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)

    class Meta:
        verbose_name = _("Einzug")
        verbose_name_plural = _("Einzüge")
        ordering = ["due_date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["pledge", "due_date"], name="one_collection_per_due_date"
            ),
            models.UniqueConstraint(
                fields=["end_to_end_id"],
                condition=~models.Q(end_to_end_id=""),
                name="unique_end_to_end_id",
            ),
            models.CheckConstraint(
                condition=models.Q(status="planned") | models.Q(run__isnull=False),
                name="exported_collection_has_run",
            ),
        ]

    def __str__(self) -> str:
        return _("%(amount)s am %(date)s") % {
            "amount": format_euro(self.amount),
            "date": format_moment(self.due_date),
        }


class ReturnImport(models.Model):
    """One imported return file; its checksum makes a second import of it a no-op."""

    imported_at = models.DateTimeField(_("eingelesen"), auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    filename = models.CharField(_("Dateiname"), max_length=200)
    sha256 = models.CharField(_("Prüfsumme (SHA-256)"), max_length=64, unique=True)
    message_type = models.CharField(_("Nachrichtentyp"), max_length=20)
    return_count = models.PositiveIntegerField(_("Rückgaben"), default=0)
    unknown_references = models.JSONField(_("Unbekannte Referenzen"), default=list, blank=True)
    skipped_entries = models.JSONField(
        _("Nicht verbuchte Einträge"),
        default=list,
        blank=True,
        help_text=_("Einträge der Datei, die nicht verbucht werden konnten, mit dem Grund."),
    )

    class Meta:
        verbose_name = _("Rückgabedatei")
        verbose_name_plural = _("Rückgabedateien")
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return self.filename


class CollectionReturn(models.Model):
    """A debit the debtor's bank sent back (R-transaction), with the ISO reason code."""

    collection = models.OneToOneField(
        Collection, verbose_name=_("Einzug"), on_delete=models.PROTECT, related_name="bank_return"
    )
    source = models.ForeignKey(
        ReturnImport, verbose_name=_("Datei"), on_delete=models.PROTECT, related_name="returns"
    )
    # An ISO code (4 characters) or the bank's own reason (<Prtry>, up to 35).
    reason_code = models.CharField(_("Grund"), max_length=35)
    # The schema allows 18 digits for one charge; 22 hold the sum of several charges of
    # one return (returns.MAX_FEE), and on SQLite, which keeps about 15 significant
    # digits, what such a value reads back as.
    fee = models.DecimalField(
        _("Rückgabegebühr (€)"), max_digits=22, decimal_places=2, default=Decimal("0.00")
    )
    returned_on = models.DateField(_("Buchungstag"), null=True, blank=True)
    created_at = models.DateTimeField(_("erfasst"), auto_now_add=True)

    class Meta:
        verbose_name = _("Rücklastschrift")
        verbose_name_plural = _("Rücklastschriften")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.reason_code}: {self.collection}"

    @property
    def reason_text(self) -> str:
        from .returns import REASON_TEXTS

        return str(REASON_TEXTS.get(self.reason_code, self.reason_code))


class IbanAccessLog(models.Model):
    """Every time someone saw a full IBAN: who, when, and either the one mandate
    (the logged view) or the collection run whose file, full of IBANs, they downloaded."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Wer"), on_delete=models.PROTECT, related_name="+"
    )
    mandate = models.ForeignKey(
        Mandate,
        verbose_name=_("Mandat"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="access_log",
    )
    run = models.ForeignKey(
        CollectionRun,
        verbose_name=_("Einzugslauf (Datei)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="access_log",
    )
    viewed_at = models.DateTimeField(_("Wann"), auto_now_add=True)

    class Meta:
        verbose_name = _("IBAN-Einsicht")
        verbose_name_plural = _("IBAN-Einsichten")
        ordering = ["-viewed_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(mandate__isnull=False, run__isnull=True)
                | models.Q(mandate__isnull=True, run__isnull=False),
                name="iban_access_names_a_mandate_or_a_run",
            )
        ]

    def __str__(self) -> str:
        # Local time, as every other screen shows it (the stored value is UTC).
        return f"{format_moment(self.viewed_at)} – {self.run or self.mandate_id}"


def format_euro(amount: Decimal) -> str:
    """Euro amounts in the site's language: 12,50 € in German, €12.50 in English."""
    return format_money(amount)
