"""Generated requests against the read API: schemathesis derives them from the OpenAPI
schema the API serves (valid and invalid parameters, path ids, cursors) and checks every
answer with all of its checks — no 5xx, only documented status codes and content types,
bodies that match their schema, invalid input refused. The example budget is fixed and
derandomized so a run in CI tries the same cases as a run on a laptop."""

from datetime import timedelta

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

from lesefrei.discovery.api import api
from lesefrei.wsgi import application
from tests import factories

pytestmark = pytest.mark.django_db

# The schema the API serves at /api/v1/openapi.json, taken from the API object itself (the
# pytest-fixture loader of schemathesis 4 does not work with pytest 9); the generated
# requests go through the whole WSGI application, middleware included.
schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = application


@pytest.fixture
def connection_kept_open():
    """Django closes the database connection when a request finishes; called straight
    through WSGI (not the test client, which does the same) that would close the test's
    transaction on PostgreSQL in the middle of the run."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def articles(api_rate_limit_raised, connection_kept_open) -> None:
    politics = factories.section("Politik")
    author = factories.author("Miriam Köhler")
    factories.article(
        politics,
        headline="Streit um die Haltelinie",
        authors=[author],
        topics=["Rente"],
        published_at=timezone.now() - timedelta(days=2),
    )
    factories.article(politics, headline="Bürger kaufen ihren Bus")


@pytest.fixture
def api_rate_limit_raised(monkeypatch):
    """Hundreds of requests from one address in a few seconds are what the rate limit is
    for; here they are the test, so the real limit is raised out of their way."""
    (throttle,) = api.throttle
    monkeypatch.setattr(throttle, "rate", "100000/m")
    monkeypatch.setattr(throttle, "num_requests", 100000)


@schema.parametrize()
@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_read_api_answers_generated_requests_as_its_schema_says(case, articles):
    # A cursor is an opaque token that only `next`/`previous` hand out: a made-up one is
    # refused with 422 although the schema can only say "a string", so for requests that
    # carry one the "schema-valid request accepted" check cannot hold. Every other check
    # still runs on them (no 5xx, documented status, body schema); forged cursors have
    # their own tests in test_hostile_queries.py.
    excluded = [positive_data_acceptance] if "cursor" in (case.query or {}) else []
    case.call_and_validate(excluded_checks=excluded)
