"""Pages and media of the newspaper: home → sections → articles, authors, topics.

Panels stand beside their fields, as in Wagtail's own apps. Reads that several
pages share live in selectors.py; templates never query in a loop.
"""

import re
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import ItemBase, TagBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.images.models import AbstractImage, AbstractRendition
from wagtail.models import Orderable, Page, PageViewRestriction
from wagtail.search import index

from .blocks import ArticleBodyBlock
from .forms import ReaderPageForm
from .home_blocks import FrontSectionsBlock, pinned_ids
from .slugs import GermanSlugPage, german_slug

# Labels a credit may already carry ("Foto: dpa", "Grafik: lesefrei", agency copy's
# "Photo: AP"); such a credit is shown as it is, anything else gets "Bild: " in front.
CREDIT_LABELS = re.compile(
    r"^\s*(©|\(c\)|(foto|fotos|bild|bilder|grafik|illustration|karte|abbildung|quelle|"
    r"archivbild|screenshot|montage|collage|zeichnung|video|photo|image|credit)\s*:)",
    re.IGNORECASE,
)


def credit_line(credit: str) -> str:
    """The credit as readers see it under an image: "Bild: dpa", "Foto: Ana Lima", "© dpa"."""
    credit = (credit or "").strip()
    if not credit or CREDIT_LABELS.match(credit):
        return credit
    return f"Bild: {credit}"


class CreditedImage(AbstractImage):
    """Wagtail's image with a credit line (Bildnachweis), shown under every use."""

    credit = models.CharField(_("Bildnachweis"), max_length=200, blank=True)

    admin_form_fields = (
        "title",
        "file",
        "description",
        "credit",
        "collection",
        "tags",
        "focal_point_x",
        "focal_point_y",
        "focal_point_width",
        "focal_point_height",
    )

    class Meta(AbstractImage.Meta):
        verbose_name = _("Bild")
        verbose_name_plural = _("Bilder")
        permissions = [("choose_image", "Can choose image")]


class CreditedRendition(AbstractRendition):
    image = models.ForeignKey(CreditedImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)


def view_restrictions_exist(request: HttpRequest | None = None) -> bool:
    """Whether any page is private (kept per content version: a newspaper rarely has
    private pages, and then no reader page needs to ask for its restrictions)."""
    from lesefrei.cache import pieces

    version = pieces.content_version(request)
    return pieces.kept("view-restrictions", version, PageViewRestriction.objects.exists)


def public(pages: Any) -> Any:
    """`pages.public()`, without its query for the restrictions when there are none."""
    return pages.public() if view_restrictions_exist() else pages


class ReaderPage(GermanSlugPage):
    """What every page of the newspaper shares (a mixin of Wagtail's Page)."""

    # The CMS refuses control characters and answers an incomplete body (forms.py).
    base_form_class = ReaderPageForm

    def remember_view_restrictions(self, request: HttpRequest) -> None:
        """Look up whether any page is private with the request's content version."""
        self.__dict__["_view_restrictions_exist"] = view_restrictions_exist(request)

    def get_view_restrictions(self) -> Any:
        # Wagtail asks on every request, walking the ancestors: two queries saved when
        # no page is private.
        exist = self.__dict__.get("_view_restrictions_exist")
        if not (view_restrictions_exist() if exist is None else exist):
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


def paginate(
    request: HttpRequest,
    items: Any,
    per_page: int | None = None,
    count_key: str | None = None,
) -> PaginatorPage:
    """One page of `items` for the `?seite=` parameter; bad or too high numbers give
    the nearest valid page instead of an error.

    With `count_key` (what the list is, e.g. "section:4"), the number of items is kept
    per content version: counting a section of a large archive costs more than reading
    its page, and only a change of published content changes it.
    """
    paginator = Paginator(items, per_page or settings.LESEFREI_PAGE_SIZE)
    if count_key is not None:
        from lesefrei.cache import CONTENT, cached_value, key

        paginator.count = cached_value(
            key(request, "list-count", [CONTENT], count_key), items.count
        )
    page = paginator.get_page(request.GET.get("seite"))
    if isinstance(items, models.QuerySet) and paginator.count:
        # The page's ids first (a narrow sort, or a walk along the list's index), then
        # only their rows: a deep page does not sort every skipped row with its body.
        start = page.start_index() - 1
        ids = items.prefetch_related(None).values("pk")[start : start + paginator.per_page]
        page.object_list = items.filter(pk__in=ids)
    return page


