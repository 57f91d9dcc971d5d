"""The "Liveticker-Einträge" of the Wagtail admin: a list per ticker (filter `?ticker=`),
forms to add, correct, pin and delete entries. Every save goes through services.py,
so the admin creates no page revision and readers see the change at once. Editors
(and moderators) hold the permissions (migration 0002)."""

from typing import Any

from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import widgets
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from lesefrei.site.admin import YesNoColumn

from . import services
from .models import LiveEntry, LiveTickerPage

CONTENT_FIELDS = ("title", "text", "media", "author")


class RefusalAsFormError:
    """A refusal of a service (no permission, empty text, ended ticker) is shown on the
    form like a validation error; the surrounding transaction has changed nothing."""

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            return super().form_valid(form)
        except services.EntryRefused as refusal:
            form.add_error(None, str(refusal))
            self.produced_error_code = "validation_error"
            self.produced_error_message = str(refusal)
            return self.form_invalid(form)


class EntryCreateView(RefusalAsFormError, generic.CreateView):
    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        ticker = self.request.GET.get("ticker", "")
        if ticker.isdigit():
            initial["ticker"] = ticker
        return initial

    def save_instance(self) -> LiveEntry:
        data = self.form.cleaned_data
        return services.add_entry(
            data["ticker"],
            title=data.get("title", ""),
            text=data["text"],
            media=data.get("media") or [],
            author=data.get("author"),
            pinned=bool(data.get("pinned")),
            user=self.request.user,
        )

    def get_success_url(self) -> str:
        return reverse(self.index_url_name) + f"?ticker={self.object.ticker_id}"


class EntryEditView(RefusalAsFormError, generic.EditView):
    def save_instance(self) -> LiveEntry:
        data = self.form.cleaned_data
        entry = self.form.instance
        if data["ticker"].pk != LiveEntry.objects.get(pk=entry.pk).ticker_id:
            raise services.EntryRefused(
                _("Ein Eintrag kann nicht in einen anderen Liveticker verschoben werden.")
            )
        changed = set(self.form.changed_data)
        if changed & set(CONTENT_FIELDS):
            entry = services.correct_entry(
                entry,
                **{name: data.get(name) for name in CONTENT_FIELDS if name in changed},
                user=self.request.user,
            )
        if "pinned" in changed:
            entry = services.pin_entry(entry, pinned=bool(data["pinned"]), user=self.request.user)
        return entry

    def get_success_url(self) -> str:
        return reverse(self.index_url_name) + f"?ticker={self.object.ticker_id}"


class EntryDeleteView(generic.DeleteView):
    def delete_action(self) -> None:
        services.delete_entry(self.object, user=self.request.user)

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            return super().form_valid(form)
        except services.EntryRefused as refusal:
            from django.contrib import messages
            from django.shortcuts import redirect

            messages.error(self.request, str(refusal))
            return redirect(reverse(self.index_url_name))


class LiveEntryViewSet(ModelViewSet):
    model = LiveEntry
    name = "live_entries"
    url_prefix = "liveticker-eintraege"
    icon = "time"
    menu_label = _("Liveticker-Einträge")
    menu_order = 260
    add_to_admin_menu = True
    add_view_class = EntryCreateView
    edit_view_class = EntryEditView
    delete_view_class = EntryDeleteView
    copy_view_enabled = False
    inspect_view_enabled = False
    list_display = [
        "__str__",
        "ticker",
        "author",
        YesNoColumn("pinned", label=_("Angeheftet"), sort_key="pinned"),
        "created_at",
        "updated_at",
    ]
    list_filter = ["ticker", "pinned"]
    search_fields = ["title", "text"]
    ordering = ["-created_at"]


@hooks.register("register_admin_viewset")
def register_live_entries() -> LiveEntryViewSet:
    return LiveEntryViewSet()


@hooks.register("register_page_header_buttons")
def entries_button(page: Any, user: Any, view_name: str, next_url: str | None = None) -> Any:
    """On a ticker's pages in the admin: straight to its entries."""
    if page.specific_class is LiveTickerPage and user.has_perm("live.add_liveentry"):
        url = reverse("live_entries:index") + f"?ticker={page.pk}"
        yield widgets.Button(_("Einträge verwalten"), url, icon_name="time", priority=5)
