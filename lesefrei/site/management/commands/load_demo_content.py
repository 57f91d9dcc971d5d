from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from lesefrei.accounts import demo as accounts_demo
from lesefrei.comments import demo as comments_demo
from lesefrei.content import demo as content_demo
from lesefrei.content.workflow import ensure_german_workflow_names
from lesefrei.live import demo as live_demo
from lesefrei.pages import demo as pages_demo
from lesefrei.site.demo import DEMO_PASSWORD, demo_staff_login
from lesefrei.support import demo as support_demo

# In dependency order: articles first, then readers, their comments and their pledges.
DEMO_LOADERS = [content_demo, pages_demo, accounts_demo, comments_demo, support_demo, live_demo]

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
