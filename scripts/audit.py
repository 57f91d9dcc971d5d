"""Reader-experience audit: every public page and state of the demo through reader-check,
written up in docs/reader-experience.md (issue 8, "Measured, not tested").

    .venv/bin/python scripts/audit.py [--reader-check PATH] [--lh-runs N] [--only a,b] [--out FILE]
    .venv/bin/python scripts/audit.py --report-only      # rewrite the report from the last run

What it does, in order (everything on 127.0.0.1, in var/audit/, made fresh each run):

1. a SQLite database: migrate, collectstatic, load_demo_content, then the comment states
   (scripts/audit_states.py prepare: an article with 3 comments, one with 200);
2. the app in production form: lesefrei.settings.production (DEBUG off, a random
   SECRET_KEY), gunicorn, page cache on, SECURE_SSL_REDIRECT=0 as there is no TLS; in
   front, where nginx is installed (`make audit` installs it), the shipped nginx
   configuration as in production (static files and uploads from disk, HTML compressed);
   without nginx the app serves everything (WhiteNoise, SERVE_MEDIA=1), uncompressed HTML;
3. the states a GET cannot reach are driven through the real forms with Chromium
   (audit_states.capture); the HTML the server answered is saved under
   STATIC_ROOT/audit/ and, after a restart, served by the same server at /static/audit/
   (same origin, same CSS and fonts; WhiteNoise's headers and status 200, not the
   original response's). The 500 page comes from a second app server on the same
   settings whose database file does not exist: GET / answers the real 500;
4. reader-check over all pages (`--json`), then the report from that JSON and the
   Lighthouse reports it saved.

reader-check is outside the repository: --reader-check or READER_CHECK, by default
../shared/tools/reader-check/reader-check next to the repository.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import secrets
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a file: make the scripts package importable

from scripts.processes import NGINX, StartError, free_port, start_app, start_nginx  # noqa: E402

DEFAULT_READER_CHECK = ROOT.parent / "shared" / "tools" / "reader-check" / "reader-check"
REPORT = ROOT / "docs" / "reader-experience.md"
WORK = ROOT / "var" / "audit"
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")

# Targets of issue 8, mobile Lighthouse: 100 everywhere (performance at least 95 where
# the VM's noise costs points), LCP < 1.5 s, CLS < 0.05, under 100 KB at load.
MIN_PERFORMANCE = 95
MAX_LCP_S = 1.5
MAX_CLS = 0.05
MAX_KB = 100
MISSING = "/diese-seite-gibt-es-nicht/"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
REFERENCES = (
    "stock WordPress post with 200 comments: 84/100/100/92, 508 KB, 200 third-party "
    "requests; Wagtail bakerydemo blog page: 100/100/96/91 (issue 8, same tool and kind of "
    "machine)"
)


# The rows in the order of the list.
ORDER = [
    "home", "section", "article-0", "article-3", "article-200", "comments-200", "author",
    "topic", "search", "search-none", "search-empty", "support", "support-form",
    "support-error", "support-confirmed", "signup", "login", "password-reset", "comment-form",
    "comment-form-error", "comment-form-sent", "self-service", "my-pledges", "not-found",
    "not-found-copy", "server-error", "server-error-copy",
]  # fmt: skip


@dataclass
class Page:
    """One row of the audit: a name, the URL reader-check visits and how it was reached."""

    name: str
    url: str
    how: str
    reached: str  # short form for the table


# ---------------------------------------------------------------- the server


def app_env(work: Path, base: str, secret: str, iban_key: str, database: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="lesefrei.settings.production",
        SECRET_KEY=secret,
        ALLOWED_HOSTS="127.0.0.1",
        SITE_URL=base,
        DATABASE_URL=f"sqlite:///{database}",
        STATIC_ROOT=str(work / "static"),
        MEDIA_ROOT=str(work / "media"),
        SERVE_MEDIA="1",
        SECURE_SSL_REDIRECT="0",
        SUPPORT_IBAN_KEYS=iban_key,
        MAIL_BACKEND="file",
        MAIL_FILE_PATH=str(work / "mail"),
        PAGE_CACHE="1",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    return env


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if result.returncode:
        sys.exit(f"audit: manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


@contextmanager
def servers(
    env: dict[str, str], broken_env: dict[str, str], ports: tuple[int, int, int], front: bool
) -> Iterator[str]:
    """The app under gunicorn, a second one on the same settings without its database
    (its URL is yielded: GET / answers the real 500), and, where `front`, the shipped
    nginx configuration in front of the first, as readers get it in production: static
    and media files from disk, HTML compressed with brotli/gzip, pages from nginx's
    one-second cache."""
    port, broken_port, web_port = ports
    log, access_log = WORK / "gunicorn.log", ("--access-logfile", "-")
    with (
        start_app(port, env=env, log=log, options=access_log),
        start_app(
            broken_port, env=broken_env, log=log, options=access_log, any_status=True
        ) as broken,
        start_nginx(
            WORK / "nginx",
            web_port,
            app=f"127.0.0.1:{port}",
            static=WORK / "static",
            media=WORK / "media",
        )
        if front
        else nullcontext(),
    ):
        yield broken.url


# ---------------------------------------------------------------- the pages


def get_pages(base: str, states: dict[str, Any]) -> list[Page]:
    """The pages a plain GET reaches, in the order of the issue's list."""
    rows = [
        ("home", "/", "GET"),
        ("section", states["section"], "GET"),
        ("article-0", states["article_0"], "GET, article without comments"),
        ("article-3", states["article_3"], "GET, article with 3 approved comments"),
        ("article-200", states["article_200"], "GET, article with 200 approved comments"),
        (
            "comments-200",
            f"/kommentare/{states['article_200_id']}/",
            "GET, the comments page of the article with 200 comments (first page)",
        ),
        ("author", states["author"], "GET"),
        ("topic", "/themen/klimaschutz/", "GET"),
        ("search", "/suche/?q=Klima", "GET, a query with results"),
        ("search-none", "/suche/?q=Xylophonorchester", "GET, a query without results"),
        ("search-empty", "/suche/?q=", "GET, the empty query"),
        ("support", "/unterstuetzen/", "GET, step one: amount and interval"),
        (
            "support-form",
            "/unterstuetzen/?betrag=10&intervall=monatlich",
            "GET, step two: the mandate form for 10 € monthly",
        ),
    ]
    return [Page(name, base + path, f"{how}: {path}", "GET") for name, path, how in rows]


