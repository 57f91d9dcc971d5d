"""The "Unterstützung" menu of the Wagtail admin for the finance group: lists with search
and filters (ModelViewSets, read-only: changes go through the services), the campaign,
the collection day and the figures."""

from typing import Any

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from lesefrei.site.admin import (
    LocalizedInspectView,
    MomentColumn,
    MoneyColumn,
    YesNoColumn,
    field_column,
)

from . import admin_views
from .models import (
    Campaign,
    Collection,
    CollectionReturn,
    CollectionRun,
    IbanAccessLog,
    Mandate,
    Pledge,
    ReturnImport,
    Supporter,
)


class ViewOnlyPolicy(ModelPermissionPolicy):
    """Nobody adds, edits or deletes these rows in the admin, not even a superuser: money
    moves only through services.py, which keeps the invariants and the audit trail."""

    def user_has_permission(self, user: Any, action: str) -> bool:
        return action == "view" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user: Any, actions: Any) -> bool:
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user: Any, action: str, instance: Any) -> bool:
        return self.user_has_permission(user, action)

    def user_has_any_permission_for_instance(self, user: Any, actions: Any, instance: Any) -> bool:
        return self.user_has_any_permission(user, actions)


class ReadOnlyViewSet(ModelViewSet):
    """Lists with search and filters, and inspect views; nothing else."""

    inspect_view_enabled = True
    inspect_view_class = LocalizedInspectView
    copy_view_enabled = False
    add_to_reference_index = False
    exclude_form_fields: list[str] = []


class SupporterViewSet(ReadOnlyViewSet):
    model = Supporter
    name = "support_supporters"
    url_prefix = "unterstuetzung/unterstuetzer"
    icon = "group"
    menu_label = _("Unterstützer/innen")
    list_display = ["name", "email", "user", "created_at"]
    list_filter = ["created_at"]
    search_fields = ["name", "email"]
    inspect_view_fields = ["name", "email", "user", "created_at"]


class PledgeViewSet(ReadOnlyViewSet):
    model = Pledge
    name = "support_pledges"
    url_prefix = "unterstuetzung/zusagen"
    icon = "list-ul"
    menu_label = _("Zusagen")
    list_display = [
        "supporter",
        field_column(MoneyColumn, Pledge, "amount"),
        "interval",
        "status",
        field_column(MomentColumn, Pledge, "anchor_date"),
        field_column(MomentColumn, Pledge, "created_at"),
        field_column(MomentColumn, Pledge, "ended_at"),
    ]
    list_filter = ["status", "interval", "created_at"]
    search_fields = ["supporter__name", "supporter__email", "mandates__reference"]
    inspect_view_fields = [
        "supporter",
        "user",
        "amount",
        "interval",
        "status",
        "anchor_date",
        "collection_day",
        "ends_on",
        "end_reason",
        "created_at",
        "ended_at",
    ]
    inspect_template_name = "support/admin/pledge_inspect.html"


class MandateViewSet(ReadOnlyViewSet):
    model = Mandate
    name = "support_mandates"
    url_prefix = "unterstuetzung/mandate"
    icon = "form"
    menu_label = _("Mandate")
    list_display = [
        "reference",
        "account_holder",
        "iban_masked",
        "bank_name",
        "status",
        "signed_on",
        "last_used_on",
    ]
    list_filter = ["status", "signed_on"]
    search_fields = ["reference", "account_holder", "pledge__supporter__email"]
    inspect_view_fields = [
        "reference",
        "pledge",
        "account_holder",
        "iban_masked",
        "bic",
        "bank_name",
        "street",
        "postcode",
        "town",
        "country",
        "signed_on",
        "status",
        "last_used_on",
    ]
    inspect_template_name = "support/admin/mandate_inspect.html"


class CollectionViewSet(ReadOnlyViewSet):
    model = Collection
    name = "support_collections"
    url_prefix = "unterstuetzung/einzuege"
    icon = "date"
    menu_label = _("Einzüge")
    list_display = [
        "pledge",
        field_column(MomentColumn, Collection, "due_date"),
        field_column(MoneyColumn, Collection, "amount"),
        "status",
        "sequence_type",
        "collection_date",
        "run",
    ]
    list_filter = ["status", "sequence_type", "due_date"]
    search_fields = ["end_to_end_id", "pledge__supporter__name", "mandate__reference"]


class CollectionRunViewSet(ReadOnlyViewSet):
    model = CollectionRun
    name = "support_runs"
    url_prefix = "unterstuetzung/einzugslaeufe"
    icon = "download"
    menu_label = _("Einzugsläufe")
    list_display = [
        TitleColumn(
            "filename",
            label=_("Datei herunterladen"),
            get_url=lambda run: reverse("support_collection_day:download", args=[run.pk]),
        ),
        "created_at",
        "until",
        "transaction_count",
        field_column(MoneyColumn, CollectionRun, "control_sum"),
        "created_by",
        Column("sha256", label=_("SHA-256")),
    ]
    list_filter = ["created_at"]
    search_fields = ["filename", "message_id", "sha256"]
    inspect_view_fields = [
        "filename",
        "message_id",
        "created_at",
        "created_by",
        "until",
        "transaction_count",
        "control_sum",
        "sha256",
    ]


