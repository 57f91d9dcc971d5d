"""Thin views of the pledge form, its confirmation and the self-service pages."""

import logging
import uuid
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods

from . import links, selectors, services
from .forms import SLUG_OF_INTERVAL, ChangeForm, ChoiceForm, NewMandateForm, PledgeForm
from .models import Pledge, format_euro

logger = logging.getLogger(__name__)


def _private(response: HttpResponse) -> HttpResponse:
    """Pages with a person's data: never cached, never leaking the signed URL."""
    add_never_cache_headers(response)
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


def _creditor() -> dict[str, Any]:
    from django.conf import settings

    return {
        "creditor_name": settings.SUPPORT_CREDITOR_NAME,
        "creditor_id": settings.SUPPORT_CREDITOR_ID,
        "notice_days": settings.SUPPORT_PRENOTIFICATION_DAYS,
    }


@require_http_methods(["GET", "HEAD", "POST"])
def pledge(request: HttpRequest) -> HttpResponse:
    """Step one: amount and interval (GET); step two: who and which account (POST)."""
    if request.method == "POST":
        return _submit(request)
    choice = ChoiceForm(request.GET) if "betrag" in request.GET else ChoiceForm()
    if choice.is_bound and choice.is_valid():
        form = PledgeForm(
            initial={
                "form_token": uuid.uuid4(),
                "betrag": choice.cleaned_data["amount"],
                "intervall": choice.cleaned_data["intervall"],
                "name": _user_name(request),
                "email": getattr(request.user, "email", ""),
            }
        )
        return _details_page(
            request, form, choice.cleaned_data["amount"], choice.cleaned_data["interval"]
        )
    response = render(request, "support/pledge_choice.html", {"form": choice, **_creditor()})
    return response


def _user_name(request: HttpRequest) -> str:
    user = request.user
    return user.get_full_name() if user.is_authenticated else ""


def _details_page(
    request: HttpRequest, form: PledgeForm, amount: Any, interval: str, status: int = 200
) -> HttpResponse:
    from .models import Interval

    context = {
        "form": form,
        "amount": amount,
        "amount_display": format_euro(amount),
        "interval": interval,
        "interval_label": Interval(interval).label,
        "interval_slug": SLUG_OF_INTERVAL[interval],
        "first_debit": services.earliest_due_date(),
        "mandate_reference": _reference(form),
        **_creditor(),
    }
    return _private(render(request, "support/pledge_details.html", context, status=status))


def _reference(form: PledgeForm) -> str:
    token = form["form_token"].value()
    try:
        return services.mandate_reference_for(uuid.UUID(str(token)))
    except ValueError:
        return ""


def _submit(request: HttpRequest) -> HttpResponse:
    form = PledgeForm(request.POST)
    if not form.is_valid():
        hidden_broken = any(form.errors.get(name) for name in ("betrag", "intervall"))
        if hidden_broken or "form_token" in form.errors:
            # Tampered or outdated hidden fields: back to step one with a fresh start.
            choice = ChoiceForm(
                {
                    "betrag": "anderer",
                    "anderer_betrag": request.POST.get("betrag", ""),
                    "intervall": request.POST.get("intervall", ""),
                }
            )
            choice.is_valid()
            return render(
                request, "support/pledge_choice.html", {"form": choice, **_creditor()}, status=400
            )
        data = form.cleaned_data
        return _details_page(request, form, data["betrag"], data["interval"], status=400)
    data = form.cleaned_data
    pledge, created = services.start_pledge(
        form_token=data["form_token"],
        amount=data["betrag"],
        interval=data["interval"],
        name=data["name"],
        email=data["email"],
        account_holder=data["account_holder"],
        iban=data["iban"],
        address=data["address"],
        user=request.user,
    )
    if not created:
        logger.info("pledge form submitted again with the token of pledge %s", pledge.pk)
    return HttpResponseRedirect(links.confirmation_path(pledge))


def confirmation(request: HttpRequest, token: str) -> HttpResponse:
    pledge = links.pledge_from_confirmation_token(token)
    if pledge is None:
        raise Http404("Bestätigungslink ungültig oder abgelaufen")
    context = {
        "pledge": pledge,
        "mandate": pledge.current_mandate,
        "next_debit": selectors.next_debit(pledge),
        "manage_path": links.manage_path(pledge),
        **_creditor(),
    }
    return _private(render(request, "support/confirmation.html", context))


