from django.urls import URLPattern, URLResolver, path
from django.views.decorators.cache import cache_control
from wagtail.contrib.sitemaps.views import sitemap

from . import views
from .api import api
from .feeds import ArticleFeed, AuthorFeed, SectionFeed, TopicFeed, atom
from .sitemaps import SITEMAPS

app_name = "discovery"

cached = cache_control(public=True, max_age=300)

urlpatterns: list[URLPattern | URLResolver] = [
    path("suche/", views.search, name="search"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("sitemap.xml", cached(sitemap), {"sitemaps": SITEMAPS}, name="sitemap"),
    path("news-sitemap.xml", views.news_sitemap, name="news_sitemap"),
    path("feeds/rss/", cached(ArticleFeed()), name="feed_rss"),
    path("feeds/atom/", cached(atom(ArticleFeed)()), name="feed_atom"),
    path("feeds/ressort/<slug:slug>/rss/", cached(SectionFeed()), name="section_rss"),
    path("feeds/ressort/<slug:slug>/atom/", cached(atom(SectionFeed)()), name="section_atom"),
    path("feeds/autor/<slug:slug>/rss/", cached(AuthorFeed()), name="author_rss"),
    path("feeds/autor/<slug:slug>/atom/", cached(atom(AuthorFeed)()), name="author_atom"),
    path("feeds/thema/<slug:slug>/rss/", cached(TopicFeed()), name="topic_rss"),
    path("feeds/thema/<slug:slug>/atom/", cached(atom(TopicFeed)()), name="topic_atom"),
    path("api/v1/", api.urls),
]
