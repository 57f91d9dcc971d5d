"""CMS view of imported agency items: which ninjs item became which article, in which
version. Read-only: only `import_ninjs` writes these records."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from .models import SyndicatedItem


class ViewOnlyPermissionPolicy(ModelPermissionPolicy):
    """Whoever may view the model sees it; nobody adds, edits or deletes it in the CMS."""

    def user_has_permission(self, user: Any, action: str) -> bool:
        return action == "view" and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions: Any) -> Any:
        if "view" not in actions:
            return super().users_with_any_permission([]).none()
        return super().users_with_any_permission(["view"])


register_permission_policy(SyndicatedItem, ViewOnlyPermissionPolicy(SyndicatedItem))


class SyndicatedItemViewSet(ModelViewSet):
    model = SyndicatedItem
    icon = "download"
    add_to_admin_menu = True
    menu_label = _("Agenturmeldungen")
    menu_order = 260
    list_display = ["article", "uri", "version", "version_created", "updated_at"]
    list_filter = ["version_created"]
    search_fields = ["uri"]
    form_fields = ["uri", "version", "version_created", "article"]
    inspect_view_enabled = True


@hooks.register("register_admin_viewset")
def register_syndicated_items() -> SyndicatedItemViewSet:
    return SyndicatedItemViewSet("agenturmeldungen")
