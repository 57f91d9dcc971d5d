"""Plain-text import of copy the site could not publish safely: refused with a message
that says why, nothing stored (issue 13, findings 2 and 8)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from lesefrei.content.importers import (
    BODY_MAX_BLOCKS,
    BODY_MAX_CHARACTERS,
    ArticleImportError,
    decode_text,
    parse_plain_text,
)
from lesefrei.content.models import ArticlePage
from tests import factories


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Titel mit \x1b[31m Farbe\nTeaser.\nEin Absatz.\n", r"Zeile 1 .*U\+001B.* Stelle 11"),
        ("Titel\nTeaser mit \x07 Glocke.\nEin Absatz.\n", r"Zeile 2 .*U\+0007"),
        ("Titel\nTeaser.\n\nAbsatz mit \x7f Löschzeichen.\n", r"Zeile 4 .*U\+007F"),
        ("Titel\nTeaser.\nAbsatz mit \x85 (C1).\n", r"Zeile 3 .*U\+0085"),
        ("Titel\nTeaser.\nAbsatz mit \x0c Seitenvorschub.\n", r"Zeile 3 .*U\+000C"),
    ],
)
def test_control_characters_in_plain_text_are_refused_naming_line_and_position(text, message):
    with pytest.raises(ArticleImportError, match=message):
        parse_plain_text(decode_text(text.encode()))


def test_tabs_and_windows_line_ends_are_ordinary_text():
    parsed = parse_plain_text("Titel\tmit Tab\r\nTeaser.\r\nEin Absatz.\r\n")
    assert parsed.headline == "Titel\tmit Tab"


def test_too_many_lines_are_refused_with_the_limit():
    lines = "\n".join(f"Zeile {number} mit Wort{number}." for number in range(BODY_MAX_BLOCKS + 1))
    with pytest.raises(ArticleImportError, match=r"höchstens 2\.000"):
        parse_plain_text(f"Titel\nTeaser.\n{lines}\n")


def test_too_long_text_is_refused_with_the_limit():
    paragraph = "Wort " * 2_000
    text = "Titel\nTeaser.\n" + "\n".join([paragraph] * (BODY_MAX_CHARACTERS // 10_000 + 1))
    with pytest.raises(ArticleImportError, match=r"erlaubt sind höchstens 200\.000"):
        parse_plain_text(text)


def test_oversized_file_is_refused_before_decoding():
    with pytest.raises(ArticleImportError, match=r"zu groß \(3,0 MB; höchstens 2,0 MB\)"):
        decode_text(b"x" * (3 * 1024 * 1024))


@pytest.mark.django_db
def test_command_refuses_200000_distinct_lines_cleanly_and_stores_nothing(tmp_path):
    factories.section("Politik")
    factories.index_pages()
    lines = "\n".join(f"Wort{number} steht allein." for number in range(200_000))
    path = tmp_path / "riesig.txt"
    path.write_text(f"Titel\nTeaser.\n{lines}\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"zu groß|höchstens"):
        call_command("import_text", str(path), stdout=StringIO(), stderr=StringIO())
    assert not ArticlePage.objects.exists()


@pytest.mark.django_db
def test_command_refuses_a_control_character_in_kicker_or_author(tmp_path):
    factories.section("Politik")
    factories.index_pages()
    path = tmp_path / "meldung.txt"
    path.write_text("Titel\nTeaser.\nEin Absatz.\n", encoding="utf-8")
    for option in (["--kicker", "Dach\x1bzeile"], ["--author", "Ana\x00 Lima"]):
        with pytest.raises(CommandError, match="Steuerzeichen"):
            call_command("import_text", str(path), *option, stdout=StringIO(), stderr=StringIO())
    assert not ArticlePage.objects.exists()


@pytest.mark.django_db
def test_largest_allowed_text_is_imported_and_indexed(tmp_path):
    """Just under both limits, with distinct words: stored and searchable (PostgreSQL's
    tsvector takes at most 1 MB per article)."""
    factories.section("Politik")
    factories.index_pages()
    words_per_line = 9
    lines = []
    for number in range(1_500):
        words = " ".join(f"w{number}x{word}" for word in range(words_per_line))
        lines.append(f"{words}.")
    text = "Titel für alles\nTeaser.\n" + "\n".join(lines) + "\n"
    assert len(text) < BODY_MAX_CHARACTERS
    path = tmp_path / "lang.txt"
    path.write_text(text, encoding="utf-8")
    call_command("import_text", str(path), "--publish", stdout=StringIO(), stderr=StringIO())
    article = ArticlePage.objects.get()
    assert len(article.body) == 1_500
    assert ArticlePage.objects.live().search("w1499x8").count() == 1
