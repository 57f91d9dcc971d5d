import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from lesefrei.content.scheduling import DEFAULT_INTERVAL, publish_scheduled, run_scheduler


class Command(BaseCommand):
    help = (
        "Publish and unpublish pages whose scheduled time has come (Wagtail's go-live and "
        "expiry times), every --interval seconds; --once runs one pass and exits. Safe to "
        "run twice at once: nothing is published twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval",
            type=float,
            default=DEFAULT_INTERVAL,
            help=f"seconds between runs (default {DEFAULT_INTERVAL:g})",
        )
        parser.add_argument("--once", action="store_true", help="one run, then exit")
        parser.add_argument(
            "--exit-with-parent",
            action="store_true",
            help="stop when the process that started this one ends",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["once"]:
            run = publish_scheduled()
            if options["verbosity"] > 0:
                self.stdout.write(
                    f"veröffentlicht: {len(run.published)}, zurückgezogen: "
                    f"{len(run.unpublished)}, fehlgeschlagen: {len(run.failed)}"
                )
            if run.failed:
                raise SystemExit(1)
            return
        if options["interval"] <= 0:
            self.stderr.write("--interval muss größer als 0 sein.")
            raise SystemExit(2)
        stop = threading.Event()
        # systemd, honcho and Ctrl+C stop the loop between two runs, never inside one.
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        run_scheduler(options["interval"], stop, exit_with_parent=options["exit_with_parent"])
