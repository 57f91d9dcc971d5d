"""Prepare the production profile on this machine for `make production`.

    python scripts/production.py [--dir var/production] [--port 8080] [--app-server granian]

Checks that PostgreSQL and Redis answer, creates the database if it is missing, writes
the environment file (keeping the secret keys of an earlier run) and a standalone
nginx.conf from deploy/nginx/lesefrei.conf. `make production` then migrates, collects
static files, loads the demo and starts deploy/Procfile with honcho: the app server,
the task worker, scheduled publishing, the hourly "meistkommentiert" refresh and nginx
in front.

On a real server the same pieces are installed by hand (docs/operations.md).
"""

from __future__ import annotations

import argparse
import os
import secrets
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a file: make the scripts package importable

from scripts.nginx_conf import write_config  # noqa: E402
from scripts.processes import port_open  # noqa: E402

NGINX = "/usr/sbin/nginx"  # where deploy/Procfile starts it


def reachable(url: str, default_port: int) -> bool:
    parts = urlsplit(url)
    return port_open(parts.hostname or "127.0.0.1", parts.port or default_port)


def ensure_database(url: str) -> None:
    """Create the database named in the URL when it does not exist yet."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"Created PostgreSQL database {name}.")


def read_env(path: Path) -> dict[str, str]:
    values: dict[str, str] = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.lstrip().startswith("#") and "=" in line:
                key, _, value = line.partition("=")
                values[key.strip()] = value.strip()
    return values


def fernet_key() -> str:
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--dir", type=Path, default=ROOT / "var" / "production")
    parser.add_argument("--port", type=int, default=8080, help="where nginx listens")
    parser.add_argument("--app-port", type=int, default=8001, help="where the app server listens")
    parser.add_argument("--app-server", choices=["granian", "gunicorn"], default="granian")
    parser.add_argument(
        "--workers", type=int, default=0, help="app processes (0: one per CPU core)"
    )
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/lesefrei")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    args = parser.parse_args()

    missing = []
    if not reachable(args.database_url, 5432):
        missing.append(
            f"PostgreSQL does not answer at {args.database_url} "
            "(Debian: apt-get install postgresql; or pass DATABASE_URL=… to make)."
        )
    if not reachable(args.redis_url, 6379):
        missing.append(
            f"Redis does not answer at {args.redis_url} "
            "(Debian: apt-get install redis-server; or pass REDIS_URL=… to make)."
        )
    if not Path(NGINX).exists():
        missing.append("nginx is not installed (Debian: apt-get install nginx).")
    if missing:
        print("The production profile needs:\n  " + "\n  ".join(missing), file=sys.stderr)
        return 1
    ensure_database(args.database_url)

    folder = args.dir.resolve()
    folder.mkdir(parents=True, exist_ok=True)
    env_file = folder / "lesefrei.env"
    earlier = read_env(env_file)
    site_url = f"http://127.0.0.1:{args.port}"
    values = {
        "DJANGO_SETTINGS_MODULE": "lesefrei.settings.production",
        "SECRET_KEY": earlier.get("SECRET_KEY") or secrets.token_urlsafe(50),
        "SUPPORT_IBAN_KEYS": earlier.get("SUPPORT_IBAN_KEYS") or fernet_key(),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CSRF_TRUSTED_ORIGINS": f"{site_url},http://localhost:{args.port}",
        "SITE_URL": site_url,
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "TASKS_BACKEND": "database",
        "PAGE_CACHE": "1",
        "LESEFREI_TRUSTED_PROXIES": "1",
        # Plain HTTP on this machine; a real server terminates TLS in nginx and keeps
        # the redirect on (the default).
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "MAIL_BACKEND": "file",
        "MAIL_FILE_PATH": str(folder / "mail"),
        "STATIC_ROOT": str(folder / "static"),
        "MEDIA_ROOT": str(folder / "media"),
        "APP_SERVER": args.app_server,
        "APP_BIND": f"127.0.0.1:{args.app_port}",
        "WEB_CONCURRENCY": str(args.workers or len(os.sched_getaffinity(0))),
        "NGINX_PREFIX": str(folder / "nginx"),
        "PYTHONUNBUFFERED": "1",
    }
    env_file.write_text(
        "# Written by scripts/production.py for `make production` (local use only).\n"
        + "".join(f"{key}={value}\n" for key, value in values.items()),
        encoding="utf-8",
    )
    env_file.chmod(0o600)

    prefix = folder / "nginx"
    write_config(
        prefix,
        listen=f"127.0.0.1:{args.port}",
        app=values["APP_BIND"],
        static=folder / "static",
        media=folder / "media",
    )
    check = subprocess.run(
        [NGINX, "-t", "-p", str(prefix), "-c", "nginx.conf"],
        capture_output=True,
        text=True,
    )
    if check.returncode != 0:
        print(check.stderr, file=sys.stderr)
        return 1
    print(f"Environment: {env_file}\nnginx: {prefix / 'nginx.conf'}\nSite: {site_url}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
