from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

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
