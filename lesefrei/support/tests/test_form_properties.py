"""Generated input for the reader's support forms: the pledge page (step one, a GET
form; step two, the mandate), the self-service page behind the mailed link (change,
pause, resume, end, new IBAN) and the links themselves. Never a server error; a refusal
says why and changes no row; an accepted pledge is stored once, however often its form
is sent (tests/generated_forms.py has the strategies and the checks)."""

import re
from urllib.parse import quote

import pytest
from django.urls import reverse
from hypothesis import event, example, given
from hypothesis import strategies as st

from lesefrei.accounts.services import create_reader
from lesefrei.support import links
from lesefrei.support.models import (
    Collection,
    IbanAccessLog,
    Mandate,
    Pledge,
    Supporter,
)
from tests.generated_forms import (
    BUDGET,
    NUMBERS,
    TEXT,
    assert_clean_text,
    assert_no_server_error,
    assert_refused_with_message,
    form_errors,
    form_page,
    isolated_example,
    query_string,
    reader_client,
    rows,
    send,
    submissions,
)

from . import factories

pytestmark = pytest.mark.django_db

SUPPORT_ROWS = (Supporter, Pledge, Mandate, Collection, IbanAccessLog)
INTERVALS = ["einmalig", "monatlich", "vierteljaehrlich", "halbjaehrlich", "jaehrlich"]
IBANS = st.sampled_from(
    [
        *factories.TEST_IBANS,
        "de89 3704 0044 0532 0130 00",
        "DE89-3704-0044-0532-0130-00",
        "DE89370400440532013001",  # checksum
        "DE00370400440532013000",
        "CH9300762011623852957",  # outside the EEA: needs the address
        "GB29NWBK60161331926819",
        "US12345678901234567890",
        "XX89370400440532013000",
        "DE8937040044053201300",  # too short
        "ＤＥ89370400440532013000",  # full-width letters
        "DE89370400440532013000" * 2,
    ]
)
EMAILS = st.sampled_from(
    [
        '"\x01"@example.org',
        '"a\x1bb"@example.org',
        '"a\x7f"@example.org',
        "jana@exämple.org",
        "ä@example.org",
        "jana@[127.0.0.1]",
        "a" * 64 + "@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 63 + ".de",  # 258 characters
        "JANA@EXAMPLE.ORG",
        " jana@example.org ",
        "jana@example.org\n",
        "jana@@example.org",
    ]
)
# What people are called, in any script; account holders as banks spell them.
NAMES = st.text(
    st.one_of(st.characters(categories=("L", "Zs")), st.sampled_from(list(".-'’"))),
    min_size=1,
    max_size=60,
).filter(lambda name: name.strip() != "")
HOLDERS = st.text(
    st.one_of(st.characters(codec="latin-1", categories=("L",)), st.sampled_from(list(" .-'"))),
    min_size=1,
    max_size=60,
).filter(lambda name: any(char.isalpha() for char in name))

GOOD_PLEDGE = {
    "betrag": "10",
    "intervall": "monatlich",
    "name": "Jana Oberländer",
    "email": "jana@example.org",
    "account_holder": "Jana Oberländer",
    "iban": "DE89 3704 0044 0532 0130 00",
    "street": "",
    "postcode": "",
    "town": "",
    "country": "",
    "consent": "on",
}

GOOD_FIELDS = {name: [value] for name, value in GOOD_PLEDGE.items()}


@pytest.fixture
def pledge() -> Pledge:
    """A running monthly pledge (restored for every example, see isolated_example)."""
    return factories.pledge("10")


def pledge_url() -> str:
    return reverse("support:pledge")


def details_page(client, amount: str = "10", interval: str = "monatlich") -> tuple[str, str]:
    """Step two's page: (CSRF token, form token)."""
    page, token = form_page(client, f"{pledge_url()}?betrag={amount}&intervall={interval}")
    form_token = re.search(r'name="form_token" value="([0-9a-f-]+)"', page.text).group(1)
    return token, form_token


def assert_stored_once(before: dict, response, *, pledges: int = 1) -> Pledge:
    assert response.status_code == 302, response.status_code
    assert Pledge.objects.count() == len(before["support.Pledge"]) + pledges
    assert Mandate.objects.count() == len(before["support.Mandate"]) + pledges
    pledge = Pledge.objects.order_by("pk").last()
    # The confirmation link of that pledge (signed anew by each answer).
    token = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    assert links.pledge_from_confirmation_token(token) == pledge
    return pledge


