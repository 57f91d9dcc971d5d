import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lesefrei.settings.dev")

from lesefrei.site.pagecache import PageCacheApp

# Stored reader pages are answered before Django; everything else goes through Django.
application = PageCacheApp(get_wsgi_application())
