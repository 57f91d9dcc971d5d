from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .caching import tag_request_for_page
from .models import Topic


class TopicViewSet(SnippetViewSet):
    """Editors rename, merge by hand and clean up topics here."""

    model = Topic
    icon = "tag"
    add_to_admin_menu = True
    menu_label = "Themen"
    menu_order = 250
    list_display = ["name", "slug"]
    search_fields = ["name"]
    panels = [FieldPanel("name"), FieldPanel("slug")]


register_snippet(TopicViewSet)

# Every page Wagtail serves declares what it shows, so the page cache can store it.
hooks.register("before_serve_page", tag_request_for_page)