def late_pages(base: str, states: dict[str, Any], confirmation: str) -> list[Page]:
    rows = [
        (
            "support-confirmed",
            confirmation,
            "GET of the signed confirmation URL the pledge form redirected to",
            "GET (signed link)",
        ),
        ("signup", "/konto/signup/", "GET", "GET"),
        ("login", "/konto/login/", "GET", "GET"),
        ("password-reset", "/konto/password/reset/", "GET", "GET"),
        (
            "self-service",
            states["manage"],
            "GET of the signed self-service link of a demo pledge (as in its mails)",
            "GET (signed link)",
        ),
        ("not-found", MISSING, "GET of a missing page → 404", "GET → 404"),
    ]
    return [Page(name, base + path, f"{how}: {path}", short) for name, path, how, short in rows]


def saved_page(base: str, name: str, how: str) -> Page:
    path = f"/static/audit/{name}.html"
    return Page(
        name,
        base + path,
        f"saved HTML of {how}, served at {path}",
        "saved "
        + ("POST" if how.startswith("POST") else "GET" if how.startswith("GET") else "copy"),
    )


# ---------------------------------------------------------------- the report


def machine() -> dict[str, Any]:
    cpu = "unknown"
    with open("/proc/cpuinfo", encoding="utf-8") as info:
        for line in info:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = 0
    with open("/proc/meminfo", encoding="utf-8") as info:
        for line in info:
            if line.startswith("MemTotal:"):
                memory = int(line.split()[1]) // 1024
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_mb": memory,
        "kernel": f"{platform.system()} {platform.release()}",
        "load_before": os.getloadavg(),
        "brotli": importlib.util.find_spec("brotli") is not None,
        "nginx": Path(NGINX).exists(),
        "nginx_brotli": Path("/usr/lib/nginx/modules/ngx_http_brotli_filter_module.so").exists(),
    }


