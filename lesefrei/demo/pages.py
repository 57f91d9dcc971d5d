"""Demo legal and service pages, loaded by `manage.py load_demo_content` after the
articles: Impressum, Datenschutzerklärung, Kontakt, Leserbriefe und Hinweise, Über uns and
the corrections log, and the footer setting linking them.

Every text is a placeholder written for lesefrei: it describes the invented demo
cooperative and says in a marked box what a real newsroom must put there instead. It is
no legal advice. `load()` is safe to run again: pages that exist (by slug under the home
page) are kept as the editors left them, a footer setting with links is kept.
"""

from typing import Any, TextIO

from django.conf import settings
from wagtail.models import Page, Site

from lesefrei.content.models import HomePage
from lesefrei.pages.models import CorrectionsPage, FooterLink, FooterSettings, LegalPage

DEMO_ADDRESS = "lesefrei Verlagsgenossenschaft eG · Musterstraße 12 · 12345 Beispielstadt"
NEWSROOM_MAIL = "redaktion@lesefrei.invalid"


def _p(*lines: str) -> tuple[str, str]:
    return ("paragraph", "".join(f"<p>{line}</p>" for line in lines))


def _list(*items: str) -> tuple[str, str]:
    return ("paragraph", "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>")


def _todo(text: str) -> tuple[str, dict[str, str]]:
    """A box that tells the newsroom what it has to write here itself."""
    return ("info_box", {"title": "Vor dem Start ersetzen", "text": f"<p>{text}</p>"})


IMPRINT = [
    _todo(
        "Dies ist ein Platzhalter der Demo. Ein echtes Impressum nennt den vollständigen "
        "Namen und die ladungsfähige Anschrift des Anbieters (bei einer Genossenschaft: "
        "Rechtsform, Sitz, Registergericht und Genossenschaftsregisternummer, die "
        "vertretungsberechtigten Vorstandsmitglieder), eine E-Mail-Adresse und eine "
        "Telefonnummer für die schnelle Kontaktaufnahme, die Umsatzsteuer-"
        "Identifikationsnummer, falls vorhanden, und die nach § 18 Abs. 2 MStV "
        "verantwortliche Person mit Anschrift. Lassen Sie den Text juristisch prüfen."
    ),
    ("subheading", "Anbieter"),
    _p(
        "lesefrei Verlagsgenossenschaft eG<br>Musterstraße 12<br>12345 Beispielstadt",
        "Sitz der Genossenschaft: Beispielstadt<br>Registergericht: Amtsgericht "
        "Beispielstadt, GnR 000 (Platzhalter)",
        "Vertreten durch den Vorstand: Vorname Nachname, Vorname Nachname (Platzhalter)",
    ),
    ("subheading", "Kontakt"),
    _p(
        f'E-Mail: <a href="mailto:{NEWSROOM_MAIL}">{NEWSROOM_MAIL}</a><br>'
        "Telefon: 0000 000000 (Platzhalter)",
    ),
    ("subheading", "Verantwortlich im Sinne von § 18 Abs. 2 MStV"),
    _p(
        "Vorname Nachname (Chefredaktion), Anschrift wie oben (Platzhalter: Name und "
        "Anschrift der Person, die für den redaktionellen Inhalt verantwortlich ist)."
    ),
    ("subheading", "Umsatzsteuer"),
    _p("Umsatzsteuer-Identifikationsnummer: DE000000000 (Platzhalter, falls vorhanden)."),
    ("subheading", "Streitschlichtung"),
    _p(
        "Wir sind nicht bereit und nicht verpflichtet, an Streitbeilegungsverfahren vor einer "
        "Verbraucherschlichtungsstelle teilzunehmen. (Platzhalter: prüfen, ob das für Ihr "
        "Haus zutrifft.)"
    ),
]

