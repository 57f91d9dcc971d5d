"""Reader comments under articles, their moderation and its log.

Models hold data and invariants; every change of state goes through services.py, which
keeps the counters, the caches and the moderation log consistent with it.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


class Status(models.TextChoices):
    PENDING = "pending", _("wartet auf Freischaltung")
    APPROVED = "approved", _("freigeschaltet")
    REJECTED = "rejected", _("abgelehnt")


class Comment(models.Model):
    """A reader's comment under an article, or a reply (one level deep) to one."""

    article = models.ForeignKey(
        "content.ArticlePage",
        verbose_name=_("Artikel"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    # NULL once the account is deleted: the comment stays, shown as "gelöschtes Konto".
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Autor/in"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("Antwort auf"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
    )
    text = models.TextField(_("Text"))
    status = models.CharField(
        _("Status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    # Why the comment went to the queue although it would otherwise have been approved
    # (banned word, links); shown to moderators only.
    queue_reason = models.CharField(_("Grund für die Prüfung"), max_length=300, blank=True)
    rejection_reason = models.CharField(_("Ablehnungsgrund"), max_length=300, blank=True)
    # Open reports: an approved comment with reports is back in the queue until a
    # moderator decides.
    open_reports = models.PositiveIntegerField(_("offene Meldungen"), default=0)
    is_pick = models.BooleanField(_("Empfehlung der Redaktion"), default=False)
    created_at = models.DateTimeField(_("geschrieben"), default=timezone.now)
    # First approval: "meistkommentiert" counts comments approved within its window.
    approved_at = models.DateTimeField(_("freigeschaltet am"), null=True, blank=True)
    moderated_at = models.DateTimeField(_("moderiert am"), null=True, blank=True)
    # Sent with the form; one key stores one comment, however often it is submitted.
    idempotency_key = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("Kommentar")
        verbose_name_plural = _("Kommentare")
        ordering = ["created_at", "pk"]
        permissions = [
            ("moderate_comment", _("Kann Kommentare moderieren")),
            ("pick_comment", _("Kann Kommentare empfehlen")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="comment_idempotency_key_unique_per_author",
            )
        ]
        indexes = [
            # The article's visible comments, in order.
            models.Index(fields=["article", "status", "created_at"], name="comment_article_status"),
            # "meistkommentiert": approved comments of the last days, per article.
            models.Index(fields=["status", "approved_at", "article"], name="comment_ranking"),
            # The queue: pending or reported, oldest first.
            models.Index(fields=["status", "created_at"], name="comment_queue"),
            models.Index(
                fields=["author", "status", "moderated_at"], name="comment_author_history"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author_name}: {self.text[:60]}"

    @property
    def author_name(self) -> str:
        if self.author_id is None:
            return str(_("gelöschtes Konto"))
        profile = getattr(self.author, "reader_profile", None)
        return profile.pseudonym if profile else self.author.get_username()

    @property
    def is_visible(self) -> bool:
        return self.status == Status.APPROVED


class CommentReport(models.Model):
    """A reader's report of a comment: once per reader and comment, with a reason."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comment_reports",
    )
    reason = models.CharField(_("Grund"), max_length=500)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Meldung")
        verbose_name_plural = _("Meldungen")
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reporter"], name="comment_report_once_per_reader"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reason[:60]} ({self.created_at:%Y-%m-%d})"


class RejectionReason(models.Model):
    """The editable list of reasons a moderator picks from when rejecting; the text is
    what the author reads in the mail."""

    label = models.CharField(_("Kurzname"), max_length=80, unique=True)
    text = models.TextField(_("Erklärung für die Autorin/den Autor"))
    sort_order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    panels = [FieldPanel("label"), FieldPanel("text"), FieldPanel("sort_order")]

    class Meta:
        verbose_name = _("Ablehnungsgrund")
        verbose_name_plural = _("Ablehnungsgründe")
        ordering = ["sort_order", "label"]

    def __str__(self) -> str:
        return self.label


class Ban(models.Model):
    """A reader who may not comment until `until` (or ever, when it is empty)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comment_bans"
    )
    until = models.DateTimeField(_("gesperrt bis"), null=True, blank=True)
    reason = models.CharField(_("Grund"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    lifted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Sperre")
        verbose_name_plural = _("Sperren")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user_id} bis {self.until or 'dauerhaft'}"

    @property
    def is_permanent(self) -> bool:
        return self.until is None


class ModerationAction(models.Model):
    """The moderation log: who did what to which comment or reader, when and why.

    The comment and the reader are kept as links only: when a comment is deleted or an
    account anonymised, the links go, the entry (action, time, moderator) stays.
    """

    class Action(models.TextChoices):
        APPROVE = "approve", _("freigeschaltet")
        REJECT = "reject", _("abgelehnt")
        REPORT = "report", _("gemeldet")
        AUTO_QUEUE = "queue", _("zur Prüfung")
        AUTO_APPROVE = "auto_approve", _("automatisch freigeschaltet")
        PICK = "pick", _("empfohlen")
        UNPICK = "unpick", _("Empfehlung entfernt")
        DELETE = "delete", _("gelöscht")
        BAN = "ban", _("gesperrt")
        UNBAN = "unban", _("Sperre aufgehoben")
        ANONYMISE = "anonymise", _("anonymisiert")

    action = models.CharField(_("Aktion"), max_length=20, choices=Action.choices)
    created_at = models.DateTimeField(_("Zeitpunkt"), default=timezone.now, db_index=True)
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Moderator/in"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.SET_NULL, related_name="log"
    )
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    article = models.ForeignKey(
        "content.ArticlePage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(_("Grund"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("Moderationsprotokoll")
        verbose_name_plural = _("Moderationsprotokoll")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.created_at:%Y-%m-%d %H:%M})"


class ArticleCommentStats(models.Model):
    """Per-article count of approved comments, kept up to date in the same transaction
    as every change of a comment's status, so the count under the article never needs
    to count the comments table."""

    article = models.OneToOneField(
        "content.ArticlePage", on_delete=models.CASCADE, related_name="comment_stats"
    )
    approved_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("Kommentarzahl")
        verbose_name_plural = _("Kommentarzahlen")

    def __str__(self) -> str:
        return f"{self.article_id}: {self.approved_count}"


class ReaderCommentPreferences(models.Model):
    """What a reader wants to hear about their comments."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comment_preferences"
    )
    mail_on_rejection = models.BooleanField(
        _("Per E-Mail benachrichtigen, wenn ein Kommentar abgelehnt wird"), default=True
    )

    def __str__(self) -> str:
        return f"{self.user_id}: {self.mail_on_rejection}"


def default_moderation() -> str:
    return settings.COMMENTS_MODERATION


@register_setting(icon="comment")
class CommentSettings(BaseSiteSetting):
    """The newsroom's switches for comments (Einstellungen → Kommentare)."""

    class Moderation(models.TextChoices):
        PRE = "pre", _("Vorab: neue Kommentare warten auf Freischaltung")
        POST = "post", _("Nachträglich: neue Kommentare erscheinen sofort")

    moderation = models.CharField(
        _("Moderation"), max_length=4, choices=Moderation.choices, default=default_moderation
    )
    banned_words = models.TextField(
        _("Verbotene Wörter"),
        blank=True,
        help_text=_(
            "Ein Wort oder eine Wendung pro Zeile. Kommentare, die eines davon enthalten, "
            "gehen in jedem Fall zur Prüfung in die Moderation."
        ),
    )

    panels = [FieldPanel("moderation"), FieldPanel("banned_words")]

    class Meta:
        verbose_name = _("Kommentare")

    @property
    def banned_word_list(self) -> list[str]:
        return [line.strip() for line in self.banned_words.splitlines() if line.strip()]
