"""The site speaks one language at a time (LESEFREI_LANGUAGE): every UI string goes
through Django's translation, the English catalogue translates all of them, and the
compiled catalogues are the ones in the repository. The pages themselves are rendered in
each language by test_languages.py."""

import ast
import re

import pytest
from django.utils.translation.template import templatize

from lesefrei.site.wording import WAGTAIL_WORDING
from tests.quality.translations import (
    LOCALE,
    compiled,
    po_path,
    project_modules,
    project_templates,
    python_findings,
    read_po,
    template_findings,
)

LANGUAGES = ["de", "en"]


def _listing(findings: list) -> str:
    return "\n".join(str(finding) for finding in findings)


def test_template_text_goes_through_translation():
    findings = [finding for path in project_templates() for finding in template_findings(path)]
    assert not findings, (
        "Text outside {% translate %}/{% blocktranslate %} (wrap it, then run makemessages "
        "and translate it in lesefrei/locale/en):\n" + _listing(findings)
    )


def test_python_ui_strings_go_through_translation():
    findings = [finding for path in project_modules() for finding in python_findings(path)]
    assert not findings, "UI strings without gettext:\n" + _listing(findings)


# Messages of the code, read the way makemessages reads them (templates through Django's
# templatize), to find those the catalogue does not have yet.
GETTEXT_CALLS = {
    "_": (None, 0, None),
    "gettext": (None, 0, None),
    "gettext_lazy": (None, 0, None),
    "gettext_noop": (None, 0, None),
    "ngettext": (None, 0, 1),
    "ngettext_lazy": (None, 0, 1),
    "pgettext": (0, 1, None),
    "pgettext_lazy": (0, 1, None),
    "npgettext": (0, 1, 2),
    "npgettext_lazy": (0, 1, 2),
}


def _calls(source: str) -> set[tuple[str, str]]:
    found = set()
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", getattr(node.func, "attr", ""))
        if name not in GETTEXT_CALLS:
            continue
        context, message, _plural = GETTEXT_CALLS[name]
        args = node.args
        if len(args) <= message or not isinstance(args[message], ast.Constant):
            continue
        ctx = args[context].value if context is not None else ""
        if isinstance(args[message].value, str) and isinstance(ctx, str):
            found.add((ctx, args[message].value))
    return found


LITERAL = r"""(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")"""


def _template_messages(source: str) -> set[tuple[str, str]]:
    code = templatize(source)
    found = set()
    for match in re.finditer(rf"\b(n?p?gettext)\(\s*((?:u?{LITERAL}\s*,?\s*)+)", code):
        strings = [ast.literal_eval(s) for s in re.findall(LITERAL, match.group(2))]
        if match.group(1).startswith(("pgettext", "npgettext")):
            found.add((strings[0], strings[1]))
        else:
            found.add(("", strings[0]))
    return found


def code_messages() -> set[tuple[str, str]]:
    messages: set[tuple[str, str]] = set()
    for path in LOCALE.parent.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts or "corpus" in path.parts:
            continue
        messages |= _calls(path.read_text(encoding="utf-8"))
    for path in project_templates():
        messages |= _template_messages(path.read_text(encoding="utf-8"))
    return {(ctx, message) for ctx, message in messages if message}


def test_catalogue_holds_every_message_of_the_code():
    catalogued = {(m.context, m.msgid) for m in read_po(po_path("en"))}
    missing = sorted(code_messages() - catalogued)
    assert not missing, (
        "Messages not in lesefrei/locale yet: run `cd lesefrei && ../.venv/bin/python "
        "../manage.py makemessages -l de -l en --ignore 'tests/*' --ignore 'static/*' "
        "--ignore 'corpus/*' --add-location file`, translate them in en, then `make install`:\n"
        + "\n".join(message for _ctx, message in missing)
    )


def test_english_catalogue_translates_every_message():
    english_already = set(WAGTAIL_WORDING)
    untranslated = [
        m.msgid
        for m in read_po(po_path("en"))
        if (not m.msgstr or m.fuzzy) and m.msgid not in english_already
    ]
    assert not untranslated, "No English yet for:\n" + "\n".join(untranslated)


def test_german_catalogue_replaces_wagtails_english_leftovers():
    german = compiled("de")
    assert german.gettext("Go-live:") == "Veröffentlichung:"
    assert german.gettext("Home") == "Start"


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_matches_its_po_file(language):
    """The .mo files are built by `make install`; one older than its .po file would show
    readers yesterday's wording."""
    translations = compiled(language)
    stale = []
    for message in read_po(po_path(language)):
        if not message.msgstr or message.fuzzy:
            continue
        if message.plural:
            shown = translations.ngettext(message.msgid, message.plural, 1)
        elif message.context:
            shown = translations.pgettext(message.context, message.msgid)
        else:
            shown = translations.gettext(message.msgid)
        if shown != message.msgstr:
            stale.append(message.msgid)
    assert not stale, f"lesefrei/locale/{language} is not compiled: run `make install`.\n" + (
        "\n".join(stale[:20])
    )
