"""Demo comments, loaded by `manage.py load_demo_content` after the articles and readers.

Discussions under several articles (civil and some heated ones), replies, an editors'
pick, a few comments waiting in the queue and one reported, so that "meistkommentiert"
lists five articles and the moderation queue has work. Every comment goes through the
same services as on the site; each has a fixed idempotency key, so a second run finds
them and changes nothing. Also the demo moderator login.
"""

from datetime import timedelta
from typing import Any, TextIO

from allauth.account.models import EmailAddress
from django.utils import timezone
from wagtail.models import Site

from lesefrei.accounts.services import create_reader
from lesefrei.comments import services
from lesefrei.comments.models import Comment, CommentSettings, RejectionReason
from lesefrei.comments.selectors import open_queue_size
from lesefrei.content.models import ArticlePage

from .logins import DEMO_PASSWORD, demo_staff_login

MODERATOR = ("moderation", "Mona Moderatorin")
# (e-mail, pseudonym): the accounts demo creates the first six; missing ones are made here.
COMMENTERS = {
    "kiel": ("leserin.kiel@example.org", "Leserin_aus_Kiel"),
    "mara": ("mara.k@example.org", "Mara K."),
    "bernd": ("bernd57@example.org", "Bernd_57"),
    "jule": ("jule.aus.leipzig@example.org", "Jule aus Leipzig"),
    "oezguer": ("oezguer@example.org", "Özgür"),
    "friedrich": ("friedrich.w@example.org", "Friedrich W."),
    "hannes": ("hannes.hh@example.org", "Hannes_HH"),
    "paula": ("paula.plauen@example.org", "Paula aus Plauen"),
}
BANNED_WORDS = "Volksverräter\nLügenpresse\nSchmarotzer"

# Per article (found by its kicker): comments as (who, text, options). Options: "state"
# ("approved" by default, or "pending"), "pick", "hours" (how long ago), "replies" (the
# same shape), "report" ((who, reason)).
DISCUSSIONS: list[tuple[str, list[tuple[str, str, dict[str, Any]]]]] = [
    (
        "Debatte um die Rente",
        [
            (
                "bernd",
                "Ich habe 45 Jahre eingezahlt, davon 30 Jahre auf dem Bau. Wer mir erzählt, "
                "die Haltelinie sei „zu teuer“, soll mal einen Winter lang Estrich verlegen.",
                {
                    "hours": 20,
                    "replies": [
                        (
                            "mara",
                            "Verstehe den Ärger. Aber irgendwer zahlt es am Ende: entweder "
                            "über höhere Beiträge oder über Steuern. Das gehört zur Ehrlichkeit "
                            "dazu.",
                            {"hours": 18},
                        ),
                        (
                            "bernd",
                            "Dann sollen eben auch Beamte und Abgeordnete einzahlen. In "
                            "Österreich geht das doch auch.",
                            {"hours": 17},
                        ),
                    ],
                },
            ),
            (
                "jule",
                "Was im Text leider fehlt: Für meine Generation ist die Frage nicht die "
                "Haltelinie 2031, sondern ob es 2060 überhaupt noch etwas gibt. Eine "
                "Kapitaldeckung nach schwedischem Vorbild wäre eine Diskussion wert.",
                {"hours": 15, "pick": True},
            ),
            (
                "friedrich",
                "Sehr sachlicher Artikel, danke. Die Grafik zur Entwicklung des "
                "Beitragssatzes hätte ich mir noch gewünscht.",
                {"hours": 12},
            ),
            (
                "oezguer",
                "Meine Eltern sind in den Siebzigern aus Izmir gekommen und haben hier ihr "
                "Leben lang gearbeitet. Sie bekommen heute zusammen keine 1.600 Euro. Das "
                "ist die Realität, über die wir reden.",
                {"hours": 9},
            ),
            (
                "hannes",
                "Rentenpolitik wird seit Jahrzehnten nach der nächsten Wahl gemacht, nicht "
                "nach der nächsten Generation. Daran ändert auch dieses Paket nichts.",
                {"hours": 6},
            ),
            (
                "paula",
                "Diese ganzen Schmarotzer in Berlin sollen erst mal selbst arbeiten gehen!",
                {"hours": 1, "state": "pending"},
            ),
        ],
    ),
    (
        "Streit um den Wolf",
        [
            (
                "paula",
                "Wer nie eine gerissene Herde gesehen hat, redet sich leicht. Die "
                "Schäferinnen im Fläming sind mit ihren Sorgen allein gelassen worden.",
                {
                    "hours": 40,
                    "replies": [
                        (
                            "kiel",
                            "Allein gelassen stimmt nicht ganz: Brandenburg zahlt Zäune und "
                            "Entschädigungen. Dass die Anträge Monate dauern, ist das Problem.",
                            {"hours": 38},
                        )
                    ],
                },
            ),
            (
                "friedrich",
                "Der Wolf ist zurück, weil wir ihn geschützt haben. Das ist ein Erfolg des "
                "Naturschutzes – und die Kosten dafür müssen alle tragen, nicht nur die "
                "Weidetierhalter.",
                {"hours": 30, "pick": True},
            ),
            (
                "bernd",
                "Abschießen, fertig. Dieses romantische Getue aus der Großstadt kann ich "
                "nicht mehr hören.",
                {"hours": 26, "report": ("jule", "Beleidigend gegenüber Menschen aus der Stadt")},
            ),
            (
                "hannes",
                "Mich würde interessieren, wie viele Risse es in Herden mit "
                "Herdenschutzhunden gab. Gibt es dazu Zahlen?",
                {"hours": 22},
            ),
        ],
    ),
    (
        "Wohnungsnot zum Semesterstart",
        [
            (
                "jule",
                "Kenne ich aus Leipzig: drei Wochen auf der Couch einer Freundin, 40 "
                "Besichtigungen, am Ende 520 Euro für 14 Quadratmeter.",
                {"hours": 50},
            ),
            (
                "mara",
                "Das Studierendenwerk könnte viel mehr bauen, wenn die Länder die Mittel "
                "nicht jedes Jahr kürzen würden.",
                {"hours": 44},
            ),
            (
                "oezguer",
                "Gute Reportage. Vielleicht mal nachhaken, wie viele Wohnungen in Göttingen "
                "als Ferienwohnungen vermietet werden.",
                {"hours": 33},
            ),
        ],
    ),
    (
        "Streit um die Heizungsförderung",
        [
            (
                "kiel",
                "Wir haben 2024 eine Wärmepumpe in einen Altbau von 1958 eingebaut. Läuft. "
                "Man muss nur vorher ordentlich planen und nicht auf jeden Mythos hören.",
                {"hours": 70, "pick": True},
            ),
            (
                "hannes",
                "Die ständige Änderung der Förderung ist das eigentliche Problem. Niemand "
                "investiert 30.000 Euro, wenn er nicht weiß, was nächstes Jahr gilt.",
                {"hours": 65},
            ),
        ],
    ),
    (
        "Nahverkehr auf dem Land",
        [
            (
                "paula",
                "Großartige Idee! Bei uns im Vogtland fährt der letzte Bus um 18.12 Uhr. "
                "Vielleicht sollten wir auch eine Genossenschaft gründen.",
                {"hours": 10},
            ),
            (
                "friedrich",
                "Wer haftet eigentlich, wenn die ehrenamtlichen Fahrer einen Unfall haben? "
                "Das wird im Artikel leider nicht beantwortet.",
                {"hours": 7},
            ),
        ],
    ),
    (
        "EU-Gipfel in Brüssel",
        [
            (
                "mara",
                "Dass sich die Staats- und Regierungschefs wieder nur auf einen Fahrplan "
                "geeinigt haben, überrascht niemanden mehr.",
                {"hours": 2},
            ),
            (
                "bernd",
                "Die Lügenpresse verschweigt natürlich, wer das alles bezahlt. Mehr dazu "
                "unter https://example.org/wahrheit und www.example.net/aufwachen",
                {"hours": 1, "state": "pending"},
            ),
        ],
    ),
    (
        "Genossenschaft im Stadtteil",
        [
            (
                "kiel",
                "Ich bin Mitglied der ersten Stunde. Das Brot ist teurer als beim Discounter, "
                "aber ich weiß, wer es backt und dass sie davon leben kann.",
                {"hours": 3, "state": "pending"},
            ),
        ],
    ),
]


