"""Demo ticker, loaded by `manage.py load_demo_content` after the articles: a fictional
flood on the Mulde that is still running, with eleven entries (one pinned, a quote, an
image, an embed), all written through lesefrei.live.services. Safe to run again: an existing
ticker (by slug) is kept as it is."""

from datetime import timedelta
from typing import TextIO

from django.db import transaction
from django.utils import timezone

from lesefrei.content.models import AuthorPage, SectionPage
from lesefrei.content.services import unique_child_slug
from lesefrei.live import services
from lesefrei.live.models import LiveEntry, LiveTickerPage

from .images import demo_image, draw_landscape

SLUG = "hochwasser-an-der-mulde-der-liveticker"

# (minutes ago, author slug, title, text, media, pinned)
ENTRIES = [
    (
        300,
        "tobias-hartmann",
        "Pegel Golzern steigt weiter",
        "<p>Der Pegel in Golzern hat am Nachmittag 6,20 Meter erreicht, normal sind "
        "knapp zwei Meter. Das Landeshochwasserzentrum rechnet mit dem Scheitel erst in "
        "der Nacht.</p>",
        [],
        False,
    ),
    (
        270,
        "sophie-lindner",
        "",
        "<p>In Grimma sind die Fluttore am Muldenufer geschlossen. Anwohnerinnen der "
        "Klosterstraße tragen Möbel in die oberen Stockwerke, die Feuerwehr verteilt "
        "Sandsäcke am Markt.</p>",
        [
            (
                "image",
                {
                    "image": "IMAGE",
                    "caption": "Sandsäcke am Grimmaer Markt (Illustration)",
                    "credit": "",
                },
            )
        ],
        False,
    ),
    (
        240,
        "tobias-hartmann",
        "Landrat ruft Katastrophenfall aus",
        "<p>Der Landkreis Leipzig hat um 15.40 Uhr den Katastrophenfall ausgerufen. Damit "
        "übernimmt der Krisenstab im Landratsamt Borna die Einsatzleitung.</p>",
        [],
        False,
    ),
    (
        210,
        "sophie-lindner",
        "",
        "<p>Der Bürgermeister von Grimma bittet, die Uferwege nicht zu betreten.</p>",
        [
            (
                "quote",
                {
                    "text": "Wir haben 2002 und 2013 erlebt, wie schnell das Wasser kommt. "
                    "Bitte bleiben Sie weg vom Ufer und halten Sie die Zufahrten frei.",
                    "attribution": "Matthias Berger, Oberbürgermeister von Grimma",
                },
            )
        ],
        False,
    ),
    (
        180,
        "tobias-hartmann",
        "Bahnstrecke Leipzig–Döbeln gesperrt",
        "<p>Zwischen Großbothen und Döbeln fahren keine Züge mehr, weil ein Bahndamm "
        "unterspült ist. Ein Ersatzverkehr mit Bussen ist nach Angaben der Bahn in "
        "Vorbereitung.</p>",
        [],
        False,
    ),
    (
        150,
        "sophie-lindner",
        "",
        "<p>Die Pegelstände aller sächsischen Messstellen veröffentlicht das "
        "Landeshochwasserzentrum fortlaufend auf seiner Seite.</p>",
        [
            (
                "embed",
                {
                    "url": "https://www.umwelt.sachsen.de/umwelt/infosysteme/hwims/portal/",
                    "title": "Hochwasserzentrum Sachsen: aktuelle Pegel",
                    "description": "Karte und Tabellen der Messstellen",
                },
            )
        ],
        False,
    ),
    (
        120,
        "tobias-hartmann",
        "",
        "<p>In Trebsen werden zwei Pflegeheime geräumt, rund 140 Bewohnerinnen und "
        "Bewohner kommen vorübergehend in einer Klinik in Wurzen unter.</p>",
        [],
        False,
    ),
    (
        90,
        "sophie-lindner",
        "Freiwillige gesucht",
        "<p>Die Stadt Wurzen sucht Helferinnen und Helfer zum Füllen von Sandsäcken. "
        "Treffpunkt ist der Bauhof in der Dresdner Straße; Handschuhe werden gestellt.</p>",
        [],
        False,
    ),
    (
        45,
        "tobias-hartmann",
        "",
        "<p>Der Pegel in Golzern steht bei 7,05 Metern. Damit ist Alarmstufe 4 erreicht, "
        "die höchste Stufe.</p>",
        [],
        False,
    ),
    (
        20,
        "sophie-lindner",
        "Das Wichtigste in Kürze",
        "<p>Katastrophenfall im Landkreis Leipzig; Pegel Golzern über sieben Meter, "
        "Scheitel in der Nacht erwartet. Uferwege in Grimma, Trebsen und Wurzen meiden. "
        "Notruf 112, Bürgertelefon des Landkreises: 03433 241-0 (fiktive Nummer).</p>",
        [],
        True,
    ),
    (
        5,
        "tobias-hartmann",
        "",
        "<p>Die Bundeswehr schickt 200 Soldatinnen und Soldaten zur Deichverteidigung nach "
        "Eilenburg. Sie sollen gegen 22 Uhr eintreffen.</p>",
        [],
        False,
    ),
]

