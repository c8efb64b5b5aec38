"""The range of dates devboard accepts from a form: a check-in in the year 9999 is a typo, and
Python's dates end there, so arithmetic on it (the day after, the next meeting) would fail."""

import datetime

from django import forms

EARLIEST = datetime.date(1900, 1, 1)
LATEST = datetime.date(2100, 12, 31)
OUT_OF_RANGE = "Enter a date between 1900 and 2100."


def check_in_range(day: datetime.date) -> None:
    if not EARLIEST <= day <= LATEST:
        raise forms.ValidationError(OUT_OF_RANGE, code="out_of_range")


class SaneDates:
    """Form mixin: every date field accepts 1900–2100 only, and says so to the browser's date picker."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.DateField):
                field.validators.append(check_in_range)
                field.widget.attrs.setdefault("min", EARLIEST.isoformat())
                field.widget.attrs.setdefault("max", LATEST.isoformat())