def server_line(host: dict[str, Any], compressed: str) -> str:
    app = (
        "- **Server**: lesefrei.settings.production (DEBUG off) under gunicorn on 127.0.0.1, "
        "page cache on, a fresh SQLite database with the demo content, no TLS "
        "(`SECURE_SSL_REDIRECT=0`). "
    )
    if host.get("nginx"):
        encodings = "brotli and gzip" if host.get("nginx_brotli") else "gzip"
        return app + (
            "In front, nginx with the shipped configuration (`deploy/nginx/lesefrei.conf`), "
            f"as readers get it in production: HTML {encodings}-compressed, static files "
            "(hashed names, cached for a year) and uploads from disk."
        )
    return app + (
        f"Static files from WhiteNoise (hashed names, pre-compressed {compressed}, cached for "
        "a year). No nginx in front (not installed): HTML leaves the app uncompressed, "
        "uploads are served by the app (`SERVE_MEDIA=1`). Behind the shipped nginx "
        "configuration readers get HTML gzip/brotli-compressed."
    )


def _fmt(value: float | None, digits: int = 0) -> str:
    if value is None:
        return "–"
    return f"{value:.{digits}f}" if digits else str(round(value))


def scores(result: dict[str, Any], preset: str) -> str:
    lh = (result.get("lh") or {}).get(preset)
    if not lh:
        return "error" if preset in (result.get("lh_err") or {}) else "–"
    return "/".join(_fmt(lh["scores"].get(category)) for category in CATEGORIES)


def h1_without_js(browser: dict[str, Any]) -> str:
    with_js, without = browser.get("h1_js"), browser.get("h1_nojs")
    if without is None:
        return "error"
    if not with_js and not without:
        return "no h1"
    return "yes" if any(h["visible"] for h in without) else "NO"


def axe_total(browser: dict[str, Any]) -> int | None:
    axe = browser.get("axe")
    return len(axe["violations"]) if axe else None


def table_row(page: Page, result: dict[str, Any]) -> str:
    mobile = (result.get("lh") or {}).get("mobile") or {}
    browser = result.get("browser") or {}
    load, everything = browser.get("load"), browser.get("all")
    vnu = result.get("vnu")

    def pair(key: str, scale: int = 1) -> str:
        if not load or not everything:
            return "–"
        return f"{round(load[key] / scale)}/{round(everything[key] / scale)}"

    lcp = mobile.get("lcp_ms")
    cells = [
        page.name,
        page.reached,
        scores(result, "mobile"),
        scores(result, "desktop"),
        _fmt(lcp / 1000 if lcp is not None else None, 2),
        _fmt(mobile.get("cls"), 3),
        _fmt(mobile.get("tbt_ms")),
        pair("bytes", 1024),
        pair("requests"),
        pair("third_party"),
        str(len(browser["cookies"])) if "cookies" in browser else "–",
        str(vnu["errors"]) if vnu else "–",
        _fmt(axe_total(browser)),
        h1_without_js(browser),
    ]
    return "| " + " | ".join(cells) + " |"


HEADER = (
    "| page | reached | mobile P/A/BP/SEO | desktop P/A/BP/SEO | LCP s | CLS | TBT ms "
    "| KB load/all | requests load/all | third-party load/all | cookies | vnu errors "
    "| axe violations | h1 without JS |\n"
    "|---|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|"
)