def assert_pledge_is_clean(pledge: Pledge) -> None:
    assert_clean_text(pledge.name, pledge.supporter.name, pledge.supporter.email)
    for mandate in pledge.mandates.all():
        assert_clean_text(mandate.account_holder, mandate.street, mandate.postcode, mandate.town)
    assert len(pledge.supporter.email) <= 254


@BUDGET
@given(
    query=submissions(
        {"betrag": "anderer", "anderer_betrag": "12,50", "intervall": "monatlich"},
        special={
            "betrag": st.sampled_from(["5", "10", "15", "25", "7", "anderer", "ANDERER"]),
            "anderer_betrag": NUMBERS,
            "intervall": st.sampled_from([*INTERVALS, "monthly", "Monatlich"]),
        },
    )
)
@example(query={"betrag": ["anderer"], "anderer_betrag": ["1e309"], "intervall": ["monatlich"]})
@example(query={"betrag": ["anderer"], "anderer_betrag": ["NaN"], "intervall": ["monatlich"]})
def test_generated_amount_and_interval_lead_to_step_two_or_say_what_is_wrong(query):
    with isolated_example():
        client = reader_client()
        response = client.get(pledge_url(), QUERY_STRING=query_string(query))

        assert_no_server_error(response)
        assert response.status_code == 200
        if 'name="form_token"' in response.text:
            event("step two")
            assert not form_errors(response)
        elif "betrag" in query and query["betrag"] is not None:
            event("refused")
            assert_refused_with_message(response)
        assert not Pledge.objects.exists()


@BUDGET
@given(
    fields=submissions(
        GOOD_PLEDGE,
        special={
            "betrag": NUMBERS,
            "intervall": st.sampled_from([*INTERVALS, "monthly", ""]),
            "email": EMAILS,
            "iban": IBANS,
            "country": st.sampled_from(["CH", "DE", "ch", "XX", ""]),
            "consent": st.sampled_from(["on", "off", "false", "0", ""]),
        },
    ),
    form_token=st.one_of(st.none(), TEXT, st.uuids().map(str)),
    multipart=st.booleans(),
)
# Found by this test: addresses longer than the 254 characters the supporter's address
# column holds (PostgreSQL: 500), control characters in a quoted local part (stored,
# then written raw into mail headers).
@example(fields={**GOOD_FIELDS, "email": ["a" * 250 + "@b.de"]}, form_token=None, multipart=False)
@example(fields={**GOOD_FIELDS, "email": ['"\x1b"@example.org']}, form_token=None, multipart=False)
def test_generated_pledge_is_refused_with_a_message_or_stored_once(fields, form_token, multipart):
    with isolated_example():
        client = reader_client()
        token, good_token = details_page(client)
        fields = {**fields, "form_token": [form_token if form_token is not None else good_token]}
        before = rows(*SUPPORT_ROWS)

        response = send(client, pledge_url(), token, fields, multipart)

        if response.status_code != 302:
            event("refused")
            assert_refused_with_message(response)
            assert rows(*SUPPORT_ROWS) == before
            return
        event("stored")
        pledge = assert_stored_once(before, response)
        assert_pledge_is_clean(pledge)
        again = send(client, pledge_url(), token, fields, multipart)
        assert_stored_once(before, again)


@BUDGET
@given(
    name=NAMES,
    holder=HOLDERS,
    amount=st.decimals(min_value=5, max_value=1000, places=2),
    interval=st.sampled_from(INTERVALS),
    iban=st.sampled_from(factories.TEST_IBANS),
    local=st.from_regex(r"[a-z0-9]{1,10}([._+-][a-z0-9]{1,10}){0,2}", fullmatch=True),
)
def test_generated_good_pledge_is_stored_exactly_once(name, holder, amount, interval, iban, local):
    with isolated_example():
        client = reader_client()
        token, form_token = details_page(client)
        fields = {
            **GOOD_FIELDS,
            "form_token": [form_token],
            "betrag": [str(amount).replace(".", ",")],
            "intervall": [interval],
            "name": [name],
            "email": [f"{local}@example.org"],
            "account_holder": [holder],
            "iban": [iban],
        }
        before = rows(*SUPPORT_ROWS)

        first = send(client, pledge_url(), token, fields)
        second = send(client, pledge_url(), token, fields)  # a double click

        assert first.status_code == 302, form_errors(first)
        pledge = assert_stored_once(before, first)
        assert_stored_once(before, second)
        assert pledge.amount == amount
        assert pledge.name == name.strip()
        assert pledge.current_mandate.iban == iban


