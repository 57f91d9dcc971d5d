from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "support"
urlpatterns: list[URLPattern | URLResolver] = [
    path("unterstuetzen/", views.pledge, name="pledge"),
    path("unterstuetzen/danke/<str:token>/", views.confirmation, name="confirmation"),
    path("unterstuetzen/verwalten/<str:token>/", views.manage, name="manage"),
    path("unterstuetzen/meine/", views.my_pledges, name="my_pledges"),
    path("unterstuetzen/meine/<int:pk>/", views.my_pledge, name="my_pledge"),
    path("unterstuetzen/verbinden/<str:token>/", views.claim, name="claim"),
]
