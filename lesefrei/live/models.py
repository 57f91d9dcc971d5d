"""Live tickers: an article for a running event (a summit, an election night, a flood)
with timestamped entries, newest first.

A ticker is an article (multi-table inheritance of content.ArticlePage), so it stands
wherever articles do: sections, the front page, feeds, search, comments and
"meistkommentiert". Its entries are rows of their own, not part of the page's
revisions: editors add, correct, pin and delete them while the ticker runs without
publishing the whole article again (services.py).
"""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField

from lesefrei.content.blocks import PARAGRAPH_FEATURES, EmbedBlock, ImageBlock, QuoteBlock
from lesefrei.content.models import ArticlePage, AuthorPage


class LiveTickerPage(ArticlePage):
    """The ticker: the article's fields (headline, teaser; the body is the background
    below the entries, the pinned entry sums up on top) plus the time the coverage runs
    and whether it is still running."""

    class State(models.TextChoices):
        RUNNING = "running", _("läuft")
        ENDED = "ended", _("beendet")

    state = models.CharField(
        _("Status"), max_length=8, choices=State.choices, default=State.RUNNING
    )
    coverage_start = models.DateTimeField(
        _("Beginn der Berichterstattung"),
        null=True,
        blank=True,
        help_text=_("Leer lassen: der Zeitpunkt der ersten Veröffentlichung."),
    )
    coverage_end = models.DateTimeField(
        _("Ende der Berichterstattung"),
        null=True,
        blank=True,
        help_text=_("Geplantes oder tatsächliches Ende; beim Beenden eintragen."),
    )

    content_panels = [
        *ArticlePage.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("state"),
                FieldRowPanel([FieldPanel("coverage_start"), FieldPanel("coverage_end")]),
            ],
            heading=_("Liveticker"),
            help_text=_(
                "Die Einträge werden unter „Liveticker-Einträge“ verwaltet, ohne den "
                "Artikel neu zu veröffentlichen."
            ),
        ),
    ]
    parent_page_types = ["content.SectionPage"]
    subpage_types: list[str] = []
    template = "live/live_ticker_page.html"

    class Meta:
        verbose_name = _("Liveticker")
        verbose_name_plural = _("Liveticker")

    @property
    def is_running(self) -> bool:
        return self.state == self.State.RUNNING

    @property
    def coverage_started(self) -> datetime | None:
        return self.coverage_start or self.first_published_at or self.published_at

    def adjust_head_metadata(self, meta: object) -> None:
        """discovery.metadata's hook: the ticker's own feeds in <head>; its JSON-LD
        (LiveBlogPosting with the entries) is rendered with the entries instead, because
        <head> is kept per content version and entries change without one."""
        from .metadata import adjust_head_metadata

        adjust_head_metadata(self, meta)


class EntryMediaBlock(blocks.StreamBlock):
    """At most one image, quote or embed per entry: the article's own blocks."""

    image = ImageBlock()
    quote = QuoteBlock()
    embed = EmbedBlock()

    class Meta:
        max_num = 1


class LiveEntry(models.Model):
    ticker = models.ForeignKey(
        LiveTickerPage,
        verbose_name=_("Liveticker"),
        on_delete=models.CASCADE,
        related_name="entries",
    )
    title = models.CharField(_("Überschrift"), max_length=200, blank=True)
    text = RichTextField(_("Text"), features=PARAGRAPH_FEATURES)
    media = StreamField(
        EntryMediaBlock(),
        verbose_name=_("Bild, Zitat oder externer Inhalt"),
        blank=True,
        default=list,
    )
    author = models.ForeignKey(
        AuthorPage,
        verbose_name=_("Autorin/Autor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    pinned = models.BooleanField(
        _("Angeheftet"),
        default=False,
        help_text=_("Ein angehefteter Eintrag steht oben, bis er gelöst wird."),
    )
    created_at = models.DateTimeField(_("Zeitpunkt"), db_index=True)
    updated_at = models.DateTimeField(_("Aktualisiert"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Angelegt von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        FieldPanel("ticker"),
        FieldPanel("title"),
        FieldPanel("text"),
        FieldPanel("media"),
        FieldPanel("author"),
        FieldPanel("pinned"),
    ]

    class Meta:
        verbose_name = _("Liveticker-Eintrag")
        verbose_name_plural = _("Liveticker-Einträge")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["ticker", "created_at", "id"], name="live_entry_order_idx"),
        ]

    def __str__(self) -> str:
        from django.utils import timezone
        from django.utils.html import strip_tags
        from django.utils.text import Truncator

        stamp = timezone.localtime(self.created_at).strftime("%H:%M") if self.created_at else ""
        label = self.title or Truncator(strip_tags(self.text)).chars(60)
        return f"{stamp} {label}".strip()
