"""Demo worksheets for the demo resident: one completed, one draft, so both states show."""

import datetime

from django.utils import timezone

from roles.models import Need, Role

from .models import Worksheet


def create(user) -> None:
    if Worksheet.objects.filter(owner=user).exists():
        return
    needs = {n.slug: n for n in Need.objects.all()}

    done = Worksheet.objects.create(
        owner=user,
        title="Fellowship or hospitalist job?",
        problem=(
            "I am halfway through residency and torn between applying for a cardiology fellowship "
            "and taking a hospitalist job near family. Everyone I ask gives me a different answer."
        ),
        ideal_outcome="By the spring I have decided, and I can explain why the choice fits the life I want.",
        primary_need=needs["wisdom"],
        answers={"answers": "think", "horizon": "long", "doors": "no", "field": "yes"},
    )
    done.other_needs.set([needs["clarity"]])
    done.refresh_recommendation()
    done.chosen_role = Role.objects.get(slug="mentor")
    done.refresh_choice_warnings()
    done.questions_to_ask = "\n".join(done.chosen_snapshot()["questions"])
    done.next_step = "Ask Dr. Alvarez, who did a cardiology fellowship and then chose community practice, for coffee."
    done.next_step_due = timezone.localdate() + datetime.timedelta(days=10)
    done.step = "next"
    done.complete()
    done.save()

    Worksheet.objects.create(
        owner=user,
        problem=(
            "I want to present my case report at the regional meeting, but I don't know anyone on "
            "the program committee and my program has never sent a resident there."
        ),
        ideal_outcome="My abstract is accepted and I present it in the spring.",
        step="need",
    )
