from django.urls import URLPattern, re_path

from . import views

app_name = "live"

# Ids up to nine digits: anything longer is no entry and must not reach the database
# (PostgreSQL refuses integers beyond its range with an error).
ID = r"[0-9]{1,9}"

urlpatterns: list[URLPattern] = [
    re_path(
        rf"^live/(?P<ticker_id>{ID})/seit/(?P<entry_id>{ID})\.json$",
        views.entries_after,
        name="entries_after",
    ),
    re_path(
        rf"^feeds/liveticker/(?P<ticker_id>{ID})/rss/$",
        views.feed,
        {"kind": "rss"},
        name="feed_rss",
    ),
    re_path(
        rf"^feeds/liveticker/(?P<ticker_id>{ID})/atom/$",
        views.feed,
        {"kind": "atom"},
        name="feed_atom",
    ),
]