def lighthouse_report(result: dict[str, Any], preset: str = "mobile") -> dict[str, Any] | None:
    """The Lighthouse JSON reader-check saved next to the page's HTML, when it is there."""
    html = result.get("html_file")
    folder = result.get("lh_dir") or (Path(html).parent if html else None)
    if not folder:
        return None
    path = Path(folder) / f"{result['name']}-lh-{preset}.json"
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


NOINDEX_NOTE = " (the page asks search engines not to index it, as forms and personal pages do)"


def _audit_line(report: dict[str, Any] | None, audit_id: str) -> str:
    audit = (report or {}).get("audits", {}).get(audit_id)
    if not audit:
        return f"`{audit_id}`"
    shown = f" ({audit['displayValue']})" if audit.get("displayValue") else ""
    note = NOINDEX_NOTE if audit_id == "is-crawlable" else ""
    return f"`{audit_id}` {audit.get('title', '')}{shown}{note}"


def lost_points(report: dict[str, Any] | None, category: str) -> list[str]:
    """The weighted audits of a category that did not pass: where its points went."""
    if not report or category not in report.get("categories", {}):
        return []
    audits = report["audits"]
    return [
        _audit_line(report, ref["id"])
        for ref in report["categories"][category]["auditRefs"]
        if ref.get("weight") and (audits.get(ref["id"], {}).get("score") or 0) < 1
    ]


def _short(url: str) -> str:
    return "/" + url.split("/", 3)[-1] if url.count("/") >= 3 else url


def performance_causes(report: dict[str, Any] | None) -> list[str]:
    """The LCP element and what delays the first paint (render-blocking, uncompressed)."""
    if not report:
        return []
    audits, causes = report["audits"], []
    element = audits.get("largest-contentful-paint-element", {}).get("details", {})
    for table in element.get("items", []):
        for item in table.get("items", [])[:1]:
            node = item.get("node") or {}
            if node.get("selector"):
                causes.append(f"LCP element `{node['selector']}`")
    blocking = audits.get("render-blocking-resources", {}).get("details", {}).get("items", [])
    if blocking:
        causes.append(
            "render-blocking: "
            + ", ".join(f"{_short(i['url'])} ({round(i.get('wastedMs', 0))} ms)" for i in blocking)
        )
    uncompressed = audits.get("uses-text-compression", {}).get("details", {}).get("items", [])
    if uncompressed:
        causes.append(
            "sent uncompressed: "
            + ", ".join(
                f"{_short(i['url'])} ({round(i['totalBytes'] / 1024)} KB, "
                f"{round(i['wastedBytes'] / 1024)} KB to save)"
                for i in uncompressed
            )
        )
    return causes


def largest_requests(report: dict[str, Any] | None, count: int = 4) -> str:
    items = (
        (report or {}).get("audits", {}).get("network-requests", {}).get("details", {}).get("items")
    )
    if not items:
        return ""
    biggest = sorted(items, key=lambda item: item.get("transferSize") or 0, reverse=True)[:count]
    return ", ".join(
        f"{item['url'].split('/', 3)[-1] or '/'} {round((item.get('transferSize') or 0) / 1024)} KB"
        for item in biggest
    )


