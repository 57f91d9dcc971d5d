import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lesefrei.settings.dev")

django_application = get_wsgi_application()

from lesefrei.cache.pages import PageCacheApp  # noqa: E402  (needs the loaded apps)

# Stored reader pages are answered before Django; everything else goes through Django.
application = PageCacheApp(django_application)
