"""The editorial workflow: an editor submits, the editor-in-chief approves and publishes.

Wagtail's page editor reads the page, validates the form, saves the page row and then
acts on the workflow, without one transaction around it. Two POSTs for the same page
at once (a double click on "Freigeben und Veröffentlichen", an autosave in flight, two
reviewers) then interleave: the second one read the page while it was still a draft,
writes that stale row back over the one the approval had just published (`live` false
again: a 404, though history says "published"), then finds no workflow task left and
fails with `'NoneType' object has no attribute 'on_action'` (a 500).

`SerializedPageWritesMiddleware` runs the CMS views that change a page through
`serialized_page_write`: a POST runs in one
transaction that first locks the page's row, so writes to one page happen one after
another and each reads what the one before committed; a failure rolls the whole POST
back (live and "approved", or neither). A workflow action that is no longer pending
when its turn comes (the second click) changes nothing and gets a message. The
scheduler locks the same row (scheduling.py).
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.admin.modal_workflow import render_modal_workflow
from wagtail.models import GroupApprovalTask, Page, Workflow, WorkflowState

from .scheduling import lock_row

EDITORIAL_WORKFLOW = "Freigabe durch die Chefredaktion"
# What Wagtail's initial migration calls the workflow and task of the "Moderators" group.
WAGTAIL_DEFAULT_NAME = "Moderators approval"

View = Callable[..., HttpResponse]


def ensure_german_workflow_names() -> int:
    """Give Wagtail's default workflow and its task the newsroom's German name (the demo
    loader; migration site/0002 does the same for existing sites). Returns how many
    were renamed."""
    renamed = Workflow.objects.filter(name=WAGTAIL_DEFAULT_NAME).update(name=EDITORIAL_WORKFLOW)
    renamed += GroupApprovalTask.objects.filter(name=WAGTAIL_DEFAULT_NAME).update(
        name=EDITORIAL_WORKFLOW
    )
    return renamed


def workflow_status_text(page: Page) -> str:
    """Where the page stands now, in the editor's words."""
    state = page.workflow_states.order_by("-created_at").first()
    if page.live and (state is None or state.status == WorkflowState.STATUS_APPROVED):
        return _("Der Artikel ist freigegeben und veröffentlicht.")
    if state is None:
        return _("Der Artikel ist in keiner Freigabe.")
    return {
        WorkflowState.STATUS_APPROVED: _("Der Artikel ist freigegeben."),
        WorkflowState.STATUS_NEEDS_CHANGES: _("Der Artikel wurde zur Überarbeitung zurückgegeben."),
        WorkflowState.STATUS_CANCELLED: _("Die Freigabe wurde abgebrochen."),
        WorkflowState.STATUS_IN_PROGRESS: _("Der Artikel wartet auf den nächsten Freigabeschritt."),
    }.get(state.status, "")


def already_done(request: HttpRequest, page: Page) -> HttpResponse:
    """The answer to a workflow action whose task is no longer pending: nothing changed."""
    messages.warning(
        request,
        _(
            "„%(title)s“: Diese Aktion war schon erledigt und wurde nicht noch einmal "
            "ausgeführt. %(status)s"
        )
        % {"title": page.get_admin_display_title(), "status": workflow_status_text(page)},
    )
    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    if request.headers.get("x-requested-with") == "XMLHttpRequest":
        # The action modal: close it and show the page with the message.
        return render_modal_workflow(
            request, "", None, {}, json_data={"step": "success", "redirect": edit_url}
        )
    return redirect(edit_url)


def stale_workflow_action(request: HttpRequest, page_id: int, task_state_id: int | None) -> bool:
    """Whether this POST is a workflow action for a task that is no longer pending."""
    page = Page.objects.get(pk=page_id)
    current = page.current_workflow_task_state
    if task_state_id is not None:  # the action view names the task it acts on
        return current is None or current.pk != task_state_id
    return request.POST.get("action-workflow-action") is not None and current is None


def serialized_page_write(view: View) -> View:
    """Run a POST to `view` (a CMS view for one page) in a transaction that holds the
    page's row lock from before the view reads the page until it has committed."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method != "POST":
            return view(request, *args, **kwargs)
        page_id = kwargs["page_id"]
        with transaction.atomic():
            lock_row(Page, page_id)
            if not Page.objects.filter(pk=page_id).exists():
                return view(request, *args, **kwargs)  # Wagtail's own 404
            if stale_workflow_action(request, page_id, kwargs.get("task_state_id")):
                return already_done(request, Page.objects.get(pk=page_id).specific)
            return view(request, *args, **kwargs)

    return wrapped


# The CMS views (by URL name) whose POSTs change a page and its workflow: the editor
# (save, autosave, publish, submit, approve or reject from "Mehr Aktionen") and the
# workflow action of the dashboard and the page listing.
SERIALIZED_VIEWS = frozenset(
    {
        "wagtailadmin_pages:edit",
        "wagtailadmin_pages:workflow_action",
        "wagtailadmin_pages:unpublish",
        "wagtailadmin_pages:revisions_unschedule",
    }
)


class SerializedPageWritesMiddleware:
    """Runs the views in SERIALIZED_VIEWS as `serialized_page_write` does; Wagtail's URLs,
    decorators (login, permissions) and views stay as they are."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: View, args: tuple, kwargs: dict[str, Any]
    ) -> HttpResponse | None:
        match = request.resolver_match
        if request.method != "POST" or match is None or match.view_name not in SERIALIZED_VIEWS:
            return None
        if "page_id" not in kwargs:
            return None
        return serialized_page_write(view)(request, *args, **kwargs)