def misses(result: dict[str, Any]) -> list[str]:
    """What keeps a page from the issue's targets, by how much, and the reasons found."""
    found: list[str] = []
    lh = (result.get("lh") or {}).get("mobile")
    browser = result.get("browser") or {}
    report = lighthouse_report(result)
    error = (result.get("lh_err") or {}).get("mobile") or ""
    if lh is None and "ERRORED_DOCUMENT_REQUEST" in error:
        found.append(
            "Lighthouse scores no page answered with an error status (ERRORED_DOCUMENT_REQUEST); "
            "the `-copy` row scores the same HTML served with status 200"
        )
    elif lh is None:
        found.append(f"no mobile Lighthouse result: {error or 'not run'}")
    else:
        values = lh["scores"]
        performance = values.get("performance")
        if performance is None or performance < MIN_PERFORMANCE:
            found.append(f"performance {_fmt(performance)} (target ≥ {MIN_PERFORMANCE})")
        for category in CATEGORIES[1:]:
            if values.get(category) != 100:
                found.append(
                    f"{category} {_fmt(values.get(category))} (target 100): "
                    + ("; ".join(lost_points(report, category)) or "see the Lighthouse report")
                )
        lcp, cls = lh.get("lcp_ms"), lh.get("cls")
        if lcp is not None and lcp / 1000 >= MAX_LCP_S:
            found.append(
                f"LCP {lcp / 1000:.2f} s, {lcp / 1000 - MAX_LCP_S:.2f} s over {MAX_LCP_S} s"
            )
        if cls is not None and cls >= MAX_CLS:
            found.append(f"CLS {cls:.3f} (target < {MAX_CLS})")
        slow = (performance or 0) < MIN_PERFORMANCE or (lcp or 0) / 1000 >= MAX_LCP_S
        if slow and performance_causes(report):
            found.append("performance: " + "; ".join(performance_causes(report)))
    load = browser.get("load")
    if load and load["bytes"] / 1024 >= MAX_KB:
        kb = load["bytes"] / 1024
        line = f"{kb:.0f} KB at load, {kb - MAX_KB:.0f} KB over {MAX_KB} KB"
        biggest = largest_requests(report)
        found.append(line + (f"; largest (Lighthouse, transferred): {biggest}" if biggest else ""))
    if load and load["third_party"]:
        hosts = ", ".join(sorted(load["third_party_hosts"]))
        found.append(f"{load['third_party']} requests to other hosts ({hosts})")
    if browser.get("cookies"):
        found.append("cookies: " + ", ".join(browser["cookies"]))
    vnu = result.get("vnu") or {}
    if vnu.get("errors"):
        top = "; ".join(f"{message} ×{n}" for message, n in vnu["top"].items())
        found.append(f"{vnu['errors']} Nu Html Checker errors: {top}")
    for violation in (browser.get("axe") or {}).get("violations", []):
        found.append(
            f"axe `{violation['id']}` ({violation['impact']}, {violation['nodes']} elements): "
            f"{violation['help']}"
        )
    if h1_without_js(browser) in {"NO", "no h1"}:
        found.append(f"h1 without JavaScript: {h1_without_js(browser)}")
    for error in browser.get("errors", []):
        found.append(f"browser check error: {error}")
    if result.get("vnu_err"):
        found.append(f"Nu Html Checker error: {result['vnu_err']}")
    return found


