"""HTTP throughput of lesefrei's read path against its references, measured in one run.

    .venv/bin/python bench/read_path.py [--seconds 10] [--connections 16] [--database URL]

Everything runs on 127.0.0.1: each server is pinned to CPU 0, wrk to CPU 1, one after
the other, each for a bounded time. Rows (requests/s, median and p99 latency, errors):

- nginx static file   nginx serving the article's bytes from disk (the ceiling)
- nginx → lesefrei    the shipped nginx config in front of lesefrei (hot article)
- lesefrei (gunicorn) / (granian)  the app alone with its page cache (hot article)
- cache_page (gunicorn)  Django's cache_page serving the same bytes (the reference)
- lesefrei cold       the article rendered on every request (page cache off)
- wagtail start       the stock page of a new `wagtail start` site, uncached (reference)

The database is PostgreSQL (default: database lesefrei_bench, created and loaded with the
demo content when empty); the cache is Redis database 8. Needs nginx and wrk
(`apt-get install nginx wrk`). Prints a Markdown table for docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
BIN = ROOT / ".venv" / "bin"
SERVER_CPU, LOAD_CPU = "0", "1"


def run(*args: str | Path, env: dict | None = None, cwd: Path = ROOT) -> str:
    result = subprocess.run(
        [str(a) for a in args], env=env, cwd=cwd, capture_output=True, text=True, check=True
    )
    return result.stdout


def wait_for(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


@contextmanager
def server(args: list[str | Path], env: dict | None = None, cwd: Path = ROOT):
    process = subprocess.Popen(
        ["taskset", "-c", SERVER_CPU, *map(str, args)],
        env=env,
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def wrk(url: str, seconds: int, connections: int) -> dict[str, float]:
    """One bounded wrk run on the load CPU; requests/s, latencies in ms, error count."""
    output = run(
        "taskset",
        "-c",
        LOAD_CPU,
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{seconds}s",
        "--latency",
        "--timeout",
        "5s",
        url,
    )
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", output, re.MULTILINE))
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": rps,
        "p50": to_ms(latency.get("50", "0ms")),
        "p99": to_ms(latency.get("99", "0ms")),
        "errors": (sum(map(int, errors.groups())) if errors else 0)
        + (int(non2xx.group(1)) if non2xx else 0),
    }


def to_ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(\w+)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def app_env(database: str, page_cache: bool) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lesefrei.settings.dev",
        "DATABASE_URL": database,
        "REDIS_URL": "redis://127.0.0.1:6379/8",
        "PAGE_CACHE": "1" if page_cache else "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "WARNING",
    }


def prepare_database(database: str) -> str:
    """Migrate and load the demo when the database is empty; return an article's path."""
    name = database.rsplit("/", 1)[1]
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], capture_output=True)
    env = app_env(database, page_cache=False)
    run(PYTHON, "manage.py", "migrate", "--no-input", "-v0", env=env)
    run(PYTHON, "manage.py", "collectstatic", "--no-input", "-v0", env=env)
    path = (
        run(
            PYTHON,
            "manage.py",
            "shell",
            "-v0",
            "-c",
            "from lesefrei.content.models import ArticlePage as A;"
            "a = A.objects.live().order_by('pk').first(); print(a.url if a else '')",
            env=env,
        )
        .strip()
        .splitlines()[-1:]
    )
    if not path or not path[0]:
        run(PYTHON, "manage.py", "load_demo_content", "--quiet-accounts", env=env)
        return prepare_database(database)
    return path[0]


