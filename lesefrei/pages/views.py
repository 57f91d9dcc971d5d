"""The contact form's page (`<legal page>/schreiben/`): never cached, with the CSRF token,
beside the legal page itself, which is the same for everyone and cached."""

import logging

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.views.decorators.cache import never_cache

from .forms import ContactForm, new_form_key
from .models import LegalPage
from .selectors import privacy_url_for
from .services import ContactMessage, ContactRefused, send_contact_message

logger = logging.getLogger(__name__)


def _render(
    request: HttpRequest, page: LegalPage, form: ContactForm, key: str, status: int = 200
) -> HttpResponse:
    context = {"form": form, "form_key": key, "privacy_url": privacy_url_for(request)}
    response = page.render(request, template="pages/contact_form.html", context_overrides=context)
    response.status_code = status
    return response


@never_cache
def contact_form(request: HttpRequest, page: LegalPage) -> HttpResponse:
    sent_url = page.url + page.reverse_subpage("sent")
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD, POST"})
    if request.method != "POST":
        return _render(request, page, ContactForm(), new_form_key())

    form = ContactForm(request.POST)
    if form.is_spam():
        # Bots learn nothing: the same answer as for a message sent.
        logger.info("contact form on page %s: honeypot filled, nothing sent", page.pk)
        return HttpResponseRedirect(sent_url)
    if form.is_valid():
        data = form.cleaned_data
        message = ContactMessage(
            name=data["name"], email=data["email"], subject=data["subject"], text=data["text"]
        )
        try:
            send_contact_message(request, page, message, data["key"])
        except ContactRefused as refused:
            form.add_error(None, refused.message)
        else:
            return HttpResponseRedirect(sent_url)
    # The same key again, so that the form stays one message; a fresh one when the key
    # was refused (expired, too fast, forged), so that sending the kept text can succeed.
    key = new_form_key() if "key" in form.errors else request.POST.get("key", "")
    return _render(request, page, form, key, status=400)
