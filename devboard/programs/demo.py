"""Demo program: the director directs it; the resident and the faculty member belong to it.

A cohort of demo participants (who cannot sign in) fills the program with enough worksheets,
boards and check-ins that the dashboard shows real figures, and still shows a small cell
suppressed as "fewer than 5".
"""

import datetime

from django.utils import timezone

from devboard.board.models import BoardMember, CheckIn
from devboard.models import User
from roles.models import Need, Role
from worksheets.models import Worksheet

from .models import Membership, Program

# (main need, answers) per participant, cycled: wisdom is deliberately rare.
PATTERNS = [
    ("access", {"doors": "yes", "horizon": "long"}),
    ("clarity", {"answers": "think"}),
    ("content", {"answers": "direct", "horizon": "one"}),
    ("access", {"doors": "yes"}),
    ("clarity", {"answers": "think", "field": "no"}),
    ("content", {"answers": "direct"}),
    ("wisdom", {"horizon": "long"}),
]
COHORT = 30  # 21 learners, 9 faculty


def create(users: dict) -> None:
    program, _ = Program.objects.get_or_create(
        slug="internal-medicine", defaults={"name": "Internal Medicine Residency"}
    )
    # Members since last year, so their figures have settled (a person counts after a full month).
    since = timezone.now() - datetime.timedelta(days=400)
    program.add_member(users["resident"], Membership.Kind.LEARNER, since=since)
    program.add_member(users["faculty"], Membership.Kind.FACULTY, since=since)
    program.add_member(users["director"], Membership.Kind.DIRECTOR, since=since)
    _cohort(program, since)


def _cohort(program: Program, since: datetime.datetime) -> None:
    today = timezone.localdate()
    roles = {r.slug: r for r in Role.objects.all()}
    needs = {n.slug: n for n in Need.objects.all()}
    order = ["mentor", "sponsor", "coach", "advisor"]
    for i in range(COHORT):
        faculty = i >= 21
        username = f"demo-{'faculty' if faculty else 'learner'}-{i + 1:02d}"
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": "Demo", "last_name": f"Participant {i + 1}"},
        )
        program.add_member(user, Membership.Kind.FACULTY if faculty else Membership.Kind.LEARNER, since=since)
        if not created:
            continue
        user.set_unusable_password()
        user.save(update_fields=["password"])

        started = timezone.now() - datetime.timedelta(days=10 + 11 * i)
        if i % 6 != 5:  # most have started a worksheet
            need, answers = PATTERNS[i % len(PATTERNS)]
            if i % 3 != 2:  # two in three finish it; one in five of those picks another role
                worksheet = Worksheet.create_completed(
                    owner=user,
                    problem="A demo participant's problem.",
                    ideal_outcome="A demo outcome.",
                    primary_need=needs[need],
                    answers=answers,
                    questions="A question.",
                    next_step="A next step.",
                    next_step_due=today + datetime.timedelta(days=14),
                )
                if i % 5 == 4:
                    worksheet.chosen_role = roles[order[(order.index(worksheet.recommended_role.slug) + 1) % 4]]
                    worksheet.refresh_choice_warnings()
                worksheet.completed_at = started + datetime.timedelta(days=3)
                worksheet.save()
            else:
                worksheet = Worksheet.objects.create(
                    owner=user,
                    problem="A demo participant's problem.",
                    ideal_outcome="A demo outcome.",
                    primary_need=needs[need],
                    answers=answers,
                    step="recommendation",
                )
                worksheet.refresh_recommendation()
                worksheet.save()
            Worksheet.objects.filter(pk=worksheet.pk).update(created_at=started)

        # a board holding one to four roles, so coverage varies from person to person
        for k in range(1 + i % 4):
            member = BoardMember.add(
                owner=user,
                roles=[roles[order[(i + k) % 4]]],
                status="active",
                on=today - datetime.timedelta(days=300),
                name=f"Helper {k + 1}",
            )
            for month in range(i % 7):
                CheckIn.objects.create(
                    member=member, held_on=today - datetime.timedelta(days=30 * month + 3), discussed="Demo"
                )
