"""The moderation queue and its neighbours in the CMS (registered in wagtail_hooks.py).

One form carries the whole queue, so that every action works without JavaScript; the
small script comments-moderation.js adds the keyboard shortcuts on top.
"""

from datetime import datetime, time
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.admin import messages

from . import selectors, services
from .forms import BanForm
from .models import Ban, Comment, CommentReport, ModerationAction, RejectionReason
from .rules import CommentRefused

MODERATE = "comments.moderate_comment"
PICK = "comments.pick_comment"
QUEUE_PAGE_SIZE = 50
STATUS_CHOICES = [
    ("offen", gettext_lazy("Offen (wartend und gemeldet)")),
    ("wartend", gettext_lazy("Wartend")),
    ("gemeldet", gettext_lazy("Gemeldet")),
    ("freigeschaltet", gettext_lazy("Freigeschaltet")),
    ("abgelehnt", gettext_lazy("Abgelehnt")),
    ("empfohlen", gettext_lazy("Empfehlungen der Redaktion")),
    ("alle", gettext_lazy("Alle")),
]


def may_see_queue(user: Any) -> bool:
    return user.has_perm(MODERATE) or user.has_perm(PICK)


def _require(request: HttpRequest, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


def _filters(data: Any) -> dict[str, str]:
    status = data.get("status", "offen")
    status = status if status in selectors.QUEUE_FILTERS else "offen"
    article = data.get("artikel", "")
    return {"status": status, "artikel": article if article.isdigit() else ""}


def _queue_url(filters: dict[str, str], **extra: Any) -> str:
    query = {key: value for key, value in {**filters, **extra}.items() if value not in ("", None)}
    return reverse("comments_admin:queue") + ("?" + urlencode(query) if query else "")


@require_http_methods(["GET", "HEAD", "POST"])
def queue(request: HttpRequest) -> HttpResponse:
    if not may_see_queue(request.user):
        raise PermissionDenied
    if request.method == "POST":
        return _act(request)
    filters = _filters(request.GET)
    comments = selectors.moderation_queue(filters["status"], int(filters["artikel"] or 0) or None)
    page = Paginator(comments, QUEUE_PAGE_SIZE).get_page(request.GET.get("p"))
    items = list(page.object_list)
    history = selectors.author_history([c.author_id for c in items if c.author_id])
    reports: dict[int, list[str]] = {}
    open_report_ids = [c.pk for c in items if c.open_reports]
    if open_report_ids:
        for comment_id, reason in (
            CommentReport.objects.filter(comment_id__in=open_report_ids, resolved_at__isnull=True)
            .order_by("created_at")
            .values_list("comment_id", "reason")
        ):
            reports.setdefault(comment_id, []).append(reason)
    bans = set(
        Ban.objects.filter(user_id__in=[c.author_id for c in items if c.author_id])
        .filter(lifted_at__isnull=True)
        .exclude(until__lte=timezone.now())
        .values_list("user_id", flat=True)
    )
    for comment in items:
        comment.history = history.get(comment.author_id, {})
        comment.report_reasons = reports.get(comment.pk, [])
        comment.author_banned = comment.author_id in bans
    context = {
        "header_title": _("Kommentare moderieren"),
        "page_title": _("Kommentare moderieren"),
        "breadcrumbs_items": [
            {"url": reverse("wagtailadmin_home"), "label": _("Start")},
            {"url": "", "label": _("Kommentare")},
        ],
        "items": items,
        "page": page,
        "filters": filters,
        "status_choices": STATUS_CHOICES,
        "articles": selectors.queue_articles(),
        "reasons": list(RejectionReason.objects.all()),
        "may_moderate": request.user.has_perm(MODERATE),
        "may_pick": request.user.has_perm(PICK),
        "focus": request.GET.get("pos", ""),
        "open_count": selectors.open_queue_size(),
    }
    return TemplateResponse(request, "comments/admin/queue.html", context)


def _act(request: HttpRequest) -> HttpResponse:
    """One action on one comment ("single" = "approve:17") or on the selection ("bulk")."""
    filters = _filters(request.POST)
    position = request.POST.get("position", "")
    if "single" in request.POST:
        action, _sep, raw_id = request.POST["single"].partition(":")
        ids = [int(raw_id)] if raw_id.isdigit() else []
        reason_id = request.POST.get(f"reason-{raw_id}", "")
    else:
        action = request.POST.get("bulk", "")
        ids = [int(value) for value in request.POST.getlist("selected") if value.isdigit()]
        reason_id = request.POST.get("bulk_reason", "")
    comments = list(Comment.objects.filter(pk__in=ids).order_by("created_at"))
    if not comments:
        messages.warning(request, _("Bitte wählen Sie mindestens einen Kommentar aus."))
        return redirect(_queue_url(filters, pos=position))
    done = 0
    try:
        if action == "approve":
            _require(request, MODERATE)
            for comment in comments:
                services.approve_comment(comment, request.user)
                done += 1
            messages.success(request, _("%(count)s freigeschaltet.") % {"count": done})
        elif action == "reject":
            _require(request, MODERATE)
            reason = RejectionReason.objects.filter(pk=reason_id).first() if reason_id else None
            if reason is None:
                messages.error(request, _("Bitte wählen Sie einen Ablehnungsgrund."))
                return redirect(_queue_url(filters, pos=position))
            for comment in comments:
                services.reject_comment(comment, request.user, reason)
                done += 1
            messages.success(
                request,
                _("%(count)s abgelehnt (%(reason)s).") % {"count": done, "reason": reason.label},
            )
        elif action in {"pick", "unpick"}:
            _require(request, PICK)
            for comment in comments:
                services.pick_comment(comment, request.user, picked=action == "pick")
                done += 1
            messages.success(request, _("Empfehlung gespeichert."))
        elif action == "delete":
            _require(request, MODERATE)
            for comment in comments:
                services.delete_comment(comment, request.user, _("in der Moderation gelöscht"))
                done += 1
            messages.success(request, _("%(count)s gelöscht.") % {"count": done})
        else:
            messages.error(request, _("Unbekannte Aktion."))
    except CommentRefused as refused:
        messages.error(request, refused.message)
    return redirect(_queue_url(filters, pos=position))


@require_http_methods(["GET", "HEAD", "POST"])
def ban(request: HttpRequest, user_id: int) -> HttpResponse:
    _require(request, MODERATE)
    reader = get_object_or_404(get_user_model(), pk=user_id)
    form = BanForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        until_date = form.cleaned_data["until"]
        until = (
            timezone.make_aware(datetime.combine(until_date, time(23, 59))) if until_date else None
        )
        try:
            services.ban_reader(
                reader, request.user, until=until, reason=form.cleaned_data["reason"]
            )
        except CommentRefused as refused:
            form.add_error("until", refused.message)
        else:
            messages.success(request, _("Die Leserin/der Leser ist gesperrt."))
            return redirect("comments_admin:bans")
    profile = getattr(reader, "reader_profile", None)
    context = {
        "header_title": _("Für Kommentare sperren"),
        "page_title": _("Für Kommentare sperren"),
        "breadcrumbs_items": [
            {"url": reverse("wagtailadmin_home"), "label": _("Start")},
            {"url": reverse("comments_admin:queue"), "label": _("Kommentare")},
            {"url": "", "label": _("Sperren")},
        ],
        "reader": reader,
        "pseudonym": profile.pseudonym if profile else reader.get_username(),
        "history": selectors.author_history([reader.pk]).get(reader.pk, {}),
        "form": form,
    }
    return TemplateResponse(request, "comments/admin/ban.html", context)


def bans(request: HttpRequest) -> HttpResponse:
    _require(request, MODERATE)
    context = {
        "header_title": _("Gesperrte Leserinnen und Leser"),
        "page_title": _("Gesperrte Leserinnen und Leser"),
        "breadcrumbs_items": [
            {"url": reverse("wagtailadmin_home"), "label": _("Start")},
            {"url": reverse("comments_admin:queue"), "label": _("Kommentare")},
            {"url": "", "label": _("Sperren")},
        ],
        "bans": Ban.objects.filter(lifted_at__isnull=True)
        .select_related("user__reader_profile", "created_by")
        .order_by("-created_at")[:200],
        "now": timezone.now(),
    }
    return TemplateResponse(request, "comments/admin/bans.html", context)


@require_POST
def lift(request: HttpRequest, ban_id: int) -> HttpResponse:
    _require(request, MODERATE)
    services.lift_ban(get_object_or_404(Ban, pk=ban_id), request.user)
    messages.success(request, _("Sperre aufgehoben."))
    return redirect("comments_admin:bans")


def log(request: HttpRequest) -> HttpResponse:
    _require(request, MODERATE)
    entries = ModerationAction.objects.select_related(
        "moderator", "article", "reader__reader_profile"
    )
    page = Paginator(entries, 100).get_page(request.GET.get("p"))
    context = {
        "header_title": _("Moderationsprotokoll"),
        "page_title": _("Moderationsprotokoll"),
        "breadcrumbs_items": [
            {"url": reverse("wagtailadmin_home"), "label": _("Start")},
            {"url": reverse("comments_admin:queue"), "label": _("Kommentare")},
            {"url": "", "label": _("Protokoll")},
        ],
        "page": page,
    }
    return TemplateResponse(request, "comments/admin/log.html", context)
