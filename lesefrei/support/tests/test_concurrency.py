"""The pledge form posted 20 times at the same moment with the same one-time token,
against the live server on PostgreSQL: exactly one pledge, every answer the same."""

import re
import threading
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

import pytest
from django.conf import settings as django_settings

from lesefrei.support import links
from lesefrei.support.models import Mandate, Pledge, Supporter


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.mark.skipif(not django_settings.USING_POSTGRES, reason="needs concurrent PostgreSQL")
@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_simultaneous_posts_with_one_token_make_one_pledge(live_server):
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    page = opener.open(f"{live_server.url}/unterstuetzen/?betrag=10&intervall=monatlich").read()
    html = page.decode()
    token = re.search(r'name="form_token" value="([^"]+)"', html).group(1)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    body = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": csrf,
            "form_token": token,
            "betrag": "10",
            "intervall": "monatlich",
            "name": "Jana Oberländer",
            "email": "jana@example.org",
            "account_holder": "Jana Oberländer",
            "iban": "DE89370400440532013000",
            "consent": "on",
        }
    ).encode()
    barrier = threading.Barrier(20)
    answers: list[tuple[int, str]] = []
    lock = threading.Lock()

    def submit() -> None:
        request = urllib.request.Request(
            f"{live_server.url}/unterstuetzen/",
            data=body,
            headers={"Referer": f"{live_server.url}/unterstuetzen/", "Origin": live_server.url},
        )
        barrier.wait()
        try:
            response = opener.open(request)
            status, location = response.status, response.headers.get("Location", "")
        except urllib.error.HTTPError as error:
            status, location = error.code, error.headers.get("Location", "")
        with lock:
            answers.append((status, location))

    threads = [threading.Thread(target=submit) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(answers) == 20
    assert {status for status, _ in answers} == {302}, answers
    pledge = Pledge.objects.get()
    tokens = {location.rstrip("/").rsplit("/", 1)[1] for _, location in answers}
    assert {links.pledge_from_confirmation_token(t) for t in tokens} == {pledge}
    assert Mandate.objects.count() == 1
    assert Supporter.objects.count() == 1
