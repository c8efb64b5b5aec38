"""The program dashboard's figures: counts of people, never one person's answers.

Every figure is a `Table` of `Cell`s. A cell knows how many people stand behind
it, and shows "fewer than 5" when that is under `SMALL_CELL`; the page, the
charts and the CSV all print `cell.display`, so none of them can leak a small
count by accident.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, F, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from devboard.board.models import BoardMember, BoardRole, CheckIn
from roles.models import Need, Role
from worksheets.models import Worksheet

from .models import Membership, Program

SMALL_CELL = 5
SUPPRESSED = f"fewer than {SMALL_CELL}"


@dataclass(frozen=True)
class Cell:
    value: int
    people: int
    percent: bool = False

    @property
    def suppressed(self) -> bool:
        return self.people < SMALL_CELL

    @property
    def display(self) -> str:
        if self.suppressed:
            return SUPPRESSED
        return f"{self.value}%" if self.percent else str(self.value)


def people(n: int) -> Cell:
    return Cell(n, n)


def share(n: int, of: int) -> Cell:
    return Cell(round(100 * n / of) if of else 0, n, percent=True)


@dataclass
class Row:
    label: str
    cells: list[Cell]


@dataclass
class Table:
    slug: str
    title: str
    description: str
    columns: list[str]
    rows: list[Row] = field(default_factory=list)
    # Indexes of the columns drawn as bars; none means the table is shown alone.
    chart_columns: tuple[int, ...] = ()

    def series(self) -> list[dict]:
        return [{"index": n, "name": self.columns[i]} for n, i in enumerate(self.chart_columns)]

    def bars(self) -> list[dict]:
        """Bar lengths as a percentage of the largest shown value in each charted column."""
        if not self.chart_columns:
            return []
        top = {
            i: max((row.cells[i].value for row in self.rows if not row.cells[i].suppressed), default=0)
            for i in self.chart_columns
        }
        return [
            {
                "label": row.label,
                "bars": [
                    {
                        "series": self.columns[i],
                        "series_index": n,
                        "cell": row.cells[i],
                        "width": 0
                        if row.cells[i].suppressed or not top[i]
                        else round(100 * row.cells[i].value / top[i]),
                    }
                    for n, i in enumerate(self.chart_columns)
                ],
            }
            for row in self.rows
        ]


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date

    @classmethod
    def default(cls) -> "Period":
        """The last twelve months, this month included."""
        today = timezone.localdate()
        month, year = today.month - 11, today.year
        if month < 1:
            month, year = month + 12, year - 1
        return cls(datetime.date(year, month, 1), today)

    def months(self) -> list[datetime.date]:
        months, current = [], self.start.replace(day=1)
        while current <= self.end:
            months.append(current)
            current = (current + datetime.timedelta(days=32)).replace(day=1)
        return months

    def q(self, field_name: str) -> Q:
        return Q(**{f"{field_name}__date__gte": self.start, f"{field_name}__date__lte": self.end})


def participation(program: Program, period: Period) -> Table:
    members = program.participants()
    total = members.count()
    by_role = dict(
        program.memberships.filter(kind__in=Membership.PARTICIPANT_KINDS)
        .values_list("kind")
        .annotate(n=Count("user", distinct=True))
    )
    worksheets = Worksheet.objects.filter(owner__in=members)
    started = worksheets.filter(period.q("created_at")).values("owner").distinct().count()
    completed = (
        worksheets.filter(status=Worksheet.Status.COMPLETED)
        .filter(period.q("completed_at"))
        .values("owner")
        .distinct()
        .count()
    )
    # Choosing against the recommendation is allowed; directors see how often it happens.
    differed = (
        worksheets.filter(period.q("created_at"))
        .exclude(chosen_role__isnull=True)
        .exclude(recommended_role__isnull=True)
        .exclude(chosen_role=F("recommended_role"))
        .values("owner")
        .distinct()
        .count()
    )
    table = Table(
        "participation",
        "Participation",
        "Members are the program's learners and faculty (directors are not counted). "
        "Started and completed count people, not worksheets.",
        ["People", "Share of members"],
        chart_columns=(0,),
    )
    table.rows = [
        Row("Members", [people(total), share(total, total)]),
        Row(
            "Learners",
            [people(by_role.get(Membership.Kind.LEARNER, 0)), share(by_role.get(Membership.Kind.LEARNER, 0), total)],
        ),
        Row(
            "Faculty",
            [people(by_role.get(Membership.Kind.FACULTY, 0)), share(by_role.get(Membership.Kind.FACULTY, 0), total)],
        ),
        Row("Started a worksheet", [people(started), share(started, total)]),
        Row("Completed a worksheet", [people(completed), share(completed, total)]),
        Row("Chose a role other than the one recommended", [people(differed), share(differed, total)]),
    ]
    return table


def _people_by(worksheets, field_name: str) -> dict[int, int]:
    return dict(
        worksheets.exclude(**{f"{field_name}__isnull": True})
        .values_list(field_name)
        .annotate(n=Count("owner", distinct=True))
    )


def needs_named(program: Program, period: Period) -> Table:
    worksheets = Worksheet.objects.filter(owner__in=program.participants()).filter(period.q("created_at"))
    main = _people_by(worksheets, "primary_need")
    other = _people_by(worksheets, "other_needs")
    table = Table(
        "needs",
        "Needs named",
        "People who named each need in a worksheet they started in the period.",
        ["As the main need", "As another need"],
        chart_columns=(0, 1),
    )
    table.rows = [Row(n.name, [people(main.get(n.pk, 0)), people(other.get(n.pk, 0))]) for n in Need.objects.all()]
    return table


def roles_recommended(program: Program, period: Period) -> Table:
    worksheets = Worksheet.objects.filter(owner__in=program.participants()).filter(period.q("created_at"))
    recommended = _people_by(worksheets, "recommended_role")
    chosen = _people_by(worksheets, "chosen_role")
    table = Table(
        "roles",
        "Roles recommended and chosen",
        "People whose worksheet recommended each role, and people who chose it, in worksheets started in the period.",
        ["Recommended", "Chosen"],
        chart_columns=(0, 1),
    )
    table.rows = [
        Row(r.name, [people(recommended.get(r.pk, 0)), people(chosen.get(r.pk, 0))]) for r in Role.objects.all()
    ]
    return table


def board_coverage(program: Program) -> Table:
    members = program.participants()
    total = members.count()
    roles = list(Role.objects.published())
    held: dict[int, set[int]] = {}
    pairs = (
        BoardRole.objects.filter(
            ended_on__isnull=True, member__status=BoardMember.Status.ACTIVE, member__owner__in=members
        )
        .values_list("member__owner_id", "role_id")
        .distinct()
    )
    for owner_id, role_id in pairs:
        held.setdefault(owner_id, set()).add(role_id)
    table = Table(
        "coverage",
        "Board coverage today",
        "Members with someone active on their board in each role, as of today (the date range does not apply).",
        ["People", "Share of members"],
        chart_columns=(1,),
    )
    for role in roles:
        n = sum(1 for role_ids in held.values() if role.pk in role_ids)
        table.rows.append(Row(role.name, [people(n), share(n, total)]))
    every = {r.pk for r in roles}
    n = sum(1 for role_ids in held.values() if every and every <= role_ids)
    table.rows.append(Row(f"All {len(roles)} roles", [people(n), share(n, total)]))
    return table


def check_ins_per_month(program: Program, period: Period) -> Table:
    counts = {
        row["month"]: row
        for row in CheckIn.objects.filter(
            member__owner__in=program.participants(), held_on__gte=period.start, held_on__lte=period.end
        )
        .annotate(month=TruncMonth("held_on"))
        .values("month")
        .annotate(n=Count("pk"), people=Count("member__owner", distinct=True))
    }
    table = Table(
        "checkins",
        "Check-ins logged per month",
        "Check-ins members logged with people on their board. A month with fewer than "
        f"{SMALL_CELL} people logging shows as “{SUPPRESSED}” in both columns.",
        ["Check-ins", "People who logged one"],
        chart_columns=(0,),
    )
    for month in period.months():
        found = counts.get(month, {"n": 0, "people": 0})
        table.rows.append(Row(f"{month:%B %Y}", [Cell(found["n"], found["people"]), people(found["people"])]))
    return table


def for_program(program: Program, period: Period) -> list[Table]:
    return [
        participation(program, period),
        needs_named(program, period),
        roles_recommended(program, period),
        board_coverage(program),
        check_ins_per_month(program, period),
    ]
