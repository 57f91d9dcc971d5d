"""The audit's page states: made in the audit database, or driven through the real forms.

    python scripts/audit_states.py prepare          # in the audit's environment: prints JSON

`prepare` runs inside Django (the audit's production settings and database) after
load_demo_content. It gives the demo the comment states the audit needs, through the
same services the site uses (an article with exactly three comments, one with 200), and
prints the paths of every page reachable by a plain GET, including the signed
self-service link a supporter gets by mail.

`capture()` drives the running server with Chromium (Playwright) like a reader: the
pledge form with an invalid IBAN (the server answers 400) and then a valid one (the
signed confirmation URL it redirects to is audited directly), a reader's login, the
comment form empty (400), sent (the message after the redirect), and "Meine
Unterstützung" after a pledge made while logged in. It returns the exact HTML the server
sent for the states a plain GET cannot reach, with how each was reached.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

# Demo articles (by kicker) for the comment states: one without comments, the demo's
# discussion with three comments, and one that gets 200.
NO_COMMENTS = "Hitze in der Stadt"
THREE_COMMENTS = "Wohnungsnot zum Semesterstart"
MANY_COMMENTS = "Uraufführung am Landestheater"
MANY = 200
READER_EMAIL = "leserin.kiel@example.org"
INVALID_IBAN = "DE89 3704 0044 0532 0130 01"  # check digits wrong
VALID_IBAN = "DE89 3704 0044 0532 0130 00"  # the public test IBAN

# 20 audit readers and sentences about a premiere, combined into 200 different comments.
AUDIT_READERS = [
    "Anke aus Bremen", "Theaterfreund_Lippe", "Gisela M.", "Ole_aus_Bielefeld", "Renate K.",
    "Kemal aus Herford", "Bühnenmaus", "Dr. Siebert", "Lotte_62", "Jannik aus Paderborn",
    "Hildegard W.", "Marek_S", "Susanne aus Lemgo", "Pit_Detmold", "Elif K.",
    "Rainer aus Minden", "Charlotte_B", "Nils aus Blomberg", "Ute S.", "Abonnentin_seit_1989",
]  # fmt: skip
OPENINGS = [
    "Ich war gestern in der Vorstellung.",
    "Wir hatten Karten für die zweite Aufführung.",
    "Schöner Bericht, danke dafür.",
    "Ich kenne das Stück nur aus der Probe, die für Schulklassen offen war.",
    "Als Abonnentin seit vielen Jahren muss ich sagen:",
    "Meine Tochter hat mich überredet mitzukommen.",
    "Ich habe lange gezögert, ob ich hingehen soll.",
    "Vorweg: Ich bin kein Theaterkritiker.",
    "Der Saal war bis auf den letzten Platz besetzt.",
    "Nach der Pause sind bei uns einige gegangen.",
]
MIDDLES = [
    "Das Bühnenbild mit den verschobenen Wänden hat mich sehr beeindruckt.",
    "Die Musik war mir stellenweise zu laut, die Stille danach umso stärker.",
    "Dass die Geschichte der eigenen Stadt erzählt wird, geht einem nah.",
    "Die junge Hauptdarstellerin trägt den Abend fast allein.",
    "Manche Szenen hätten kürzer sein dürfen, der Schluss dagegen länger.",
    "Die Zeitzeugenstimmen vom Band waren für mich der stärkste Moment.",
    "Ich hätte mir ein Programmheft mit mehr Hintergrund gewünscht.",
    "Das Gespräch mit dem Ensemble nach der Vorstellung sollte es öfter geben.",
    "Mir fehlte eine klare Haltung, aber vielleicht war das Absicht.",
    "Endlich ein Landestheater, das etwas wagt.",
]
CLOSINGS = [
    "Ich gehe bestimmt noch einmal hin.",
    "Eine Empfehlung für alle, die zweifeln.",
    "Mal sehen, was die überregionale Kritik sagt.",
    "Für Schulklassen ist das Pflicht.",
    "Bitte mehr solche Uraufführungen in der Provinz.",
    "Die Karten sind übrigens günstiger als gedacht.",
    "Danke an alle, die das möglich gemacht haben.",
    "Ich bin gespannt auf die nächste Spielzeit.",
]


def comment_text(number: int) -> str:
    """A different German comment for every number below 800."""
    return " ".join(
        (
            OPENINGS[number % len(OPENINGS)],
            MIDDLES[(number // len(OPENINGS)) % len(MIDDLES)],
            CLOSINGS[(number // (len(OPENINGS) * len(MIDDLES)) + number) % len(CLOSINGS)],
        )
    )


def _article(kicker: str) -> Any:
    from lesefrei.content.models import ArticlePage

    article = ArticlePage.objects.live().filter(kicker=kicker).first()
    if article is None:
        raise SystemExit(f"audit: the demo has no live article with the kicker {kicker!r}")
    return article


def _add_comments(article: Any, wanted: int, moderator: Any) -> None:
    """Post and approve comments through the comment services until `wanted` are shown;
    every fourth one replies to the comment before it."""
    from django.utils import timezone

    from lesefrei.accounts.models import ReaderProfile
    from lesefrei.accounts.services import create_reader
    from lesefrei.comments import selectors, services
    from lesefrei.comments.models import Comment
    from lesefrei.demo.logins import DEMO_PASSWORD

    readers = []
    for number, pseudonym in enumerate(AUDIT_READERS):
        profile = ReaderProfile.objects.filter(pseudonym=pseudonym).select_related("user").first()
        user = profile.user if profile else None
        if user is None:
            email = f"audit.leser{number:02d}@example.org"
            user = create_reader(email, pseudonym, DEMO_PASSWORD, verified=True)
        readers.append(user)
    number = selectors.approved_count(article.pk)
    parent = None
    now = timezone.now()
    while selectors.approved_count(article.pk) < wanted:
        reply_to = parent if number % 4 == 3 else None
        result = services.post_comment(
            readers[number % len(readers)],
            article,
            comment_text(number),
            parent=reply_to,
            idempotency_key=f"audit-{article.pk}-{number}",
            rate_limited=False,
        )
        comment = services.approve_comment(result.comment, moderator)
        written = now - timedelta(minutes=5 * (wanted - number))
        Comment.objects.filter(pk=comment.pk).update(
            created_at=written, approved_at=written + timedelta(minutes=3)
        )
        if reply_to is None:
            parent = comment
        number += 1


def prepare() -> dict[str, Any]:
    """Give the demo the comment states and return the paths a plain GET reaches."""
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.contrib.auth import get_user_model

    from lesefrei.comments import selectors
    from lesefrei.content.models import AuthorPage, SectionPage
    from lesefrei.demo.logins import DEMO_PASSWORD
    from lesefrei.support import links
    from lesefrei.support.models import Pledge

    moderator = get_user_model().objects.get(username="moderation")
    none, three, many = _article(NO_COMMENTS), _article(THREE_COMMENTS), _article(MANY_COMMENTS)
    if selectors.approved_count(none.pk):
        raise SystemExit(f"audit: {none.url} should have no comments in the demo")
    _add_comments(three, 3, moderator)
    _add_comments(many, MANY, moderator)
    counts = {a.url: selectors.approved_count(a.pk) for a in (none, three, many)}
    if list(counts.values()) != [0, 3, MANY]:
        raise SystemExit(f"audit: unexpected comment counts {counts}")
    pledge = Pledge.objects.order_by("pk").first()
    return {
        "section": SectionPage.objects.live().order_by("path").first().url,
        "article_0": none.url,
        "article_3": three.url,
        "article_3_id": three.pk,
        "article_200": many.url,
        "article_200_id": many.pk,
        "author": AuthorPage.objects.live().order_by("path").first().url,
        "manage": links.manage_path(pledge),
        "reader": READER_EMAIL,
        "password": DEMO_PASSWORD,
    }


@dataclass
class Captured:
    """The HTML the server sent for one state, and how the state was reached."""

    name: str
    html: bytes
    status: int
    how: str


def error_page(name: str, url: str, expected: int, how: str) -> Captured:
    """The body of an error answer (Lighthouse refuses to score a page answered with
    status 400 or more, so the audit also serves this copy with status 200)."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            status, body = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read()
    if status != expected:
        raise RuntimeError(f"{url} answered {status}, not {expected}")
    return Captured(name, body, status, how)


