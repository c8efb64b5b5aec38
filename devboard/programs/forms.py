import csv
import io
from email.utils import parseaddr

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from .invitations import Person
from .models import Membership, Program

MAX_UPLOAD_BYTES = 512 * 1024
MAX_PEOPLE = 1000
PARTICIPANT_CHOICES = [(r.value, r.label) for r in Membership.PARTICIPANT_KINDS]


class InviteForm(forms.Form):
    csv_file = forms.FileField(
        label="A CSV file",
        required=False,
        help_text="Three columns: name, email, and learner or faculty. A header row is fine.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    addresses = forms.CharField(
        label="Or type email addresses",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text='One per line, or separated by commas. "Riley Chen <riley@example.org>" also works.',
    )
    kind = forms.ChoiceField(
        label="Typed addresses join as",
        choices=PARTICIPANT_CHOICES,
        initial=Membership.Kind.LEARNER,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program
        self.people: list[Person] = []
        self.problems: list[tuple[str, str, str]] = []  # (where, what was given, why it was refused)

    def clean_csv_file(self):
        upload = self.cleaned_data.get("csv_file")
        if not upload:
            return None
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(
                f"The file is larger than {MAX_UPLOAD_BYTES // 1024} KB; split it into smaller files."
            )
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError("The file is not UTF-8 text. Save it from your spreadsheet as “CSV UTF-8”.") from None

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        rows = []
        if data.get("csv_file"):
            rows += _csv_rows(data["csv_file"])
        if data.get("addresses"):
            rows += _typed_rows(data["addresses"], data["kind"])
        if not rows:
            raise ValidationError("Choose a CSV file or type at least one email address.")
        if len(rows) > MAX_PEOPLE:
            raise ValidationError(f"That is more than {MAX_PEOPLE} people at once; split the list.")
        self._check(rows)
        return data

    def _check(self, rows) -> None:
        members = {
            email.lower() for email in self.program.memberships.current().values_list("user__email", flat=True) if email
        }
        seen: dict[str, str] = {}
        for where, given, cells in rows:
            reason = _row_problem(cells)
            if reason is None:
                name, email, kind = cells
                email = email.lower()
                if email in seen:
                    reason = f"this address is already listed ({seen[email]})"
                elif email in members:
                    reason = "already a member of this program"
                else:
                    seen[email] = where
                    self.people.append(Person(where, name, email, kind))
                    continue
            self.problems.append((where, given, reason))


def _row_problem(cells: list[str]) -> str | None:
    if len(cells) != 3:
        return f"expected 3 columns (name, email, learner or faculty), found {len(cells)}"
    name, email, kind = cells
    if not email:
        return "no email address"
    try:
        validate_email(email)
    except ValidationError:
        return f"“{email}” is not a valid email address"
    if kind not in Membership.PARTICIPANT_KINDS:
        return (
            f"the third column must be learner or faculty, not “{kind}”"
            if kind
            else "no kind: write learner or faculty"
        )
    if len(name) > 300:
        return "the name is too long"
    return None


def _csv_rows(text: str) -> list[tuple[str, str, list[str]]]:
    rows = []
    for number, raw in enumerate(csv.reader(io.StringIO(text)), start=1):
        cells = [c.strip() for c in raw]
        if not any(cells):
            continue
        if number == 1 and len(cells) > 1 and cells[1].lower() in ("email", "e-mail", "email address"):
            continue
        if len(cells) == 3:
            cells[2] = cells[2].lower()
        rows.append((f"Line {number}", ", ".join(raw), cells))
    return rows


def _typed_rows(text: str, kind: str) -> list[tuple[str, str, list[str]]]:
    rows = []
    entries = [e.strip() for line in text.splitlines() for e in line.replace(";", ",").split(",")]
    for number, entry in enumerate([e for e in entries if e], start=1):
        name, email = parseaddr(entry) if "<" in entry else ("", entry)
        rows.append((f"Address {number}", entry, [name.strip(), email.strip(), kind]))
    return rows
