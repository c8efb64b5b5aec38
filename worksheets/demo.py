"""Demo worksheets: the resident has one completed and one draft, so both states show;
the faculty member has a completed one whose chosen role is someone on their board."""

import datetime

from django.utils import timezone

from roles.models import Need, Role

from .models import Worksheet


def create(user) -> None:
    if Worksheet.objects.for_owner(user).exists():
        return
    needs = {n.slug: n for n in Need.objects.all()}
    Worksheet.create_completed(
        owner=user,
        title="Fellowship or hospitalist job?",
        problem=(
            "I am halfway through residency and torn between applying for a cardiology fellowship "
            "and taking a hospitalist job near family. Everyone I ask gives me a different answer."
        ),
        ideal_outcome="By the spring I have decided, and I can explain why the choice fits the life I want.",
        primary_need=needs["wisdom"],
        other_needs=[needs["clarity"]],
        answers={"answers": "think", "horizon": "long", "doors": "no", "field": "yes"},
        role=Role.objects.get(slug="mentor"),
        next_step="Ask Dr. Alvarez, who did a cardiology fellowship and then chose community practice, for coffee.",
        next_step_due=timezone.localdate() + datetime.timedelta(days=10),
    )
    Worksheet.objects.create(
        owner=user,
        problem=(
            "I want to present my case report at the regional meeting, but I don't know anyone on "
            "the program committee and my program has never sent a resident there."
        ),
        ideal_outcome="My abstract is accepted and I present it in the spring.",
        step="need",
    )


def create_for_faculty(user) -> Worksheet | None:
    """Returns the worksheet when it is new, so the board demo can link it to a member."""
    if Worksheet.objects.for_owner(user).exists():
        return None
    return Worksheet.create_completed(
        owner=user,
        title="Saying no, and choosing a focus",
        problem=(
            "Two years in, I sit on four committees and teach in three courses. I am asked to do more "
            "every month and I can't tell which of it is building toward promotion."
        ),
        ideal_outcome="By summer I have chosen one area to build and stepped back from two commitments.",
        primary_need=Need.objects.get(slug="clarity"),
        answers={"answers": "think", "horizon": "one", "doors": "no", "field": "no"},
        role=Role.objects.get(slug="coach"),
        next_step="Book the first of six sessions with Jordan Lee from the faculty coaching program.",
        next_step_due=timezone.localdate() + datetime.timedelta(days=7),
    )
