"""Mail goes through Django's tasks framework: inline in the embedded profile, through
the database queue and `db_worker` in the production profile."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from wagtail.search.models import IndexEntry

from tests.factories import article

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
PASSWORD = "ein-gutes-passwort-1848"


def sign_up(client, email: str = "neu@example.org"):
    return client.post(
        reverse("account_signup"),
        {"email": email, "pseudonym": "Neue Leserin", "password1": PASSWORD, "password2": PASSWORD},
    )


def test_embedded_profile_sends_mail_inside_the_request(client):
    sign_up(client)

    assert [message.to for message in mail.outbox] == [["neu@example.org"]]
    assert not DBTaskResult.objects.exists()


# The worker closes its database connection when it is done, as a long-running worker
# must; so these tests commit for real instead of running inside a rolled-back transaction.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_production_profile_queues_mail_until_the_worker_sends_it(client):
    response = sign_up(client)

    assert response.status_code == 302
    assert mail.outbox == []
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "lesefrei.site.tasks.deliver_mail"

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    assert [message.to for message in mail.outbox] == [["neu@example.org"]]
    assert "Registrierung" in mail.outbox[0].subject
    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@override_settings(
    TASKS=DATABASE_TASKS,
    MAILERS={
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            # Port 9 on loopback: nothing listens, the connection is refused at once.
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2},
        }
    },
)
def test_unreachable_mail_server_fails_the_task_not_the_sign_up(client, django_user_model):
    response = sign_up(client, "zweite@example.org")

    assert response.status_code == 302
    assert django_user_model.objects.filter(email="zweite@example.org").exists()
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    failed = DBTaskResult.objects.get()
    assert failed.status == "FAILED"
    assert "ConnectionRefusedError" in failed.exception_class_path or failed.traceback


@override_settings(TASKS=DATABASE_TASKS)
def test_wagtails_own_tasks_still_run_inline_with_the_database_backend(
    django_capture_on_commit_callbacks,
):
    page = article(publish=False, headline="Ein Sommer ohne Wespen")
    IndexEntry.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()

    assert not DBTaskResult.objects.exists(), "Wagtail's tasks must not land in our queue"
    # Wagtail's search index task ran in the request: the page is findable at once.
    assert IndexEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(page), object_id=str(page.pk)
    ).exists()