PRIVACY = [
    _todo(
        "Dies ist ein Platzhalter der Demo, keine Rechtsberatung. Eine echte "
        "Datenschutzerklärung nennt den Verantwortlichen und, falls bestellt, die oder den "
        "Datenschutzbeauftragten mit Kontakt, beschreibt jede Verarbeitung (welche Daten, "
        "wozu, auf welcher Rechtsgrundlage, wie lange, an wen sie gehen) und die Rechte der "
        "Betroffenen. Passen Sie jede Frist an Ihre Praxis an und lassen Sie den Text prüfen."
    ),
    ("subheading", "Verantwortlich"),
    _p(f"{DEMO_ADDRESS}, E-Mail: {NEWSROOM_MAIL} (Platzhalter)."),
    ("subheading", "Lesen"),
    _p(
        "Zum Lesen brauchen Sie kein Konto, wir setzen dafür keine Cookies und binden keine "
        "Dienste Dritter ein (keine Werbung, keine Reichweitenmessung, keine Schriftarten "
        "oder Videos von fremden Servern). Der Server verarbeitet technisch nötige Daten "
        "jedes Abrufs (Adresse, Zeit, Browser) nur, um die Seite auszuliefern und Angriffe "
        "abzuwehren (Art. 6 Abs. 1 lit. f DSGVO). Für Begrenzungen gegen Missbrauch speichern "
        "wir Ihre IP-Adresse nie im Klartext, sondern nur einen verschlüsselten Kurzwert für "
        "höchstens einige Stunden. (Platzhalter: Speicherdauer der Server-Protokolle "
        "eintragen.)"
    ),
    ("subheading", "Leserkonto und Kommentare"),
    _list(
        "<b>Welche Daten:</b> E-Mail-Adresse, Passwort (nur als Hashwert), Pseudonym; Ihre "
        "Kommentare mit Zeitpunkt, Meldungen und Entscheidungen der Moderation.",
        "<b>Wozu:</b> Ihr Konto führen, Kommentare anzeigen und moderieren, Sie über "
        "Antworten benachrichtigen, wenn Sie das wünschen.",
        "<b>Rechtsgrundlage:</b> Art. 6 Abs. 1 lit. b DSGVO (Nutzungsvertrag des Kontos); "
        "für die Moderation Art. 6 Abs. 1 lit. f DSGVO (eine rechtmäßige, sachliche "
        "Diskussion).",
        "<b>Wie lange:</b> bis Sie Ihr Konto löschen. Dann löschen wir E-Mail-Adresse, "
        "Passwort und Pseudonym sofort; Ihre Kommentare bleiben ohne Namen stehen. "
        "Abgelehnte Kommentare löschen wir nach … Tagen (Platzhalter).",
        "<b>Ihre Daten selbst:</b> Unter „Mein Konto“ laden Sie alle Daten als Datei herunter "
        "oder löschen das Konto.",
    ),
    ("subheading", "Unterstützung per Lastschrift"),
    _list(
        "<b>Welche Daten:</b> Name, E-Mail-Adresse, Betrag und Turnus, das SEPA-Mandat "
        "(Kontoinhaber, IBAN, BIC, Anschrift, Mandatsreferenz, Datum) und die einzelnen "
        "Lastschriften mit ihrem Ergebnis.",
        "<b>Wozu:</b> die Beiträge einziehen, Sie vorab über jede Lastschrift informieren, "
        "Änderungen und Kündigungen ausführen, Rücklastschriften bearbeiten.",
        "<b>Rechtsgrundlage:</b> Art. 6 Abs. 1 lit. b DSGVO (Ihre Unterstützung ist ein "
        "Vertrag); für die Aufbewahrung Art. 6 Abs. 1 lit. c DSGVO mit den handels- und "
        "steuerrechtlichen Fristen.",
        "<b>IBAN:</b> Wir speichern die IBAN nur verschlüsselt. In der Verwaltung erscheint "
        "sie maskiert; ganz sehen sie nur die Personen der Buchhaltung, und jeder Blick darauf "
        "wird protokolliert. An die Bank geht sie nur in der Lastschriftdatei.",
        "<b>Wie lange:</b> solange Sie unterstützen; danach Buchungsbelege zehn, "
        "Geschäftsbriefe sechs Jahre (§ 147 AO, § 257 HGB). (Platzhalter: Fristen prüfen.)",
        "<b>Empfänger:</b> unsere Bank (Platzhalter: Name der Bank) für den Einzug.",
    ),
    ("subheading", "Kontaktformular und E-Mail"),
    _p(
        "Was Sie uns über das Kontaktformular schreiben (Name, E-Mail-Adresse, Betreff, "
        "Nachricht), geht als E-Mail an die Redaktion und wird nicht auf der Website "
        "gespeichert; wir nutzen es, um Ihnen zu antworten (Art. 6 Abs. 1 lit. b und f "
        "DSGVO). Gegen doppelte Sendungen merken wir uns nur, dass ein Formular abgeschickt "
        "wurde, nicht seinen Inhalt. (Platzhalter: wie lange Ihr Postfach Mails aufbewahrt.)"
    ),
    ("subheading", "Ihre Rechte"),
    _p(
        "Sie haben das Recht auf Auskunft, Berichtigung, Löschung, Einschränkung der "
        "Verarbeitung, Datenübertragbarkeit und Widerspruch (Art. 15–21 DSGVO) sowie das "
        "Recht, sich bei einer Aufsichtsbehörde zu beschweren (Platzhalter: zuständige "
        "Landesdatenschutzbehörde nennen)."
    ),
]

CONTACT = [
    _todo(
        "Platzhalter der Demo: Tragen Sie Postanschrift, Telefonzeiten und die Adressen "
        "ein, unter denen die Redaktion, die Leserbetreuung (Unterstützung, Lastschrift) "
        "und die Moderation erreichbar sind. Das Formular unten schickt Mails an die "
        "Adresse, die in den Seiteneinstellungen steht."
    ),
    _p(
        f"{DEMO_ADDRESS}",
        f'Redaktion: <a href="mailto:{NEWSROOM_MAIL}">{NEWSROOM_MAIL}</a>',
        "Fragen zu Ihrer Unterstützung: Sie können Betrag und Turnus jederzeit selbst "
        "ändern. Wenn etwas nicht klappt, schreiben Sie uns über das Formular.",
    ),
]

