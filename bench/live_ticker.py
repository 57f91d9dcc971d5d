"""Benchmark row: 500 readers on a live ticker while an editor adds an entry every 10 s.

The shipped nginx configuration in front of the production stack (gunicorn, PostgreSQL,
Redis, page cache on); wrk holds 500 keep-alive connections on the ticker page (pinned
to the load CPU, bounded in time); an editor process adds an entry every 10 seconds
through lesefrei.live.services.add_entry; a watcher asks for the page through nginx every
20 ms and notes when each new entry (and its JSON-LD update) first appears. Reported:
requests/s, p50/p95/p99 latency and errors of the readers, and for every entry the delay
from its commit to the first answer showing it (target: at most 2 s).

    .venv/bin/python bench/live_ticker.py [--database URL] [--seconds 60] [--readers 500]

or as the step "live" of bench/run.py. Everything runs on 127.0.0.1 and every process is
ended when the run ends (also on failure and Ctrl+C).

Django-side helpers (run with the app's settings by the steps above):

    … bench/live_ticker.py django-prepare            # the bench ticker with 30 entries
    … bench/live_ticker.py django-editor --ticker ID --every 10 --seconds 60
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
import urllib.request
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

SLUG = "bench-liveticker"
BASE_ENTRIES = 30


# Django side


def django_setup() -> None:
    sys.path.insert(0, str(BENCH.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lesefrei.settings.dev")
    import django

    django.setup()


def django_prepare() -> dict:
    """The bench ticker (slug bench-liveticker) with exactly BASE_ENTRIES entries, made and
    trimmed through the services; an editor account for the editor process."""
    django_setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from lesefrei.content.models import HomePage, SectionPage
    from lesefrei.live import services
    from lesefrei.live.models import LiveTickerPage

    ticker = LiveTickerPage.objects.filter(slug=SLUG).first()
    if ticker is None:
        section = SectionPage.objects.live().order_by("path").first()
        if section is None:  # a database without the demo content
            home = HomePage.objects.get()
            section = SectionPage(title="Politik", slug="politik", show_in_menus=True)
            home.add_child(instance=section)
            section.save_revision().publish()
        ticker = LiveTickerPage(
            title="Bench: Wahlabend im Landtag",
            slug=SLUG,
            kicker="Landtagswahl",
            teaser="Der Liveticker des Benchmarks: 30 Einträge, alle zehn Sekunden ein neuer.",
            body=[("paragraph", "<p>Hintergrund zum Wahlabend.</p>")],
            live=False,
        )
        section.add_child(instance=ticker)
        ticker.save_revision().publish()
        ticker.refresh_from_db()
    entries = list(ticker.entries.order_by("pk"))
    for entry in entries[BASE_ENTRIES:]:
        services.delete_entry(entry)
    for number in range(len(entries), BASE_ENTRIES):
        services.add_entry(
            ticker,
            title=f"Wahlkreis {number + 1} ausgezählt" if number % 3 == 0 else "",
            text=(
                f"<p>Im Wahlkreis {number + 1} liegt die Regierungspartei nach Auszählung "
                "aller Stimmbezirke knapp vorn; die Wahlbeteiligung stieg um zwei Punkte.</p>"
            ),
            media=(
                [("quote", {"text": "Ein langer Abend.", "attribution": "Die Landeswahlleiterin"})]
                if number % 7 == 0
                else []
            ),
            pinned=number == 0,
        )
    user, _ = get_user_model().objects.get_or_create(
        username="bench-redaktion", defaults={"is_staff": True}
    )
    user.groups.add(Group.objects.get(name="Editors"))
    return {"pk": ticker.pk, "url": ticker.url, "entries": ticker.entries.count()}


def django_editor(ticker_id: int, every: float, seconds: float, first: float) -> None:
    """Add an entry every `every` seconds (the first after `first`) until `seconds` have
    passed; print one JSON line per entry with its marker and the time of its commit."""
    django_setup()
    import secrets

    from django.contrib.auth import get_user_model

    from lesefrei.live import services
    from lesefrei.live.models import LiveTickerPage

    ticker = LiveTickerPage.objects.get(pk=ticker_id)
    editor = get_user_model().objects.get(username="bench-redaktion")
    started = time.monotonic()
    number = 0
    next_at = started + first
    while next_at - started < seconds:
        time.sleep(max(0.0, next_at - time.monotonic()))
        number += 1
        marker = f"Messpunkt{number}x{secrets.token_hex(4)}"
        entry = services.add_entry(
            ticker, text=f"<p>{marker}: neue Zahlen aus dem Wahlkreis.</p>", user=editor
        )
        print(json.dumps({"marker": marker, "entry": entry.pk, "at": time.time()}), flush=True)
        next_at += every


# The row


class Watcher(threading.Thread):
    """Asks for `url` every `interval` seconds and notes when each text first appears."""

    def __init__(self, url: str, interval: float = 0.02) -> None:
        super().__init__(daemon=True)
        self.url, self.interval = url, interval
        self.seen: dict[str, float] = {}
        self.errors = 0
        self.stopped = threading.Event()
        self.markers: list[str] = []
        self.lock = threading.Lock()

    def watch(self, marker: str) -> None:
        with self.lock:
            self.markers.append(marker)

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                body = urllib.request.urlopen(self.url, timeout=5).read().decode()
                now = time.time()
            except OSError:
                self.errors += 1
                continue
            with self.lock:
                pending = [m for m in self.markers if m not in self.seen]
            for marker in pending:
                # In the entries and in the JSON-LD (its articleBody starts with the marker).
                if marker in body and f'"{marker}' in body:
                    self.seen[marker] = now
            self.stopped.wait(self.interval)


def live_row(database: str, seconds: int, readers: int, workers: int, work: Path) -> dict:
    from harness import LOAD_CPU, PYTHON, wrk
    from run import app_env, flush_redis, production_stack

    from scripts.processes import start

    env = app_env(database, page_cache=True)
    ticker = json.loads(
        _run_django(env, "django-prepare").strip().splitlines()[-1],
    )
    flush_redis()
    editor_log = work / "editor.jsonl"
    with production_stack(work, database, "gunicorn", workers, ticker["url"]) as site:
        url = site + ticker["url"]
        watcher = Watcher(url)
        watcher.start()
        with start(
            "editor",
            [
                PYTHON,
                BENCH / "live_ticker.py",
                "django-editor",
                "--ticker",
                str(ticker["pk"]),
                "--every",
                "10",
                "--first",
                "5",
                "--seconds",
                str(seconds - 3),
            ],
            env=env,
            log=editor_log,
        ) as editor:
            follow = threading.Thread(target=_follow, args=(editor.process, editor_log, watcher))
            follow.start()
            result = wrk(url, seconds, readers, work=work, pin=LOAD_CPU, timeout="10s")
            editor.process.wait(timeout=30)
            follow.join(timeout=5)
        time.sleep(2.5)  # the last entry's two seconds
        watcher.stopped.set()
        watcher.join(timeout=10)
    added = added_entries(editor_log)
    delays = [
        watcher.seen[item["marker"]] - item["at"] if item["marker"] in watcher.seen else None
        for item in added
    ]
    return {"wrk": result, "entries": len(added), "delays": delays, "ticker": ticker}


def added_entries(log: Path) -> list[dict]:
    """The editor's JSON lines (its log also has anything Django printed)."""
    lines = log.read_text(encoding="utf-8", errors="replace").splitlines() if log.exists() else []
    return [json.loads(line) for line in lines if line.startswith('{"marker"')]


