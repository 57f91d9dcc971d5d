"""lesefrei's benchmark suite: one command, one table, everything measured in the same run.

    .venv/bin/python bench/run.py \
        --database postgres://postgres@127.0.0.1:5432/lesefrei_bench_100k \
        [--corpus 10000 | --compare-database URL] [--quick] [--output table.md]

- `--database`: the corpus to measure (made by `manage.py generate_corpus`). Without it,
  the suite uses lesefrei_bench_dev, created and filled with the demo content when empty.
- `--corpus N`: also measure the growth rows on a second corpus of N articles
  (database lesefrei_bench_<N>, made with generate_corpus when it does not exist yet:
  N articles, 10·N comments, N supporters); `--compare-database URL` names one instead.
- `--quick`: short runs (3 s per wrk run, 5 s of comment posting, 10,000 SEPA
  collections) to check that everything works; a few minutes in all.
- `--output FILE`: also write the Markdown table (with the machine facts) to FILE.

Needs PostgreSQL and Redis on 127.0.0.1 (the suite uses Redis database 8 and flushes it),
nginx (`apt-get install nginx`, brotli modules optional), wrk, taskset and psql.
Everything runs on 127.0.0.1; every server is started and stopped by the suite, also on
failure and Ctrl+C; every run is bounded in time. See bench/README.md for what each row
measures and how.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

# Run as a file: the bench modules, and the repository for the scripts package.
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))

from harness import (
    BENCH,
    BIN,
    LOAD_CPU,
    PYTHON,
    ROOT,
    SERVER_CPU,
    fetch,
    install_signal_handlers,
    machine_facts,
    rotating_paths_lua,
    run,
    wrk,
)
from live_ticker import live_step

from scripts.processes import (
    NGINX,
    AppServer,
    Server,
    start_app,
    start_nginx,
    stop_all,
    wait_for_url,
)

PG = "postgres://postgres@127.0.0.1:5432"
REDIS = "redis://127.0.0.1:6379/8"
APP_PORT, NGINX_PORT, REFERENCE_PORT = 8301, 8380, 8302


@dataclass
class Row:
    name: str
    result: str
    reference: str = ""
    ratio: str = ""
    target: str = ""
    verdict: str = ""


@dataclass
class Suite:
    args: argparse.Namespace
    work: Path
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    corpus: str = ""
    page_bytes: int = 0
    cold_rps: dict[str, float] = field(default_factory=dict)
    search_p95: float | None = None

    def step(self, title: str, function: Callable[[], None]) -> None:
        started = time.monotonic()
        print(f"== {title}", file=sys.stderr, flush=True)
        try:
            function()
        except Exception as error:  # one failed step must not hide the others
            traceback.print_exc()
            self.rows.append(Row(title, f"failed: {str(error).splitlines()[0][:160]}"))
        finally:
            stop_all()
        print(f"   {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)


def ratio_row(
    name: str, value: float, reference_name: str, reference: float, goal: float | None
) -> Row:
    ratio = value / reference if reference else 0.0
    return Row(
        name,
        f"{value:,.0f} req/s",
        f"{reference_name}: {reference:,.0f} req/s",
        f"{ratio:.2f}×",
        f"≥ {goal:g}×" if goal else "",
        ("met" if ratio >= goal else "missed") if goal else "",
    )


# Environment of the app and of manage.py


def app_env(database: str, *, page_cache: bool) -> dict[str, str]:
    # Bytecode is cached as on a server (a PYTHONDONTWRITEBYTECODE in the caller's
    # environment would make every start compile the whole project again).
    base = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {
        **base,
        "DJANGO_SETTINGS_MODULE": "lesefrei.settings.production",
        "SECRET_KEY": "bench-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "MAIL_BACKEND": "console",
        "DATABASE_URL": database,
        "REDIS_URL": REDIS,
        "PAGE_CACHE": "1" if page_cache else "0",
        "LOG_LEVEL": "WARNING",
        "STATIC_ROOT": str(ROOT / "var" / "bench-static"),
    }


def manage(database: str, *args: str, timeout: float = 600) -> str:
    return run(PYTHON, "manage.py", *args, env=app_env(database, page_cache=False), timeout=timeout)


def prepare(database: str, *args: str, timeout: float = 900) -> object:
    output = run(
        PYTHON,
        BENCH / "prepare.py",
        *args,
        env=app_env(database, page_cache=False),
        timeout=timeout,
    )
    return json.loads(output.strip().splitlines()[-1])


def flush_redis() -> None:
    run("redis-cli", "-n", REDIS.rsplit("/", 1)[1], "flushdb", timeout=30)


def database_exists(url: str) -> bool:
    name = url.rsplit("/", 1)[1]
    output = run(
        "psql",
        f"{PG}/postgres",
        "-tAc",
        f"SELECT 1 FROM pg_database WHERE datname = '{name}'",
        timeout=30,
    )
    return output.strip() == "1"


def ensure_database(url: str, *, corpus: int | None = None) -> None:
    """Create and fill the database when it does not exist: with generate_corpus when a
    corpus size is given, else with the demo content."""
    if not database_exists(url):
        run("createdb", "-h", "127.0.0.1", "-U", "postgres", url.rsplit("/", 1)[1], timeout=60)
    manage(url, "migrate", "--no-input", "-v0", timeout=1800)
    info = prepare(url, "info")
    if info["articles"] == 0:
        if corpus:
            manage(
                url,
                "generate_corpus",
                "--articles",
                str(corpus),
                "--comments",
                str(corpus * 10),
                "--supporters",
                str(corpus),
                timeout=3600,
            )
        else:
            manage(url, "load_demo_content", "--quiet-accounts", timeout=900)


# Servers


def app(
    database: str,
    *,
    page_cache: bool,
    ready_path: str,
    server: AppServer = "gunicorn",
    workers: int = 1,
    pin: str | None = SERVER_CPU,
) -> Server:
    """The app on APP_PORT (on the server CPU unless `pin` is None), once `ready_path`
    answers (its first request may take long: imports, cold caches)."""
    return start_app(
        APP_PORT,
        server=server,
        workers=workers,
        env=app_env(database, page_cache=page_cache),
        pin=pin,
        ready_path=ready_path,
        timeout=120,
    )


def web(work: Path, static_root: Path, *, ready_path: str, pin: str | None = SERVER_CPU) -> Server:
    """nginx (shipped config) on NGINX_PORT in front of APP_PORT, static files and
    uploads from `static_root`, once `ready_path` answers through it."""
    return start_nginx(
        work / "nginx",
        NGINX_PORT,
        app=f"127.0.0.1:{APP_PORT}",
        static=static_root,
        media=static_root,
        pin=pin,
        ready_path=ready_path,
        timeout=120,
    )


def reference_site(
    app: str, cwd: Path, ready_path: str, env: dict[str, str] | None = None
) -> Server:
    """A comparison site (WSGI `app` from `cwd`) under gunicorn, one worker, on
    REFERENCE_PORT and the server CPU, once `ready_path` answers."""
    return start_app(
        REFERENCE_PORT, app=app, env=env, cwd=cwd, pin=SERVER_CPU, ready_path=ready_path,
        timeout=120,
    )  # fmt: skip


@contextmanager
def production_stack(
    work: Path,
    database: str,
    server: AppServer,
    workers: int,
    ready_path: str = "/healthz",
) -> Iterator[str]:
    """nginx (shipped config) in front of the app server with the production worker
    count, nothing pinned (PostgreSQL and Redis share the two cores); yields nginx's URL
    once `ready_path` answers through it."""
    with (
        app(
            database, page_cache=True, ready_path="/healthz", server=server, workers=workers,
            pin=None,
        ),
        web(work, work / "static-root", ready_path=ready_path, pin=None),
    ):  # fmt: skip
        yield f"http://127.0.0.1:{NGINX_PORT}"


CACHE_PAGE_SITE = """
from pathlib import Path
from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.cache import cache_page

