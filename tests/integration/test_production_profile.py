"""`make production` prepares a production profile that Django's deploy checks accept:
PostgreSQL, Redis, the database task queue, the page cache and a valid nginx config."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from scripts.processes import free_port, port_open

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "production.py"
PROFILE_DATABASE = "lesefrei_profile_check"


def prepare(tmp_path: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, SCRIPT, "--dir", tmp_path / "production", "--port", "8089", *extra],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )


def test_production_profile_says_which_server_is_missing(tmp_path):
    port = free_port()  # nothing listens there

    result = prepare(
        tmp_path,
        "--database-url",
        f"postgres://postgres@127.0.0.1:{port}/lesefrei",
        "--redis-url",
        f"redis://127.0.0.1:{port}/0",
    )

    assert result.returncode == 1
    assert f"PostgreSQL does not answer at postgres://postgres@127.0.0.1:{port}/lesefrei" in (
        result.stderr
    )
    assert "Redis does not answer" in result.stderr
    assert not (tmp_path / "production" / "lesefrei.env").exists()


@pytest.mark.skipif(
    not (port_open("127.0.0.1", 5432) and port_open("127.0.0.1", 6379)),
    reason="needs PostgreSQL and Redis",
)
def test_production_profile_passes_djangos_deploy_checks(tmp_path):
    database_url = f"postgres://postgres@127.0.0.1:5432/{PROFILE_DATABASE}"
    result = prepare(
        tmp_path, "--database-url", database_url, "--redis-url", "redis://127.0.0.1:6379/15"
    )
    assert result.returncode == 0, result.stderr
    env_file = tmp_path / "production" / "lesefrei.env"
    values = dict(line.split("=", 1) for line in env_file.read_text().splitlines() if "=" in line)
    assert values["DJANGO_SETTINGS_MODULE"] == "lesefrei.settings.production"
    assert values["TASKS_BACKEND"] == "database"
    assert values["PAGE_CACHE"] == "1"
    assert len(values["SECRET_KEY"]) >= 50
    assert oct(env_file.stat().st_mode & 0o777) == "0o600"
    assert (tmp_path / "production" / "nginx" / "nginx.conf").exists()

    # A server's environment: not the test run's settings module, nor the async-safety
    # switch the browser tests set for Playwright (the deploy check rightly refuses it).
    leave_out = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {key: value for key, value in os.environ.items() if key not in leave_out}
    environment.update(values)
    # The local profile writes mails to files (Django's deploy check rightly calls that
    # development-only); a server sets MAIL_BACKEND=smtp, so check with that.
    environment["MAIL_BACKEND"] = "smtp"
    check = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "ERROR"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=environment,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    shown = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "--no-imports",
            "-c",
            "from django.conf import settings as s; "
            "print(s.TASKS['default']['BACKEND'], s.PAGE_CACHE_ENABLED, "
            "s.CACHES['default']['BACKEND'], s.DATABASES['default']['NAME'])",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=environment,
    )
    assert shown.stdout.split() == [
        "django_tasks_db.DatabaseBackend",
        "True",
        "lesefrei.cache.redis.RedisCache",
        PROFILE_DATABASE,
    ]

    again = prepare(
        tmp_path, "--database-url", database_url, "--redis-url", "redis://127.0.0.1:6379/15"
    )
    assert again.returncode == 0
    assert f"SECRET_KEY={values['SECRET_KEY']}" in env_file.read_text(), "keys must survive"
