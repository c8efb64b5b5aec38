"""Small helpers to make worksheets in tests."""

import datetime

from django.utils import timezone

from roles.models import Need, Role
from worksheets.models import Worksheet


def make_worksheet(owner, *, completed: bool = False, **fields) -> Worksheet:
    """A draft, or with completed=True an advisor worksheet for a content-expertise need."""
    fields.setdefault("problem", "I keep getting middling feedback on the ICU rotation.")
    if not completed:
        return Worksheet.objects.create(owner=owner, **fields)
    return Worksheet.create_completed(
        owner=owner,
        ideal_outcome="Strong evaluations next block.",
        primary_need=Need.objects.get(slug="content"),
        answers={"answers": "direct"},
        role=Role.objects.get(slug="advisor"),
        questions=fields.pop("questions", "What do strong interns do?"),
        next_step="Ask a senior resident.",
        next_step_due=timezone.localdate() + datetime.timedelta(days=7),
        **fields,
    )
