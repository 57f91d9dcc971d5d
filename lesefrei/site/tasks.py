"""Background work through Django's tasks framework (``settings.TASKS``).

Mail is the one thing a reader's request should never wait for: the message is rendered
in the request (so it shows the state the reader just saw) and handed to
``deliver_mail``, which the worker (``manage.py db_worker``) sends in the production
profile. In the embedded profile the immediate backend sends it at once.

Wagtail 8 still enqueues its own tasks (reference index, frontend-cache purges) through
the ``django_tasks`` backport, which reads the same ``TASKS`` setting but cannot run
Django's backends. ``isolate_wagtail_tasks`` gives the backport its own immediate backend,
so Wagtail's tasks run inline as they did before Wagtail 7: a purge is then done when the
editor's publish returns.
"""

from __future__ import annotations

import logging
from email.utils import parseaddr

import django_tasks
from asgiref.local import Local
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.tasks import task

logger = logging.getLogger(__name__)

WAGTAIL_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def isolate_wagtail_tasks() -> None:
    """Point the ``django_tasks`` backport (used by Wagtail) at its own inline backend,
    also when it re-reads its settings (it does on every change of TASKS in tests)."""
    handler = django_tasks.task_backends
    handler.configure_settings = lambda settings: WAGTAIL_TASKS
    handler._settings = handler.settings = WAGTAIL_TASKS
    handler._connections = Local()


def _serialise(message: EmailMessage) -> dict:
    alternatives = [
        [content, mimetype] for content, mimetype in getattr(message, "alternatives", [])
    ]
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": dict(message.extra_headers),
        "alternatives": alternatives,
    }


@task()
def deliver_mail(message: dict) -> None:
    """Send one rendered message. A failure is logged and recorded as the task's result
    (visible to operators in the admin of django_tasks_db); it never reaches the reader."""
    mail = EmailMultiAlternatives(
        subject=message["subject"],
        body=message["body"],
        from_email=message["from_email"],
        to=message["to"],
        cc=message["cc"],
        bcc=message["bcc"],
        reply_to=message["reply_to"],
        headers=message["headers"],
    )
    for content, mimetype in message["alternatives"]:
        mail.attach_alternative(content, mimetype)
    recipients = ", ".join(parseaddr(address)[1] for address in mail.recipients())
    try:
        mail.send()
    except Exception:
        logger.exception("mail %r to %s could not be sent", mail.subject, recipients)
        raise


def send_later(message: EmailMessage) -> None:
    """Hand a rendered message to the task backend.

    With the database backend the task is a row written in the caller's transaction: it
    reaches the worker only if that work commits (no mail for rolled-back work). The
    immediate backend sends at once, as ``message.send()`` would."""
    deliver_mail.enqueue(_serialise(message))


def send_mail_later(subject: str, body: str, from_email: str | None, to: list[str]) -> None:
    """``django.core.mail.send_mail`` for the background: same arguments, sent by the worker."""
    send_later(EmailMessage(subject, body, from_email, to))