def _commenter(key: str) -> Any:
    email, pseudonym = COMMENTERS[key]
    address = EmailAddress.objects.filter(email__iexact=email).select_related("user").first()
    if address is not None:
        return address.user
    return create_reader(email, pseudonym, DEMO_PASSWORD, verified=True)


def _moderator() -> Any:
    username, name = MODERATOR
    return demo_staff_login(username, name, ["Community-Moderation"])


def _place(
    article: ArticlePage,
    who: str,
    text: str,
    options: dict[str, Any],
    key: str,
    moderator: Any,
    parent: Comment | None = None,
) -> int:
    author = _commenter(who)
    result = services.post_comment(
        author, article, text, parent=parent, idempotency_key=key, rate_limited=False
    )
    comment = result.comment
    created = 0
    if result.created:
        created = 1
        written = timezone.now() - timedelta(hours=options.get("hours", 1))
        Comment.objects.filter(pk=comment.pk).update(created_at=written)
        if options.get("state", "approved") == "approved":
            comment = services.approve_comment(comment, moderator)
            Comment.objects.filter(pk=comment.pk).update(
                approved_at=written + timedelta(minutes=20)
            )
            if options.get("pick"):
                services.pick_comment(comment, moderator)
        if options.get("report"):
            reporter, reason = options["report"]
            services.report_comment(comment, _commenter(reporter), reason)
    for number, (reply_who, reply_text, reply_options) in enumerate(options.get("replies", [])):
        created += _place(
            article,
            reply_who,
            reply_text,
            reply_options,
            f"{key}-{number}",
            moderator,
            parent=comment,
        )
    return created


def load(out: TextIO) -> None:
    moderator = _moderator()
    site = Site.objects.filter(is_default_site=True).first()
    if site is not None:
        comment_settings = CommentSettings.for_site(site)
        if not comment_settings.banned_words:
            comment_settings.banned_words = BANNED_WORDS
            comment_settings.save()
    created = 0
    for kicker, comments in DISCUSSIONS:
        article = ArticlePage.objects.live().filter(kicker=kicker).first()
        if article is None:
            continue
        for number, (who, text, options) in enumerate(comments):
            created += _place(
                article, who, text, options, f"demo-{article.slug}-{number}", moderator
            )
    # The oldest demo article shows a discussion that closed itself after a week.
    ArticlePage.objects.filter(kicker="Bibliothek am Sonntag").update(
        comments_mode=ArticlePage.CommentsMode.AUTO_CLOSE, comments_close_after_days=7
    )
    waiting = open_queue_size()
    out.write(
        f"Kommentare: {created} angelegt, {waiting} warten in der Moderation "
        f"({RejectionReason.objects.count()} Ablehnungsgründe). "
        f"Moderation im CMS: {MODERATOR[0]} / {DEMO_PASSWORD}.\n"
    )
