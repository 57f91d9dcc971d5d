"""Every reader page, staff screen and mail of the demo, rendered in each language the
site speaks (one at a time, as LESEFREI_LANGUAGE sets it), shows no text of the other
language from the project's catalogue and no raw value ("None", "True", "False").

Article content stays German in both runs (it is the newsroom's text, not the UI), so the
check looks only for the catalogue's own sentences: a German message whose English
translation differs must not appear in English output, and vice versa."""

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.test import RequestFactory, override_settings
from django.utils import translation
from wagtail.admin.menu import admin_menu
from wagtail.models import Locale

from tests.quality.pages import prepare_states
from tests.quality.translations import READ_ATTRIBUTES, po_path, read_po

RAW_VALUES = re.compile(r"\b(None|True|False)\b")
PLACEHOLDER = re.compile(r"%(?:\([a-z_]+\))?[sd]|%%")


def _visible_text(html: str) -> str:
    html = re.sub(r"(?is)<(script|style|svg)\b.*?</\1>", " ", html)
    attributes = "|".join(READ_ATTRIBUTES)
    read = re.findall(rf'(?i)\b(?:{attributes})="([^"]*)"', html)
    text = re.sub(r"(?s)<[^>]+>", " ", html)
    return " ".join((text + " " + " ".join(read)).replace("&nbsp;", " ").split())


def _foreign_patterns(language: str) -> list[tuple[str, re.Pattern]]:
    """Sentences of the other language that must not show: the catalogue's messages whose
    translation differs, long enough (four words) not to be a word of an article."""
    patterns = []
    for message in read_po(po_path("en")):
        if not message.msgstr or message.msgstr == message.msgid:
            continue
        foreign = message.msgid if language == "en" else message.msgstr
        pieces = [piece.strip() for piece in PLACEHOLDER.split(re.sub(r"<[^>]+>", " ", foreign))]
        for piece in pieces:
            piece = " ".join(piece.split())
            if len(piece.split()) >= 4:
                patterns.append((foreign, re.compile(re.escape(piece))))
    return patterns


def _staff_screens(client, user) -> list[str]:
    """The addresses of every item of the CMS menu the user sees, submenus included."""
    request = RequestFactory().get("/cms/")
    request.user = user
    addresses: list[str] = []

    def walk(items) -> None:
        for item in items:
            menu = getattr(item, "menu", None)
            if menu is not None:
                walk(menu.menu_items_for_request(request))
            elif item.url.startswith("/cms/"):
                addresses.append(item.url)

    walk(admin_menu.menu_items_for_request(request))
    return sorted(set(addresses))


def _inspect_pages(client, index_html: str) -> list[str]:
    """One inspect view per list (the first row's), where the list offers one."""
    return sorted(set(re.findall(r'href="(/cms/[^"]+/inspect/\d+/)"', index_html)))[:1]


def _render_everything(client, on_commit) -> dict[str, str]:
    call_command("load_demo_content", "--quiet-accounts", stdout=StringIO())
    states = prepare_states()
    shown: dict[str, str] = {}
    for page in states.pages:
        response = client.get(page.path)
        assert response.status_code == page.status, page.name
        shown[page.name] = response.text

    # Mails: a pledge's confirmation, a password reset.
    client.post("/konto/password/reset/", {"email": "leserin.kiel@example.org"})
    details = client.get("/unterstuetzen/", {"betrag": "10", "intervall": "monatlich"}).text
    token = re.search(r'name="form_token" value="([^"]+)"', details).group(1)
    with on_commit(execute=True):  # the confirmation leaves after the pledge's commit
        client.post(
            "/unterstuetzen/",
            {
                "form_token": token,
                "betrag": "10",
                "intervall": "monatlich",
                "name": "Jana Oberländer",
                "email": "jana@example.org",
                "account_holder": "Jana Oberländer",
                "iban": "DE89370400440532013000",
                "consent": "on",
            },
        )
    assert len(mail.outbox) >= 2
    for number, message in enumerate(mail.outbox):
        shown[f"mail {number}: {message.subject}"] = f"{message.subject}\n{message.body}"

    staff = get_user_model().objects.create_superuser("sprachpruefung", "s@example.org", "x")
    client.force_login(staff)
    for address in _staff_screens(client, staff):
        response = client.get(address, follow=True)
        assert response.status_code == 200, address
        shown[address] = response.text
        for inspect in _inspect_pages(client, response.text):
            shown[inspect] = client.get(inspect).text
    return shown


# Wagtail's own screens that print a raw value themselves (not the project's code).
WAGTAIL_RAW = ("/cms/users/", "/cms/reports/")


def _content() -> list[str]:
    """Texts editors write (the campaign's support box), which stay in the language the
    newsroom wrote them in, like articles."""
    from lesefrei.support.models import Campaign

    texts = Campaign.objects.values_list("heading", "text", "minimum_text", "button_text")
    return [text for row in texts for text in row if text]


def _problems(shown: dict[str, str], language: str, content: list[str]) -> list[str]:
    foreign = _foreign_patterns(language)
    problems = []
    for name, output in shown.items():
        text = output if name.startswith("mail") else _visible_text(output)
        for piece in content:
            text = text.replace(piece, " ")
        for raw in sorted(set(RAW_VALUES.findall(text))):
            if name.startswith(WAGTAIL_RAW):
                continue
            problems.append(f"{name}: raw value {raw!r}")
        for message, pattern in foreign:
            if pattern.search(text):
                problems.append(f"{name}: {message!r}")
    return sorted(set(problems))


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["de", "en"])
def test_every_page_mail_and_staff_screen_speaks_one_language(
    client, django_capture_on_commit_callbacks, language
):
    # The content locale follows the site's language, as on a site installed in it.
    Locale.objects.update(language_code=language)
    with override_settings(LANGUAGE_CODE=language), translation.override(language):
        shown = _render_everything(client, django_capture_on_commit_callbacks)
    assert len(shown) > 30
    problems = _problems(shown, language, _content())
    assert not problems, f"{len(problems)} problems in {language}:\n" + "\n".join(problems)
