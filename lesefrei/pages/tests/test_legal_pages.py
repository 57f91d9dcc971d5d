import re
import time

import pytest
from django.core import mail
from django.test import override_settings
from wagtail.models import Site

from lesefrei.pages import forms as contact_forms
from lesefrei.pages.models import (
    ContactSubmission,
    Correction,
    CorrectionsPage,
    FooterLink,
    FooterSettings,
    LegalPage,
)
from tests import factories

pytestmark = pytest.mark.django_db


def legal_page(slug: str, title: str, kind: str = LegalPage.Kind.OTHER, **fields) -> LegalPage:
    home = factories.home_page()
    page = LegalPage(
        title=title,
        slug=slug,
        kind=kind,
        body=[("paragraph", f"<p>Text der Seite {title}.</p>")],
        **fields,
    )
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def contact_page() -> LegalPage:
    return legal_page(
        "kontakt",
        "Kontakt",
        LegalPage.Kind.CONTACT,
        has_form=True,
        form_recipient="redaktion@zeitung.example",
        form_subject="Kontakt",
    )


def aged_key(seconds: int = 10) -> str:
    return contact_forms.new_form_key(time.time() - seconds)


def form_data(**overrides) -> dict:
    data = {
        "name": "Jule Beispiel",
        "email": "jule@example.org",
        "subject": "Fehler im Artikel",
        "text": "Im dritten Absatz steht 14 statt 41 Messstellen.",
        "website": "",
        "key": aged_key(),
    }
    data.update(overrides)
    return data


def write_url(page: LegalPage) -> str:
    return page.url + "schreiben/"


def test_home_page_allows_legal_pages_and_the_corrections_log():
    home = factories.home_page()
    allowed = {model.__name__ for model in home.specific_class.allowed_subpage_models()}
    assert {"LegalPage", "CorrectionsPage"} <= allowed


def test_legal_page_renders_without_a_cookie_and_is_cached(client, settings):
    settings.PAGE_CACHE_ENABLED = True
    page = legal_page("impressum", "Impressum", LegalPage.Kind.IMPRINT)
    response = client.get(page.url)
    assert response.status_code == 200
    assert "Text der Seite Impressum." in response.content.decode()
    assert not response.cookies
    assert response["X-Page-Cache"] == "miss"


def test_contact_page_links_its_form_and_stays_free_of_csrf_tokens(client):
    page = contact_page()
    html = client.get(page.url).content.decode()
    assert f'href="{write_url(page)}"' in html
    assert "csrfmiddlewaretoken" not in html
    form = client.get(write_url(page))
    assert form.status_code == 200
    assert "csrfmiddlewaretoken" in form.content.decode()
    assert "no-store" in form["Cache-Control"]


def test_page_without_form_has_no_form_address(client):
    page = legal_page("impressum", "Impressum", LegalPage.Kind.IMPRINT)
    assert client.get(write_url(page)).status_code == 404


def test_footer_links_every_legal_page_by_default(client):
    imprint = legal_page("impressum", "Impressum", LegalPage.Kind.IMPRINT)
    privacy = legal_page("datenschutz", "Datenschutzerklärung", LegalPage.Kind.PRIVACY)
    article = factories.article()
    html = client.get(article.url).content.decode()
    footer = html[html.index('<footer class="footer">') :]
    assert f'<a href="{imprint.url}">Impressum</a>' in footer
    assert f'<a href="{privacy.url}">Datenschutzerklärung</a>' in footer


def test_footer_setting_chooses_the_links_and_their_order(client):
    imprint = legal_page("impressum", "Impressum", LegalPage.Kind.IMPRINT)
    about = legal_page("ueber-uns", "Über uns", LegalPage.Kind.ABOUT)
    legal_page("datenschutz", "Datenschutzerklärung", LegalPage.Kind.PRIVACY)
    setting = FooterSettings.for_site(Site.objects.get(is_default_site=True))
    FooterLink.objects.create(setting=setting, page=imprint, sort_order=1)
    FooterLink.objects.create(setting=setting, page=about, sort_order=0)
    html = client.get("/").content.decode()
    footer = html[html.index('<footer class="footer">') :]
    assert "Datenschutzerklärung" not in footer
    assert footer.index("Über uns") < footer.index("Impressum")


def test_renamed_footer_page_drops_cached_pages(client, settings):
    settings.PAGE_CACHE_ENABLED = True
    imprint = legal_page("impressum", "Impressum", LegalPage.Kind.IMPRINT)
    article = factories.article()
    assert client.get(article.url)["X-Page-Cache"] == "miss"
    imprint.title = "Impressum und Kontakt"
    imprint.save_revision().publish()
    html = client.get(article.url).content.decode()
    assert "Impressum und Kontakt</a>" in html


def test_changed_footer_setting_drops_cached_pages(client, settings):
    settings.PAGE_CACHE_ENABLED = True
    imprint = legal_page("impressum", "Impressum", LegalPage.Kind.IMPRINT)
    about = legal_page("ueber-uns", "Über uns", LegalPage.Kind.ABOUT)
    client.get("/")
    setting = FooterSettings.for_site(Site.objects.get(is_default_site=True))
    FooterLink.objects.create(setting=setting, page=imprint, sort_order=0)
    html = client.get("/").content.decode()
    footer = html[html.index('<footer class="footer">') :]
    assert about.title not in footer


