from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from lesefrei.content.workflow import ensure_german_workflow_names
from lesefrei.demo import accounts, articles, comments, live, pages, supporters
from lesefrei.demo.logins import DEMO_PASSWORD, demo_staff_login

# In dependency order: articles first, then readers, their comments and their pledges.
DEMO_LOADERS = [articles, pages, accounts, comments, supporters, live]

# (username, name, groups, superuser): an editor who writes and submits for review,
# an editor-in-chief who approves and publishes, and an administrator.
DEMO_ACCOUNTS = [
    ("redaktion", "Rita Redakteurin", ["Editors"], False),
    ("chefredaktion", "Carl Chefredakteur", ["Moderators"], False),
    ("admin", "Ada Admin", [], True),
]


class Command(BaseCommand):
    help = "Load the demo newspaper (sections, authors, articles, accounts). Safe to run again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quiet-accounts", action="store_true", help="do not print logins")

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        for loader in DEMO_LOADERS:
            loader.load(self.stdout)
        self.create_accounts()
        # The workflow the editor-in-chief approves in ("Freigabe durch die Chefredaktion").
        ensure_german_workflow_names()
        if not options["quiet_accounts"]:
            self.stdout.write(
                f"\nCMS: {settings.SITE_URL}/cms/  (Passwort jeweils: {DEMO_PASSWORD})"
            )
            for username, name, groups, superuser in DEMO_ACCOUNTS:
                role = "Administrator" if superuser else ", ".join(groups)
                self.stdout.write(f"  {username:<14} {name} – {role}")

    def create_accounts(self) -> None:
        for username, name, groups, superuser in DEMO_ACCOUNTS:
            demo_staff_login(username, name, groups, superuser=superuser)
