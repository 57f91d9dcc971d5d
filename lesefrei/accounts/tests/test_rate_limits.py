"""Login and sign-up are limited per account and per client, in Django's cache (Redis
when REDIS_URL is set), and no IP address is stored in clear anywhere."""

import io

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from lesefrei.accounts.clients import hash_client_ip

from .factories import PASSWORD, reader

pytestmark = pytest.mark.django_db

CLIENT_IP = "203.0.113.77"
CLIENT_IPV6 = "2001:db8:85a3:1:2:3:4:5"


def cache_keys() -> list[str]:
    """Every key in the real cache: Redis (REDIS_URL set) or the in-process cache."""
    backend = cache._cache
    if hasattr(backend, "get_client"):
        return [key.decode() for key in backend.get_client().keys("*")]
    return list(backend.keys())


def login(client, email, password, ip=CLIENT_IP):
    return client.post(
        reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=ip
    )


def sign_up(client, number, ip=CLIENT_IP, email=None):
    return client.post(
        reverse("account_signup"),
        {
            "email": email or f"neu{number}@example.org",
            "pseudonym": f"Neu {number}",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
        REMOTE_ADDR=ip,
    )


def test_failed_logins_lock_the_account_even_for_the_right_password(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "login_failed": "100/m/ip,3/5m/key",
    }
    reader(email="ziel@example.org")

    for attempt in range(3):
        response = login(
            client, "ziel@example.org", f"falsch-{attempt}", ip=f"198.51.100.{attempt}"
        )
        assert "E-Mail-Adresse oder Passwort stimmen nicht" in response.text

    # From yet another client, with the right password: the account is locked for now.
    locked = login(client, "ziel@example.org", PASSWORD, ip="198.51.100.99")
    assert locked.status_code == 200
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in locked.text
    assert "_auth_user_id" not in client.session

    # Another account is not affected.
    reader(email="andere@example.org")
    assert login(client, "andere@example.org", PASSWORD, ip="198.51.100.99").status_code == 302


def test_failed_logins_from_one_client_are_limited_across_accounts(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "login_failed": "3/m/ip,100/5m/key",
    }
    for number in range(3):
        login(client, f"rate{number}@example.org", "falsch")

    response = login(client, "noch-eine@example.org", "falsch")
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in response.text
    # A different client still gets a normal answer.
    other = login(client, "noch-eine@example.org", "falsch", ip="192.0.2.1")
    assert "E-Mail-Adresse oder Passwort stimmen nicht" in other.text


def test_sign_ups_are_limited_per_client(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "2/h/ip"}
    assert sign_up(client, 1).status_code == 302
    client.logout()
    assert sign_up(client, 2).status_code == 302
    client.logout()

    refused = sign_up(client, 3)

    assert refused.status_code == 429
    assert "Zu viele Anfragen" in refused.text
    assert sign_up(client, 4, ip="192.0.2.10").status_code == 302


def test_sign_ups_are_limited_per_address(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup_email": "2/h/key"}
    for number in range(2):
        client.logout()
        sign_up(client, number, ip=f"198.51.100.{number}", email="dieselbe@example.org")

    client.logout()
    refused = sign_up(client, 9, ip="198.51.100.50", email="Dieselbe@example.org")
    assert refused.status_code == 200
    assert "zu viele Registrierungen" in refused.text


def test_no_ip_address_is_kept_in_clear(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "login_failed": "2/m/ip,5/5m/key",
    }
    reader(email="privat@example.org")
    for _ in range(3):
        login(client, "privat@example.org", "falsch")
        login(client, "privat@example.org", "falsch", ip=CLIENT_IPV6)
    assert login(client, "privat@example.org", "falsch").status_code == 200
    sign_up(client, 1)
    login(client, "privat@example.org", PASSWORD, ip="192.0.2.200")

    keys = cache_keys()
    rate_keys = [key for key in keys if ":rl:" in key]
    assert rate_keys, "the rate limits must have used the cache"
    assert any(hash_client_ip(CLIENT_IP) in key for key in rate_keys)
    everything = " ".join(keys)
    for clear_text in (CLIENT_IP, "2001:db8", "192.0.2.200", "privat@example.org"):
        assert clear_text not in everything

    dump = io.StringIO()
    call_command("dumpdata", stdout=dump)
    sessions = [session.get_decoded() for session in Session.objects.all()]
    stored = dump.getvalue() + repr(sessions)
    for ip in (CLIENT_IP, "2001:db8", "192.0.2.200"):
        assert ip not in stored


def test_the_client_hash_is_keyed_and_groups_an_ipv6_network(settings):
    first = hash_client_ip(CLIENT_IPV6)
    assert first == hash_client_ip("2001:db8:85a3:1:ffff::1"), "same /64, same client"
    assert first != hash_client_ip("2001:db8:85a3:2::1")
    assert hash_client_ip(CLIENT_IP) != hash_client_ip("203.0.113.78")
    settings.SECRET_KEY = "ein-anderer-schluessel-" + "x" * 40
    assert hash_client_ip(CLIENT_IP) != first and hash_client_ip(CLIENT_IP).startswith("client-")


def test_behind_a_trusted_proxy_each_reader_is_their_own_client(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "1/h/ip"}

    def via_nginx(number, reader_ip):
        client.logout()
        return client.post(
            reverse("account_signup"),
            {
                "email": f"proxy{number}@example.org",
                "pseudonym": f"Proxy {number}",
                "password1": PASSWORD,
                "password2": PASSWORD,
            },
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=reader_ip,
        )

    assert via_nginx(1, "198.51.100.1").status_code == 302
    assert via_nginx(2, "198.51.100.2").status_code == 302
    assert via_nginx(3, "198.51.100.1").status_code == 429
    assert all("198.51.100" not in key for key in cache_keys())