class HomePage(ReaderPage, Page):
    """The front page: a lead story and one block of teasers per section, curated by the
    editors or filled automatically, newest first (selectors.home_front)."""

    lead_article = models.ForeignKey(
        "content.ArticlePage",
        verbose_name=_("Aufmacher"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Leer lassen: der neueste Artikel mit Bild ist der Aufmacher. Ist der gewählte "
            "Artikel nicht (mehr) veröffentlicht, wird wieder automatisch gewählt."
        ),
    )
    articles_per_section = models.PositiveSmallIntegerField(
        _("Artikel je Ressort"),
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    section_pins = StreamField(
        FrontSectionsBlock(),
        verbose_name=_("Angeheftete Artikel je Ressort"),
        blank=True,
        help_text=_(
            "Ein Block je Ressort, das nicht nur die neuesten Artikel zeigen soll: die "
            "angehefteten Artikel stehen oben, der Rest füllt sich automatisch."
        ),
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("lead_article"),
                FieldPanel("articles_per_section"),
                FieldPanel("section_pins"),
            ],
            heading=_("Startseite zusammenstellen"),
        ),
    ]
    subpage_types = [
        "content.SectionPage",
        "content.AuthorIndexPage",
        "content.TopicIndexPage",
        "pages.LegalPage",
        "pages.CorrectionsPage",
    ]
    max_count = 1

    class Meta:
        verbose_name = _("Startseite")

    def clean(self) -> None:
        super().clean()
        too_many = [
            child.value["section"].title
            for child in self.section_pins or []
            if child.value.get("section") is not None
            and len(child.value.get("articles") or []) > (self.articles_per_section or 0)
        ]
        if too_many:
            raise ValidationError(
                {
                    "section_pins": _(
                        "Mehr angeheftete Artikel als Plätze im Block (%(size)s) bei: "
                        "%(sections)s. Entfernen Sie einige oder erhöhen Sie „Artikel je Ressort“."
                    )
                    % {"size": self.articles_per_section, "sections": ", ".join(too_many)}
                }
            )

    def pinned_article_ids(self) -> dict[int, list[int]]:
        """{section id: [pinned article ids]} in the editors' order, read without a query."""
        return pinned_ids(self.section_pins.raw_data)

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from .selectors import home_front

        context = super().get_context(request, *args, **kwargs)
        # Lazy: the lead and the section blocks are kept as pieces per content version
        # (lesefrei/cache/pieces.py); only a render that misses them runs the section queries.
        context["front"] = SimpleLazyObject(lambda: home_front(self))
        return context