CACHE_PAGE_SITE = """
import sys
from pathlib import Path
from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.cache import cache_page

BODY = Path(sys.argv[-1] if False else "{body}").read_bytes()
settings.configure(
    DEBUG=False, ALLOWED_HOSTS=["*"], ROOT_URLCONF=__name__, SECRET_KEY="bench",
    CACHES={{"default": {{"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": "redis://127.0.0.1:6379/7"}}}},
    MIDDLEWARE=["django.middleware.security.SecurityMiddleware",
                "django.middleware.common.CommonMiddleware"],
)

@cache_page(3600)
def article(request):
    return HttpResponse(BODY, content_type="text/html; charset=utf-8")

urlpatterns = [path("article/", article)]
application = get_wsgi_application()
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/lesefrei_bench")
    args = parser.parse_args()
    for tool in ("wrk", "nginx", "taskset", "createdb"):
        if not shutil.which(tool) and not Path(f"/usr/sbin/{tool}").exists():
            sys.exit(f"{tool} is missing: apt-get install nginx wrk util-linux postgresql-client")

    article = prepare_database(args.database)
    work = Path(tempfile.mkdtemp(prefix="lesefrei-bench-"))
    rows: list[tuple[str, dict[str, float]]] = []
    measure = lambda name, url: rows.append((name, wrk(url, args.seconds, args.connections)))  # noqa: E731

    # The app alone, page cache on: one warm-up request stores the page.
    for name, command in {
        "lesefrei (gunicorn, 1 sync worker)": [
            BIN / "gunicorn",
            "lesefrei.wsgi",
            "-b",
            "127.0.0.1:8301",
            "-w",
            "1",
        ],
        "lesefrei (granian, 1 worker)": [
            BIN / "granian",
            "--interface",
            "wsgi",
            "--host",
            "127.0.0.1",
            "--port",
            "8301",
            "--workers",
            "1",
            "lesefrei.wsgi:application",
        ],
    }.items():
        with server(command, env=app_env(args.database, page_cache=True)):
            wait_for(f"http://127.0.0.1:8301{article}")
            body = urllib.request.urlopen(f"http://127.0.0.1:8301{article}").read()
            measure(name, f"http://127.0.0.1:8301{article}")

    # nginx with the shipped config in front of the app (granian), and the same bytes static.
    (work / "static-root" / "bench").mkdir(parents=True)
    (work / "static-root" / "bench" / "article.html").write_bytes(body)
    run(
        PYTHON,
        ROOT / "scripts" / "nginx_conf.py",
        "--prefix",
        work / "nginx",
        "--listen",
        "127.0.0.1:8380",
        "--app",
        "127.0.0.1:8301",
        "--static",
        work / "static-root",
        "--media",
        work / "static-root",
    )
    with server(
        [
            BIN / "granian",
            "--interface",
            "wsgi",
            "--host",
            "127.0.0.1",
            "--port",
            "8301",
            "--workers",
            "1",
            "lesefrei.wsgi:application",
        ],
        env=app_env(args.database, True),
    ):
        wait_for(f"http://127.0.0.1:8301{article}")
        with server(["nginx", "-p", work / "nginx", "-c", "nginx.conf", "-g", "daemon off;"]):
            wait_for(f"http://127.0.0.1:8380{article}")
            measure("nginx → lesefrei (shipped config)", f"http://127.0.0.1:8380{article}")
            measure(
                "nginx static file (same bytes)", "http://127.0.0.1:8380/static/bench/article.html"
            )

    # References: Django's cache_page, the page rendered on every request, stock Wagtail.
    (work / "cache_page_site.py").write_text(
        CACHE_PAGE_SITE.format(body=work / "static-root" / "bench" / "article.html")
    )
    with server([BIN / "gunicorn", "cache_page_site", "-b", "127.0.0.1:8302", "-w", "1"], cwd=work):
        wait_for("http://127.0.0.1:8302/article/")
        measure("Django cache_page (gunicorn, 1 sync worker)", "http://127.0.0.1:8302/article/")
    with server(
        [BIN / "gunicorn", "lesefrei.wsgi", "-b", "127.0.0.1:8303", "-w", "1"],
        env=app_env(args.database, page_cache=False),
    ):
        wait_for(f"http://127.0.0.1:8303{article}")
        measure("lesefrei cold render (gunicorn, 1 sync worker)", f"http://127.0.0.1:8303{article}")
    stock = work / "stock"
    run(
        BIN / "wagtail",
        "start",
        "stocksite",
        stock,
        env={**os.environ, "PATH": f"{BIN}:{os.environ['PATH']}"},
    )
    stock_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "stocksite.settings.production",
        "SECRET_KEY": "bench",
        "ALLOWED_HOSTS": "*",
    }
    (stock / "stocksite" / "settings" / "local.py").write_text('ALLOWED_HOSTS = ["*"]\n')
    run(
        PYTHON,
        "manage.py",
        "migrate",
        "-v0",
        env={**stock_env, "DJANGO_SETTINGS_MODULE": "stocksite.settings.dev"},
        cwd=stock,
    )
    with server(
        [BIN / "gunicorn", "stocksite.wsgi", "-b", "127.0.0.1:8304", "-w", "1"],
        env={**stock_env, "DJANGO_SETTINGS_MODULE": "stocksite.settings.dev"},
        cwd=stock,
    ):
        wait_for("http://127.0.0.1:8304/")
        measure("wagtail start page (gunicorn, 1 sync worker)", "http://127.0.0.1:8304/")

    results = dict(rows)
    ratios = {
        "nginx → lesefrei (shipped config)": ("nginx static file (same bytes)", 0.8),
        "lesefrei (gunicorn, 1 sync worker)": ("Django cache_page (gunicorn, 1 sync worker)", 2.0),
        "lesefrei (granian, 1 worker)": ("Django cache_page (gunicorn, 1 sync worker)", 2.0),
        "lesefrei cold render (gunicorn, 1 sync worker)": (
            "wagtail start page (gunicorn, 1 sync worker)",
            3.0,
        ),
    }
    print(
        f"\n{datetime.now(UTC):%Y-%m-%d %H:%M} UTC · {platform.node()} · {os.cpu_count()} CPUs · "
        f"server on CPU {SERVER_CPU}, wrk on CPU {LOAD_CPU}, {args.connections} connections, "
        f"{args.seconds} s each · page {len(body):,} bytes\n"
    )
    print("| measurement | requests/s | p50 ms | p99 ms | errors | ratio to reference | target |")
    print("| --- | ---: | ---: | ---: | ---: | --- | --- |")
    for name, result in rows:
        ratio, target = "", ""
        if name in ratios:
            reference, goal = ratios[name]
            value = result["rps"] / results[reference]["rps"]
            ratio = f"{value:.2f} × {reference}"
            target = f"≥ {goal} × {'met' if value >= goal else 'missed'}"
        print(
            f"| {name} | {result['rps']:,.0f} | {result['p50']:.2f} | {result['p99']:.2f} | "
            f"{int(result['errors'])} | {ratio} | {target} |"
        )
    shutil.rmtree(work, ignore_errors=True)
    command = f"bench/read_path.py --seconds {args.seconds} --connections {args.connections}"
    print(f"\nCommand: .venv/bin/python {command}")


if __name__ == "__main__":
    main()