BODY = Path({body!r}).read_bytes()
settings.configure(
    DEBUG=False, ALLOWED_HOSTS=["*"], ROOT_URLCONF=__name__, SECRET_KEY="bench",
    CACHES={{"default": {{"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": {redis!r}, "KEY_PREFIX": "cache-page-reference"}}}},
    MIDDLEWARE=["django.middleware.security.SecurityMiddleware",
                "django.middleware.common.CommonMiddleware"],
)

@cache_page(3600)
def article(request):
    return HttpResponse(BODY, content_type="text/html; charset=utf-8")

urlpatterns = [path("article/", article)]
application = get_wsgi_application()
"""


def stock_wagtail(work: Path) -> tuple[Path, dict[str, str]]:
    """A new `wagtail start` site with its stock home page (SQLite, as generated)."""
    stock = work / "stock"
    run(
        BIN / "wagtail",
        "start",
        "stocksite",
        stock,
        env={**os.environ, "PATH": f"{BIN}:{os.environ['PATH']}"},
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "stocksite.settings.production",
        "SECRET_KEY": "bench-" + "x" * 40,
    }
    (stock / "stocksite" / "settings" / "local.py").write_text(
        'ALLOWED_HOSTS = ["*"]\nSECRET_KEY = "bench-stock-site"\n'
    )
    run(PYTHON, "manage.py", "migrate", "-v0", env=env, cwd=stock, timeout=600)
    run(PYTHON, "manage.py", "collectstatic", "--no-input", "-v0", env=env, cwd=stock)
    return stock, env


# Steps


def read_path(suite: Suite, database: str, paths: dict[str, str]) -> None:
    """Throughput rows: every server on CPU 0, wrk on CPU 1, one after the other."""
    args, work = suite.args, suite.work
    seconds, connections = args.seconds, args.connections
    measured: dict[str, dict] = {}

    def measure(name: str, url: str) -> None:
        measured[name] = wrk(url, seconds, connections, work=work)
        if measured[name]["errors"]:
            suite.notes.append(f"{name}: {measured[name]['errors']} errors")

    article = paths["article"]
    flush_redis()
    server: AppServer
    for server in ("gunicorn", "granian"):
        with app(database, page_cache=True, ready_path=article, server=server):
            body = fetch(f"http://127.0.0.1:{APP_PORT}{article}")
            measure(f"app {server}", f"http://127.0.0.1:{APP_PORT}{article}")

    static_root = work / "static-root"
    (static_root / "bench").mkdir(parents=True, exist_ok=True)
    (static_root / "bench" / "article.html").write_bytes(body)
    with (
        app(database, page_cache=True, ready_path=article, server="granian"),
        web(work, static_root, ready_path=article),
    ):
        measure("nginx app", f"http://127.0.0.1:{NGINX_PORT}{article}")
        measure("nginx static", f"http://127.0.0.1:{NGINX_PORT}/static/bench/article.html")

    (work / "cache_page_site.py").write_text(
        CACHE_PAGE_SITE.format(body=str(static_root / "bench" / "article.html"), redis=REDIS)
    )
    with reference_site("cache_page_site:application", work, "/article/"):
        measure("cache_page", f"http://127.0.0.1:{REFERENCE_PORT}/article/")

    with app(database, page_cache=False, ready_path=article):
        for name, path in paths.items():
            if name == "section":
                continue
            wait_for_url(f"http://127.0.0.1:{APP_PORT}{path}", timeout=120)
            measure(f"cold {name}", f"http://127.0.0.1:{APP_PORT}{path}")

    stock, stock_env = stock_wagtail(work)
    with reference_site("stocksite.wsgi:application", stock, "/", env=stock_env):
        measure("wagtail start", f"http://127.0.0.1:{REFERENCE_PORT}/")

    rps = {name: result["rps"] for name, result in measured.items()}
    suite.page_bytes = len(body)
    suite.rows += [
        ratio_row(
            "Hot article via nginx (shipped config) → granian",
            rps["nginx app"],
            "nginx serving the same bytes as a static file",
            rps["nginx static"],
            0.8,
        ),
        ratio_row(
            "Hot article, app alone (gunicorn, 1 sync worker)",
            rps["app gunicorn"],
            "Django cache_page (gunicorn, 1 sync worker)",
            rps["cache_page"],
            2,
        ),
        ratio_row(
            "Hot article, app alone (granian, 1 worker)",
            rps["app granian"],
            "Django cache_page (gunicorn, 1 sync worker)",
            rps["cache_page"],
            2,
        ),
        ratio_row(
            f"Cold article, {args.comments} comments, page cache off (gunicorn, 1 worker)",
            rps["cold article"],
            "stock `wagtail start` page (gunicorn, 1 worker)",
            rps["wagtail start"],
            3,
        ),
        ratio_row(
            "Cold home page, page cache off (gunicorn, 1 worker)",
            rps["cold home"],
            "stock `wagtail start` page (gunicorn, 1 worker)",
            rps["wagtail start"],
            None,
        ),
    ]
    suite.cold_rps.update({name: value for name, value in rps.items() if name.startswith("cold")})
    for name, result in measured.items():
        suite.notes.append(
            f"{name}: {result['rps']:,.0f} req/s, p50 {result['p50']:.2f} ms, "
            f"p99 {result['p99']:.2f} ms, errors {result['errors']}"
        )


def stack(suite: Suite, database: str, ready_path: str = "/healthz") -> AbstractContextManager[str]:
    """The production stack of the latency rows (--app-server, --workers)."""
    args = suite.args
    return production_stack(suite.work, database, args.app_server, args.workers, ready_path)


def search_p95(suite: Suite, database: str, queries: list[str]) -> dict:
    from urllib.parse import quote

    paths = [f"/suche/?q={quote(q)}" for q in queries]
    with stack(suite, database, ready_path=paths[0]) as url:
        return wrk(
            url,
            suite.args.seconds,
            32,
            script=rotating_paths_lua(paths),
            work=suite.work,
        )


def single_searches(suite: Suite, database: str, queries: list[str]) -> dict:
    """Each query once, one after the other, through nginx → app: what one first
    search costs (none of them is in the page cache yet)."""
    from urllib.error import HTTPError
    from urllib.parse import quote
    from urllib.request import urlopen

    latencies, errors = [], 0
    with stack(suite, database) as url:
        for query in queries:
            started = time.perf_counter()
            try:
                with urlopen(f"{url}/suche/?q={quote(query)}", timeout=10):
                    pass
            except (HTTPError, OSError):
                errors += 1
            latencies.append((time.perf_counter() - started) * 1000)
    latencies.sort()

    def percentile(share: float) -> float:
        return latencies[min(len(latencies) - 1, int(share * len(latencies)))]

    return {
        "count": len(latencies),
        "p50": percentile(0.5),
        "p95": percentile(0.95),
        "p99": percentile(0.99),
        "errors": errors,
    }


def search_step(suite: Suite, database: str) -> None:
    # 800 queries: the first 400 for the 32 clients, those of the other 400 not among
    # them for one client, so that the one-client run finds none in the page cache.
    queries = prepare(database, "queries", "--count", "800")
    result = search_p95(suite, database, queries[:400])
    first = set(queries[:400])
    fresh = [query for query in dict.fromkeys(queries[400:]) if query not in first]
    single = single_searches(suite, database, fresh)
    suite.search_p95 = result["p95"]
    suite.rows.append(
        Row(
            "Search, 32 concurrent clients, 400 varied queries (nginx → "
            f"{suite.args.app_server} ×{suite.args.workers})",
            f"p95 {result['p95']:.1f} ms (p50 {result['p50']:.1f}, p99 {result['p99']:.1f}; "
            f"{result['rps']:,.0f} req/s, {result['errors']} errors)",
            "",
            "",
            "p95 < 50 ms",
            "met" if result["p95"] < 50 and not result["errors"] else "missed",
        )
    )
    suite.rows.append(
        Row(
            f"Search, one client, {single['count']} other queries each once (what one first "
            "search costs)",
            f"p95 {single['p95']:.1f} ms (p50 {single['p50']:.1f}, p99 {single['p99']:.1f}; "
            f"{single['errors']} errors)",
            "",
            "",
            "",
            "",
        )
    )


def connections_step(suite: Suite, database: str, paths: list[str]) -> None:
    flush_redis()
    with stack(suite, database, ready_path=paths[0]) as url:
        for path in paths[1:]:
            wait_for_url(url + path, timeout=120)
        result = wrk(
            url,
            suite.args.seconds,
            256,
            script=rotating_paths_lua(paths),
            work=suite.work,
            timeout="10s",
        )
    suite.rows.append(
        Row(
            f"256 concurrent connections, nginx → {suite.args.app_server} ×{suite.args.workers}"
            f" ({len(paths)} reader pages in turn)",
            f"{result['rps']:,.0f} req/s, p99 {result['p99']:.1f} ms; non-2xx/3xx "
            f"{result['non2xx']}, socket errors {result['socket_errors']}",
            "",
            "",
            "0 errors",
            "met" if result["errors"] == 0 else "missed",
        )
    )


def post_run(suite: Suite, sessions: Path, article_pk: int, clients: int, marker: str) -> dict:
    """One bounded run of bench/post_load.py through nginx (the stack must be up)."""
    seconds = 5 if suite.args.quick else 10
    output = run(
        "taskset",
        "-c",
        LOAD_CPU,
        PYTHON,
        BENCH / "post_load.py",
        "--url",
        f"http://127.0.0.1:{NGINX_PORT}",
        "--article",
        str(article_pk),
        "--sessions",
        sessions,
        "--clients",
        str(clients),
        "--seconds",
        str(seconds),
        "--marker",
        marker,
        timeout=seconds + 120,
    )
    return json.loads(output)


def comments_step(suite: Suite, database: str, article_pk: int) -> None:
    readers = suite.args.readers
    sessions = suite.work / "sessions.txt"
    prepare(database, "readers", "--count", str(readers), "--out", str(sessions))
    # A quarter of the readers post one at a time after the run with 32 clients (each
    # reader posts once, so the rate limits refuse nobody).
    lines = sessions.read_text(encoding="ascii").splitlines(keepends=True)
    single_sessions = suite.work / "sessions-single.txt"
    sessions.write_text("".join(lines[: len(lines) * 3 // 4]), encoding="ascii")
    single_sessions.write_text("".join(lines[len(lines) * 3 // 4 :]), encoding="ascii")
    flush_redis()  # the readers' rate-limit counters of earlier runs
    marker = f"Messpunkt{secrets.token_hex(4)}"
    with stack(suite, database):
        result = post_run(suite, sessions, article_pk, 32, marker)
        single = post_run(suite, single_sessions, article_pk, 1, marker + "x")
    # Each run numbers its posts from 0: one marker prefix per run.
    stored = {
        **prepare(database, "markers", "--prefix", marker),
        **prepare(database, "markers", "--prefix", marker + "x"),
    }
    accepted = result["accepted"] + single["accepted"]
    missing = [m for m in accepted if stored.get(m, 0) == 0]
    twice = [m for m, n in stored.items() if n > 1]
    unacknowledged = [m for m in stored if m not in set(accepted)]
    statuses = ", ".join(f"{k}: {v}" for k, v in sorted(result["statuses"].items()))
    suite.rows.append(
        Row(
            f"Comment posting, 32 concurrent logged-in readers (PostgreSQL, nginx → "
            f"{suite.args.app_server} ×{suite.args.workers})",
            f"p99 {result['p99']:.1f} ms (p50 {result['p50']:.1f}; {result['rps']:,.0f} "
            f"posts/s, {result['requests']} posts: {statuses})",
            "",
            "",
            "p99 < 100 ms",
            "met" if result["p99"] < 100 and not result["errors"] else "missed",
        )
    )
    statuses = ", ".join(f"{k}: {v}" for k, v in sorted(single["statuses"].items()))
    suite.rows.append(
        Row(
            "Comment posting, one reader at a time (what one post costs)",
            f"p99 {single['p99']:.1f} ms (p50 {single['p50']:.1f}; {single['rps']:,.0f} "
            f"posts/s, {single['requests']} posts: {statuses})",
            "",
            "",
            "",
            "",
        )
    )
    suite.rows.append(
        Row(
            "Nothing lost: accepted comments stored exactly once",
            f"{len(accepted)} accepted, {len(accepted) - len(missing)} stored, "
            f"{len(missing)} missing, {len(twice)} twice, {len(unacknowledged)} stored "
            "without an answer",
            "",
            "",
            "all once",
            "met" if accepted and not missing and not twice else "missed",
        )
    )
    if result["readers_left"] == 0:
        suite.notes.append(
            f"comment posting stopped when all {readers} readers had posted once "
            f"({result['seconds']:.1f} s); use more --readers for a longer run"
        )


def sepa_step(suite: Suite) -> None:
    count = suite.args.sepa_collections
    template = f"lesefrei_bench_sepa_{count}"
    copy = f"{template}_run_{os.getpid()}"
    until = date.today() + timedelta(days=30)
    if not database_exists(f"{PG}/{template}"):
        run("createdb", "-h", "127.0.0.1", "-U", "postgres", template, timeout=60)
        manage(f"{PG}/{template}", "migrate", "--no-input", "-v0", timeout=1800)
        prepare(
            f"{PG}/{template}",
            "sepa-fill",
            "--collections",
            str(count),
            "--until",
            until.isoformat(),
            timeout=1800,
        )
        until_file = ROOT / "var" / f"{template}.until"
        until_file.parent.mkdir(exist_ok=True)
        until_file.write_text(until.isoformat())
    until = date.fromisoformat((ROOT / "var" / f"{template}.until").read_text().strip())
    run("dropdb", "-h", "127.0.0.1", "-U", "postgres", "--force", "--if-exists", copy, timeout=120)
    run("createdb", "-h", "127.0.0.1", "-U", "postgres", "-T", template, copy, timeout=600)
    out = suite.work / "sepa.xml"
    try:
        started = time.monotonic()
        output = run(
            "/usr/bin/time",
            "-f",
            "MAXRSS %M",
            PYTHON,
            "manage.py",
            "sepa_export",
            "--until",
            until.isoformat(),
            "--out",
            out,
            env={**app_env(f"{PG}/{copy}", page_cache=False), "REDIS_URL": ""},
            timeout=900,
            stderr_too=True,
        )
        wall = time.monotonic() - started
        rss_kb = int(output.rsplit("MAXRSS", 1)[1].split()[0])
        exported = int(
            run(
                "psql",
                f"{PG}/{copy}",
                "-tAc",
                "SELECT count(*) FROM support_collection WHERE run_id = "
                "(SELECT max(id) FROM support_collectionrun)",
            ).strip()
        )
    finally:
        run(
            "dropdb",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "--force",
            "--if-exists",
            copy,
            timeout=120,
        )
    suite.rows.append(
        Row(
            f"SEPA export (`manage.py sepa_export`) of {count:,} due collections, wall time",
            f"{wall:.1f} s ({exported:,} debits, {out.stat().st_size / 1e6:.0f} MB file)",
            "",
            "",
            "< 30 s",
            "met" if wall < 30 and exported == count else "missed",
        )
    )
    suite.rows.append(
        Row(
            "SEPA export, peak memory (max RSS of the process)",
            f"{rss_kb / 1024:.0f} MB",
            "",
            "",
            "< 300 MB",
            "met" if rss_kb / 1024 < 300 else "missed",
        )
    )


def cold_rps(suite: Suite, database: str, path: str) -> float:
    with app(database, page_cache=False, ready_path=path):
        return wrk(
            f"http://127.0.0.1:{APP_PORT}{path}",
            suite.args.seconds,
            suite.args.connections,
            work=suite.work,
        )["rps"]


def growth_step(suite: Suite, database: str, compare: str, articles: dict) -> None:
    info_big, info_small = prepare(database, "info"), prepare(compare, "info")
    big, small = f"{info_big['articles']:,} articles", f"{info_small['articles']:,} articles"
    small_article = prepare(compare, "article", "--comments", str(suite.args.comments))
    flush_redis()
    cold_small = {
        "home": cold_rps(suite, compare, "/"),
        "article": cold_rps(suite, compare, small_article["url"]),
    }
    search_small = search_p95(suite, compare, prepare(compare, "queries", "--count", "400"))
    for name, label in (
        ("home", "Cold home page"),
        ("article", f"Cold article ({suite.args.comments} comments)"),
    ):
        value = suite.cold_rps.get(f"cold {name}")
        if value:
            suite.rows.append(
                Row(
                    f"Growth: {label}, {big}",
                    f"{value:,.0f} req/s",
                    f"{small}: {cold_small[name]:,.0f} req/s",
                    f"{value / cold_small[name]:.2f}×",
                )
            )
    if suite.search_p95:
        suite.rows.append(
            Row(
                f"Growth: search p95 at 32 clients, {big}",
                f"{suite.search_p95:.1f} ms",
                f"{small}: {search_small['p95']:.1f} ms",
                f"{suite.search_p95 / search_small['p95']:.2f}×",
            )
        )


def comment_growth_rows(suite: Suite) -> None:
    few, many = suite.cold_rps.get("cold article-100"), suite.cold_rps.get("cold article-1000")
    if few and many:
        suite.rows.append(
            Row(
                "Growth: cold article with 1,000 comments",
                f"{many:,.0f} req/s",
                f"with 100 comments: {few:,.0f} req/s",
                f"{many / few:.2f}×",
            )
        )


def table(suite: Suite, facts: list[str], started: datetime, command: str) -> str:
    lines = [
        f"Measured {started:%Y-%m-%d %H:%M} UTC on {os.uname().nodename}.",
        "",
        *[f"- {fact}" for fact in facts],
        f"- Throughput rows: server on CPU {SERVER_CPU}, wrk on CPU {LOAD_CPU}, "
        f"{suite.args.connections} connections, {suite.args.seconds} s per run; page "
        f"{suite.page_bytes:,} bytes. Latency rows: the production stack "
        f"(nginx → {suite.args.app_server} with {suite.args.workers} workers, PostgreSQL, "
        "Redis) unpinned, the load generator on CPU 1.",
        f"- Corpus: {suite.corpus}",
        f"- Command: `{command}`",
        "",
        "| measurement | result | reference | ratio | target | |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for row in suite.rows:
        lines.append(
            f"| {row.name} | {row.result} | {row.reference} | {row.ratio} | {row.target} | "
            f"{row.verdict} |"
        )
    if suite.notes:
        lines += ["", "Details:", "", *[f"- {note}" for note in suite.notes]]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=f"{PG}/lesefrei_bench_dev")
    parser.add_argument("--corpus", type=int, help="growth rows against a corpus of N articles")
    parser.add_argument("--compare-database", help="growth rows against this database")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--seconds", type=int, help="per wrk run (default 10, quick 3)")
    parser.add_argument("--connections", type=int, default=16, help="throughput rows")
    parser.add_argument("--comments", type=int, default=200, help="comments on the cold article")
    parser.add_argument("--readers", type=int, help="readers posting (default 4000, quick 1500)")
    parser.add_argument(
        "--sepa-collections", type=int, help="due collections (default 100000, quick 10000)"
    )
    parser.add_argument("--app-server", choices=["gunicorn", "granian"], default="gunicorn")
    parser.add_argument("--workers", type=int, default=3, help="app workers of the stack")
    parser.add_argument(
        "--skip",
        default="",
        help="comma-separated: read,search,comments,connections,sepa,live,growth",
    )
    parser.add_argument("--output", type=Path)
    args = parser.parse_args()
    args.seconds = args.seconds or (3 if args.quick else 10)
    args.readers = args.readers or (1500 if args.quick else 4000)
    args.sepa_collections = args.sepa_collections or (10_000 if args.quick else 100_000)
    skip = set(filter(None, args.skip.split(",")))
    for tool in ("wrk", "taskset", "psql", "createdb", "redis-cli", NGINX, "/usr/bin/time"):
        if not shutil.which(tool):
            sys.exit(
                f"{tool} is missing: apt-get install nginx wrk util-linux "
                "postgresql-client redis-tools time"
            )
    install_signal_handlers()
    started = datetime.now(UTC)
    work = Path(tempfile.mkdtemp(prefix="lesefrei-bench-"))
    suite = Suite(args, work)
    try:
        print("== preparing the corpus", file=sys.stderr, flush=True)
        ensure_database(args.database)
        manage(args.database, "collectstatic", "--no-input", "-v0")
        compare = args.compare_database
        if args.corpus and not compare:
            compare = f"{PG}/lesefrei_bench_{args.corpus // 1000}k"
        if compare and "growth" not in skip:
            ensure_database(compare, corpus=args.corpus)
        info = prepare(args.database, "info")
        suite.corpus = (
            f"{info['articles']:,} articles, {info['comments']:,} comments, "
            f"{info['supporters']:,} supporters ({args.database.rsplit('/', 1)[1]})"
        )
        article = prepare(args.database, "article", "--comments", str(args.comments))
        paths = {"article": article["url"], "home": "/"}
        if "growth" not in skip:
            for number in (100, 1000):
                paths[f"article-{number}"] = prepare(
                    args.database, "article", "--comments", str(number)
                )["url"]
        facts = machine_facts(args.database)
        if "read" not in skip:
            suite.step("read path", lambda: read_path(suite, args.database, paths))
        if "search" not in skip:
            suite.step("search", lambda: search_step(suite, args.database))
        if "comments" not in skip:
            suite.step(
                "comment posting", lambda: comments_step(suite, args.database, article["pk"])
            )
        if "connections" not in skip:
            mix = ["/", paths["article"], *info["sample_articles"][:10]]
            if info["section"]:
                mix.append(info["section"])
            suite.step("256 connections", lambda: connections_step(suite, args.database, mix))
        if "sepa" not in skip:
            suite.step("SEPA export", lambda: sepa_step(suite))
        if "live" not in skip:
            suite.step("live ticker", lambda: live_step(suite, args.database))
        if "growth" not in skip:
            comment_growth_rows(suite)
            if compare:
                suite.step("growth", lambda: growth_step(suite, args.database, compare, paths))
        command = "bench/run.py " + " ".join(sys.argv[1:])
        text = table(suite, facts, started, f".venv/bin/python {command}")
        print("\n" + text)
        if args.output:
            args.output.write_text(text, encoding="utf-8")
    finally:
        stop_all()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