class SectionPage(ReaderPage, Page):
    intro = models.CharField(_("Kurzbeschreibung"), max_length=300, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["content.HomePage"]
    subpage_types = ["content.ArticlePage", "live.LiveTickerPage"]

    class Meta:
        verbose_name = _("Ressort")
        verbose_name_plural = _("Ressorts")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from .selectors import section_articles

        context = super().get_context(request, *args, **kwargs)
        context["articles"] = paginate(
            request, section_articles(self), count_key=f"section:{self.pk}"
        )
        return context


class AuthorIndexPage(ReaderPage, Page):
    content_panels = Page.content_panels
    parent_page_types = ["content.HomePage"]
    subpage_types = ["content.AuthorPage"]
    max_count = 1

    class Meta:
        verbose_name = _("Autorenverzeichnis")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context["authors"] = (
            AuthorPage.objects.live().child_of(self).select_related("photo").order_by("title")
        )
        return context


class AuthorPage(ReaderPage, Page):
    """An author: the page title is the name."""

    role = models.CharField(_("Funktion"), max_length=120, blank=True)
    bio = models.TextField(_("Kurzbiografie"), blank=True)
    photo = models.ForeignKey(
        CreditedImage,
        verbose_name=_("Foto"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("role"),
        FieldPanel("bio"),
        FieldPanel("photo"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("role"), index.SearchField("bio")]
    parent_page_types = ["content.AuthorIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("Autorin/Autor")
        verbose_name_plural = _("Autorinnen und Autoren")

    @property
    def name(self) -> str:
        return self.title

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from .selectors import author_articles

        context = super().get_context(request, *args, **kwargs)
        context["articles"] = paginate(
            request, author_articles(self), count_key=f"author:{self.pk}"
        )
        return context


class TopicIndexPage(ReaderPage, RoutablePageMixin, Page):
    """/themen/ lists the topics; /themen/<slug>/ lists a topic's articles."""

    parent_page_types = ["content.HomePage"]
    subpage_types: list[str] = []
    max_count = 1

    class Meta:
        verbose_name = _("Themenverzeichnis")

    @path("")
    def topic_list(self, request: HttpRequest) -> HttpResponse:
        from lesefrei.cache import CONTENT, cached_value, key

        from .selectors import topics_in_use

        # An aggregate over every article's topics: kept per content version.
        topics = cached_value(
            key(request, "topics-in-use", [CONTENT]), lambda: list(topics_in_use())
        )
        return self.render(request, context_overrides={"topics": topics})

    @path("<slug:slug>/")
    def topic(self, request: HttpRequest, slug: str) -> HttpResponse:
        from .selectors import topic_articles

        tag = get_object_or_404(Topic, slug=slug)
        articles = paginate(request, topic_articles(tag), count_key=f"topic:{tag.pk}")
        if not articles.paginator.count:
            raise Http404
        return self.render(
            request,
            template="content/topic_page.html",
            context_overrides={"topic": tag, "articles": articles},
        )


class Topic(TagBase):
    """A topic (tag) of articles; its slug is German-transliterated ("Ländlicher Raum" ->
    "laendlicher-raum") so topic addresses stay readable and ASCII."""

    class Meta:
        verbose_name = _("Thema")
        verbose_name_plural = _("Themen")
        ordering = ["name"]

    def slugify(self, tag: str, i: int | None = None) -> str:
        slug = german_slug(tag, max_length=90)
        return f"{slug}-{i}" if i is not None else slug


class ArticleTopic(ItemBase):
    tag = models.ForeignKey(Topic, related_name="tagged_articles", on_delete=models.CASCADE)
    content_object = ParentalKey(
        "content.ArticlePage", related_name="tagged_items", on_delete=models.CASCADE
    )


class ArticleAuthor(Orderable):
    article = ParentalKey("content.ArticlePage", related_name="article_authors")
    author = models.ForeignKey(
        AuthorPage,
        verbose_name=_("Autorin/Autor"),
        on_delete=models.PROTECT,
        related_name="article_links",
    )

    panels = [FieldPanel("author")]

    class Meta(Orderable.Meta):
        verbose_name = _("Autorin/Autor")
        verbose_name_plural = _("Autorinnen und Autoren")
        constraints = [
            models.UniqueConstraint(fields=["article", "author"], name="unique_article_author")
        ]


class ArticlePage(ReaderPage, Page):
    """A news article in the shape of the reference page. The page title is the headline."""

    kicker = models.CharField(
        _("Dachzeile"),
        max_length=80,
        help_text=_("Kurze Themenzeile über der Überschrift, z. B. „Debatte um die Rente“."),
    )
    teaser = models.TextField(
        _("Teaser"), max_length=600, help_text=_("Ein bis zwei Sätze, die den Text eröffnen.")
    )
    place = models.CharField(_("Ort"), max_length=80, blank=True)
    published_at = models.DateTimeField(
        _("Veröffentlicht am"),
        null=True,
        blank=True,
        help_text=_("Leer lassen: der Zeitpunkt der ersten Veröffentlichung."),
    )
    updated_at = models.DateTimeField(
        _("Aktualisiert am"),
        null=True,
        blank=True,
        help_text=_(
            "Für Leser sichtbare Aktualisierung. Leer lassen: die letzte Veröffentlichung, "
            "wenn sie deutlich später liegt."
        ),
    )
    lead_image = models.ForeignKey(
        CreditedImage,
        verbose_name=_("Aufmacherbild"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    lead_image_caption = models.CharField(_("Bildunterschrift"), max_length=400, blank=True)
    body = StreamField(ArticleBodyBlock(), verbose_name=_("Text"))
    topics = ClusterTaggableManager(verbose_name=_("Themen"), through=ArticleTopic, blank=True)
    correction = RichTextField(
        _("Korrektur"),
        features=["bold", "italic", "link"],
        blank=True,
        help_text=_("Hinweis auf eine Korrektur, wird unter dem Text angezeigt."),
    )

    class CommentsMode(models.TextChoices):
        OPEN = "open", _("offen")
        CLOSED = "closed", _("geschlossen")
        AUTO_CLOSE = "auto", _("offen, schließen automatisch nach einigen Tagen")

    comments_mode = models.CharField(
        _("Kommentare"), max_length=6, choices=CommentsMode.choices, default=CommentsMode.OPEN
    )
    comments_close_after_days = models.PositiveSmallIntegerField(
        _("Kommentare schließen nach (Tagen)"),
        default=14,
        help_text=_("Nur für „schließen automatisch“: Tage nach der Veröffentlichung."),
    )

    content_panels = [
        FieldPanel("kicker"),
        *Page.content_panels,
        FieldPanel("teaser"),
        InlinePanel("article_authors", label=_("Autorinnen und Autoren"), min_num=0),
        MultiFieldPanel(
            [
                FieldPanel("place"),
                FieldRowPanel([FieldPanel("published_at"), FieldPanel("updated_at")]),
            ],
            heading=_("Ort und Zeit"),
        ),
        MultiFieldPanel(
            [FieldPanel("lead_image"), FieldPanel("lead_image_caption")],
            heading=_("Aufmacherbild"),
        ),
        FieldPanel("body"),
        FieldPanel("topics"),
        FieldPanel("correction"),
        MultiFieldPanel(
            [FieldPanel("comments_mode"), FieldPanel("comments_close_after_days")],
            heading=_("Kommentare"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("kicker", boost=2),
        index.SearchField("teaser", boost=1.5),
        index.SearchField("body"),
        index.FilterField("published_at"),
        index.RelatedFields("topics", [index.SearchField("name")]),
        index.RelatedFields(
            "article_authors",
            [index.RelatedFields("author", [index.SearchField("title")])],
        ),
    ]
    parent_page_types = ["content.SectionPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("Artikel")
        verbose_name_plural = _("Artikel")
        indexes = [
            # Every list of articles is "newest first" (selectors.published_articles):
            # read backwards, this index gives that order, the id breaking ties, so a
            # LIMIT stops after the rows it needs (see migration 0004).
            models.Index(fields=["published_at", "page_ptr"], name="article_published_idx"),
        ]

    @property
    def headline(self) -> str:
        return self.title

    @property
    def date_published(self) -> datetime | None:
        return self.published_at or self.first_published_at

    @property
    def date_updated(self) -> datetime | None:
        """The update readers should see, or None when there is none worth showing.

        An editor's "aktualisiert" date counts when it lies the notice threshold after
        publication; otherwise a republication that long after the first one counts.
        Fixing a typo right after publishing is not news.
        """
        threshold = timedelta(minutes=settings.LESEFREI_UPDATE_NOTICE_MINUTES)
        published = self.date_published
        if self.updated_at and published:
            return self.updated_at if self.updated_at - published >= threshold else None
        first, last = self.first_published_at, self.last_published_at
        if first and last and last - first >= threshold and (not published or last > published):
            return last
        return None

    @property
    def authors(self) -> list[AuthorPage]:
        """The authors in the editors' order; one query, once per instance (the byline,
        the head metadata and the page-cache tags all ask)."""
        if "_authors" not in self.__dict__:
            links = self.article_authors.all()
            if "article_authors" not in getattr(self, "_prefetched_objects_cache", {}):
                links = links.select_related("author")
            self.__dict__["_authors"] = [link.author for link in links]
        return self.__dict__["_authors"]

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The publication date lists are ordered by: the editor's, else the first publication.
        if self.published_at is None and (self.first_published_at or self.live):
            self.published_at = self.first_published_at or timezone.now()
        super().save(*args, **kwargs)

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        # Lazy: only a render that misses its kept pieces (lesefrei/cache/pieces.py) asks for them.
        context["section"] = SimpleLazyObject(lambda: self.get_parent().specific_deferred)
        context["topic_index"] = SimpleLazyObject(TopicIndexPage.objects.live().first)
        return context
