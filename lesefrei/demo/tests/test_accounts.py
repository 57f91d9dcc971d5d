import io

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from lesefrei.accounts.models import ReaderProfile
from lesefrei.accounts.selectors import is_confirmed_reader
from lesefrei.demo import accounts as demo

pytestmark = pytest.mark.django_db


def test_demo_readers_are_confirmed_can_log_in_and_loading_twice_adds_nobody(client):
    first, second = io.StringIO(), io.StringIO()
    demo.load(first)
    demo.load(second)

    assert ReaderProfile.objects.count() == len(demo.DEMO_READERS)
    assert set(ReaderProfile.objects.values_list("pseudonym", flat=True)) >= {
        "Leserin_aus_Kiel",
        "Mara K.",
        "Bernd_57",
    }
    for address in EmailAddress.objects.all():
        assert address.verified and address.primary
        assert is_confirmed_reader(address.user)
    assert "leserin.kiel@example.org" in first.getvalue()
    assert "Passwort: lesefrei-demo" in first.getvalue()
    assert "E-Mails" in first.getvalue() and "im Speicher" in first.getvalue()
    assert "0 angelegt" in second.getvalue()

    response = client.post(
        reverse("account_login"),
        {"login": "leserin.kiel@example.org", "password": demo.DEMO_PASSWORD},
    )
    assert response.status_code == 302


def test_demo_says_where_mails_land_with_the_console_backend(settings):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
    out = io.StringIO()
    demo.load(out)
    assert "im Terminal, in dem der Server läuft" in out.getvalue()
