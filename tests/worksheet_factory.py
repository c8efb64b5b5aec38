"""Small helpers to make worksheets in tests."""

import datetime

from django.utils import timezone

from roles.models import Need, Role
from worksheets.models import Worksheet


def make_worksheet(owner, *, completed: bool = False, **fields) -> Worksheet:
    fields.setdefault("problem", "I keep getting middling feedback on the ICU rotation.")
    worksheet = Worksheet.objects.create(owner=owner, **fields)
    if completed:
        worksheet.ideal_outcome = "Strong evaluations next block."
        worksheet.primary_need = Need.objects.get(slug="content")
        worksheet.answers = {"answers": "direct"}
        worksheet.save()
        worksheet.refresh_recommendation()
        worksheet.chosen_role = Role.objects.get(slug="advisor")
        worksheet.refresh_choice_warnings()
        worksheet.questions_to_ask = "What do strong interns do?"
        worksheet.next_step = "Ask a senior resident."
        worksheet.next_step_due = timezone.localdate() + datetime.timedelta(days=7)
        worksheet.step = "next"
        worksheet.complete()
        worksheet.save()
    return worksheet
