"""The finance group in the Wagtail admin: lists (masked), the logged full-IBAN view,
the collection day (export button, download, return upload) and the figures."""

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lesefrei.support import services
from lesefrei.support.models import CollectionRun, IbanAccessLog

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def finance(client, django_user_model):
    user = django_user_model.objects.create_user("finanzen", "f@example.org", "pw", is_staff=True)
    user.groups.add(Group.objects.get(name="Finanzen"))
    client.force_login(user)
    return user


@pytest.fixture
def editor(client, django_user_model):
    user = django_user_model.objects.create_user("redaktion", "r@example.org", "pw", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    return user


def test_finance_lists_show_masked_ibans_and_search(client, finance):
    factories.pledge(email="jana@example.org")
    factories.pledge(email="olaf@example.org", iban="DE02120300000000202051")
    for name in (
        "support_supporters",
        "support_pledges",
        "support_mandates",
        "support_collections",
        "support_runs",
        "support_returns",
        "support_return_files",
        "support_iban_log",
    ):
        response = client.get(reverse(f"{name}:index"))
        assert response.status_code == 200, name
    mandates = client.get(reverse("support_mandates:index"))
    assert "DE89 **** **** **** **30 00" in mandates.text
    assert "DE89370400440532013000" not in mandates.text
    found = client.get(reverse("support_supporters:index"), {"q": "olaf"})
    assert "olaf@example.org" in found.text and "jana@example.org" not in found.text
    filtered = client.get(reverse("support_pledges:index"), {"status": "paused"})
    assert filtered.status_code == 200


def test_nobody_edits_pledges_in_the_admin_not_even_a_superuser(client, django_user_model):
    admin = django_user_model.objects.create_superuser("admin", "a@example.org", "pw")
    client.force_login(admin)
    pledge = factories.pledge()
    assert client.get(reverse("support_pledges:add")).status_code in (302, 403)
    assert client.get(reverse("support_pledges:edit", args=[pledge.pk])).status_code in (302, 403)


def test_full_iban_only_for_finance_and_every_view_is_logged(client, finance):
    pledge = factories.pledge()
    mandate = pledge.mandates.get()
    url = reverse("support_collection_day:iban", args=[mandate.pk])
    page = client.get(url)
    assert "DE89370400440532013000" not in page.text
    revealed = client.post(url)
    assert "DE89370400440532013000" in revealed.text
    log = IbanAccessLog.objects.get()
    assert (log.user, log.mandate) == (finance, mandate)


def test_editors_see_no_support_data(client, editor):
    pledge = factories.pledge()
    assert client.get(reverse("support_mandates:index")).status_code in (302, 403)
    mandate = pledge.mandates.get()
    assert client.post(reverse("support_collection_day:iban", args=[mandate.pk])).status_code in (
        302,
        403,
    )
    assert client.get(reverse("support_collection_day:index")).status_code in (302, 403)
    assert IbanAccessLog.objects.count() == 0


def test_export_button_and_download(client, finance):
    pledge = factories.pledge()
    response = client.post(
        reverse("support_collection_day:index"),
        {"export": "1", "until": pledge.anchor_date.isoformat()},
    )
    assert response.status_code == 302
    run = CollectionRun.objects.get()
    assert run.created_by == finance
    download = client.get(reverse("support_collection_day:download", args=[run.pk]))
    assert download["Content-Disposition"].startswith("attachment;")
    assert download.content == run.xml.encode()


def test_return_upload_with_a_bad_file_shows_the_reason(client, finance):
    response = client.post(
        reverse("support_collection_day:index"),
        {"returns": "1", "file": SimpleUploadedFile("r.xml", b"kein xml")},
    )
    assert response.status_code == 200
    assert "kein gültiges XML" in response.text


def test_figures_page_draws_the_chart_against_the_goal(client, finance):
    factories.pledge("10")
    factories.pledge("30", "quarterly")
    page = client.get(reverse("support_figures:index"))
    assert page.status_code == 200
    assert "<svg" in page.text and "Ziel 50.000" in page.text
    assert "<dd>20,00\u00a0€</dd>" in page.text  # 10 monthly + 30 quarterly = 20 per month
    header = page.text[page.text.index("w-breadcrumbs") :]
    assert header.index("Zahlen der Unterstützung") < header.index("</header>")


def test_supporter_care_sends_the_self_service_link(
    client, finance, django_capture_on_commit_callbacks
):
    from django.core import mail

    pledge = factories.pledge()
    inspect = client.get(reverse("support_pledges:inspect", args=[pledge.pk]))
    assert "Link zur Selbstverwaltung senden" in inspect.text
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("support_collection_day:send_link", args=[pledge.pk]))
    assert response.status_code == 302
    assert mail.outbox[0].to == [pledge.supporter.email]
    assert "/unterstuetzen/verwalten/" in mail.outbox[0].body


def test_chart_scales_to_the_goal_only_when_the_line_would_be_readable():
    from types import SimpleNamespace

    from lesefrei.support.selectors import supporters_chart

    rows = [{"supporters": n} for n in (10, 20, 40)]
    far = supporters_chart(rows, SimpleNamespace(goal=50_000))
    assert far["goal_y"] is None and far["top_value"] == 48
    near = supporters_chart(rows, SimpleNamespace(goal=100))
    assert near["top_value"] == 100 and near["goal_y"] == 10.0


def test_downloading_a_run_file_is_logged_like_an_iban_view(client, finance):
    pledge = factories.pledge()
    run = services.export_due_collections(pledge.anchor_date).run
    assert IbanAccessLog.objects.count() == 0
    download = client.get(reverse("support_collection_day:download", args=[run.pk]))
    assert download.status_code == 200
    log = IbanAccessLog.objects.get()
    assert (log.user, log.run, log.mandate) == (finance, run, None)
    client.get(reverse("support_collection_day:download", args=[run.pk]))
    assert IbanAccessLog.objects.count() == 2
    listed = client.get(reverse("support_iban_log:index"))
    assert run.filename in listed.text