class CollectionReturnViewSet(ReadOnlyViewSet):
    model = CollectionReturn
    name = "support_returns"
    url_prefix = "unterstuetzung/ruecklastschriften"
    icon = "warning"
    menu_label = _("Rücklastschriften")
    list_display = [
        "collection",
        "reason_code",
        Column("reason_text", label=_("Grund")),
        field_column(MoneyColumn, CollectionReturn, "fee"),
        "returned_on",
        "source",
    ]
    list_filter = ["reason_code", "returned_on"]
    search_fields = [
        "reason_code",
        "collection__end_to_end_id",
        "collection__pledge__supporter__name",
    ]


class ReturnImportViewSet(ReadOnlyViewSet):
    model = ReturnImport
    name = "support_return_files"
    url_prefix = "unterstuetzung/rueckgabedateien"
    icon = "doc-full"
    menu_label = _("Rückgabedateien")
    list_display = ["filename", "message_type", "imported_at", "return_count", "imported_by"]
    list_filter = ["message_type", "imported_at"]
    search_fields = ["filename", "sha256"]


class IbanAccessLogViewSet(ReadOnlyViewSet):
    model = IbanAccessLog
    name = "support_iban_log"
    url_prefix = "unterstuetzung/iban-einsichten"
    icon = "view"
    menu_label = _("IBAN-Einsichten")
    list_display = ["viewed_at", "user", "mandate", "run"]
    list_filter = ["viewed_at"]
    search_fields = ["mandate__reference", "run__filename", "user__username"]


class CampaignViewSet(ModelViewSet):
    model = Campaign
    name = "support_campaigns"
    url_prefix = "unterstuetzung/kampagnen"
    icon = "pick"
    menu_label = _("Kampagnen")
    list_display = [
        "title",
        "goal",
        field_column(YesNoColumn, Campaign, "is_active"),
        "created_at",
    ]
    list_filter = ["is_active"]
    search_fields = ["title"]
    form_fields = [
        "title",
        "goal",
        "supporters_offset",
        "heading",
        "text",
        "minimum_text",
        "button_text",
        "is_active",
    ]


class PermittedMenuItem(MenuItem):
    permission = ""

    def is_shown(self, request: Any) -> bool:
        return request.user.has_perm(self.permission)


def permitted(permission: str) -> type[MenuItem]:
    return type("PermittedMenuItem", (PermittedMenuItem,), {"permission": permission})


class FiguresViewSet(ViewSet):
    name = "support_figures"
    url_prefix = "unterstuetzung/zahlen"
    icon = "table"
    menu_label = _("Zahlen")

    @property
    def menu_item_class(self) -> type[MenuItem]:
        return permitted("support.view_pledge")

    def get_urlpatterns(self) -> list:
        return [path("", admin_views.FiguresView.as_view(), name="index")]


class CollectionDayViewSet(ViewSet):
    name = "support_collection_day"
    url_prefix = "unterstuetzung/einzugstag"
    icon = "download"
    menu_label = _("Einzugstag")

    @property
    def menu_item_class(self) -> type[MenuItem]:
        return permitted("support.run_collections")

    def get_urlpatterns(self) -> list:
        return [
            path("", admin_views.CollectionDayView.as_view(), name="index"),
            path("lauf/<int:pk>/datei/", admin_views.RunDownloadView.as_view(), name="download"),
            path("mandat/<int:pk>/iban/", admin_views.RevealIbanView.as_view(), name="iban"),
            path("zusage/<int:pk>/link/", admin_views.SendLinkView.as_view(), name="send_link"),
        ]


class SupportGroup(ViewSetGroup):
    menu_label = _("Unterstützung")
    menu_icon = "pick"
    menu_order = 300
    items = (
        CollectionDayViewSet,
        FiguresViewSet,
        SupporterViewSet,
        PledgeViewSet,
        MandateViewSet,
        CollectionViewSet,
        CollectionRunViewSet,
        CollectionReturnViewSet,
        ReturnImportViewSet,
        IbanAccessLogViewSet,
        CampaignViewSet,
    )


for _model in (
    Supporter,
    Pledge,
    Mandate,
    Collection,
    CollectionRun,
    CollectionReturn,
    ReturnImport,
    IbanAccessLog,
):
    register_permission_policy(_model, ViewOnlyPolicy(_model))


@hooks.register("register_admin_viewset")
def register_support_admin() -> ViewSetGroup:
    return SupportGroup()
