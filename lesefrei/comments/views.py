"""Reader-facing comment pages. The article page itself stays the same for everyone;
everything personal (the form, "angemeldet als …", one's own pending comments) lives
on the write page or in the small status.json."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe
from django.views.decorators.vary import vary_on_cookie

from lesefrei.cache import add_cache_tags
from lesefrei.content.models import ArticlePage, public

from . import caching, selectors, services
from .forms import CommentForm, PreferencesForm, ReportForm, comment_id, new_idempotency_key
from .models import Comment, ReaderCommentPreferences, Status
from .rules import CommentRefused


def _live_article(article_id: int) -> ArticlePage:
    article = public(ArticlePage.objects.live()).filter(pk=article_id).first()
    if article is None:
        raise Http404
    return article


@require_safe
def comments_page(request: HttpRequest, article_id: int) -> HttpResponse:
    """All approved comments of an article, sorted and paginated; the same for everyone."""
    article = _live_article(article_id)
    add_cache_tags(request, "nav", "site", f"page:{article.pk}", caching.page_tag(article.pk))
    sort = request.GET.get("sortierung", selectors.DEFAULT_SORT)
    if sort not in selectors.SORTS:
        sort = selectors.DEFAULT_SORT
    page = selectors.comment_page(article.pk, sort, request.GET.get("seite"))
    context = {
        "article": article,
        "comments": page,
        "sort": sort,
        "sorts": [
            ("neueste", _("Neueste zuerst")),
            ("aelteste", _("Älteste zuerst")),
            ("empfehlungen", _("Empfehlungen zuerst")),
        ],
        "count": selectors.approved_count(article.pk),
        "open": selectors.comments_open(article),
    }
    return render(request, "comments/comments_page.html", context)


def _write_context(request: HttpRequest, article: ArticlePage, form: CommentForm) -> dict:
    refusal = None
    try:
        services.check_may_comment(request.user, article)
    except CommentRefused as refused:
        refusal = refused.message
    parent = None
    parent_id = comment_id(form["parent"].value())
    if parent_id is not None:
        parent = Comment.objects.filter(
            pk=parent_id, article=article, status=Status.APPROVED
        ).first()
    return {
        "article": article,
        "form": form,
        "refusal": refusal,
        "parent": parent,
        "own_comments": selectors.own_comments(request.user, article.pk)[:20],
        "max_length": settings.COMMENTS_MAX_LENGTH,
        "premoderated": services.site_settings(article).moderation == "pre",
    }


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def write(request: HttpRequest, article_id: int) -> HttpResponse:
    """The comment form of one article for the logged-in reader, with their own
    comments there (pending ones marked "wartet auf Freischaltung")."""
    article = _live_article(article_id)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if request.method != "POST":
        parent = comment_id(request.GET.get("antwort"))
        form = CommentForm(initial={"key": new_idempotency_key(), "parent": parent or ""})
        return render(request, "comments/write.html", _write_context(request, article, form))

    form = CommentForm(request.POST)
    if form.is_valid():
        parent_id = form.parent_id()
        parent = Comment.objects.filter(pk=parent_id).first() if parent_id else None
        try:
            result = services.post_comment(
                request.user,
                article,
                form.cleaned_data["text"],
                parent=parent,
                idempotency_key=form.idempotency_key(),
            )
        except CommentRefused as refused:
            form.add_error("text", refused.message)
        else:
            if result.comment.status == Status.APPROVED:
                messages.success(request, _("Danke! Ihr Kommentar ist veröffentlicht."))
            else:
                messages.success(
                    request,
                    _(
                        "Danke! Ihr Kommentar wartet auf Freischaltung durch die Moderation. "
                        "Bis dahin sehen nur Sie ihn."
                    ),
                )
            url = reverse("comments:write", args=[article.pk])
            return redirect(f"{url}#kommentar-{result.comment.pk}")
    status = 400 if form.errors else 200
    return render(
        request, "comments/write.html", _write_context(request, article, form), status=status
    )


@never_cache
@vary_on_cookie
@require_safe
def status(request: HttpRequest, article_id: int) -> JsonResponse:
    """The per-user bits of an article's comment section, for pages that want them
    without making the article HTML personal."""
    article = _live_article(article_id)
    user = request.user
    data: dict = {
        "authenticated": user.is_authenticated,
        "pseudonym": None,
        "confirmed": selectors.is_confirmed_reader(user),
        "can_comment": False,
        "refusal": None,
        "pending": [],
        "write_url": reverse("comments:write", args=[article.pk]),
    }
    if user.is_authenticated:
        profile = getattr(user, "reader_profile", None)
        data["pseudonym"] = profile.pseudonym if profile else None
        try:
            services.check_may_comment(user, article)
            data["can_comment"] = True
        except CommentRefused as refused:
            data["refusal"] = refused.message
        data["pending"] = [
            {"id": comment.pk, "text": comment.text, "created": comment.created_at.isoformat()}
            for comment in selectors.own_comments(user, article.pk).filter(status=Status.PENDING)
        ]
    return JsonResponse(data)


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def report(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = get_object_or_404(
        Comment.objects.select_related("article", "author__reader_profile"),
        pk=comment_id,
        status=Status.APPROVED,
        article__live=True,
    )
    list_url = reverse("comments:list", args=[comment.article_id]) + f"#kommentar-{comment.pk}"
    form = ReportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_comment(comment, request.user, form.reason_text())
        except CommentRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(
                request, _("Danke für Ihre Meldung. Die Moderation sieht sich den Kommentar an.")
            )
        return redirect("comments:report", comment_id=comment.pk)
    context = {
        "comment": comment,
        "article": comment.article,
        "form": form,
        "back_url": list_url,
        "already_reported": comment.reports.filter(reporter=request.user).exists(),
    }
    status = 400 if form.errors else 200
    return render(request, "comments/report.html", context, status=status)


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    current = ReaderCommentPreferences.objects.filter(user=request.user).first()
    form = PreferencesForm(
        request.POST if request.method == "POST" else None,
        initial={"mail_on_rejection": current.mail_on_rejection if current else True},
    )
    if request.method == "POST" and form.is_valid():
        services.set_mail_on_rejection(request.user, form.cleaned_data["mail_on_rejection"])
        messages.success(request, _("Ihre Einstellungen sind gespeichert."))
        return redirect("comments:preferences")
    return render(request, "comments/preferences.html", {"form": form})