LETTERS = [
    _todo(
        "Platzhalter der Demo: Beschreiben Sie, wie Ihre Redaktion mit Leserbriefen und "
        "Hinweisen umgeht (Auswahl, Kürzungen, Veröffentlichung mit Namen) und wie "
        "Informantinnen und Informanten Sie vertraulich erreichen."
    ),
    _p(
        "Sie haben einen Fehler entdeckt, wissen mehr zu einem Thema oder möchten einen "
        "Leserbrief schreiben? Wir lesen jede Nachricht. Leserbriefe veröffentlichen wir "
        "mit Ihrem Namen und Ort und behalten uns Kürzungen vor.",
        "Auf einen Fehler in einem Artikel hingewiesen? Dann korrigieren wir ihn und "
        "vermerken das unter dem Artikel und in unserem Korrekturverzeichnis.",
    ),
]

ABOUT = [
    _todo(
        "Platzhalter der Demo: Stellen Sie Ihre Redaktion vor – wem die Zeitung gehört, wer "
        "sie macht, wie sie sich finanziert und welche Grundsätze sie hat (z. B. der "
        "Pressekodex)."
    ),
    _p(
        "Die lesefrei Verlagsgenossenschaft eG gibt es nur in dieser Demo. Sie gehört ihren "
        "Leserinnen und Lesern: Alle Artikel sind frei zugänglich, finanziert von freiwilligen "
        "Beiträgen, die meisten von ihnen monatlich per Lastschrift.",
        "Die Redaktion arbeitet unabhängig von Anzeigenkunden und Parteien. Wir halten uns an "
        "den Pressekodex und korrigieren Fehler offen.",
    ),
]

# (slug, title, kind, intro, body, form options)
PAGES: list[tuple[str, str, str, str, list, dict[str, Any]]] = [
    ("ueber-uns", "Über uns", LegalPage.Kind.ABOUT, "Wer wir sind und wem wir gehören.", ABOUT, {}),
    (
        "kontakt",
        "Kontakt",
        LegalPage.Kind.CONTACT,
        "So erreichen Sie die Redaktion.",
        CONTACT,
        {
            "has_form": True,
            "form_subject": "Kontakt",
            "form_intro": "Wir antworten in der Regel innerhalb von zwei Werktagen.",
        },
    ),
    (
        "leserbriefe",
        "Leserbriefe und Hinweise",
        LegalPage.Kind.LETTERS,
        "Schreiben Sie uns Ihre Meinung, Ihre Hinweise, Ihre Korrekturen.",
        LETTERS,
        {
            "has_form": True,
            "form_subject": "Leserbrief",
            "form_intro": "Ihr Leserbrief, Ihr Hinweis auf einen Fehler, Ihr Tipp für eine "
            "Recherche.",
        },
    ),
    ("impressum", "Impressum", LegalPage.Kind.IMPRINT, "", IMPRINT, {}),
    ("datenschutz", "Datenschutzerklärung", LegalPage.Kind.PRIVACY, "", PRIVACY, {}),
]
FOOTER_ORDER = ["ueber-uns", "kontakt", "leserbriefe", "korrekturen", "impressum", "datenschutz"]


def _child(home: Page, slug: str) -> Page | None:
    return home.get_children().filter(slug=slug).specific().first()


def load(out: TextIO) -> dict[str, int]:
    home = HomePage.objects.first()
    if home is None:
        raise RuntimeError("No home page: run the migrations first.")
    created = 0
    for slug, title, kind, intro, body, form in PAGES:
        if _child(home, slug) is None:
            page = LegalPage(
                title=title,
                slug=slug,
                kind=kind,
                intro=intro,
                body=body,
                form_recipient=NEWSROOM_MAIL if form.get("has_form") else "",
                **form,
            )
            home.add_child(instance=page)
            page.save_revision().publish()
            created += 1
    if _child(home, "korrekturen") is None:
        page = CorrectionsPage(title="Korrekturen", slug="korrekturen")
        home.add_child(instance=page)
        page.save_revision().publish()
        created += 1
    footer_links = _footer(home)
    out.write(
        f"Rechtliches und Service: {created} Seiten angelegt, {footer_links} Links im Seitenfuß "
        f"(Kontaktformular an {NEWSROOM_MAIL}, Absender {settings.DEFAULT_FROM_EMAIL}).\n"
    )
    return {"pages": created, "footer_links": footer_links}


def _footer(home: HomePage) -> int:
    site = Site.objects.filter(root_page=home).first() or Site.objects.first()
    if site is None:
        return 0
    setting = FooterSettings.for_site(site)
    if setting.links.exists():
        return setting.links.count()
    for order, slug in enumerate(FOOTER_ORDER):
        page = _child(home, slug)
        if page is not None:
            FooterLink.objects.create(setting=setting, page=page, sort_order=order)
    return setting.links.count()
