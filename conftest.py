from pathlib import Path

import pytest
from django.core.cache import cache

TEST_OUTPUT = Path(__file__).resolve().parent / "var" / "test-output"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache and page cache (Redis runs use a database of
    their own)."""
    from lesefrei.cache import pages as pagecache

    cache.clear()
    pagecache.clear()
    yield
    cache.clear()
    pagecache.clear()


@pytest.fixture
def test_output() -> Path:
    from django.db import connection

    path = TEST_OUTPUT / connection.vendor
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session", autouse=True)
def _expected_database(django_db_setup, django_db_blocker):
    """`make test-postgres` sets EXPECT_DATABASE=postgresql: a run that silently fell back to
    SQLite (a wrong DATABASE_URL) must fail instead of passing on the wrong database."""
    import os

    from django.db import connection

    expected = os.environ.get("EXPECT_DATABASE")
    if expected:
        assert connection.vendor == expected, f"tests ran on {connection.vendor}, not {expected}"
