import pytest
from django.core.exceptions import ValidationError

from lesefrei.accounts.pseudonyms import clean_pseudonym, pseudonym_key


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Leserin_aus_Kiel", "Leserin_aus_Kiel"),
        ("Mara K.", "Mara K."),
        ("Bernd_57", "Bernd_57"),
        ("  Jule   aus  Leipzig ", "Jule aus Leipzig"),
        ("Özgür", "Özgür"),
        ("Ｍａｒａ", "Mara"),  # full-width letters, NFKC
        ("Dr.Müller", "Dr.Müller"),
        ("Мария", "Мария"),  # Cyrillic alone is fine
        ("さくら まる", "さくら まる"),
        ("Badminton-Fan", "Badminton-Fan"),
    ],
)
def test_valid_pseudonyms_are_normalised(raw, expected):
    assert clean_pseudonym(raw) == expected


MESSAGE_FRAGMENTS = {
    "required": "Bitte geben Sie ein Pseudonym ein",
    "length": "zwischen 3 und 40 Zeichen",
    "email": "keine E-Mail-Adresse",
    "url": "keine Web-Adresse",
    "character": "nicht erlaubt",
    "control": "Steuerzeichen",
    "no_letter": "mindestens einen Buchstaben",
    "mixed_script": "mischt Schriften",
    "reserved": "reserviert",
}


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "required"),
        ("   ", "required"),
        (None, "required"),
        ("ab", "length"),
        ("x" * 41, "length"),
        ("mara@example.org", "email"),
        ("www.lesefrei", "url"),
        ("Besuch http", "url"),
        ("kiel.de", "url"),
        ("Sonderangebote.com", "url"),
        ("meinblog. com", "url"),
        ("<script>alert(1)</script>", "character"),
        ("Mara<b>K</b>", "character"),
        ("Mara\x00K", "control"),
        ("Mara\u200bK", "control"),
        ("\x89PNG\r\n\x1a\n", "control"),
        ("123456", "no_letter"),
        ("___---", "no_letter"),
        ("аdmin", "mixed_script"),  # Cyrillic а
        ("Pаypal", "mixed_script"),
        ("Admin", "reserved"),
        ("REDAKTION", "reserved"),
        ("Redaktion Kiel", "reserved"),
        ("R.e.d.a.k.t.i.o.n", "reserved"),
        ("gelöschtes Konto", "reserved"),
        ("Gelöschtes_Konto", "reserved"),
        ("lesefrei", "reserved"),
        ("Moderation", "reserved"),
    ],
)
def test_invalid_pseudonyms_get_a_german_message(raw, code):
    with pytest.raises(ValidationError) as caught:
        clean_pseudonym(raw)
    assert caught.value.code == code
    assert MESSAGE_FRAGMENTS[code] in caught.value.messages[0]


def test_pseudonym_key_ignores_case_and_separators():
    assert pseudonym_key("Mara K.") == pseudonym_key("mara_k") == pseudonym_key("MARA-K")
    assert pseudonym_key("Ärger") == pseudonym_key("äRGER")
    assert pseudonym_key("Mara K.") != pseudonym_key("Mara L.")