def render_report(
    summary: dict[str, Any], pages: list[Page], host: dict[str, Any], command: str
) -> str:
    """docs/reader-experience.md from reader-check's --json summary."""
    meta = summary["meta"]
    results = {result["name"]: result for result in summary["pages"]}
    lighthouse = next(
        (
            r["lh"]["mobile"].get("version")
            for r in summary["pages"]
            if (r.get("lh") or {}).get("mobile")
        ),
        None,
    )
    axe = next(
        (
            r["browser"]["axe"].get("version")
            for r in summary["pages"]
            if (r.get("browser") or {}).get("axe")
        ),
        None,
    )
    started = meta.get("started", "")
    brotli = host.get("brotli", importlib.util.find_spec("brotli") is not None)
    compressed = "gzip and brotli" if brotli else "gzip only: no `brotli` package installed"
    load = " / ".join(f"{value:.2f}" for value in host.get("load_before", ()))
    if host.get("load_after"):
        load += ", at the end: " + " / ".join(f"{value:.2f}" for value in host["load_after"])
    lines = [
        "# Reader experience, measured",
        "",
        "Every public page and state of the demo newspaper through reader-check "
        "(`../shared/tools/reader-check`, outside the repository: Lighthouse mobile and "
        "desktop, the Nu Html Checker, axe-core, Chromium at 390 px, offline). Written by "
        "`make audit` (`scripts/audit.py`); do not edit by hand. Scores are noisy: Lighthouse "
        "simulates a slow phone on top of this machine's CPU, so compare on a quiet machine.",
        "",
        f"- **Date**: {started}",
        f"- **Machine**: {host.get('cpu')}, {host.get('cores')} cores, "
        f"{round(host.get('ram_mb', 0) / 1024)} GB RAM, {host.get('kernel')}; load average "
        f"(1/5/15 min) at the start: {load}",
        f"- **Tools**: Chromium {meta.get('browser_version', '?')}, Lighthouse "
        f"{lighthouse or '?'}, axe-core {axe or '?'}, Lighthouse runs per page and preset: "
        f"{meta.get('lh_runs')}; {meta.get('seconds_total')} s in reader-check",
        server_line(host, compressed),
        f"- **Rerun**: `make audit` (`{command}`)",
        "",
        f"Targets (issue 8, mobile): 100/100/100/100, performance at least {MIN_PERFORMANCE} "
        f"with LCP under {MAX_LCP_S} s and CLS under {MAX_CLS}; under {MAX_KB} KB transferred "
        "at load; no HTML error, no axe violation, the h1 visible without JavaScript.",
        "",
        HEADER,
    ]
    for page in pages:
        if page.name in results:
            lines.append(table_row(page, results[page.name]))
    lines += [
        "",
        "P/A/BP/SEO: Lighthouse performance, accessibility, best practices, SEO. LCP, CLS, TBT "
        "from the mobile run. KB and requests: transferred at 390 px (DPR 3) until load, and "
        "after scrolling to the bottom; third-party: requests to other hosts. Cookies after "
        "the anonymous visit. vnu: Nu Html Checker errors in the HTML the server sent. axe: "
        "violated rules (any impact).",
        "",
        "## Compared with the issue's references",
        "",
    ]
    many = results.get("article-200")
    if many and (many.get("lh") or {}).get("mobile"):
        load200 = (many.get("browser") or {}).get("load") or {}
        lines.append(
            f"lesefrei's article with 200 comments: {scores(many, 'mobile')}, "
            f"{_fmt(load200.get('bytes', 0) / 1024)} KB at load, "
            f"{load200.get('third_party', '–')} third-party requests. References: {REFERENCES}."
        )
    else:
        lines.append(f"References: {REFERENCES}.")
    lines += ["", "## Where a page misses the targets", ""]
    any_miss = False
    for page in pages:
        result = results.get(page.name)
        if result is None:
            continue
        found = misses(result)
        if found:
            any_miss = True
            lines.append(f"- **{page.name}**:")
            lines += [f"  - {line}" for line in found]
    if not any_miss:
        lines.append("Every page meets the targets.")
    lines += ["", "## How each page was reached", ""]
    lines.append(
        "States a plain GET cannot reach (form errors, messages after a redirect, logged-in "
        "pages) were driven through the real forms with Chromium against the running server "
        "(`scripts/audit_states.py`); the exact HTML the server answered was saved and served "
        "by the same server under `/static/audit/` (same origin, CSS and fonts; status 200 "
        "and WhiteNoise's headers instead of the original ones, so e.g. an `X-Robots-Tag: "
        "noindex` of the original response is not seen by Lighthouse). The 500 page is the "
        "real answer of a second app server with the same settings whose database file is "
        "missing."
    )
    lines.append("")
    for page in pages:
        if page.name in results:
            lines.append(f"- **{page.name}**: {page.how}")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- main


def reader_check_path(option: str | None) -> Path:
    path = Path(option or os.environ.get("READER_CHECK") or DEFAULT_READER_CHECK)
    if not path.is_file() or not os.access(path, os.X_OK):
        sys.exit(
            f"audit: reader-check not found at {path}. Pass its path with --reader-check or "
            "READER_CHECK (it lives in ../shared/tools/reader-check/ next to the repository)."
        )
    return path


