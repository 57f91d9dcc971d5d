from datetime import date
from typing import Any

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from lesefrei.cache import CONTENT, cached_value, key
from lesefrei.content.models import AuthorPage, SectionPage

from .selectors import SearchFilters

# The filters' pages, by the field that names them.
FILTER_MODELS: dict[str, type[SectionPage] | type[AuthorPage]] = {
    "ressort": SectionPage,
    "autor": AuthorPage,
}


def filter_choices() -> dict[str, list[tuple[str, str]]]:
    """(slug, title) of the live, public sections and authors, kept under the content
    version: the search page lists hundreds of authors on every request, and loading
    and rendering them as model choices cost more than the search itself."""

    def compute() -> dict[str, list[tuple[str, str]]]:
        return {
            name: list(model.objects.live().public().order_by("title").values_list("slug", "title"))
            for name, model in FILTER_MODELS.items()
        }

    return cached_value(key(None, "search:filter-choices", [CONTENT]), compute)


class SearchForm(forms.Form):
    """The search page's GET form: no CSRF token, no cookie, every field optional."""

    q = forms.CharField(label=_("Suchbegriff"), required=False, max_length=2000, strip=True)
    ressort = forms.ChoiceField(label=_("Ressort"), required=False)
    autor = forms.ChoiceField(label=_("Autorin/Autor"), required=False)
    von = forms.DateField(
        label=_("Von"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    bis = forms.DateField(
        label=_("Bis"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    empty_labels = {"ressort": _("Alle Ressorts"), "autor": _("Alle")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("use_required_attribute", False)
        super().__init__(*args, **kwargs)
        self.choices = filter_choices()
        for name in FILTER_MODELS:
            self.fields[name].choices = [("", self.empty_labels[name]), *self.choices[name]]

    def clean_page(self, name: str) -> SectionPage | AuthorPage | None:
        slug = self.cleaned_data.get(name)
        if not slug:
            return None
        page = FILTER_MODELS[name].objects.live().public().filter(slug=slug).first()
        if page is None:  # unpublished since the choices were read
            raise forms.ValidationError(
                self.fields[name].error_messages["invalid_choice"], params={"value": slug}
            )
        return page

    def clean_ressort(self) -> SectionPage | None:
        return self.clean_page("ressort")  # type: ignore[return-value]

    def clean_autor(self) -> AuthorPage | None:
        return self.clean_page("autor")  # type: ignore[return-value]

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("von"), data.get("bis")
        if start and end and start > end:
            raise forms.ValidationError(_("Das Datum „Von“ liegt nach dem Datum „Bis“."))
        return data

    def options(self, name: str) -> SafeString:
        """The <option> elements of a filter's <select>, the chosen one selected (plain
        string building: hundreds of options through the widget templates are slow;
        without a choice, as on nearly every search, they are kept with the choices)."""
        chosen = str(self[name].value() or "")
        if not chosen:
            kept_as = key(None, "search:filter-options", [CONTENT], name)
            return cached_value(kept_as, lambda: self.build_options(name, ""))
        return self.build_options(name, chosen)

    def build_options(self, name: str, chosen: str) -> SafeString:
        return format_html(
            '<option value=""{}>{}</option>{}',
            " selected" if not chosen else "",
            self.empty_labels[name],
            format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                (
                    (slug, " selected" if slug == chosen else "", title)
                    for slug, title in self.choices[name]
                ),
            ),
        )

    @property
    def section_options(self) -> SafeString:
        return self.options("ressort")

    @property
    def author_options(self) -> SafeString:
        return self.options("autor")

    def filters(self) -> SearchFilters:
        data = self.cleaned_data
        # The calendar's first and last day bound nothing: "bis 31.12.9999" is a reader's
        # "until whenever", and the day after it does not exist.
        date_from, date_to = data.get("von"), data.get("bis")
        return SearchFilters(
            section=data.get("ressort"),
            author=data.get("autor"),
            date_from=None if date_from == date.min else date_from,
            date_to=None if date_to == date.max else date_to,
        )

    @property
    def has_filters(self) -> bool:
        return any(self.cleaned_data.get(name) for name in ("ressort", "autor", "von", "bis"))
