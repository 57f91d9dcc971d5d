"""The CMS form of every reader page (ReaderPage.base_form_class).

Two things Wagtail's page form does not do:

- Refuse control characters (characters.py) in any text an editor types: title, kicker,
  teaser, SEO fields, topics, and every text inside the body's blocks (paragraphs,
  subheadings, quotes, captions, credits, info boxes). The error stands at the field, or
  at the block and its sub-field, in German. Checked on the cleaned values, so one check
  covers every page type and every block type, present and future.
- Answer a body that arrives incomplete with a form error instead of a 500. Wagtail's
  StreamBlock.value_from_datadict reads `body-count`, `body-0-type`, `body-0-order` …
  with `data[...]` and `int(...)` and raises KeyError/ValueError when a client leaves
  one out or sends garbage (a Wagtail bug: Django widgets treat missing data as empty).
  CompleteBlockField reads through that and reports the body as incomplete, and the
  form shows the stored body again.
"""

import logging
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm
from wagtail.blocks import StreamValue, StructBlock
from wagtail.blocks.base import BlockField, BlockWidget
from wagtail.blocks.stream_block import StreamBlockValidationError
from wagtail.blocks.struct_block import StructBlockValidationError

from .characters import control_character_problem, strings_in

logger = logging.getLogger(__name__)


class Incomplete:
    """What CompleteBlockWidget reads from a form whose block data is missing or broken."""


INCOMPLETE = Incomplete()


class CompleteBlockWidget(BlockWidget):
    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        try:
            return super().value_from_datadict(data, files, name)
        except (KeyError, ValueError, TypeError, IndexError) as error:
            logger.info("page form: %s arrived incomplete (%r)", name, error)
            return INCOMPLETE


class CompleteBlockField(BlockField):
    """A StreamField's form field that turns incomplete block data into a form error."""

    def __init__(self, block: Any = None, **kwargs: Any) -> None:
        kwargs["widget"] = CompleteBlockWidget(block)
        super().__init__(block=block, **kwargs)

    @classmethod
    def replacing(cls, field: BlockField) -> "CompleteBlockField":
        return cls(
            block=field.block,
            required=field.required,
            label=field.label,
            help_text=field.help_text,
            initial=field.initial,
            disabled=field.disabled,
        )

    def clean(self, value: Any) -> Any:
        if value is INCOMPLETE:
            raise ValidationError(
                _(
                    "Der Text ist unvollständig beim Server angekommen und wurde nicht "
                    "gespeichert. Bitte die Seite neu laden und die Änderung wiederholen."
                ),
                code="incomplete",
            )
        return super().clean(value)

    def bound_data(self, data: Any, initial: Any) -> Any:
        # Shown again with the error: the stored body, not nothing.
        return initial if data is INCOMPLETE else super().bound_data(data, initial)

    def has_changed(self, initial: Any, data: Any) -> bool:
        return data is INCOMPLETE or super().has_changed(initial, data)


def block_error(block: Any, value: Any) -> ValidationError | None:
    """The error for one body block holding a control character: at the sub-field of a
    struct block (caption, credit, attribution …), else at the block."""
    if isinstance(block, StructBlock) and isinstance(value, dict):
        errors = {}
        for name, item in value.items():
            problem = first_problem(item)
            if problem:
                errors[name] = ValidationError(_("Der Text %(problem)s") % {"problem": problem})
        return StructBlockValidationError(block_errors=errors) if errors else None
    problem = first_problem(value)
    return ValidationError(_("Der Text %(problem)s") % {"problem": problem}) if problem else None


def first_problem(value: Any) -> str | None:
    for _path, text in strings_in(value):
        problem = control_character_problem(text)
        if problem:
            return problem
    return None


class ReaderPageForm(WagtailAdminPageForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in list(self.fields.items()):
            if isinstance(field, BlockField) and not isinstance(field, CompleteBlockField):
                self.fields[name] = CompleteBlockField.replacing(field)

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean()
        for name, value in list(cleaned_data.items()):
            if isinstance(value, StreamValue):
                self.check_stream(name, value)
            elif isinstance(self.fields.get(name), forms.Field):
                problem = first_problem(prepared(value))
                if problem:
                    self.add_error(name, _("Der Text %(problem)s") % {"problem": problem})
        return cleaned_data

    def check_stream(self, name: str, stream: StreamValue) -> None:
        errors = {}
        for index, child in enumerate(stream):
            error = block_error(child.block, child.block.get_prep_value(child.value))
            if error is not None:
                errors[index] = error
        if errors:
            self.add_error(name, StreamBlockValidationError(block_errors=errors))


def prepared(value: Any) -> Any:
    """Strings of a cleaned value: text as it is, tags (topics) as their names; other
    values (pages, dates, numbers) have none."""
    if isinstance(value, str):
        return value
    if isinstance(value, list | tuple):
        return [item for item in value if isinstance(item, str)]
    return None


class TopicForm(WagtailAdminModelForm):
    """A topic's name goes into every feed item and the ninjs subjects of its articles."""

    def clean_name(self) -> str:
        name = self.cleaned_data["name"]
        problem = first_problem(name)
        if problem:
            raise ValidationError(_("Der Name %(problem)s") % {"problem": problem})
        return name
