from pathlib import Path

import pytest
from django.core.cache import cache

TEST_OUTPUT = Path(__file__).resolve().parent / "var" / "test-output"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache (Redis runs use a database of their own)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def test_output() -> Path:
    from django.db import connection

    path = TEST_OUTPUT / connection.vendor
    path.mkdir(parents=True, exist_ok=True)
    return path
