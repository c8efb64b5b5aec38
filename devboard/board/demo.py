"""The demo faculty member's board: people in several roles and states, agreements and check-ins.

Runs on every `make run`; people already on the board are left as they are.
"""

import datetime

from django.utils import timezone

from roles.models import Role
from worksheets import demo as worksheet_demo

from .models import Agreement, BoardMember, Cadence, CheckIn, WorksheetLink

D = datetime.timedelta


def _person(
    owner,
    today,
    *,
    name,
    roles,
    began_days_ago,
    details,
    status="active",
    agreement=None,
    check_ins=(),
    paused_days_ago=None,
    concluded=None,
) -> None:
    if BoardMember.objects.for_owner(owner).filter(name=name).exists():
        return
    began = today - D(days=began_days_ago)
    member = BoardMember.add(
        owner=owner,
        roles=list(Role.objects.filter(slug__in=roles)),
        status="prospective" if status == "prospective" else "active",
        on=began,
        name=name,
        **details,
    )
    if agreement:
        Agreement.objects.create(member=member, **agreement)
    for days_ago, format, discussed, next_step in check_ins:
        CheckIn.objects.create(
            member=member, held_on=today - D(days=days_ago), format=format, discussed=discussed, my_next_step=next_step
        )
    member.follow_cadence(today)
    member.save()
    if paused_days_ago is not None:
        member.set_status(BoardMember.Status.PAUSED, on=today - D(days=paused_days_ago))
    if concluded:
        member.conclude(
            on=today - D(days=concluded["days_ago"]), **{k: v for k, v in concluded.items() if k != "days_ago"}
        )


def create(users: dict) -> None:
    owner = users["faculty"]
    today = timezone.localdate()
    _person(
        owner,
        today,
        name="Dr. Miriam Alvarez",
        roles=["mentor", "sponsor"],
        began_days_ago=540,
        details={
            "email": "m.alvarez@example.org",
            "title": "Professor of Medicine, Vice Chair for Faculty Affairs",
            "institution": "Department of Medicine",
            "connection": "She chaired the search committee that hired me and offered to keep meeting afterwards.",
        },
        agreement={
            "goals": (
                "Prepare a strong promotion dossier within two years.\n"
                "Find a national committee that fits my interests."
            ),
            "i_bring": "An agenda sent two days ahead; drafts on time; honesty about what is not working.",
            "i_need": "Candid feedback on the dossier and, when the moment is right, my name put forward.",
            "cadence": Cadence.MONTHLY,
            "revisit_on": today + D(days=45),
            "done_when": "The dossier is submitted and I sit on one national committee.",
        },
        check_ins=[
            (
                20,
                CheckIn.Format.IN_PERSON,
                "Went through the teaching portfolio section line by line.",
                "Ask two learners for letters.",
            ),
            (
                52,
                CheckIn.Format.VIDEO,
                "She suggested the education committee of our specialty society.",
                "Send her my CV for the nomination.",
            ),
        ],
    )
    _person(
        owner,
        today,
        name="Jordan Lee",
        roles=["coach"],
        began_days_ago=120,
        details={
            "email": "jordan.lee@example.org",
            "title": "Certified leadership coach",
            "institution": "Office of Faculty Development",
            "connection": "Assigned through the faculty development coaching program.",
        },
        agreement={
            "goals": "Decide which two of my five projects to drop.",
            "i_bring": "Reflection between sessions, and a short note on what I tried.",
            "i_need": "Questions that make me choose, not advice.",
            "cadence": Cadence.FORTNIGHTLY,
            "revisit_on": today - D(days=3),
            "done_when": "I have said no to two commitments and feel settled about it.",
        },
        check_ins=[
            (
                30,
                CheckIn.Format.VIDEO,
                "Mapped every project against what I want to be known for.",
                "Talk to my chief about the quality committee.",
            ),
        ],
    )
    _person(
        owner,
        today,
        name="Dr. Samuel Park",
        roles=["advisor"],
        began_days_ago=300,
        paused_days_ago=100,
        details={
            "title": "Biostatistician",
            "institution": "Clinical Research Center",
            "connection": "Helped with the analysis plan of my first grant.",
        },
        agreement={
            "goals": "Get the analysis plan of the K award right.",
            "cadence": Cadence.AS_NEEDED,
            "done_when": "The grant is submitted.",
        },
        check_ins=[(150, CheckIn.Format.IN_PERSON, "Sample size for aim 2.", "Rerun the power calculation.")],
    )
    _person(
        owner,
        today,
        name="Priya Natarajan",
        roles=["sponsor"],
        began_days_ago=0,
        status="prospective",
        details={
            "title": "Associate Dean for Graduate Medical Education",
            "institution": "School of Medicine",
            "connection": "We met at the education retreat; she knows every program director.",
        },
    )
    _person(
        owner,
        today,
        name="Dr. Helen Brooks",
        roles=["mentor"],
        began_days_ago=1500,
        details={
            "email": "h.brooks@example.org",
            "title": "Emerita Professor of Pediatrics",
            "connection": "My residency program director.",
        },
        check_ins=[
            (
                420,
                CheckIn.Format.PHONE,
                "Talked about the first year on faculty.",
                "Send her a note after the first grant.",
            )
        ],
        concluded={
            "days_ago": 365,
            "afterwards": BoardMember.Afterwards.PEER,
            "signs": [BoardMember.Sign.ANSWERED],
            "note": "We agreed that the questions of my early career were answered. We still meet at conferences.",
        },
    )

    worksheet = worksheet_demo.create_for_faculty(owner)
    coach = BoardMember.objects.for_owner(owner).filter(name="Jordan Lee").first()
    if worksheet and coach:
        WorksheetLink.objects.create(worksheet=worksheet, member=coach, role=worksheet.chosen_role)
