from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from lesefrei.content.importers import ArticleImportError, decode_text, parse_plain_text
from lesefrei.content.models import ArticlePage, AuthorPage
from tests import factories

AGENCY_COPY = Path(__file__).parent / "data" / "agenturmeldung.txt"


def test_parser_reads_headline_teaser_paragraphs_and_subheadings():
    parsed = parse_plain_text(AGENCY_COPY.read_text(encoding="utf-8"))
    assert parsed.headline == "Kommunen fordern mehr Geld für den Hitzeschutz"
    assert parsed.teaser.startswith("Hitzewellen werden häufiger – doch")
    assert parsed.subheadings == ["Wer zahlt für den Schatten?", "Was Ärztinnen raten!"]
    # Eight paragraphs, some separated by blank lines and some not.
    assert parsed.paragraph_count == 8
    kinds = [kind for kind, _ in parsed.body]
    assert kinds.index("subheading") == 3


def test_parser_keeps_quotes_and_typography_exactly():
    parsed = parse_plain_text(AGENCY_COPY.read_text(encoding="utf-8"))
    html = "".join(value for kind, value in parsed.body if kind == "paragraph")
    assert "„Wir haben das Problem jahrelang unterschätzt“, sagt Oberbürgermeisterin" in html
    assert "„schlankes, ‚unbürokratisches‘ Verfahren“" in html
    assert "Wasserstellen…" in html
    assert "Dr. Selin Aydın" in html


def test_parser_escapes_markup_instead_of_trusting_it():
    parsed = parse_plain_text(
        "Titel\nTeaser.\nEin Absatz mit <script>alert(1)</script> & mehr Text darin.\n"
    )
    assert parsed.body == [
        (
            "paragraph",
            "<p>Ein Absatz mit &lt;script&gt;alert(1)&lt;/script&gt; &amp; mehr Text darin.</p>",
        )
    ]


def test_short_line_without_a_following_paragraph_stays_a_paragraph():
    parsed = parse_plain_text(
        "Titel\nTeaser.\nEin langer erster Absatz, der als Satz endet.\nSchluss\n"
    )
    assert [kind for kind, _ in parsed.body] == ["paragraph", "paragraph"]


def test_windows_line_endings_and_byte_order_mark_are_accepted():
    data = "\ufeffTitel\r\nTeaser.\r\n\r\nAbsatz eins ist da.\r\nAbsatz zwei auch.\r\n".encode()
    parsed = parse_plain_text(decode_text(data))
    assert parsed.headline == "Titel" and parsed.paragraph_count == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "leer"),
        (b"   \n\n  ", "leer"),
        (b"Nur eine \xfcberschrift in Latin-1\n", "nicht in UTF-8"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "keine Textdatei"),
        ("Nur die Überschrift\n".encode(), "fehlen Teaser und Text"),
        ("Überschrift\nTeaser.\n".encode(), "keinen Text"),
        (("Ü" * 300 + "\nTeaser\nText.").encode(), "höchstens 255"),
    ],
)
def test_bad_files_get_a_clear_german_message(data, message):
    with pytest.raises(ArticleImportError, match=message):
        parse_plain_text(decode_text(data))


@pytest.mark.django_db
def test_command_creates_a_draft_and_prints_its_url(tmp_path):
    politik = factories.section("Politik")
    factories.index_pages()
    out, err = StringIO(), StringIO()
    call_command(
        "import_text",
        str(AGENCY_COPY),
        "--section",
        "politik",
        "--kicker",
        "Hitze in der Stadt",
        "--author",
        "Katrin Vogelsang",
        stdout=out,
        stderr=err,
    )
    article = ArticlePage.objects.get()
    assert not article.live
    assert article.get_parent().pk == politik.pk
    assert article.kicker == "Hitze in der Stadt"
    assert [a.title for a in article.authors] == ["Katrin Vogelsang"]
    assert out.getvalue().strip() == article.get_full_url()
    assert "als Entwurf gespeichert" in err.getvalue()
    assert article.revisions.count() == 1


@pytest.mark.django_db
def test_command_publishes_and_the_page_renders_the_copy_byte_for_byte(client):
    factories.section("Politik")
    factories.index_pages()
    call_command(
        "import_text",
        str(AGENCY_COPY),
        "--publish",
        "--kicker",
        "Hitze",
        stdout=StringIO(),
        stderr=StringIO(),
    )
    article = ArticlePage.objects.get()
    assert article.live and article.published_at is not None
    html = client.get(article.url).content.decode()
    assert '<h2 class="subheading">Wer zahlt für den Schatten?</h2>' in html
    assert (
        "„Die meisten Hitzetoten sterben nicht auf der Straße, sondern allein in ihrer Wohnung“"
        in html
    )


@pytest.mark.django_db
def test_command_reuses_known_authors_case_insensitively():
    factories.section("Politik")
    known = factories.author("Katrin Vogelsang")
    call_command(
        "import_text",
        str(AGENCY_COPY),
        "--author",
        "katrin vogelsang",
        stdout=StringIO(),
        stderr=StringIO(),
    )
    assert AuthorPage.objects.count() == 1
    assert ArticlePage.objects.get().authors == [known]


@pytest.mark.django_db
def test_command_without_kicker_uses_the_section_name_and_says_so():
    factories.section("Kultur")
    err = StringIO()
    call_command("import_text", str(AGENCY_COPY), stdout=StringIO(), stderr=err)
    assert ArticlePage.objects.get().kicker == "Kultur"
    assert "keine Dachzeile" in err.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        (b"", [], "leer"),
        (b"\xff\xfe\x00T\x00i", [], "keine Textdatei"),
        (b"Titel\nTeaser ohne Text.\n", [], "keinen Text"),
        (None, ["--section", "sport"], "Unbekanntes Ressort „sport“"),
        (None, ["--author", "  "], "leerer Autorenname"),
    ],
)
def test_command_refuses_bad_input_and_creates_nothing(tmp_path, content, args, message):
    factories.section("Politik")
    factories.index_pages()
    path = AGENCY_COPY
    if content is not None:
        path = tmp_path / "copy.txt"
        path.write_bytes(content)
    pages_before = ArticlePage.objects.count(), AuthorPage.objects.count()
    with pytest.raises(CommandError, match=message):
        call_command("import_text", str(path), *args, stdout=StringIO(), stderr=StringIO())
    assert (ArticlePage.objects.count(), AuthorPage.objects.count()) == pages_before


@pytest.mark.django_db
def test_command_reports_a_missing_file():
    with pytest.raises(CommandError, match="lässt sich nicht lesen"):
        call_command("import_text", "/nonexistent/copy.txt", stdout=StringIO(), stderr=StringIO())
