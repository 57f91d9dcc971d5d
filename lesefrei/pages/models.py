"""Legal and service pages (Impressum, Datenschutz, Kontakt, Leserbriefe, Über uns), the
corrections log, and the site setting that picks the footer's links.

A legal page is an ordinary Wagtail page under the home page: its address is cached for
everyone like any reader page. Pages with a contact form answer the form on their own
sub-address (`schreiben/`), which is never cached and carries the CSRF token, as the
comment form does beside the cached article.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from lesefrei.content.models import ReaderPage, paginate

from .blocks import LegalBodyBlock


class LegalPage(ReaderPage, RoutablePageMixin, Page):
    """Impressum, Datenschutzerklärung, Kontakt, Leserbriefe/Hinweise, Über uns: text the
    newsroom writes itself, optionally with a contact form that mails the newsroom."""

    class Kind(models.TextChoices):
        IMPRINT = "impressum", _("Impressum")
        PRIVACY = "datenschutz", _("Datenschutzerklärung")
        CONTACT = "kontakt", _("Kontakt")
        LETTERS = "leserbriefe", _("Leserbriefe und Hinweise")
        ABOUT = "ueber-uns", _("Über uns")
        OTHER = "andere", _("Andere Seite")

    kind = models.CharField(
        _("Seitenart"),
        max_length=20,
        choices=Kind.choices,
        default=Kind.OTHER,
        help_text=_(
            "Formulare und Fehlermeldungen verweisen auf die Seite der Art „Kontakt“, "
            "das Kontaktformular auf die „Datenschutzerklärung“."
        ),
    )
    intro = models.CharField(_("Kurzbeschreibung"), max_length=300, blank=True)
    body = StreamField(LegalBodyBlock(), verbose_name=_("Text"), blank=True)
    has_form = models.BooleanField(
        _("Kontaktformular anbieten"),
        default=False,
        help_text=_("Leserinnen und Leser können der Redaktion von dieser Seite aus schreiben."),
    )
    form_recipient = models.EmailField(
        _("Empfänger der Nachrichten"),
        blank=True,
        help_text=_("Leer lassen: an die Absenderadresse der Website."),
    )
    form_subject = models.CharField(
        _("Betreff der Mails"),
        max_length=100,
        blank=True,
        help_text=_("Steht vor dem Betreff, den die Leserin angibt. Leer lassen: der Seitentitel."),
    )
    form_intro = models.TextField(
        _("Hinweis über dem Formular"),
        blank=True,
        help_text=_("Z. B. wofür das Formular gedacht ist und wann die Redaktion antwortet."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("kind"),
        FieldPanel("intro"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("has_form"),
                FieldPanel("form_recipient"),
                FieldPanel("form_subject"),
                FieldPanel("form_intro"),
            ],
            heading=_("Kontaktformular"),
        ),
    ]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    parent_page_types = ["content.HomePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("Rechtliche oder Service-Seite")
        verbose_name_plural = _("Rechtliche und Service-Seiten")

    @property
    def recipient(self) -> str:
        """Where the form's messages go: the page's address, else the site's sender."""
        return self.form_recipient or settings.DEFAULT_FROM_EMAIL

    @path("schreiben/", name="write")
    def write(self, request: HttpRequest) -> HttpResponse:
        from .views import contact_form

        if not self.has_form:
            raise Http404
        return contact_form(request, self)

    @path("gesendet/", name="sent")
    def sent(self, request: HttpRequest) -> HttpResponse:
        if not self.has_form:
            raise Http404
        return self.render(request, template="pages/contact_sent.html")


class CorrectionsPage(ReaderPage, Page):
    """The corrections log: every correction note of a live article, newest first."""

    intro = models.TextField(
        _("Einleitung"),
        blank=True,
        default=(
            "Wenn uns ein Fehler unterläuft, korrigieren wir ihn und sagen es unter dem "
            "Artikel. Hier stehen alle Korrekturen, die neuesten zuerst."
        ),
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["content.HomePage"]
    subpage_types: list[str] = []
    max_count = 1

    class Meta:
        verbose_name = _("Korrekturen")
        verbose_name_plural = _("Korrekturen")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from lesefrei.cache import add_cache_tags

        from .selectors import CORRECTIONS_TAG, corrections_log

        context = super().get_context(request, *args, **kwargs)
        corrections = paginate(request, corrections_log(), count_key="corrections")
        add_cache_tags(
            request,
            CORRECTIONS_TAG,
            *(f"page:{correction.article_id}" for correction in corrections),
        )
        context["corrections"] = corrections
        return context


class Correction(models.Model):
    """One correction note as it was published on its article. An article corrected
    twice has two entries; the article itself shows only its current note."""

    article = models.ForeignKey(
        "content.ArticlePage",
        verbose_name=_("Artikel"),
        on_delete=models.CASCADE,
        related_name="correction_log",
    )
    note = models.TextField(_("Korrektur"))
    published_at = models.DateTimeField(_("Veröffentlicht am"), db_index=True)

    class Meta:
        verbose_name = _("Korrektur")
        verbose_name_plural = _("Korrekturen")
        ordering = ["-published_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.article_id} @ {self.published_at:%Y-%m-%d %H:%M}"


class ContactSubmission(models.Model):
    """That a contact form was sent, by its one-time form key: a second submission of the
    same form (double click, reload, retry) finds it and sends no second mail. The
    message itself is only in the mail; nothing the reader wrote is kept here."""

    key = models.CharField(max_length=64, unique=True)
    page = models.ForeignKey(
        LegalPage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("Gesendetes Kontaktformular")
        verbose_name_plural = _("Gesendete Kontaktformulare")

    def __str__(self) -> str:
        return f"{self.key[:8]} @ {self.created_at:%Y-%m-%d %H:%M}"


@register_setting(icon="list-ul")
class FooterSettings(ClusterableModel, BaseSiteSetting):
    """Which pages the footer of every page links, in this order. Without any, the footer
    links every live legal and service page right under the home page."""

    panels = [InlinePanel("links", label=_("Links im Seitenfuß"))]

    class Meta:
        verbose_name = _("Seitenfuß")


class FooterLink(Orderable):
    setting = ParentalKey(FooterSettings, on_delete=models.CASCADE, related_name="links")
    page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("Seite"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [PageChooserPanel("page")]

    class Meta(Orderable.Meta):
        verbose_name = _("Link im Seitenfuß")
        verbose_name_plural = _("Links im Seitenfuß")
