from django.conf import settings
from django.urls import include, path, re_path
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from lesefrei.site import views as site_views

urlpatterns = [
    path("healthz", site_views.healthz, name="healthz"),
    path(settings.WAGTAILADMIN_PATH, include(wagtailadmin_urls)),
    path("dokumente/", include(wagtaildocs_urls)),
    path("", include("lesefrei.accounts.urls")),
    path("", include("lesefrei.comments.urls")),
    path("", include("lesefrei.support.urls")),
    path("", include("lesefrei.discovery.urls")),
    path("", include("lesefrei.live.urls")),
]

if settings.SERVE_MEDIA:
    media_prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns.append(
        re_path(rf"^{media_prefix}(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})
    )

# Wagtail's page tree answers everything else; it must stay last.
urlpatterns.append(path("", include(wagtail_urls)))
