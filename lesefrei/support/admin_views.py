"""The finance role's own pages in the Wagtail admin: figures, the collection day (export
and return import), the file download and the logged full-IBAN view. Lists of the
models themselves are Wagtail ModelViewSets (wagtail_hooks.py)."""

from datetime import date, timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from lesefrei.site.l10n import format_moment, format_money

from . import selectors, services
from .models import Collection, CollectionRun, Mandate, Pledge, ReturnImport
from .returns import ReturnFileError

MAX_RETURN_FILE_BYTES = 20 * 1024 * 1024


class TitledPage(WagtailAdminTemplateMixin):
    """Wagtail's own screen header with the page's name after "Start" in the
    breadcrumbs (the mixin alone shows only "Start")."""

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]


class FinanceMixin(PermissionRequiredMixin):
    permission_required = "support.view_pledge"
    raise_exception = True


class FiguresView(FinanceMixin, TitledPage, TemplateView):
    page_title = _("Zahlen der Unterstützung")
    header_icon = "table"
    template_name = "support/admin/figures.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        try:
            months = max(3, min(int(self.request.GET.get("monate", 12)), 60))
        except ValueError:
            months = 12
        context.update(selectors.figures(months), months=months)
        context["current"] = context["rows"][-1] if context["rows"] else None
        return context


class ExportForm(forms.Form):
    until = forms.DateField(
        label=_("Alle Lastschriften fällig bis einschließlich"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class ReturnsForm(forms.Form):
    file = forms.FileField(
        label=_("Rückgabedatei der Bank (camt.054 oder camt.053, XML)"),
    )


class CollectionDayView(TitledPage, TemplateView):
    """Export the due collections and import the bank's returns, each with one button."""

    page_title = _("Einzugstag")
    header_icon = "download"
    template_name = "support/admin/collection_day.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.has_perm("support.run_collections"):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = services.today()
        context.setdefault("export_form", ExportForm(initial={"until": today + timedelta(days=7)}))
        context.setdefault("returns_form", ReturnsForm())
        context["runs"] = CollectionRun.objects.select_related("created_by")[:10]
        context["planned"] = Collection.objects.filter(status=Collection.Status.PLANNED).count()
        context["held"] = [
            (collection, collection.pledge.current_mandate)
            for collection in selectors.held_collections()
        ]
        context["skipped_entries"] = ReturnImport.objects.exclude(skipped_entries=[])[:5]
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        here = request.path
        if "export" in request.POST:
            form = ExportForm(request.POST)
            if not form.is_valid():
                return self.render_to_response(self.get_context_data(export_form=form))
            until: date = form.cleaned_data["until"]
            result = services.export_due_collections(until, user=request.user)
            if result.run is None:
                messages.info(request, _("Bis zu diesem Tag ist nichts mehr fällig."))
            else:
                messages.success(
                    request,
                    _("Datei %(name)s erstellt: %(count)s Lastschriften, %(sum)s.")
                    % {
                        "name": result.run.filename,
                        "count": result.run.transaction_count,
                        "sum": format_money(result.run.control_sum, cents=True),
                    },
                )
            if result.skipped:
                messages.warning(
                    request,
                    _(
                        "%(n)s fällige Einzüge wurden nicht eingereicht, weil ihre Daten nicht "
                        "in die Datei der Bank passen: %(list)s"
                    )
                    % {
                        "n": len(result.skipped),
                        "list": "; ".join(
                            f"{s.mandate_reference} ({format_moment(s.due_date)}): {s.reason}"
                            for s in result.skipped
                        ),
                    },
                )
            if result.skipped_without_mandate:
                messages.warning(
                    request,
                    _(
                        "%(n)s fällige Einzüge haben kein gültiges Mandat und wurden nicht "
                        "eingereicht."
                    )
                    % {"n": result.skipped_without_mandate},
                )
            return HttpResponseRedirect(here)
        form = ReturnsForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(returns_form=form))
        upload = form.cleaned_data["file"]
        if upload.size > MAX_RETURN_FILE_BYTES:
            form.add_error("file", _("Die Datei ist größer als 20 MB."))
            return self.render_to_response(self.get_context_data(returns_form=form))
        try:
            result = services.import_returns(upload.read(), filename=upload.name, user=request.user)
        except ReturnFileError as error:
            form.add_error("file", str(error))
            return self.render_to_response(self.get_context_data(returns_form=form))
        if result.already_imported:
            messages.info(request, _("Diese Datei wurde schon eingelesen; nichts geändert."))
        else:
            messages.success(
                request,
                _("%(n)s Rücklastschriften erfasst, %(p)s Unterstützungen pausiert, %(c)s beendet.")
                % {"n": len(result.returned), "p": len(result.paused), "c": len(result.cancelled)},
            )
        if result.skipped:
            messages.warning(
                request,
                _("Nicht verbucht (bitte von Hand prüfen): %(entries)s")
                % {"entries": "; ".join(f"{s.reference}: {s.message}" for s in result.skipped)},
            )
        if result.unknown_references:
            messages.warning(
                request,
                _("Unbekannte Referenzen (bitte von Hand prüfen): %(refs)s")
                % {"refs": ", ".join(result.unknown_references)},
            )
        return HttpResponseRedirect(here)


class RunDownloadView(FinanceMixin, View):
    permission_required = "support.run_collections"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        run = get_object_or_404(CollectionRun.objects.defer("xml"), pk=pk)
        content = services.download_run_file(run, request.user)
        response = HttpResponse(content, content_type="application/xml")
        response["Content-Disposition"] = f'attachment; filename="{run.filename}"'
        response["Cache-Control"] = "no-store"
        return response


class RevealIbanView(FinanceMixin, TitledPage, TemplateView):
    """The full IBAN, after a POST (so that prefetching or a link never shows it); each
    view is logged by services.reveal_iban."""

    permission_required = "support.view_full_iban"
    page_title = _("IBAN anzeigen")
    header_icon = "view"
    template_name = "support/admin/reveal_iban.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["mandate"] = get_object_or_404(Mandate, pk=self.kwargs["pk"])
        context["back_url"] = reverse("support_mandates:inspect", args=[self.kwargs["pk"]])
        return context

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        context = self.get_context_data()
        context["iban"] = services.reveal_iban(context["mandate"], request.user)
        response = self.render_to_response(context)
        response["Cache-Control"] = "no-store"
        return response


class SendLinkView(FinanceMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        pledge = get_object_or_404(Pledge.objects.select_related("supporter"), pk=pk)
        services.send_manage_link(pledge, actor=request.user)
        messages.success(
            request,
            _("Link zur Selbstverwaltung an %(email)s geschickt.")
            % {"email": pledge.supporter.email},
        )
        return HttpResponseRedirect(reverse("support_pledges:inspect", args=[pk]))