def _fill_pledge(page: Any, iban: str, *, name: str = "Jana Oberländer") -> None:
    page.get_by_label("Ihr Name").fill(name)
    page.get_by_label("E-Mail-Adresse").fill("audit@example.org")
    page.get_by_label("Kontoinhaber/in").fill(name)
    page.get_by_label("IBAN").fill(iban)
    page.get_by_label("Ich erteile das SEPA-Lastschriftmandat").check()


def _submit(page: Any, locator: Any) -> Any:
    """Click a submit button; return the response of the page the browser ends on."""
    with page.expect_navigation() as navigation:
        locator.click()
    return navigation.value


def capture(base: str, states: dict[str, Any], chromium: str) -> tuple[list[Captured], str]:
    """Drive the real forms of the server at `base`; return the captured states and the
    confirmation path the pledge form redirected to."""
    from playwright.sync_api import sync_playwright

    captured: list[Captured] = []

    def keep(name: str, response: Any, how: str) -> None:
        captured.append(Captured(name, response.body(), response.status, how))

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=["--no-sandbox", "--disable-gpu"]
        )
        # An anonymous reader pledges: first with a wrong IBAN, then corrected.
        context = browser.new_context(locale="de-DE")
        page = context.new_page()
        page.goto(base + "/unterstuetzen/?betrag=10&intervall=monatlich")
        _fill_pledge(page, INVALID_IBAN)
        button = page.get_by_role("button", name="10\u00a0€ monatlich unterstützen")
        response = _submit(page, button)
        if response.status != 400:
            raise RuntimeError(f"pledge form with an invalid IBAN answered {response.status}")
        keep(
            "support-error",
            response,
            f"POST of the pledge form with IBAN {INVALID_IBAN} → {response.status}",
        )
        page.get_by_label("IBAN").fill(VALID_IBAN)
        page.get_by_label("Ich erteile das SEPA-Lastschriftmandat").check()
        response = _submit(page, button)
        confirmation = page.url.removeprefix(base)
        if response.status != 200 or "/unterstuetzen/danke/" not in confirmation:
            raise RuntimeError(f"pledge form did not confirm: {response.status} {page.url}")
        context.close()

        # A confirmed reader logs in, opens the comment form, sends it empty, then a comment.
        context = browser.new_context(locale="de-DE")
        page = context.new_page()
        page.goto(base + "/konto/login/")
        page.fill("#id_login", states["reader"])
        page.fill("#id_password", states["password"])
        _submit(page, page.locator("main form button[type=submit]").first)
        write = f"/kommentare/{states['article_3_id']}/schreiben/"
        response = page.goto(base + write)
        if response.status != 200 or "/login" in page.url:
            raise RuntimeError(f"comment form not reached after login: {page.url}")
        keep("comment-form", response, f"GET {write}, logged in as {states['reader']}")
        send = page.locator(".comment-form button[type=submit]")
        response = _submit(page, send)
        if response.status != 400:
            raise RuntimeError(f"empty comment answered {response.status}")
        keep("comment-form-error", response, f"POST of the empty comment form → {response.status}")
        page.fill("textarea[name=text]", comment_text(799))
        response = _submit(page, send)
        keep(
            "comment-form-sent",
            response,
            f"POST of a comment → 302 → GET {write} with the message ({response.status})",
        )
        # The same reader pledges while logged in and opens "Meine Unterstützung".
        page.goto(base + "/unterstuetzen/?betrag=5&intervall=monatlich")
        _fill_pledge(page, VALID_IBAN, name="Leserin aus Kiel")
        _submit(page, page.get_by_role("button", name="5\u00a0€ monatlich unterstützen"))
        response = page.goto(base + "/unterstuetzen/meine/")
        if response.status != 200 or "/login" in page.url:
            raise RuntimeError(f"'Meine Unterstützung' not reached: {page.url}")
        keep(
            "my-pledges",
            response,
            f"GET /unterstuetzen/meine/, logged in, after a pledge ({response.status})",
        )
        context.close()
        browser.close()
    return captured, confirmation


if __name__ == "__main__":
    if sys.argv[1:] != ["prepare"]:
        sys.exit("usage: python scripts/audit_states.py prepare")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lesefrei.settings.production")
    print(json.dumps(prepare()))
