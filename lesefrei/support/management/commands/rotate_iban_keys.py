from typing import Any

from django.core.management.base import BaseCommand

from lesefrei.support import services


class Command(BaseCommand):
    help = (
        "Re-encrypt every stored IBAN with the first key of SUPPORT_IBAN_KEYS; afterwards the "
        "older keys can be removed from the setting."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = services.rotate_iban_keys()
        self.stdout.write(f"{count} IBANs mit dem neuesten Schlüssel neu verschlüsselt.")
