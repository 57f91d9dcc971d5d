"""The production profile outlives a PostgreSQL restart without an app restart: the app
keeps its database connection between requests (CONN_MAX_AGE) and checks it before
reuse (CONN_HEALTH_CHECKS), so after the server dropped every connection the next
request reconnects — a reader page, a login, a comment and a pledge all succeed, and
each accepted submission is stored.

The restart is simulated by `pg_terminate_backend` on every connection to the test
database but the test's own; the app runs under gunicorn with the production settings,
as on a server (a test client would not keep a connection between requests)."""

from __future__ import annotations

import http.client
import os
import re
import secrets
from collections.abc import Iterator
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest
from cryptography.fernet import Fernet
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.urls import reverse

from lesefrei.comments.models import Comment
from lesefrei.comments.tests import factories as comment_factories
from lesefrei.support.models import Pledge
from scripts.processes import free_port, start_app
from tests import factories

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# The production profile, with Django's plain static storage: the test does not run
# collectstatic, and nothing here is about static files.
SETTINGS = """\
from lesefrei.settings.production import *  # noqa: F403

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
"""


class Browser:
    """Cookies kept by hand: the production profile marks them Secure, which an HTTP
    client would rightly not send back over plain HTTP."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {"csrftoken": secrets.token_hex(16)}

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str, str]:
        connection_ = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode({**form, "csrfmiddlewaretoken": self.cookies["csrftoken"]})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection_.request(method, path, body, headers)
        response = connection_.getresponse()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        text = response.read().decode()
        connection_.close()
        return response.status, response.headers.get("Location", ""), text


@pytest.fixture
def server(tmp_path) -> Iterator[int]:
    (tmp_path / "restart_settings.py").write_text(SETTINGS)
    database = connection.settings_dict
    port = free_port()
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        "PYTHONPATH": f"{tmp_path}{os.pathsep}{ROOT}",
        "DJANGO_SETTINGS_MODULE": "restart_settings",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": (
            f"postgres://{database['USER']}:{database['PASSWORD'] or ''}@"
            f"{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/{database['NAME']}"
        ),
        "SECURE_SSL_REDIRECT": "0",
        "PAGE_CACHE": "0",  # every page from the database
        "TASKS_BACKEND": "immediate",
        "MAIL_BACKEND": "file",
        "MAIL_FILE_PATH": str(tmp_path / "mail"),
        "SUPPORT_IBAN_KEYS": Fernet.generate_key().decode(),
        "LOG_LEVEL": "WARNING",
    }
    with start_app(port, env=environment, log=tmp_path / "gunicorn.log"):
        yield port


def restart_postgres() -> int:
    """Drop every connection to the test database but this test's, as a restart of
    PostgreSQL would; the number dropped."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def test_after_a_postgres_restart_the_next_request_comment_and_pledge_succeed(server):
    article = factories.article(headline="Was der Neustart nicht ändert")
    reader = comment_factories.reader("Mara K.")
    # The test settings hash with MD5 (fast); the server knows only production's hashers.
    hasher = PBKDF2PasswordHasher()
    reader.password = hasher.encode("geheim-123", hasher.salt(), iterations=1000)
    reader.save(update_fields=["password"])
    browser = Browser(server)
    assert browser.request("GET", article.url)[0] == 200

    assert restart_postgres() >= 1, "the app kept its connection between requests"
    status, _, page = browser.request("GET", article.url)
    assert status == 200 and "Was der Neustart nicht ändert" in page

    restart_postgres()
    status, _, _ = browser.request(
        "POST", reverse("account_login"), {"login": reader.email, "password": "geheim-123"}
    )
    assert status == 302, "logged in"

    write = reverse("comments:write", args=[article.pk])
    status, _, form = browser.request("GET", write)
    assert status == 200, write
    key = re.search(r'name="key" value="([^"]*)"', form).group(1)
    restart_postgres()
    status, _, _ = browser.request("POST", write, {"text": "Trotz Neustart.", "key": key})
    assert status == 302
    assert Comment.objects.get().text == "Trotz Neustart."

    pledge = reverse("support:pledge")
    status, _, form = browser.request("GET", f"{pledge}?betrag=10&intervall=monatlich")
    token = re.search(r'name="form_token" value="([0-9a-f-]+)"', form).group(1)
    restart_postgres()
    status, _, _ = browser.request(
        "POST",
        pledge,
        {
            "form_token": token,
            "betrag": "10",
            "intervall": "monatlich",
            "name": "Mara Kern",
            "email": reader.email,
            "account_holder": "Mara Kern",
            "iban": "DE89 3704 0044 0532 0130 00",
            "consent": "on",
        },
    )
    assert status == 302
    assert Pledge.objects.count() == 1