@require_http_methods(["GET", "HEAD", "POST"])
def manage(request: HttpRequest, token: str) -> HttpResponse:
    """Self-service through the signed link of a confirmation mail."""
    pledge = links.pledge_from_manage_token(token)
    if pledge is None:
        response = render(request, "support/link_expired.html", status=410)
        return _private(response)
    return _manage(request, pledge, links.manage_path(pledge))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def my_pledges(request: HttpRequest) -> HttpResponse:
    here = reverse("support:my_pledges")
    if request.method == "POST":
        if request.POST.get("aktion") != "verbinden":
            return HttpResponseRedirect(here)
        services.send_claim_links(request.user)
        return HttpResponseRedirect(f"{here}?erledigt=link")
    pledges = list(selectors.pledges_of(request.user))
    context = {
        "pledges": [
            (p, selectors.next_debit(p), reverse("support:my_pledge", args=[p.pk])) for p in pledges
        ],
        "unclaimed": selectors.unclaimed_pledges_of(request.user).count(),
        "addresses": selectors.own_addresses(request.user),
        "sent": request.GET.get("erledigt") == "link",
    }
    return _private(render(request, "support/my_pledges.html", context))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def claim(request: HttpRequest, token: str) -> HttpResponse:
    """The link mailed to a pledge's address: the reader, logged in with the account of
    that address, joins the pledge to it with a POST (a GET, e.g. a mail scanner
    following the link, changes nothing)."""
    pledge = links.pledge_from_claim_token(token)
    if pledge is None:
        return _private(render(request, "support/link_expired.html", status=410))
    message, status = "", 200
    if request.method == "POST":
        try:
            services.claim_pledge(pledge, request.user)
        except services.PledgeError as error:
            message, status = str(error), 403
        else:
            return HttpResponseRedirect(reverse("support:my_pledge", args=[pledge.pk]))
    elif not services.owns_address(request.user, pledge.supporter.email):
        message, status = (
            f"Diese Unterstützung gehört zur Adresse {pledge.supporter.email}. Bitte melden Sie "
            "sich mit dem Konto dieser Adresse an.",
            403,
        )
    context = {"pledge": pledge, "message": message}
    return _private(render(request, "support/claim.html", context, status=status))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def my_pledge(request: HttpRequest, pk: int) -> HttpResponse:
    pledge = get_object_or_404(selectors.pledges_of(request.user), pk=pk)
    return _manage(request, pledge, reverse("support:my_pledge", args=[pk]))


def _manage(request: HttpRequest, pledge: Pledge, here: str) -> HttpResponse:
    change_form = ChangeForm(initial={"amount": pledge.amount, "interval": pledge.interval})
    mandate_form = NewMandateForm(prefix="neu")
    message = ""
    status = 200
    if request.method == "POST":
        action = request.POST.get("aktion", "")
        try:
            if action == "aendern":
                change_form = ChangeForm(request.POST)
                if change_form.is_valid():
                    services.change_pledge(
                        pledge,
                        amount=change_form.cleaned_data["amount"],
                        interval=change_form.cleaned_data["interval"],
                    )
                    return HttpResponseRedirect(f"{here}?erledigt=geaendert")
            elif action == "pausieren":
                services.pause_pledge(pledge, reason="auf eigenen Wunsch")
                return HttpResponseRedirect(f"{here}?erledigt=pausiert")
            elif action == "fortsetzen":
                services.resume_pledge(pledge)
                return HttpResponseRedirect(f"{here}?erledigt=fortgesetzt")
            elif action == "beenden":
                services.cancel_pledge(pledge, reason="auf eigenen Wunsch")
                return HttpResponseRedirect(f"{here}?erledigt=beendet")
            elif action == "neue-iban":
                mandate_form = NewMandateForm(request.POST, prefix="neu")
                if mandate_form.is_valid():
                    data = mandate_form.cleaned_data
                    services.replace_mandate(
                        pledge,
                        account_holder=data["account_holder"],
                        iban=data["iban"],
                        address=data["address"],
                    )
                    return HttpResponseRedirect(f"{here}?erledigt=neue-iban")
            else:
                message = "Diese Aktion gibt es nicht."
            status = 400
        except services.PledgeError as error:
            message, status = str(error), 409
        pledge.refresh_from_db()
    context = {
        "pledge": pledge,
        "mandate": pledge.current_mandate,
        "next_debit": selectors.next_debit(pledge),
        "change_form": change_form,
        "mandate_form": mandate_form,
        "message": message,
        "done": request.GET.get("erledigt", ""),
        "here": here,
        **_creditor(),
    }
    return _private(render(request, "support/manage.html", context, status=status))
