"""The comments' place in the CMS: the moderation queue (with bans and the log) in the
main menu, and the editable list of rejection reasons as a snippet."""

from django.http import HttpRequest
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import admin_views
from .models import RejectionReason

admin_urls = [
    path("", admin_views.queue, name="queue"),
    path("sperren/", admin_views.bans, name="bans"),
    path("sperren/<int:user_id>/", admin_views.ban, name="ban"),
    path("sperren/aufheben/<int:ban_id>/", admin_views.lift, name="lift"),
    path("protokoll/", admin_views.log, name="log"),
]


@hooks.register("register_admin_urls")
def register_queue_urls() -> list:
    return [path("kommentare/", include((admin_urls, "comments_admin")))]


class QueueMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return admin_views.may_see_queue(request.user)


@hooks.register("register_admin_menu_item")
def register_queue_menu_item() -> MenuItem:
    return QueueMenuItem(
        _("Kommentare"),
        reverse("comments_admin:queue"),
        name="kommentare",
        icon_name="comment",
        order=250,
    )


class RejectionReasonViewSet(SnippetViewSet):
    model = RejectionReason
    icon = "comment"
    menu_label = _("Ablehnungsgründe")
    add_to_admin_menu = False
    list_display = ["label", "text", "sort_order"]


register_snippet(RejectionReasonViewSet)
