"""Demo readers, loaded by `manage.py load_demo_content` after the articles.

Confirmed readers with the demo password, so that `make demo` can show comments from
several people and a visitor can log in as one of them. Safe to run again.
"""

from typing import TextIO

from django.conf import settings

from lesefrei.accounts.services import create_reader

from .logins import DEMO_PASSWORD

# (e-mail, pseudonym)
DEMO_READERS = [
    ("leserin.kiel@example.org", "Leserin_aus_Kiel"),
    ("mara.k@example.org", "Mara K."),
    ("bernd57@example.org", "Bernd_57"),
    ("jule.aus.leipzig@example.org", "Jule aus Leipzig"),
    ("oezguer@example.org", "Özgür"),
    ("friedrich.w@example.org", "Friedrich W."),
]


def load(out: TextIO) -> None:
    from allauth.account.models import EmailAddress

    created = 0
    for email, pseudonym in DEMO_READERS:
        if EmailAddress.objects.filter(email__iexact=email).exists():
            continue
        create_reader(email, pseudonym, DEMO_PASSWORD, verified=True)
        created += 1
    first_email = DEMO_READERS[0][0]
    out.write(
        f"Leserkonten: {created} angelegt, {len(DEMO_READERS)} insgesamt. "
        f"Anmelden unter {settings.SITE_URL}/konto/login/ z. B. als {first_email} "
        f"(Passwort: {DEMO_PASSWORD}).\n"
    )
    mailer = settings.MAILERS["default"]
    backend = mailer["BACKEND"].rsplit(".", 2)[-2]
    where = {
        "console": "im Terminal, in dem der Server läuft",
        "filebased": f"als Dateien in {mailer.get('OPTIONS', {}).get('file_path')}",
        "smtp": "per SMTP",
        "locmem": "im Speicher (Tests)",
    }.get(backend, backend)
    out.write(f"E-Mails (Bestätigungslinks, Passwort vergessen) erscheinen {where}.\n")
