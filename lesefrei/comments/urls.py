from django.urls import path

from . import views

app_name = "comments"
urlpatterns = [
    path("kommentare/<int:article_id>/", views.comments_page, name="list"),
    path("kommentare/<int:article_id>/schreiben/", views.write, name="write"),
    path("kommentare/<int:article_id>/status.json", views.status, name="status"),
    path("kommentare/melden/<int:comment_id>/", views.report, name="report"),
    path("kommentare/einstellungen/", views.preferences, name="preferences"),
]
