import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
GOOD_SECRET = "k" * 50


def load_production_settings(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}
    }
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import lesefrei.settings.production as s; print(s.DEBUG, s.ALLOWED_HOSTS)",
        ],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"SECRET_KEY": GOOD_SECRET, "ALLOWED_HOSTS": "zeitung.example", "DEBUG": "1"},
            "DEBUG must be off",
        ),
        ({"ALLOWED_HOSTS": "zeitung.example"}, "Set SECRET_KEY"),
        ({"SECRET_KEY": "short", "ALLOWED_HOSTS": "zeitung.example"}, "Set SECRET_KEY"),
        ({"SECRET_KEY": GOOD_SECRET}, "Set ALLOWED_HOSTS"),
    ],
)
def test_production_settings_refuse_unsafe_configuration(env, message):
    result = load_production_settings(**env)
    assert result.returncode != 0
    assert message in result.stderr


def test_production_settings_start_with_a_real_secret():
    result = load_production_settings(
        SECRET_KEY=GOOD_SECRET, ALLOWED_HOSTS="zeitung.example,www.zeitung.example"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False ['zeitung.example', 'www.zeitung.example']"


def test_embedded_default_uses_sqlite_and_the_in_process_cache():
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    script = (
        "import lesefrei.settings.dev as s;"
        "print(s.DATABASES['default']['ENGINE'], s.CACHES['default']['BACKEND'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "django.core.cache.backends.locmem.LocMemCache",
    ]


def production_value(expression: str, **env: str) -> str:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "REDIS_URL", "PAGE_CACHE", "TASKS_BACKEND"}
    }
    result = subprocess.run(
        [sys.executable, "-c", f"import lesefrei.settings.production as s; print({expression})"],
        cwd=ROOT,
        env={**clean, "SECRET_KEY": GOOD_SECRET, "ALLOWED_HOSTS": "zeitung.example", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_production_serves_from_the_page_cache_when_redis_is_shared():
    assert production_value("s.PAGE_CACHE_ENABLED", REDIS_URL="redis://127.0.0.1:6379/0") == "True"
    assert production_value("s.PAGE_CACHE_ENABLED") == "False", "no shared store, no cache"
    assert production_value("s.PAGE_CACHE_ENABLED", PAGE_CACHE="1") == "True"


def test_production_queues_tasks_for_the_worker_and_the_embedded_profile_runs_them_inline():
    assert production_value("s.TASKS['default']['BACKEND']") == "django_tasks_db.DatabaseBackend"
    assert (
        production_value("s.TASKS['default']['BACKEND']", TASKS_BACKEND="immediate")
        == "django.tasks.backends.immediate.ImmediateBackend"
    )
