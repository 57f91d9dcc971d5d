"""Django's development server with the publishing scheduler beside it.

`make demo` and `make run` start the development server; scheduled articles go live
without a second process to remember. The scheduler runs as a thread of the server
process, so it shares the embedded profile's in-memory cache and drops the pages it
publishes from it (a separate process could not reach that cache).
"""

from typing import Any

from django.contrib.staticfiles.management.commands.runserver import (
    Command as StaticfilesRunserverCommand,
)
from django.core.management.base import CommandParser

from lesefrei.content.scheduling import DEFAULT_INTERVAL, start_scheduler_thread


class Command(StaticfilesRunserverCommand):
    help = StaticfilesRunserverCommand.help + " Publishes scheduled pages in a thread beside it."

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--no-scheduler",
            action="store_false",
            dest="use_scheduler",
            help="do not publish scheduled pages from this process",
        )
        parser.add_argument(
            "--scheduler-interval",
            type=float,
            default=DEFAULT_INTERVAL,
            help=f"seconds between scheduler runs (default {DEFAULT_INTERVAL:g})",
        )

    def inner_run(self, *args: Any, **options: Any) -> None:
        # inner_run is the serving process (the autoreloader's child): the thread starts
        # again with it after every code change and ends with it.
        if options.get("use_scheduler", True):
            start_scheduler_thread(options.get("scheduler_interval") or DEFAULT_INTERVAL)
        super().inner_run(*args, **options)