def _follow(editor, log: Path, watcher: Watcher) -> None:
    """Hand each entry the editor added to the watcher as soon as it is logged."""
    known = 0
    while True:
        finished = editor.poll() is not None
        added = added_entries(log)
        for item in added[known:]:
            watcher.watch(item["marker"])
        known = len(added)
        if finished:
            return
        time.sleep(0.01)


def _run_django(env: dict, *args: str) -> str:
    from harness import PYTHON, run

    return run(PYTHON, BENCH / "live_ticker.py", *args, env=env, timeout=600)


def row_text(measured: dict, readers: int) -> tuple[str, str, str]:
    result, delays = measured["wrk"], measured["delays"]
    shown = [d for d in delays if d is not None]
    worst = max(shown) if shown else float("nan")
    met = bool(delays) and len(shown) == len(delays) and worst <= 2.0 and not result["errors"]
    text = (
        f"{result['rps']:,.0f} req/s, p95 {result['p95']:.1f} ms (p50 {result['p50']:.1f}, "
        f"p99 {result['p99']:.1f}; {result['errors']} errors); {measured['entries']} entries "
        f"visible after {', '.join(f'{d:.2f}' if d is not None else 'never' for d in delays)} s"
        f" (max {worst:.2f} s)"
    )
    return text, "every entry ≤ 2 s", "met" if met else "missed"


def live_step(suite, database: str) -> None:
    """The row in bench/run.py's table (60 s, 25 s with --quick)."""
    from run import Row

    seconds = 25 if suite.args.quick else 60
    measured = live_row(database, seconds, 500, suite.args.workers, suite.work)
    text, target, verdict = row_text(measured, 500)
    suite.rows.append(
        Row(
            f"Live ticker, 500 readers via nginx → gunicorn ×{suite.args.workers}, an entry "
            f"every 10 s for {seconds} s (delay until each entry is visible)",
            text,
            "",
            "",
            target,
            verdict,
        )
    )


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "django-prepare":
        print(json.dumps(django_prepare()))
        return
    if len(sys.argv) > 1 and sys.argv[1] == "django-editor":
        parser = argparse.ArgumentParser()
        parser.add_argument("command")
        parser.add_argument("--ticker", type=int, required=True)
        parser.add_argument("--every", type=float, default=10)
        parser.add_argument("--first", type=float, default=5)
        parser.add_argument("--seconds", type=float, default=60)
        args = parser.parse_args()
        django_editor(args.ticker, args.every, args.seconds, args.first)
        return

    import shutil
    import tempfile

    from harness import install_signal_handlers, machine_facts, run
    from run import PG, database_exists, manage

    from scripts.processes import stop_all

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=f"{PG}/lesefrei_bench_dev")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--readers", type=int, default=500)
    parser.add_argument("--workers", type=int, default=3)
    args = parser.parse_args()
    install_signal_handlers()
    work = Path(tempfile.mkdtemp(prefix="lesefrei-bench-live-"))
    try:
        # Migrated, with or without the demo content: the step makes its own ticker.
        if not database_exists(args.database):
            run("createdb", "-h", "127.0.0.1", "-U", "postgres", args.database.rsplit("/", 1)[1])
        manage(args.database, "migrate", "--no-input", "-v0", timeout=1800)
        manage(args.database, "collectstatic", "--no-input", "-v0")
        facts = machine_facts(args.database)
        measured = live_row(args.database, args.seconds, args.readers, args.workers, work)
        text, target, verdict = row_text(measured, args.readers)
        print("\n".join(f"- {fact}" for fact in facts))
        print(f"- nproc {os.cpu_count()}, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
        print(
            f"\n| Live ticker, {args.readers} readers via nginx, an entry every 10 s "
            f"({args.seconds} s) | {text} | | | {target} | {verdict} |"
        )
    finally:
        stop_all()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