def run_audit(args: argparse.Namespace, reader_check: Path) -> tuple[list[Page], Path]:
    if WORK.exists():
        shutil.rmtree(WORK)
    (WORK / "mail").mkdir(parents=True)
    from cryptography.fernet import Fernet

    port, broken_port, web_port = free_port(), free_port(), free_port()
    # Readers get the pages through nginx where it is installed (as in production).
    front = Path(NGINX).exists()
    base = f"http://127.0.0.1:{web_port if front else port}"
    secret, iban_key = secrets.token_urlsafe(50), Fernet.generate_key().decode()
    env = app_env(WORK, base, secret, iban_key, WORK / "db.sqlite3")
    if front:
        env["SERVE_MEDIA"] = "0"  # nginx serves the uploads
    step = lambda text: print(f"audit: {text}", file=sys.stderr, flush=True)  # noqa: E731

    step("migrate, collectstatic, load_demo_content, comment states")
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "collectstatic", "--no-input", "-v0")
    manage(env, "load_demo_content", "--quiet-accounts")
    prepared = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "audit_states.py"), "prepare"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if prepared.returncode:
        sys.exit(f"audit: preparing the comment states failed:\n{prepared.stderr[-3000:]}")
    states = json.loads(prepared.stdout.strip().splitlines()[-1])

    from scripts import audit_states

    broken_env = {**env, "DATABASE_URL": f"sqlite:///{WORK / 'no-database' / 'db.sqlite3'}"}
    ports = (port, broken_port, web_port)
    step(f"driving the forms on {base} (gunicorn, production settings)")
    with servers(env, broken_env, ports, front) as broken:
        captured, confirmation = audit_states.capture(base, states, CHROMIUM)
        captured += [
            audit_states.error_page(
                "not-found-copy", base + MISSING, 404, f"the 404 answer to GET {MISSING}"
            ),
            audit_states.error_page(
                "server-error-copy", broken + "/", 500, "the 500 answer of the app without database"
            ),
        ]
    saved = WORK / "static" / "audit"
    saved.mkdir()
    pages = get_pages(base, states) + late_pages(base, states, confirmation)
    for state in captured:
        (saved / f"{state.name}.html").write_bytes(state.html)
        pages.append(saved_page(base, state.name, state.how))
    pages.append(
        Page(
            "server-error",
            broken + "/",
            f"GET / on a second app server (same settings, port {broken_port}) whose "
            "database file does not exist → the real 500 answer",
            "GET → 500",
        )
    )

    with servers(env, broken_env, ports, front):
        if audit_states.error_page("", broken + "/", 500, "").html != captured[-1].html:
            sys.exit(
                "audit: the 500 answer changed between two starts of the app (was the code "
                "edited during the run?); run again"
            )
        pages.sort(key=lambda page: ORDER.index(page.name))
        if args.only:
            wanted = set(args.only.split(","))
            pages = [page for page in pages if page.name in wanted]
        (WORK / "pages.json").write_text(
            json.dumps([asdict(page) for page in pages], indent=1), encoding="utf-8"
        )
        step(f"reader-check over {len(pages)} pages (about 30 s each)")
        summary = WORK / "reader-check.json"
        command = [
            str(reader_check),
            "--lh-runs",
            str(args.lh_runs),
            "--json",
            str(summary),
            *(f"{page.name}={page.url}" for page in pages),
        ]
        finished = subprocess.run(command, cwd=ROOT)
        if finished.returncode or not summary.exists():
            sys.exit(f"audit: reader-check failed (exit {finished.returncode})")
        try:
            retry_lighthouse(reader_check, args.lh_runs, pages, summary)
        except (OSError, ValueError, KeyError) as error:
            print(f"audit: the second Lighthouse run failed: {error!r}", file=sys.stderr)
    return pages, summary


def lighthouse_failures(data: dict[str, Any]) -> list[str]:
    """Pages whose Lighthouse run broke (e.g. NO_NAVSTART, about one run in 20 here); not
    the pages Lighthouse refuses because of their error status."""
    return [
        result["name"]
        for result in data["pages"]
        if any("ERRORED_DOCUMENT_REQUEST" not in e for e in (result.get("lh_err") or {}).values())
    ]


