"""The range of dates devboard accepts from a form: a check-in in the year 9999 is a typo, and
Python's dates end there, so arithmetic on it (the day after, the next meeting) would fail."""

import datetime

from django import forms

EARLIEST = datetime.date(1900, 1, 1)
LATEST = datetime.date(2100, 12, 31)
OUT_OF_RANGE = "Enter a date between 1900 and 2100."
RANGE_HINT = "Years 1900 to 2100."


def check_in_range(day: datetime.date) -> None:
    if not EARLIEST <= day <= LATEST:
        raise forms.ValidationError(OUT_OF_RANGE, code="out_of_range")


class SaneDates:
    """Form mixin: every date field accepts 1900–2100 only, and its hint says so (dates are typed as text,
    so there is no date picker to carry a min and max)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.DateField):
                field.validators.append(check_in_range)
                field.help_text = f"{field.help_text} {RANGE_HINT}".strip()
