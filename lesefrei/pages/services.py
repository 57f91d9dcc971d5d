"""State changes of the legal and service pages.

- `send_contact_message`: a reader's message to the newsroom. Invariants: one form (one
  form key) makes at most one mail, however often it is submitted, also concurrently;
  a refused message (rate limit) changes nothing and sends nothing.
- `record_correction`: the corrections log gets an entry when an article is published
  with a correction note it did not have before.
- `site_links_changed`: a page linked from every page (footer, Kontakt, Korrekturen)
  changed its title or address, or appeared or went: every cached page drops.
"""

import logging
from dataclasses import dataclass

from allauth.core import ratelimit
from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from lesefrei.cache import CONTENT, changed
from lesefrei.content.models import ArticlePage
from lesefrei.site.tasks import send_later

from .models import ContactSubmission, Correction, LegalPage
from .selectors import CORRECTIONS_TAG

logger = logging.getLogger(__name__)

# The allauth rate-limit action (ACCOUNT_RATE_LIMITS["contact"]): per client, hashed.
RATE_ACTION = "contact"


class ContactRefused(Exception):
    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class ContactMessage:
    name: str
    email: str
    subject: str
    text: str


def _mail(page: LegalPage, message: ContactMessage) -> None:
    from django.core.mail import EmailMessage

    prefix = page.form_subject or page.title
    subject = f"{settings.WAGTAIL_SITE_NAME}: {prefix}: {message.subject}"
    body = render_to_string(
        "pages/mail/contact_message.txt",
        {"page": page, "message": message, "page_url": settings.SITE_URL + page.url},
    )
    send_later(
        EmailMessage(
            subject,
            body,
            settings.DEFAULT_FROM_EMAIL,
            [page.recipient],
            reply_to=[message.email],
        )
    )


def send_contact_message(
    request: HttpRequest, page: LegalPage, message: ContactMessage, key: str
) -> bool:
    """Mail `message` to the newsroom of `page` once for the form `key`; True when this
    call sent it, False when the same form was sent before. ContactRefused when the
    client sent too many messages lately (nothing is sent then)."""
    if ContactSubmission.objects.filter(key=key).exists():
        logger.info("contact form %s sent again: no second mail", key[:8])
        return False
    if not ratelimit.consume(request, action=RATE_ACTION):
        logger.info("contact form refused: rate limit")
        raise ContactRefused(
            _(
                "Sie haben in kurzer Zeit sehr viele Nachrichten geschickt. Bitte versuchen "
                "Sie es später noch einmal."
            ),
            "rate_limited",
        )
    try:
        with transaction.atomic():
            ContactSubmission.objects.create(key=key, page=page)
            # In the transaction: with the database task backend the mail's task row
            # commits with the submission, or neither does.
            _mail(page, message)
    except IntegrityError:
        # A concurrent submission of the same form won the race and sent the mail.
        logger.info("contact form %s sent twice at once: one mail", key[:8])
        return False
    logger.info("contact message sent from page %s", page.pk)
    return True


def record_correction(article: ArticlePage) -> Correction | None:
    """Log the article's correction note when it is new or changed since its last entry
    (a republication without a new note adds nothing). Called on every publication."""
    note = (article.correction or "").strip()
    if not note:
        return None
    last = Correction.objects.filter(article=article).order_by("-published_at", "-pk").first()
    if last is not None and last.note == note:
        return None
    correction = Correction.objects.create(article=article, note=note, published_at=timezone.now())
    changed(CORRECTIONS_TAG)
    logger.info("correction logged for article %s", article.pk)
    return correction


def site_links_changed() -> None:
    """A page linked from every page changed: new pieces and no old cached page."""
    changed(CONTENT, "site")
