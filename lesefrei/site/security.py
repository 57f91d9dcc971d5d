"""Content Security Policy: Django's middleware with the strict SECURE_CSP for everything
readers see, ADMIN_CSP for the Wagtail admin, whose pages still carry inline scripts and
styles (measured with a browser; docs/operations.md), and PREVIEW_CSP for Wagtail's
previews, which the admin shows in a frame."""

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.middleware.csp import ContentSecurityPolicyMiddleware


class SitePolicyMiddleware(ContentSecurityPolicyMiddleware):
    """Picks the policy by where the response is shown, unless a view chose its own
    (django.views.decorators.csp)."""

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if not hasattr(response, "_csp_config"):
            admin_prefix = "/" + settings.WAGTAILADMIN_PATH.lstrip("/")
            if getattr(request, "is_dummy", False):
                # Wagtail renders a preview as a made-up request for the page's own address
                # through the whole middleware chain; the admin then frames the result.
                response._csp_config = settings.PREVIEW_CSP
            elif request.path.startswith(admin_prefix):
                response._csp_config = settings.ADMIN_CSP
        return super().process_response(request, response)
