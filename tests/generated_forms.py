"""Generated hostile input for the reader forms, and the promises every answer keeps
(issue 13: "no 5xx on any generated input"):

- never a server error, whatever the bytes;
- a refused submission tells the reader why (every error of every form on the page is
  shown, or a 4xx answer says it in words) and changes no row;
- an accepted one is stored exactly once, also when the same form is sent again.

Requests go through the whole stack with Django's test client, CSRF checks on, with the
token the form page hands out. Each example runs in a savepoint that is rolled back
afterwards, with cache, page cache and outbox emptied first: examples see neither each
other's rows nor each other's rate limits, so a function-scoped fixture (built once per
test, restored for every example) is safe. The on-commit work of a request (mails) runs
before the savepoint goes, as the real commit would run it.

The budget is fixed and derandomized, so CI tries the same cases as a laptop.
"""

import html
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.models import AbstractBaseUser
from django.core import mail
from django.core.cache import cache
from django.db import transaction
from django.db.models import Model
from django.forms import BaseForm
from django.http import HttpResponse
from django.test import Client, TestCase
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from lesefrei.cache import pages as pagecache

BUDGET = settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    database=None,
    # The fixtures are restored for every example (see `example`).
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# What readers paste and what breaks programs: C0 and C1 controls (NUL, ESC, DEL, NEL),
# bidirectional overrides, noncharacters, the replacement character, line and paragraph
# separators, invisible spaces, digits that are not ASCII ("²" and "①" pass isdigit()
# but not int()), typography, markup and quoting.
SPECIAL_CHARACTERS = st.sampled_from(
    [
        *"\x00\x01\x07\x08\t\n\x0b\x0c\r\x1b\x1f\x7f\x80\x85\x9f\xa0\xad",
        *"\u200b\u200e\u202e\u2028\u2029\u2066\ufeff\ufffd\ufffe\uffff",
        *"²①٣𝟗５„“‚‘–…ßÄöü<>&\"'%;\\/@.+-_ ",
        "\U0001f600",
        "\U0010ffff",
    ]
)
# Lone surrogates: no UTF-8 encoder writes them, a hostile client can (encoded
# "surrogatepass" they become bytes that are no valid UTF-8).
SURROGATES = st.characters(categories=["Cs"])
CHARACTERS = st.one_of(st.characters(codec="utf-8"), SPECIAL_CHARACTERS, SURROGATES)
TEXT = st.text(CHARACTERS, max_size=40)
LONG_TEXT = st.builds(
    lambda char, size: char * size,
    st.sampled_from(["a", "ä", "1", " ", "\x00", "\U0001f600", "<"]),
    st.sampled_from([71, 141, 255, 321, 5_001, 100_000]),
)
INVALID_UTF8 = st.one_of(
    st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xc0\xaf"]),
    st.binary(min_size=1, max_size=12),
)
NUMBERS = st.sampled_from(
    [
        *["1e309", "-1e309", "1e-999", "-0", "0", "-5", "NaN", "nan", "Infinity", "-inf"],
        *["5,00", "  5 ", "5.", ".5", "5,5,5", "10.000,00", "1.000", "1_000", "0x10", "5 €"],
        *["10.005", "4,999", "1000000", "99999999999999999999", "١٠", "５", "²", "+5", "5e0"],
    ]
)
DATES = st.one_of(
    st.sampled_from(
        [
            *["0000-00-00", "0001-01-01", "9999-12-31", "10000-01-01", "2026-02-30"],
            *["2026-13-01", "31.12.9999", "1.1.1", "-1-01-01", "2026-1-1", "T", "9" * 30],
        ]
    ),
    st.dates().map(str),
)

# One field's values: a list (several values where one is expected), or None (left out).
Values = list[str | bytes] | None


def field_values(valid: str, special: st.SearchStrategy[str] | None = None) -> st.SearchStrategy:
    """The values a hostile client may send for a field whose good value is `valid`."""
    one = st.one_of(TEXT, LONG_TEXT, INVALID_UTF8, *([special] if special is not None else []))
    return st.one_of(
        st.just([valid]),
        one.map(lambda value: [value]),
        st.none(),
        st.lists(st.one_of(st.just(valid), one), min_size=2, max_size=3),
    )


def submissions(
    valid: Mapping[str, str], special: Mapping[str, st.SearchStrategy[str]] | None = None
) -> st.SearchStrategy[dict[str, Values]]:
    """Whole forms: mostly a good form with one field spoiled (where the interesting
    bugs hide: everything else passes), otherwise every field left to chance."""
    special = special or {}
    good = {name: [value] for name, value in valid.items()}

    def spoil(name: str) -> st.SearchStrategy[dict[str, Values]]:
        return field_values(valid[name], special.get(name)).map(
            lambda values: {**good, name: values}
        )

    one_field = st.sampled_from(sorted(valid)).flatmap(spoil)
    every_field = st.fixed_dictionaries(
        {name: field_values(value, special.get(name)) for name, value in valid.items()}
    )
    return st.integers(0, 3).flatmap(lambda n: every_field if n == 0 else one_field)


