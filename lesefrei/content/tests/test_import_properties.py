"""Generated input for both importers (hypothesis, a fixed and derandomized budget, so CI
tries the same cases as a laptop): every input is imported or refused with a German
message, never an exception; whatever is imported keeps the feeds and sitemaps XML."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from lxml import etree

from lesefrei.content.importers import ArticleImportError, decode_text, parse_plain_text
from lesefrei.content.models import SectionPage
from lesefrei.content.services import create_article, get_or_create_author
from lesefrei.discovery.ninjs import load_items, parse_item
from lesefrei.discovery.services import import_ninjs_item
from tests import factories

BUDGET = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Newsroom copy and what breaks it: typography, markup, controls, odd whitespace.
CHARACTERS = st.one_of(
    st.characters(codec="utf-8"),
    st.sampled_from(list("„“‚‘–…ßÄöü<>&\"'\t\n\r \x00\x01\x07\x0b\x0c\x1b\x7f\x85\u2028\ufeff")),
)
TEXT = st.text(CHARACTERS, max_size=200)
# Mostly what copy is made of (letters, digits, punctuation, symbols, spaces), now and
# then anything at all: most generated articles get imported and reach the feeds.
PRINTABLE = st.text(st.characters(categories=("L", "N", "P", "S", "Zs")), min_size=1, max_size=120)
WILD_LINE = st.text(
    st.characters(codec="utf-8", exclude_characters="\n\r"), min_size=1, max_size=120
)
# One line in ten anything at all (refused or not), the others copy-like.
LINE = st.integers(0, 9).flatmap(lambda n: WILD_LINE if n == 0 else PRINTABLE)
COPY = st.integers(0, 9).flatmap(lambda n: TEXT if n == 0 else PRINTABLE)
JSON_LEAF = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), TEXT)
JSON_ANY = st.recursive(
    JSON_LEAF,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(TEXT, inner, max_size=4)),
    max_leaves=12,
)
HTML = st.lists(
    st.one_of(
        TEXT,
        st.sampled_from(["<p>", "</p>", "<h2>", "</h2>", "<blockquote>", "<footer>", "<b>"]),
        st.sampled_from(["<script>x</script>", "<div><div>", "&#27;", "&amp;", "<a href=x>"]),
    ),
    max_size=12,
).map("".join)
NINJS = st.fixed_dictionaries(
    {},
    optional={
        "uri": st.one_of(TEXT, st.lists(TEXT, max_size=2), st.integers()),
        "guid": TEXT,
        "standard": st.fixed_dictionaries(
            {"name": st.just("ninjs"), "version": st.sampled_from(["1.3", "2.1", "3.1", ""])}
        ),
        "type": st.sampled_from(["text", "picture", "composite"]),
        "version": st.one_of(TEXT, st.integers(min_value=0, max_value=99)),
        "versioncreated": st.one_of(
            TEXT, st.sampled_from(["2026-11-24T08:00:00+01:00", "2026-11-24T08:00:00"])
        ),
        "pubstatus": st.sampled_from(["usable", "withheld", "canceled", "?"]),
        "headline": TEXT,
        "headlines": st.lists(
            st.fixed_dictionaries({"role": st.sampled_from(["main", "kicker"]), "value": TEXT}),
            max_size=3,
        ),
        "bodies": st.lists(
            st.fixed_dictionaries(
                {"contenttype": st.sampled_from(["text/html", "text/plain"]), "value": HTML}
            ),
            max_size=2,
        ),
        "body_html": HTML,
        "descriptions": st.lists(st.fixed_dictionaries({"value": TEXT}), max_size=2),
        "by": TEXT,
        "subjects": st.lists(st.fixed_dictionaries({"name": TEXT}), max_size=3),
        "located": TEXT,
        "extra": JSON_ANY,
    },
)


# Items shaped like real agency copy, with generated text: most of them get imported.
AGENCY_ITEM = st.fixed_dictionaries(
    {
        "uri": st.uuids().map(lambda uuid: f"urn:agentur:{uuid}"),
        "headlines": st.tuples(COPY).map(lambda t: [{"role": "main", "value": f"Titel {t[0]}"}]),
        "bodies": st.tuples(HTML).map(
            lambda t: [{"contenttype": "text/html", "value": f"<p>Absatz.</p>{t[0]}"}]
        ),
    },
    optional={
        "by": TEXT,
        "located": TEXT,
        "subjects": st.lists(st.fixed_dictionaries({"name": TEXT}), max_size=3),
    },
)


def newsroom() -> SectionPage:
    factories.index_pages()
    return SectionPage.objects.filter(slug="politik").first() or factories.section("Politik")


def assert_outputs_are_xml() -> None:
    client = Client()
    for url in ("/feeds/rss/", "/feeds/atom/", "/sitemap.xml", "/news-sitemap.xml"):
        response = client.get(url)
        assert response.status_code == 200, url
        etree.fromstring(response.content)


@BUDGET
@given(text=TEXT)
def test_any_plain_text_parses_or_is_refused_with_a_message(text):
    try:
        parse_plain_text(decode_text(text.encode("utf-8", "surrogatepass")))
    except ArticleImportError as error:
        assert str(error)


@BUDGET
@given(raw=st.one_of(NINJS, JSON_ANY))
def test_any_ninjs_item_parses_or_is_refused_with_a_message(raw):
    try:
        parse_item(raw)
    except ArticleImportError as error:
        assert str(error)


@BUDGET
@given(data=st.one_of(st.binary(max_size=200), NINJS.map(lambda item: json.dumps(item).encode())))
def test_any_ninjs_file_loads_or_is_refused_with_a_message(data):
    try:
        load_items(data)
    except ArticleImportError as error:
        assert str(error)


@pytest.mark.django_db
@BUDGET
@given(headline=LINE, teaser=LINE, lines=st.lists(LINE, min_size=1, max_size=6), author=LINE)
def test_imported_plain_text_publishes_into_well_formed_feeds(headline, teaser, lines, author):
    section = newsroom()
    text = "\n".join([headline, teaser, *lines])
    try:
        parsed = parse_plain_text(decode_text(text.encode("utf-8", "surrogatepass")))
    except ArticleImportError as error:
        event(f"refused: {str(error)[:30]}")
        return
    event("imported")
    authors = []
    if author.strip() and not any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in author):
        authors = [get_or_create_author(author)[0]]
    create_article(
        section,
        headline=parsed.headline,
        teaser=parsed.teaser,
        kicker="Meldung",
        body=parsed.body,
        authors=authors,
        publish=True,
    )
    assert_outputs_are_xml()


@pytest.mark.django_db
@BUDGET
@given(raw=st.integers(0, 3).flatmap(lambda n: NINJS if n == 0 else AGENCY_ITEM))
def test_imported_ninjs_publishes_into_well_formed_feeds(raw):
    section = newsroom()
    try:
        item = parse_item(raw)
    except ArticleImportError as error:
        event(f"refused: {str(error)[:30]}")
        return
    event("imported")
    try:
        import_ninjs_item(item, section=section, publish=True)
    except ValidationError as error:  # the command reports these per item, too
        pytest.fail(f"parse_item let through what the model refuses: {error}")
    assert_outputs_are_xml()
