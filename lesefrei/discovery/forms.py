from django import forms
from django.utils.translation import gettext_lazy as _

from lesefrei.content.models import AuthorPage, SectionPage

from .selectors import SearchFilters


class SearchForm(forms.Form):
    """The search page's GET form: no CSRF token, no cookie, every field optional."""

    q = forms.CharField(label=_("Suchbegriff"), required=False, max_length=2000, strip=True)
    ressort = forms.ModelChoiceField(
        label=_("Ressort"),
        queryset=SectionPage.objects.none(),
        required=False,
        to_field_name="slug",
        empty_label=_("Alle Ressorts"),
    )
    autor = forms.ModelChoiceField(
        label=_("Autorin/Autor"),
        queryset=AuthorPage.objects.none(),
        required=False,
        to_field_name="slug",
        empty_label=_("Alle"),
    )
    von = forms.DateField(
        label=_("Von"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    bis = forms.DateField(
        label=_("Bis"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("use_required_attribute", False)
        super().__init__(*args, **kwargs)
        self.fields["ressort"].queryset = SectionPage.objects.live().public().order_by("title")
        self.fields["autor"].queryset = AuthorPage.objects.live().public().order_by("title")

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("von"), data.get("bis")
        if start and end and start > end:
            raise forms.ValidationError(_("Das Datum „Von“ liegt nach dem Datum „Bis“."))
        return data

    def filters(self) -> SearchFilters:
        data = self.cleaned_data
        return SearchFilters(
            section=data.get("ressort"),
            author=data.get("autor"),
            date_from=data.get("von"),
            date_to=data.get("bis"),
        )

    @property
    def has_filters(self) -> bool:
        return any(self.cleaned_data.get(name) for name in ("ressort", "autor", "von", "bis"))