ACTIONS = ["aendern", "pausieren", "fortsetzen", "beenden", "neue-iban"]
MANAGE_ACTIONS = st.sampled_from([*ACTIONS, "Pausieren", ""])
SELF_SERVICE = {
    "amount": "12,50",
    "interval": "monthly",
    "neu-account_holder": "Jana O.",
    "neu-iban": "DE02120300000000202051",
    "neu-town": "",
    "neu-country": "",
    "neu-consent": "on",
}


@BUDGET
@given(
    fields=st.sampled_from(ACTIONS).flatmap(
        lambda action: submissions(
            {"aktion": action, **SELF_SERVICE},
            special={
                "aktion": MANAGE_ACTIONS,
                "amount": NUMBERS,
                "interval": st.sampled_from(["monthly", "yearly", "once", "monatlich"]),
                "neu-iban": IBANS,
                "neu-country": st.sampled_from(["CH", "DE", "ch", "XX", ""]),
            },
        )
    ),
    multipart=st.booleans(),
)
def test_generated_self_service_changes_the_pledge_or_says_why_not(pledge, fields, multipart):
    with isolated_example():
        client = reader_client()
        url = links.manage_path(pledge)
        _, token = form_page(client, url)
        before = rows(*SUPPORT_ROWS)

        response = send(client, url, token, fields, multipart)

        if response.status_code != 302:
            event(f"refused {response.status_code}")
            assert_refused_with_message(response)
            assert rows(*SUPPORT_ROWS) == before
            return
        event(f"done: {response['Location'].rsplit('=', 1)[-1]}")
        # A freshly signed link to the same page, with what was done.
        assert response["Location"].startswith(reverse("support:manage", args=["x"])[:-2])
        assert "?erledigt=" in response["Location"]
        pledge.refresh_from_db()
        assert 5 <= pledge.amount <= 1000
        assert pledge.mandates.filter(status=Mandate.Status.ACTIVE).count() <= 1
        assert_pledge_is_clean(pledge)
        assert client.get(response["Location"]).status_code == 200


LINK_TOKENS = st.one_of(
    TEXT.map(lambda token: token.replace("/", "") or "leer"),
    st.sampled_from(["..", "%", "a" * 5000, "eyJwIjoxfQ:1abc:xyz", "0" * 30]),
)


@BUDGET
@given(token=LINK_TOKENS, action=MANAGE_ACTIONS)
def test_generated_links_are_refused_without_a_server_error(pledge, token, action):
    with isolated_example():
        client = reader_client()
        csrf, _ = details_page(client)
        before = rows(*SUPPORT_ROWS)
        for name in ("support:confirmation", "support:manage"):
            url = reverse(name, args=["x"]).replace(
                "/x/", f"/{quote(token.encode('utf-8', 'surrogatepass'), safe='')}/"
            )
            response = client.get(url)
            assert_no_server_error(response)
            assert response.status_code in (404, 410), (url, response.status_code)
        response = send(client, url, csrf, {"aktion": [action]})
        assert response.status_code == 410
        assert_refused_with_message(response)
        assert rows(*SUPPORT_ROWS) == before
        assert Pledge.objects.get(pk=pledge.pk).status == pledge.status


@BUDGET
@given(action=st.one_of(MANAGE_ACTIONS, st.just("verbinden"), TEXT), token=LINK_TOKENS)
def test_generated_account_pledge_actions_never_fail(pledge, action, token):
    """The logged-in reader's own list (asking for claim links) and the claim link."""
    with isolated_example():
        user = create_reader(pledge.supporter.email, "Jana O", "geheim-1848-x", verified=True)
        client = reader_client(user)
        url = reverse("support:my_pledges")
        _, csrf = form_page(client, url)
        before = rows(*SUPPORT_ROWS)

        response = send(client, url, csrf, {"aktion": [action]})
        assert response.status_code == 302
        claim = reverse("support:claim", args=["x"]).replace(
            "/x/", f"/{quote(token.encode('utf-8', 'surrogatepass'), safe='')}/"
        )
        response = send(client, claim, csrf, {"aktion": [action]})
        assert response.status_code == 410
        assert_refused_with_message(response)
        assert rows(*SUPPORT_ROWS) == before
