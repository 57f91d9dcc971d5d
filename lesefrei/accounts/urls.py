"""Reader accounts under /konto/: lesefrei's own pages plus allauth's.

No app_name: allauth's URL names ("account_login", "account_signup", …) are global,
and allauth, its templates and other apps reverse them without a namespace.
"""

from django.urls import include, path

from . import views

urlpatterns = [
    path("konto/", views.account_overview, name="reader_account"),
    path("konto/status.json", views.account_status, name="reader_account_status"),
    path("konto/pseudonym/", views.change_pseudonym, name="reader_change_pseudonym"),
    path("konto/export.json", views.export_data, name="reader_export"),
    path("konto/loeschen/", views.delete_account, name="reader_delete"),
    path("konto/geloescht/", views.account_deleted, name="reader_deleted"),
    path("konto/", include("allauth.urls")),
]
