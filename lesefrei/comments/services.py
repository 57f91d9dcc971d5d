"""Every change of a comment's state, one function each.

Each function owns its transaction, keeps the per-article count of approved comments
in step (in the same transaction), writes the moderation log and invalidates the cached
lists and the "meistkommentiert" ranking after commit. Views, the CMS queue, the demo
and the accounts app (anonymisation) all change comments only through here.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from lesefrei.cache import changed
from lesefrei.content.models import ArticlePage
from lesefrei.site.tasks import send_mail_later

from . import caching, rules
from .models import (
    ArticleCommentStats,
    Ban,
    Comment,
    CommentReport,
    CommentSettings,
    ModerationAction,
    ReaderCommentPreferences,
    RejectionReason,
    Status,
)
from .rules import CommentRefused
from .selectors import active_ban, comments_open, is_confirmed_reader

logger = logging.getLogger(__name__)
Action = ModerationAction.Action


@dataclass
class PostResult:
    comment: Comment
    created: bool  # False when the same submission had been stored before


# Counters and helpers


def _change_count(article_id: int, delta: int) -> None:
    """Add `delta` to the article's approved count, inside the caller's transaction."""
    if delta == 0:
        return
    ArticleCommentStats.objects.bulk_create(
        [ArticleCommentStats(article_id=article_id, approved_count=0)], ignore_conflicts=True
    )
    ArticleCommentStats.objects.filter(article_id=article_id).update(
        approved_count=F("approved_count") + delta
    )


def _log(
    action: str,
    *,
    moderator: AbstractBaseUser | None = None,
    comment: Comment | None = None,
    reader: AbstractBaseUser | None = None,
    reason: str = "",
) -> None:
    ModerationAction.objects.create(
        action=action,
        moderator=moderator if moderator is not None and moderator.is_authenticated else None,
        comment=comment,
        reader=reader if reader is not None else getattr(comment, "author", None),
        article_id=comment.article_id if comment is not None else None,
        reason=reason[:500],
    )
    logger.info(
        "comment moderation: %s comment=%s moderator=%s",
        action,
        comment.pk if comment else "-",
        moderator.pk if moderator is not None else "-",
    )


def _locked(comment: Comment) -> Comment:
    return (
        Comment.objects.select_for_update(of=("self",)).select_related("author").get(pk=comment.pk)
    )


def site_settings(article: ArticlePage) -> CommentSettings:
    site = article.get_site()
    if site is None:
        return CommentSettings(moderation=settings.COMMENTS_MODERATION)
    return CommentSettings.for_site(site)


def _is_trusted(user: AbstractBaseUser) -> bool:
    needed = settings.COMMENTS_TRUST_APPROVED
    if needed <= 0:
        return False
    since = timezone.now() - timedelta(days=settings.COMMENTS_TRUST_DAYS)
    mine = Comment.objects.filter(author=user)
    if mine.filter(status=Status.REJECTED, moderated_at__gte=since).exists():
        return False
    return mine.filter(status=Status.APPROVED).count() >= needed


def _ban_message(ban: Ban) -> str:
    if ban.until is None:
        return _("Ihr Konto ist dauerhaft für Kommentare gesperrt.")
    until = formats.date_format(timezone.localtime(ban.until), "DATETIME_FORMAT")
    return _("Ihr Konto ist bis %(until)s für Kommentare gesperrt.") % {"until": until}


# Writing


def _rate_keys(user_id: int) -> tuple[str, str]:
    window = settings.COMMENTS_RATE_WINDOW
    bucket = int(timezone.now().timestamp()) // window
    return f"comments:rate:last:{user_id}", f"comments:rate:count:{user_id}:{bucket}"


def _check_rate(user_id: int) -> None:
    last_key, count_key = _rate_keys(user_id)
    if cache.get(last_key) is not None:
        raise CommentRefused(
            _(
                "Sie schreiben zu schnell. Bitte warten Sie einen Moment, bevor Sie den "
                "nächsten Kommentar abschicken."
            ),
            "too_fast",
        )
    if (cache.get(count_key) or 0) >= settings.COMMENTS_RATE_LIMIT:
        raise CommentRefused(
            _(
                "Sie haben in kurzer Zeit sehr viele Kommentare geschrieben. Bitte versuchen "
                "Sie es in einigen Minuten wieder."
            ),
            "rate_limited",
        )


def _count_rate(user_id: int) -> None:
    last_key, count_key = _rate_keys(user_id)
    if settings.COMMENTS_MIN_INTERVAL > 0:
        cache.set(last_key, 1, settings.COMMENTS_MIN_INTERVAL)
    cache.add(count_key, 0, settings.COMMENTS_RATE_WINDOW)
    try:
        cache.incr(count_key)
    except ValueError:  # expired between add and incr
        cache.set(count_key, 1, settings.COMMENTS_RATE_WINDOW)


def check_may_comment(user: AbstractBaseUser | None, article: ArticlePage) -> None:
    """CommentRefused when this reader may not comment under this article now."""
    if user is None or not user.is_authenticated:
        raise CommentRefused(_("Bitte melden Sie sich an, um zu kommentieren."), "anonymous")
    if not comments_open(article):
        raise CommentRefused(
            _("Die Kommentare zu diesem Artikel sind geschlossen."), "comments_closed"
        )
    if not is_confirmed_reader(user):
        raise CommentRefused(
            _(
                "Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse: Wir haben Ihnen dazu einen "
                "Link geschickt."
            ),
            "not_confirmed",
        )
    ban = active_ban(user)
    if ban is not None:
        raise CommentRefused(_ban_message(ban), "banned")


def _reply_target(article: ArticlePage, parent: Comment | None) -> Comment | None:
    """Replies are one level deep: an answer to a reply answers its top-level comment."""
    if parent is None:
        return None
    parent = Comment.objects.filter(pk=parent.pk).first()  # its current state, not a copy
    if parent is None or parent.article_id != article.pk or parent.status != Status.APPROVED:
        raise CommentRefused(
            _("Der Kommentar, auf den Sie antworten möchten, ist nicht (mehr) sichtbar."),
            "parent_hidden",
        )
    if parent.parent_id is not None:
        return _reply_target(article, parent.parent)
    return parent


def post_comment(
    user: AbstractBaseUser,
    article: ArticlePage,
    text: str,
    *,
    parent: Comment | None = None,
    idempotency_key: str = "",
    rate_limited: bool = True,
) -> PostResult:
    """Store a reader's comment (or reply) once, or raise CommentRefused with the reason.

    The same `idempotency_key` (sent with the form) always returns the comment stored
    first, however often the form is submitted; without a key, the same text by the same
    reader under the same article within ten minutes counts as the same submission.
    `rate_limited=False` is for the demo loader only, which writes many comments at once.
    """
    idempotency_key = (idempotency_key or "")[:64]
    check_may_comment(user, article)
    try:
        with transaction.atomic():
            return _post_comment(user, article, text, parent, idempotency_key, rate_limited)
    except IntegrityError:
        # A concurrent submission with the same key won the race: return its comment.
        existing = Comment.objects.filter(author=user, idempotency_key=idempotency_key).first()
        if idempotency_key and existing is not None:
            return PostResult(existing, created=False)
        raise


def _post_comment(
    user: AbstractBaseUser,
    article: ArticlePage,
    text: str,
    parent: Comment | None,
    idempotency_key: str,
    rate_limited: bool,
) -> PostResult:
    # Serialise one reader's submissions (PostgreSQL; SQLite's IMMEDIATE transactions
    # serialise all writers): the duplicate and rate checks below then see every
    # earlier submission of this reader.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    if idempotency_key:
        existing = Comment.objects.filter(author=user, idempotency_key=idempotency_key).first()
        if existing is not None:
            return PostResult(existing, created=False)
    text = rules.clean_comment_text(text)
    duplicate = Comment.objects.filter(
        author=user,
        article=article,
        text=text,
        created_at__gte=timezone.now() - timedelta(minutes=10),
    ).first()
    if duplicate is not None:
        return PostResult(duplicate, created=False)
    if rate_limited:
        _check_rate(user.pk)
    parent = _reply_target(article, parent)

    switches = site_settings(article)
    reasons = rules.queue_reasons(text, switches.banned_word_list)
    if reasons:
        status = Status.PENDING
    elif switches.moderation == CommentSettings.Moderation.POST or _is_trusted(user):
        status = Status.APPROVED
    else:
        status = Status.PENDING
    now = timezone.now()
    comment = Comment.objects.create(
        article=article,
        author=user,
        parent=parent,
        text=text,
        status=status,
        queue_reason="; ".join(reasons)[:300],
        created_at=now,
        approved_at=now if status == Status.APPROVED else None,
        idempotency_key=idempotency_key,
    )
    if status == Status.APPROVED:
        _change_count(article.pk, +1)
        _log(Action.AUTO_APPROVE, comment=comment)
        changed(*caching.tags_changed_by([article.pk]))
    elif reasons:
        _log(Action.AUTO_QUEUE, comment=comment, reason=comment.queue_reason)
    if rate_limited:
        _count_rate(user.pk)
    logger.info("comment %s posted on article %s: %s", comment.pk, article.pk, status)
    return PostResult(comment, created=True)


# Moderating


def _resolve_reports(comment: Comment, now: datetime) -> None:
    comment.reports.filter(resolved_at__isnull=True).update(resolved_at=now)
    comment.open_reports = 0


@transaction.atomic
def approve_comment(comment: Comment, moderator: AbstractBaseUser | None) -> Comment:
    """Show the comment (or keep showing it, dismissing its open reports)."""
    comment = _locked(comment)
    now = timezone.now()
    if comment.status != Status.APPROVED:
        _change_count(comment.article_id, +1)
        comment.status = Status.APPROVED
        comment.approved_at = comment.approved_at or now
        comment.rejection_reason = ""
    _resolve_reports(comment, now)
    comment.moderated_at = now
    comment.save()
    _log(Action.APPROVE, moderator=moderator, comment=comment)
    changed(*caching.tags_changed_by([comment.article_id]))
    return comment


def reason_text(reason: RejectionReason | str) -> str:
    return reason.text if isinstance(reason, RejectionReason) else str(reason)


@transaction.atomic
def reject_comment(
    comment: Comment,
    moderator: AbstractBaseUser | None,
    reason: RejectionReason | str,
    *,
    notify: bool = True,
) -> Comment:
    """Hide the comment for good; the author learns why by mail unless they opted out."""
    comment = _locked(comment)
    now = timezone.now()
    if comment.status == Status.APPROVED:
        _change_count(comment.article_id, -1)
    label = reason.label if isinstance(reason, RejectionReason) else str(reason)
    comment.status = Status.REJECTED
    comment.rejection_reason = label[:300]
    comment.is_pick = False
    _resolve_reports(comment, now)
    comment.moderated_at = now
    comment.save()
    _log(Action.REJECT, moderator=moderator, comment=comment, reason=label)
    changed(*caching.tags_changed_by([comment.article_id]))
    if notify and comment.author_id is not None:
        text = reason_text(reason)
        transaction.on_commit(lambda: _mail_rejection(comment.pk, text))
    return comment


def _mail_rejection(comment_id: int, reason: str) -> None:
    comment = Comment.objects.select_related("author", "article").filter(pk=comment_id).first()
    if comment is None or comment.author is None or not comment.author.email:
        return
    preferences = ReaderCommentPreferences.objects.filter(user=comment.author).first()
    if preferences is not None and not preferences.mail_on_rejection:
        return
    context = {
        "comment": comment,
        "reason": reason,
        "article_url": settings.SITE_URL + (comment.article.url or ""),
        "preferences_url": settings.SITE_URL + reverse("comments:preferences"),
        "site_name": settings.WAGTAIL_SITE_NAME,
    }
    subject = _("Ihr Kommentar zu „%(headline)s“ wurde nicht freigeschaltet") % {
        "headline": comment.article.title
    }
    body = render_to_string("comments/mail/rejected.txt", context)
    try:
        send_mail_later(subject, body, None, [comment.author.email])
    except Exception:  # a mail server failure must not undo or hide the moderation
        logger.exception("rejection mail for comment %s could not be sent", comment_id)


@transaction.atomic
def delete_comment(comment: Comment, moderator: AbstractBaseUser | None, reason: str = "") -> int:
    """Remove a comment and its replies for good (e.g. on legal request).

    Returns how many comments were deleted; the log keeps the action without the text.
    """
    comment = _locked(comment)
    removed = [comment, *Comment.objects.select_for_update().filter(parent=comment)]
    approved = sum(1 for item in removed if item.status == Status.APPROVED)
    _change_count(comment.article_id, -approved)
    _log(Action.DELETE, moderator=moderator, comment=comment, reason=reason)
    article_id = comment.article_id
    Comment.objects.filter(pk__in=[item.pk for item in removed]).delete()
    changed(*caching.tags_changed_by([article_id]))
    return len(removed)


@transaction.atomic
def pick_comment(comment: Comment, editor: AbstractBaseUser | None, picked: bool = True) -> Comment:
    """Mark (or unmark) an approved comment as "Empfehlung der Redaktion"."""
    comment = _locked(comment)
    if picked and comment.status != Status.APPROVED:
        raise CommentRefused(
            _("Nur freigeschaltete Kommentare können empfohlen werden."), "not_approved"
        )
    if comment.is_pick != picked:
        comment.is_pick = picked
        comment.save(update_fields=["is_pick"])
        _log(Action.PICK if picked else Action.UNPICK, moderator=editor, comment=comment)
        changed(*caching.tags_changed_by([comment.article_id]))
    return comment


def report_comment(comment: Comment, reporter: AbstractBaseUser, reason: str) -> CommentReport:
    """A reader reports an approved comment: once per reader, with a reason; the
    comment comes back to the moderation queue."""
    rules.check_characters(reason or "")
    reason = rules.normalise_text(reason or "")
    if not reason:
        raise CommentRefused(_("Bitte geben Sie einen Grund für die Meldung an."), "no_reason")
    if len(reason) > 500:
        raise CommentRefused(_("Der Grund ist zu lang (höchstens 500 Zeichen)."), "reason_too_long")
    if not reporter.is_authenticated:
        raise CommentRefused(_("Bitte melden Sie sich an, um zu melden."), "anonymous")
    if comment.author_id == reporter.pk:
        raise CommentRefused(_("Ihren eigenen Kommentar können Sie nicht melden."), "own_comment")
    rate_key = f"comments:rate:reports:{reporter.pk}:{int(timezone.now().timestamp()) // 3600}"
    if (cache.get(rate_key) or 0) >= settings.COMMENTS_REPORT_RATE_LIMIT:
        raise CommentRefused(
            _("Sie haben in der letzten Stunde sehr viele Meldungen abgeschickt."), "rate_limited"
        )
    try:
        with transaction.atomic():
            comment = _locked(comment)
            if comment.status != Status.APPROVED:
                raise CommentRefused(
                    _("Dieser Kommentar ist nicht sichtbar und kann nicht gemeldet werden."),
                    "not_visible",
                )
            if CommentReport.objects.filter(comment=comment, reporter=reporter).exists():
                raise CommentRefused(
                    _("Sie haben diesen Kommentar bereits gemeldet."), "already_reported"
                )
            report = CommentReport.objects.create(comment=comment, reporter=reporter, reason=reason)
            Comment.objects.filter(pk=comment.pk).update(open_reports=F("open_reports") + 1)
            _log(Action.REPORT, comment=comment, reader=reporter, reason=reason)
    except IntegrityError:
        raise CommentRefused(
            _("Sie haben diesen Kommentar bereits gemeldet."), "already_reported"
        ) from None
    cache.add(rate_key, 0, 3600)
    cache.incr(rate_key)
    return report


@transaction.atomic
def ban_reader(
    reader: AbstractBaseUser,
    moderator: AbstractBaseUser | None,
    *,
    until: datetime | None = None,
    reason: str = "",
) -> Ban:
    """Ban a reader from commenting (until a time, or for good when `until` is None);
    their pending comments are rejected (without a mail each)."""
    if until is not None and until <= timezone.now():
        raise CommentRefused(_("Das Ende der Sperre muss in der Zukunft liegen."), "past")
    ban = Ban.objects.create(user=reader, until=until, reason=reason[:300], created_by=moderator)
    pending = list(Comment.objects.filter(author=reader, status=Status.PENDING))
    for comment in pending:
        reject_comment(comment, moderator, _("Konto gesperrt"), notify=False)
    _log(Action.BAN, moderator=moderator, reader=reader, reason=reason)
    return ban


@transaction.atomic
def lift_ban(ban: Ban, moderator: AbstractBaseUser | None) -> Ban:
    ban.lifted_at = timezone.now()
    ban.save(update_fields=["lifted_at"])
    _log(Action.UNBAN, moderator=moderator, reader=ban.user)
    return ban


@transaction.atomic
def anonymise_comments_of(user: AbstractBaseUser) -> int:
    """Cut every link between a reader and comments before their account goes.

    The comments stay (shown as "gelöschtes Konto"), so counts and the ranking do not
    change; their reports, bans, preferences and the log's references to them go.
    Returns the number of comments anonymised.
    """
    comments = Comment.objects.select_for_update().filter(author=user)
    article_ids = set(comments.values_list("article_id", flat=True))
    count = comments.update(author=None, idempotency_key="")
    CommentReport.objects.filter(reporter=user).update(reporter=None)
    ModerationAction.objects.filter(reader=user).update(reader=None)
    Ban.objects.filter(user=user).delete()
    ReaderCommentPreferences.objects.filter(user=user).delete()
    ModerationAction.objects.create(action=Action.ANONYMISE, reason=f"{count} Kommentare")
    logger.info("comments anonymised: %s", count)
    changed(*caching.tags_changed_by(article_ids))
    return count


@transaction.atomic
def set_mail_on_rejection(user: AbstractBaseUser, enabled: bool) -> ReaderCommentPreferences:
    preferences, _created = ReaderCommentPreferences.objects.update_or_create(
        user=user, defaults={"mail_on_rejection": enabled}
    )
    return preferences


def author_renamed(user: AbstractBaseUser) -> None:
    """A reader's pseudonym changed: the cached lists and pages showing their comments
    must show the new one on the next request (called by the accounts app)."""
    article_ids = set(Comment.objects.filter(author=user).values_list("article_id", flat=True))
    if article_ids:
        changed(*caching.tags_changed_by(article_ids))


def refresh_most_commented() -> bool:
    """Let "meistkommentiert" move with its time window: when comments have left the
    window since the list was cached, drop the cached list and the pages showing it.
    Returns whether the list changed. Meant to run periodically (see docs/comments.md);
    moderation changes invalidate the list at once anyway."""
    from .selectors import most_commented, rank_most_commented

    cached = [(item.article_id, item.count) for item in most_commented()]
    fresh = [(item.article_id, item.count) for item in rank_most_commented()]
    if cached == fresh:
        return False
    changed(caching.MOST_COMMENTED_TAG)
    return True
