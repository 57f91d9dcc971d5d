from typing import Any

from django.core.management.base import BaseCommand

from lesefrei.comments.services import refresh_most_commented


class Command(BaseCommand):
    help = (
        "Move 'meistkommentiert' along its time window: drop the cached list and the pages "
        "showing it when comments have aged out of the window. Run it e.g. hourly."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        changed = refresh_most_commented()
        self.stdout.write("meistkommentiert: " + ("erneuert" if changed else "unverändert"))
