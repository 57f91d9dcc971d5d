"""ninjs import of items the site could not publish safely: each refused with a message
that names the problem, the other items of the file imported (issue 13, findings 2, 8)."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from lesefrei.content.importers import ArticleImportError
from lesefrei.content.models import ArticlePage
from lesefrei.discovery.ninjs import load_items, parse_item
from tests import factories

pytestmark = pytest.mark.django_db


def item(uri: str = "urn:agentur:1", **fields) -> dict:
    return {
        "uri": uri,
        "standard": {"name": "ninjs", "version": "2.1"},
        "type": "text",
        "headlines": [{"role": "main", "value": "Gipfel in Kassel endet ohne Einigung"}],
        "bodies": [
            {"role": "main", "contenttype": "text/html", "value": "<p>Die Verhandlungen.</p>"}
        ],
        **fields,
    }


def run(tmp_path, data) -> tuple[str, str, Exception | None]:
    path = tmp_path / "meldungen.json"
    path.write_bytes(data if isinstance(data, bytes) else json.dumps(data).encode())
    out, err = StringIO(), StringIO()
    try:
        call_command("import_ninjs", str(path), stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), error
    return out.getvalue(), err.getvalue(), None


@pytest.fixture
def newsroom():
    factories.index_pages()
    return factories.section("Politik")


def test_control_character_in_a_headline_refuses_that_item_and_imports_the_rest(newsroom, tmp_path):
    bad = item("urn:agentur:bad", headlines=[{"role": "main", "value": "Gipfel \x1b[31m rot"}])
    out, err, error = run(tmp_path, [bad, item("urn:agentur:good")])
    assert "Die Überschrift enthält ein unzulässiges Steuerzeichen (U+001B)" in err
    assert "(Meldung 2)" in out
    assert error is not None and "1 Meldung" in str(error)
    assert list(ArticlePage.objects.values_list("title", flat=True)) == [
        "Gipfel in Kassel endet ohne Einigung"
    ]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"bodies": [{"contenttype": "text/html", "value": "<p>A\x07B</p>"}]}, "Block 1"),
        ({"headlines": [{"role": "main", "value": "Gipfel &#27; Kassel"}]}, "Überschrift"),
        ({"headlines": [{"role": "main", "value": "G\ud800"}]}, "U+D800"),
        ({"x-extension\udc00": "Wert"}, "U+DC00"),
        ({"descriptions": [{"role": "summary", "value": "Kurz\x7f."}]}, "Teaser"),
        ({"by": "Ana\x01 Lima"}, "Autorenname"),
        ({"subjects": [{"name": "Rente\x1b"}]}, "Thema"),
        ({"located": "Kas\x0bsel"}, "Ort"),
    ],
)
def test_control_characters_anywhere_that_reaches_the_site_are_refused(fields, message):
    with pytest.raises(ArticleImportError, match=f"{message}.*Steuerzeichen|Steuerzeichen.*"):
        parse_item(item(**fields))


def test_uri_given_as_a_list_is_refused_by_the_schema():
    with pytest.raises(ArticleImportError, match=r"ninjs-Schema 2\.2: „uri“ hat den falschen Typ"):
        parse_item(item(uri=["urn:agentur:1"]))


def test_uri_as_a_list_in_an_undeclared_1x_item_is_refused_too():
    old = {"guid": "x", "uri": ["urn:a"], "headline": "Titel", "body_text": "Ein Absatz."}
    with pytest.raises(ArticleImportError, match="„uri“ muss Text sein"):
        parse_item(old)


def test_items_are_checked_against_the_official_schema_of_their_version():
    with pytest.raises(ArticleImportError, match=r"ninjs-Schema 2\.2: „headlines/0/value“"):
        parse_item(item(headlines=[{"role": "main", "value": 42}]))
    three = {
        "uri": "urn:drei",
        "standard": {"name": "ninjs", "version": "3.1"},
        "headlines": [{"role": "main", "value": "Titel"}],
        "bodies": [{"role": "main", "contentType": "text/plain", "value": "Ein Absatz."}],
        "versionCreated": "morgen",
    }
    parse_item({**three, "versionCreated": "2026-11-24T08:00:00+01:00"})
    with pytest.raises(ArticleImportError, match=r"ninjs-Schema 3\.1"):
        parse_item({**three, "pubStatus": ["usable"]})


def test_deeply_nested_file_is_refused_without_a_traceback(newsroom, tmp_path):
    deep = b"[" * 100_000 + b"]" * 100_000
    _out, err, _error = run(tmp_path, deep)
    assert "zu tief verschachtelt" in err
    moderate = {**item(), "extra": json.loads("[" * 500 + "]" * 500)}
    with pytest.raises(ArticleImportError, match="zu tief verschachtelt"):
        parse_item(moderate)
    with pytest.raises(ArticleImportError, match="zu tief verschachtelt"):
        load_items(("[" * 500 + "]" * 500).encode())


def test_ten_megabyte_body_is_refused_with_its_size(newsroom, tmp_path):
    huge = "<p>" + "Wort " * 2_000_000 + "</p>"
    fields = {"bodies": [{"contenttype": "text/html", "value": huge}]}
    _out, err, _error = run(tmp_path, item(**fields))
    assert "zu groß (10.000.007 Zeichen; höchstens 1.000.000)" in err
    assert "keinen Text" not in err
    assert not ArticlePage.objects.exists()


def test_deeply_nested_body_html_is_refused_quickly():
    nested = "<div>" * 20_000 + "Text" + "</div>" * 20_000
    with pytest.raises(ArticleImportError, match="zu viele HTML-Elemente"):
        parse_item(item(bodies=[{"contenttype": "text/html", "value": nested}]))


def test_naive_and_impossible_times_are_handled_with_a_message(newsroom, tmp_path):
    parsed = parse_item(item(versioncreated="2026-11-24T08:00:00"))
    assert parsed.version_created.tzinfo is not None
    for value in ("2026-13-45T08:00:00", "0001-01-01T00:00:00+14:00"):
        with pytest.raises(ArticleImportError, match="kein gültiger Zeitpunkt"):
            parse_item(item(versioncreated=value))
    # A naive time re-imported over an aware one compares instead of failing.
    run(tmp_path, item(version="1", versioncreated="2026-11-24T08:00:00+01:00"))
    out, _err, error = run(tmp_path, item(version="x", versioncreated="2026-11-25T08:00:00"))
    assert error is None and "aktualisiert" in out


def test_hostile_headline_markup_does_not_crash_the_importer():
    parsed = parse_item(item(headlines=[{"role": "main", "value": "<" * 200 + " Titel"}]))
    assert parsed.headline == "<" * 200 + " Titel"