def test_contact_form_mails_the_newsroom_once(client):
    page = contact_page()
    response = client.post(write_url(page), form_data())
    assert response.status_code == 302
    assert response["Location"] == page.url + "gesendet/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["redaktion@zeitung.example"]
    assert message.reply_to == ["jule@example.org"]
    assert "Kontakt: Fehler im Artikel" in message.subject
    assert "14 statt 41 Messstellen" in message.body
    assert client.get(response["Location"]).status_code == 200


def test_double_submit_sends_one_mail(client):
    page = contact_page()
    data = form_data()
    first = client.post(write_url(page), data)
    second = client.post(write_url(page), data)
    assert first.status_code == second.status_code == 302
    assert len(mail.outbox) == 1
    assert ContactSubmission.objects.count() == 1


def test_honeypot_sends_nothing(client):
    page = contact_page()
    response = client.post(write_url(page), form_data(website="https://spam.example"))
    assert response.status_code == 302
    assert mail.outbox == []
    assert not ContactSubmission.objects.exists()


def test_form_sent_too_fast_is_refused_with_a_german_message(client):
    page = contact_page()
    response = client.post(write_url(page), form_data(key=contact_forms.new_form_key()))
    assert response.status_code == 400
    assert "Das ging sehr schnell" in response.content.decode()
    assert mail.outbox == []


def test_forged_form_key_is_refused(client):
    page = contact_page()
    response = client.post(write_url(page), form_data(key="nicht-signiert"))
    assert response.status_code == 400
    assert "Das Formular ist ungültig" in response.content.decode()
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "keine-adresse", "gültige E-Mail-Adresse"),
        ("text", "", "Bitte schreiben Sie uns eine Nachricht."),
        ("text", "x" * 5001, "Ihre Nachricht ist zu lang"),
        ("subject", "", "Bitte geben Sie einen Betreff an."),
        ("text", "Null\x00Zeichen", "Steuerzeichen"),
    ],
)
def test_bad_input_shows_a_message_and_sends_nothing(client, field, value, message):
    page = contact_page()
    response = client.post(write_url(page), form_data(**{field: value}))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert mail.outbox == []
    assert not ContactSubmission.objects.exists()


def test_subject_cannot_inject_mail_headers(client):
    page = contact_page()
    client.post(write_url(page), form_data(subject="Hallo\r\nBcc: alle@example.org"))
    assert len(mail.outbox) == 1
    assert mail.outbox[0].bcc == []
    assert "\n" not in mail.outbox[0].subject


@override_settings(ACCOUNT_RATE_LIMITS={"contact": "2/h/ip"})
def test_rate_limit_refuses_the_third_message(client):
    page = contact_page()
    assert client.post(write_url(page), form_data()).status_code == 302
    assert client.post(write_url(page), form_data(key=aged_key())).status_code == 302
    refused = client.post(write_url(page), form_data(key=aged_key()))
    assert refused.status_code == 400
    assert "sehr viele Nachrichten" in refused.content.decode()
    assert len(mail.outbox) == 2


def test_support_error_links_the_contact_page(client):
    page = contact_page()
    response = client.get("/unterstuetzen/", {"betrag": "anderer", "anderer_betrag": "999999"})
    html = response.content.decode()
    assert re.search(rf'<a href="{re.escape(page.url)}">schreiben Sie uns</a>', html), html[-3000:]


def test_corrected_article_is_logged_and_links_the_log(client, settings):
    settings.PAGE_CACHE_ENABLED = True
    home = factories.home_page()
    log = CorrectionsPage(title="Korrekturen", slug="korrekturen")
    home.add_child(instance=log)
    log.save_revision().publish()
    older = factories.article(headline="Erste Meldung", correction="<p>Es waren 41.</p>")
    assert client.get(log.url)["X-Page-Cache"] == "miss"
    newer = factories.article(headline="Zweite Meldung")
    newer.correction = "<p>Der Ort heißt Schotten.</p>"
    newer.save_revision().publish()

    html = client.get(log.url).content.decode()
    assert html.index("Zweite Meldung") < html.index("Erste Meldung")
    assert "Der Ort heißt Schotten." in html and "Es waren 41." in html
    assert Correction.objects.count() == 2
    article_html = client.get(older.url).content.decode()
    assert f'<a href="{log.url}">Alle Korrekturen</a>' in article_html


def test_republishing_without_a_new_note_adds_no_entry():
    article = factories.article(correction="<p>Es waren 41.</p>")
    article.save_revision().publish()
    assert Correction.objects.filter(article=article).count() == 1


def test_unpublished_article_leaves_the_log(client):
    home = factories.home_page()
    log = CorrectionsPage(title="Korrekturen", slug="korrekturen")
    home.add_child(instance=log)
    log.save_revision().publish()
    article = factories.article(headline="Zurückgezogen", correction="<p>Falsch.</p>")
    article.unpublish()
    assert "Zurückgezogen" not in client.get(log.url).content.decode()