def retry_lighthouse(reader_check: Path, runs: int, pages: list[Page], summary: Path) -> None:
    """Run Lighthouse again (twice at most) for the pages whose run broke, and merge each
    preset that now gives a result: its scores, and its JSON report beside the page's."""
    data = json.loads(summary.read_text(encoding="utf-8"))
    urls = {page.name: page.url for page in pages}
    for attempt in range(2):
        failed = lighthouse_failures(data)
        if not failed:
            return
        print(f"audit: Lighthouse again for {', '.join(failed)}", file=sys.stderr, flush=True)
        retry = summary.with_name(f"reader-check-retry-{attempt + 1}.json")
        finished = subprocess.run(
            [str(reader_check), "--skip", "browser,vnu,axe", "--lh-runs", str(runs), "--json",
             str(retry), *(f"{name}={urls[name]}" for name in failed)],
            cwd=ROOT, capture_output=True, text=True,
        )  # fmt: skip
        sys.stderr.write(finished.stdout)
        folder = next(
            (line.split(":", 1)[1].split()[0] for line in finished.stdout.splitlines()
             if line.startswith("raw reports:")),
            None,
        )  # fmt: skip
        if finished.returncode or not retry.exists() or not folder:
            return
        again = {result["name"]: result for result in json.loads(retry.read_text())["pages"]}
        for result in data["pages"]:
            merge_lighthouse(result, again.get(result["name"]), Path(folder.rstrip("/")))
        summary.write_text(json.dumps(data, indent=1), encoding="utf-8")


def merge_lighthouse(result: dict[str, Any], new: dict[str, Any] | None, folder: Path) -> None:
    """Take each preset that broke in `result` and has a result in `new` (run in `folder`)."""
    if not new:
        return
    errors = result.get("lh_err") or {}
    html = result.get("html_file")
    own = Path(result.get("lh_dir") or (Path(html).parent if html else folder))
    for preset in list(errors):
        if "ERRORED_DOCUMENT_REQUEST" in errors[preset]:
            continue
        scores = (new.get("lh") or {}).get(preset)
        if not scores or preset in (new.get("lh_err") or {}):
            continue
        report = folder / f"{result['name']}-lh-{preset}.json"
        if report.exists() and own != folder:
            shutil.copyfile(report, own / report.name)
        result.setdefault("lh", {})[preset] = scores
        del errors[preset]
    result["lh_err"] = errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--reader-check", help=f"path of reader-check (default {DEFAULT_READER_CHECK})"
    )
    parser.add_argument(
        "--lh-runs", type=int, default=1, help="Lighthouse runs per page and preset"
    )
    parser.add_argument("--only", help="comma-separated page names (a quick partial run)")
    parser.add_argument(
        "--out", type=Path, help=f"report file (default {REPORT.relative_to(ROOT)})"
    )
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="rewrite the report from the last run's var/audit/ without measuring again",
    )
    args = parser.parse_args()
    out = args.out or (WORK / "reader-experience.md" if args.only else REPORT)
    if args.report_only:
        summary, pages_file = WORK / "reader-check.json", WORK / "pages.json"
        if not summary.exists() or not pages_file.exists():
            sys.exit(f"audit: no earlier run in {WORK}; run without --report-only first")
        pages = [Page(**page) for page in json.loads(pages_file.read_text(encoding="utf-8"))]
        host = json.loads((WORK / "machine.json").read_text(encoding="utf-8"))
    else:
        reader_check = reader_check_path(args.reader_check)
        host = machine()
        try:
            pages, summary = run_audit(args, reader_check)
        except StartError as error:
            sys.exit(f"audit: {error}")
        host["load_after"] = os.getloadavg()
        (WORK / "machine.json").write_text(json.dumps(host), encoding="utf-8")
    data = json.loads(summary.read_text(encoding="utf-8"))
    command = ".venv/bin/python scripts/audit.py"
    out.write_text(render_report(data, pages, host, command), encoding="utf-8")
    print(f"audit: wrote {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
