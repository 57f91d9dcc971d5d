"""Content Security Policy: Django's middleware with the strict SECURE_CSP for everything
readers see, and ADMIN_CSP for the Wagtail admin, whose pages still carry inline scripts
and styles (measured with a browser; docs/operations.md)."""

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.middleware.csp import ContentSecurityPolicyMiddleware


class SitePolicyMiddleware(ContentSecurityPolicyMiddleware):
    """SECURE_CSP on reader pages; ADMIN_CSP under WAGTAILADMIN_PATH unless a view chose
    its own policy (django.views.decorators.csp)."""

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        admin_prefix = "/" + settings.WAGTAILADMIN_PATH.lstrip("/")
        if request.path.startswith(admin_prefix) and not hasattr(response, "_csp_config"):
            response._csp_config = settings.ADMIN_CSP
        return super().process_response(request, response)
