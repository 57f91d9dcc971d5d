from typing import Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.chooser import SnippetChooserViewSet, SnippetChosenView
from wagtail.snippets.views.snippets import SnippetViewSet

from .caching import tag_request_for_page
from .forms import TopicForm
from .models import Topic


class ChosenByAnyIdView(SnippetChosenView):
    """Wagtail's chosen view answers 404 only for an id that does not exist; an id that
    is no id at all (/chosen/x/ for an integer key) raised ValueError, a 500 (a Wagtail
    bug: ChosenViewMixin.get_object catches only ObjectDoesNotExist)."""

    def get_object(self, pk: Any) -> Any:
        try:
            return super().get_object(pk)
        except (ValueError, ValidationError) as error:
            raise ObjectDoesNotExist(pk) from error


class TopicChooserViewSet(SnippetChooserViewSet):
    chosen_view_class = ChosenByAnyIdView


class TopicViewSet(SnippetViewSet):
    """Editors rename, merge by hand and clean up topics here."""

    model = Topic
    icon = "tag"
    add_to_admin_menu = True
    menu_label = _("Themen")
    menu_order = 250
    chooser_viewset_class = TopicChooserViewSet
    list_display = ["name", "slug"]
    search_fields = ["name"]
    edit_handler = ObjectList([FieldPanel("name"), FieldPanel("slug")], base_form_class=TopicForm)


register_snippet(TopicViewSet)

# Every page Wagtail serves declares what it shows, so the page cache can store it.
hooks.register("before_serve_page", tag_request_for_page)
