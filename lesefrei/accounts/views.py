"""Reader pages of lesefrei's own: "Mein Konto", pseudonym, data export, deletion and the
small status endpoint. Sign-up, login, e-mail and password are allauth's views."""

import json
import logging

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from . import selectors, services
from .forms import DeleteAccountForm, PseudonymForm

logger = logging.getLogger(__name__)


@never_cache
@login_required
def account_overview(request: HttpRequest) -> HttpResponse:
    profile = selectors.reader_profile(request.user)
    return render(
        request,
        "accounts/overview.html",
        {
            "profile": profile,
            "email_addresses": selectors.email_addresses(request.user),
            "confirmed": selectors.is_confirmed_reader(request.user),
            "next_pseudonym_change": services.next_pseudonym_change(profile) if profile else None,
        },
    )


@never_cache
@require_GET
def account_status(request: HttpRequest) -> JsonResponse:
    """Who is logged in, for pages whose HTML is the same for everyone."""
    response = JsonResponse(selectors.reader_status(request.user))
    # never_cache sets "private, no-cache, no-store, must-revalidate, max-age=0";
    # Vary: Cookie keeps any shared cache from mixing readers up.
    response["Vary"] = "Cookie"
    return response


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def change_pseudonym(request: HttpRequest) -> HttpResponse:
    profile = selectors.reader_profile(request.user)
    allowed_at = services.next_pseudonym_change(profile) if profile else None
    form = PseudonymForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_pseudonym(request.user, form.cleaned_data["pseudonym"])
        except ValidationError as error:
            form.add_error("pseudonym", error)
        else:
            messages.success(request, _("Ihr Pseudonym ist geändert."))
            return redirect("reader_account")
    return render(
        request,
        "accounts/change_pseudonym.html",
        {"form": form, "profile": profile, "next_pseudonym_change": allowed_at},
    )


@never_cache
@login_required
@require_GET
def export_data(request: HttpRequest) -> HttpResponse:
    data = selectors.account_export(request.user)
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"lesefrei-konto-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    logger.info("Reader %s downloaded their data", request.user.pk)
    return response


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        try:
            services.delete_account(request.user)
        except services.AccountDeletionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            logout(request)
            return redirect("reader_deleted")
    return render(request, "accounts/delete.html", {"form": form})


@require_GET
def account_deleted(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/deleted.html")
