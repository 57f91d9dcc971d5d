import logging

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


def database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        logger.error("health check: database unreachable: %s", error)
        return False
    return True


def cache_answers() -> bool:
    """Whether the shared cache answers now. Only lesefrei's Redis backend can be away;
    the in-process cache of the embedded profile always answers."""
    ping = getattr(cache, "ping", None)
    return ping() if ping is not None else True


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitoring.

    - 503 ``error`` when the database does not answer: this node cannot serve.
    - 200 ``degraded`` when Redis does not answer: pages come from the database (slower,
      correct), so one Redis outage must not take every app server out of the pool.
    - ``?strict=1`` answers 503 for ``degraded`` too: for monitoring that wants to know
      whether the node is fully healthy.
    """
    database = database_answers()
    cache_ok = cache_answers()
    body = {
        "status": "ok" if database and cache_ok else ("degraded" if database else "error"),
        "database": "ok" if database else "unreachable",
        "cache": "ok" if cache_ok else "unreachable",
    }
    strict = request.GET.get("strict", "0") != "0"
    healthy = body["status"] == "ok" or (body["status"] == "degraded" and not strict)
    return JsonResponse(body, status=200 if healthy else 503)
