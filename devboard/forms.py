"""Form pieces every app uses: messages that say what to do, and dates written the way pages show them."""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.forms.utils import pretty_name

DATE_HINT = "For example, 5 Dec 2026"


def display_date(day: datetime.date) -> str:
    """5 Dec 2026: how devboard writes a date, in text and in date fields alike."""
    return f"{day.day} {day:%b %Y}"


class DayInput(forms.DateInput):
    """A text box showing the date as pages show it ("5 Dec 2026"), not the browser's 12/05/2026."""

    input_type = "text"

    def __init__(self, attrs=None):
        super().__init__(attrs={"autocomplete": "off", "spellcheck": "false", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, datetime.date):
            return display_date(value)
        return value

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        # min and max mean nothing on a text box; the range is checked on the server (devboard.dates).
        for attr in ("min", "max"):
            context["widget"]["attrs"].pop(attr, None)
        return context


class DayField(forms.DateField):
    """A date typed as "5 Dec 2026", "December 5, 2026", "2026-12-05" or "12/5/2026"."""

    widget = DayInput
    input_formats = [
        "%d %b %Y",
        "%d %B %Y",
        "%b %d %Y",
        "%B %d %Y",
        "%Y-%m-%d",
        "%m/%d/%Y",
    ]
    default_error_messages = {"invalid": "Enter a real date, like 5 Dec 2026"}

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", DATE_HINT)
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            # "Dec. 5, 2026", "Sept 5 2026" and "5  dec 2026" all read as 5 Dec 2026.
            value = re.sub(r"[.,]", " ", value)
            value = re.sub(r"\bsept\b", "sep", value, flags=re.IGNORECASE)
            value = " ".join(value.split())
        return super().to_python(value)


class LengthLimit(MaxLengthValidator):
    """A text limit counted the way the page's character counter counts it (a line break is one
    character, though the browser sends two) and refused with both numbers written as people read them."""

    message = (
        "This can be up to %(limit_value)s characters and has %(show_value)s now. "
        "Shorten it a little: everything you typed is still here."
    )

    def clean(self, x: str) -> int:
        return len(x.replace("\r\n", "\n"))

    def __call__(self, value: str) -> None:
        length = self.clean(value)
        if length > self.limit_value:
            params = {"limit_value": f"{self.limit_value:,}", "show_value": f"{length:,}", "value": value}
            raise ValidationError(self.message, code=self.code, params=params)


def limit_lengths(form: forms.BaseForm) -> None:
    """Every text field's limit checked by LengthLimit, with a message naming the field, as the error
    summary at the top of the page shows it (a field's own message wins)."""
    for name, field in form.fields.items():
        limit = getattr(field, "max_length", None)
        if not limit or not isinstance(field, forms.CharField):
            continue
        field.validators = [v for v in field.validators if not isinstance(v, MaxLengthValidator)]
        field.validators.append(LengthLimit(int(limit)))
        label = str(field.label or pretty_name(name)).replace("%", "%%")
        field.error_messages.setdefault("max_length", LengthLimit.message.replace("This", f"“{label}”", 1))


def _generic_required(field: forms.Field, label: str) -> str:
    if isinstance(field, (forms.ChoiceField, forms.ModelChoiceField, forms.BooleanField)):
        return f"Choose an answer for “{label}”"
    return f"Fill in “{label}”"


class ClearErrorsMixin:
    """Error messages that name the field and what to do, instead of "This field is required."

    A field's own error_messages win; otherwise "required" names the field and a text limit is stated
    as LengthLimit states it.
    """

    generic_required = forms.Field.default_error_messages["required"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            label = str(field.label or pretty_name(name))
            if str(field.error_messages.get("required")) == str(self.generic_required):
                field.error_messages["required"] = _generic_required(field, label)
        limit_lengths(self)