def _bytes(value: str | bytes) -> bytes:
    return value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass")


def _pairs(fields: Mapping[str, Values]) -> list[tuple[str, bytes]]:
    return [
        (name, _bytes(value))
        for name, values in fields.items()
        if values is not None
        for value in values
    ]


BOUNDARY = "lesefrei-grenze-7f3a"


def encoded(fields: Mapping[str, Values], multipart: bool = False) -> tuple[bytes, str]:
    """(body, content type) as a browser would send the form, or as a client that does
    not care about encodings would."""
    pairs = _pairs(fields)
    if not multipart:
        return urlencode(pairs).encode("ascii"), "application/x-www-form-urlencoded"
    body = b"".join(
        b'--%s\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n'
        % (BOUNDARY.encode(), name.encode(), value)
        for name, value in pairs
    )
    body += b"--%s--\r\n" % BOUNDARY.encode()
    return body, f"multipart/form-data; boundary={BOUNDARY}"


def query_string(fields: Mapping[str, Values]) -> str:
    """A GET form's query string (the WSGI environ's latin-1 view of the bytes)."""
    return urlencode(_pairs(fields))


@contextmanager
def isolated_example() -> Iterator[None]:
    """One generated example: a clean cache and outbox, rows rolled back afterwards,
    on-commit work (mails, cache refresh) run before that, as a commit would."""
    cache.clear()
    pagecache.clear()
    mail.outbox.clear()
    with transaction.atomic():
        with TestCase.captureOnCommitCallbacks(execute=True):
            yield
        transaction.set_rollback(True)


def reader_client(user: AbstractBaseUser | None = None) -> Client:
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        # The rows as restored, not as an earlier example left the object (a changed
        # password would end the new session at once).
        user.refresh_from_db()
        client.force_login(user)
    return client


CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def form_page(client: Client, url: str) -> tuple[HttpResponse, str]:
    """The form page (which must answer 200) and the CSRF token it hands out."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    match = CSRF_INPUT.search(response.text)
    assert match, f"{url} has no CSRF token"
    return response, match.group(1)


def send(
    client: Client, url: str, token: str, fields: Mapping[str, Values], multipart: bool = False
) -> HttpResponse:
    body, content_type = encoded({"csrfmiddlewaretoken": [token], **fields}, multipart)
    response = client.generic("POST", url, body, content_type=content_type)
    assert_no_server_error(response)
    return response


def assert_no_server_error(response: HttpResponse) -> None:
    assert response.status_code < 500, f"{response.status_code}: {response.content[:3000]!r}"


def rows(*models: type[Model]) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of `models`, to compare before and after a request."""
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values_list())
        for model in models
    }


def visible_text(response: HttpResponse) -> str:
    """The page's text as a reader sees it (tags dropped, entities decoded)."""
    return html.unescape(re.sub(r"<[^>]*>", "", response.content.decode("utf-8")))


def form_errors(response: HttpResponse) -> list[str]:
    """Every error message of every bound form the page was rendered with."""
    forms: list[BaseForm] = []
    for context in response.context or []:
        for value in context.flatten().values() if hasattr(context, "flatten") else []:
            if isinstance(value, BaseForm) and value.is_bound and value not in forms:
                forms.append(value)
    return [str(message) for form in forms for errors in form.errors.values() for message in errors]


def assert_refused_with_message(response: HttpResponse, *messages: str) -> None:
    """A refusal the reader can act on: a 4xx or the form again, with every error of the
    form (and `messages`, if given) on the page."""
    assert response.status_code in (200, 400, 403, 404, 409, 410, 413, 429), response.status_code
    text = visible_text(response)
    errors = form_errors(response)
    assert errors or messages or response.status_code != 200, "form shown again without a reason"
    for message in [*errors, *messages]:
        assert " ".join(message.split()) in " ".join(text.split()), (message, text[-3000:])
    assert text.strip(), "an empty answer"


CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")


def assert_clean_text(*values: Any) -> None:
    """Stored text that mails, feeds, XML and bank files can carry: no controls other than
    tab and line breaks, no noncharacters, no lone surrogates."""
    for value in values:
        if isinstance(value, str):
            assert not CONTROL_CHARACTERS.search(value), repr(value)


def received(values: Sequence[str | bytes] | None) -> str | None:
    """The value Django hands the form for a field sent as `values`: the last one,
    decoded as UTF-8 with replacement characters."""
    return _bytes(values[-1]).decode("utf-8", "replace") if values else None