# The article's own text: background below the entries (the pinned entry sums up).
BACKGROUND = [
    (
        "paragraph",
        "<p>Dieser Liveticker gehört zu den Demo-Inhalten von lesefrei: Orte sind echt, "
        "Zahlen, Namen und Zitate sind erfunden oder verfremdet.</p>",
    ),
    ("subheading", "Warum die Mulde so schnell steigt"),
    (
        "paragraph",
        "<p>Die Mulde entsteht aus zwei Quellflüssen im Erzgebirge, der Zwickauer und der "
        "Freiberger Mulde. Fällt dort in kurzer Zeit viel Regen, kommt das Wasser binnen "
        "eines Tages im Flachland an.</p>",
    ),
    (
        "paragraph",
        "<p>Seit Donnerstag sind im oberen Einzugsgebiet vielerorts mehr als 120 Liter "
        "Regen je Quadratmeter gefallen, so viel wie sonst in zwei Monaten.</p>",
    ),
    (
        "paragraph",
        "<p>„Die Böden waren nach dem nassen Herbst schon gesättigt“, sagt eine "
        "Hydrologin des Landesamts. „Was jetzt fällt, fließt fast vollständig ab.“</p>",
    ),
    ("subheading", "Was seit 2002 gebaut wurde"),
    (
        "paragraph",
        "<p>Nach den Fluten von 2002 und 2013 hat der Freistaat Deiche erhöht, Polder "
        "angelegt und in Grimma eine Hochwasserschutzmauer mit beweglichen Toren gebaut.</p>",
    ),
    (
        "paragraph",
        "<p>Die Anlagen sind auf ein Hochwasser ausgelegt, wie es statistisch einmal in "
        "hundert Jahren vorkommt. Ob sie diesmal reichen, hängt vom Scheitel in der Nacht "
        "ab.</p>",
    ),
    (
        "paragraph",
        "<p>Kritiker bemängeln seit Jahren, dass an kleineren Nebenflüssen weniger "
        "geschehen ist. „Dort kommt das Wasser oft schneller als die Warnung“, sagt ein "
        "Sprecher einer Bürgerinitiative in Trebsen.</p>",
    ),
    ("subheading", "So bleiben Sie informiert"),
    (
        "paragraph",
        "<p>Warnungen verbreiten die Warn-Apps des Bundes und die Sirenen der Gemeinden. "
        "Wer in einem gefährdeten Gebiet wohnt, sollte Papiere, Medikamente und ein "
        "Ladekabel griffbereit halten.</p>",
    ),
    (
        "paragraph",
        "<p>Diesen Liveticker aktualisiert die Redaktion fortlaufend. Neue Einträge sehen "
        "Sie, wenn Sie die Seite neu laden; mit eingeschaltetem JavaScript weist die Seite "
        "von selbst darauf hin.</p>",
    ),
]


@transaction.atomic
def load(out: TextIO) -> dict[str, int]:
    section = SectionPage.objects.filter(slug="gesellschaft").first()
    if section is None:
        out.write("Liveticker: kein Ressort „Gesellschaft“, übersprungen.\n")
        return {"entries": 0}
    if LiveTickerPage.objects.filter(slug=SLUG).exists():
        return {"entries": 0}
    now = timezone.now().replace(second=0, microsecond=0)
    authors = {a.slug: a for a in AuthorPage.objects.filter(slug__in={e[1] for e in ENTRIES})}
    headline = "Hochwasser an der Mulde: Katastrophenfall im Landkreis Leipzig"
    lead = demo_image(
        "Illustration: Hochwasser an der Mulde",
        "liveticker-hochwasser",
        draw_landscape("liveticker-hochwasser"),
        "Abstrakte Illustration zum Liveticker über das Hochwasser an der Mulde",
    )
    ticker = LiveTickerPage(
        title=headline,
        slug=unique_child_slug(section, SLUG),
        kicker="Hochwasser in Sachsen",
        teaser=(
            "Nach tagelangem Regen tritt die Mulde über die Ufer. Wir berichten laufend über "
            "Pegelstände, Sperrungen und Hilfe."
        ),
        place="Grimma",
        published_at=now - timedelta(minutes=310),
        coverage_start=now - timedelta(minutes=310),
        lead_image=lead,
        lead_image_caption="Illustration: Hochwasser an der Mulde",
        body=BACKGROUND,
        live=False,
    )
    ticker.topics.add("Hochwasser", "Sachsen")
    author = authors.get("tobias-hartmann")
    if author is not None:
        from lesefrei.content.models import ArticleAuthor

        ticker.article_authors.add(ArticleAuthor(author=author, sort_order=0))
    section.add_child(instance=ticker)
    ticker.save_revision().publish()
    for minutes, author_slug, title, text, media, pinned in ENTRIES:
        media = [
            (kind, {**value, "image": lead} if kind == "image" else value) for kind, value in media
        ]
        entry = services.add_entry(
            ticker,
            title=title,
            text=text,
            media=media,
            author=authors.get(author_slug),
            pinned=pinned,
        )
        # The demo's entries lie in the past: stamped as if written over the afternoon.
        LiveEntry.objects.filter(pk=entry.pk).update(created_at=now - timedelta(minutes=minutes))
    corrected = LiveEntry.objects.filter(ticker=ticker, title="Bahnstrecke Leipzig–Döbeln gesperrt")
    for entry in corrected:
        services.correct_entry(
            entry,
            text=entry.text.replace(
                "in Vorbereitung.</p>", "in Vorbereitung; er soll ab 19 Uhr fahren.</p>"
            ),
        )
    out.write(f"Liveticker: „{headline}“ mit {len(ENTRIES)} Einträgen.\n")
    return {"entries": len(ENTRIES)}
