"""The program dashboard's figures: counts of people, never one person's answers.

The rules that keep them safe are written out in README.md ("Figures that cannot single
anyone out"). In short:

- figures cover whole periods only (`Period`: months, the academic year), never arbitrary days;
- a person counts only over the months of settled membership (`Membership.counts_from`,
  `counts_until`), so adding, removing and re-adding someone moves nothing shown;
- a cell resting on fewer than `SMALL_CELL` people shows as "fewer than 5", and
  complementary suppression (`protect`) hides enough other cells that no subtraction
  within a table recovers it;
- two periods are both offered only when they differ by no one or by `SMALL_CELL` people or more.

Everything is counted in SQL: one query for the people figures of any number of programs,
one for the check-ins, one to decide which periods to offer.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, DateField, Exists, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Greatest, Least, TruncMonth
from django.utils import timezone

from devboard.board.models import BoardMember, BoardRole, CheckIn, StatusChange
from roles.models import Need, Role
from worksheets.models import Worksheet

from .models import Membership, Program, ProgramFigures, month_start

SMALL_CELL = 5
SUPPRESSED = f"fewer than {SMALL_CELL}"


# --- cells, rows, tables -------------------------------------------------------------------


@dataclass
class Cell:
    value: int
    people: int
    percent: bool = False
    # Hidden although large enough, so that no subtraction recovers a small cell next to it.
    protected: bool = False

    @property
    def suppressed(self) -> bool:
        return self.people < SMALL_CELL or self.protected

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
    key: str = ""

    @property
    def suppressed(self) -> bool:
        return self.cells[0].suppressed

    def protect(self) -> None:
        for cell in self.cells:
            cell.protected = True


@dataclass
class Table:
    slug: str
    title: str
    description: str
    columns: list[str]
    rows: list[Row] = field(default_factory=list)
    # Indexes of the columns drawn in the chart; none means the table is shown alone.
    chart_columns: tuple[int, ...] = ()
    # "bars": counts on one shared axis; "percent": a 0-100% axis; "columns": a time series.
    chart: str = "bars"

    def row(self, key: str) -> Row:
        return next(r for r in self.rows if r.key == key)

    def series(self) -> list[dict]:
        return [{"index": n, "name": self.columns[i]} for n, i in enumerate(self.chart_columns)]

    def axis_max(self) -> int:
        """The top of the shared axis: every charted series is drawn against the same scale."""
        if self.chart == "percent":
            return 100
        shown = [r.cells[i].value for r in self.rows for i in self.chart_columns if not r.cells[i].suppressed]
        return nice_ceiling(max(shown, default=0))

    def ticks(self) -> list[dict]:
        top = self.axis_max()
        if not top:
            return []
        step = top // 4 if top % 4 == 0 else top / 4
        return [
            {"value": round(step * k), "at": round(100 * step * k / top, 2), "label": _tick_label(step * k, self)}
            for k in range(5)
        ]

    def bars(self) -> list[dict]:
        """Bar lengths as a percentage of the shared axis (0-100% for percentages)."""
        if not self.chart_columns:
            return []
        top = self.axis_max()
        return [
            {
                "label": row.label,
                "key": row.key,
                "bars": [
                    {
                        "series": self.columns[i],
                        "series_index": n,
                        "cell": row.cells[i],
                        "length": (length := _length(row.cells[i], top)),
                        "top": round(100 - length, 2),
                    }
                    for n, i in enumerate(self.chart_columns)
                ],
            }
            for row in self.rows
        ]


def _length(cell: Cell, top: int) -> float:
    return 0 if cell.suppressed or not top else round(100 * cell.value / top, 2)


def nice_ceiling(n: int) -> int:
    """The smallest 'round' number (1, 2, 2.5 or 5 times a power of ten, divisible by 4 when possible) >= n."""
    if n <= 0:
        return 0
    magnitude = 1
    while magnitude * 10 <= n:
        magnitude *= 10
    for factor in (1, 2, 4, 5, 8, 10):
        if factor * magnitude >= n:
            return factor * magnitude
    return 10 * magnitude


def _tick_label(value: float, table: Table) -> str:
    text = f"{value:g}" if value != int(value) else str(int(value))
    return f"{text}%" if table.chart == "percent" else text


# --- complementary suppression -------------------------------------------------------------


def protect_sum(total: Row, parts: list[Row]) -> bool:
    """total = sum(parts): never leave exactly one of them hidden, or subtraction recovers it."""
    group = [total, *parts]
    hidden = [r for r in group if r.suppressed]
    if len(hidden) != 1:
        return False
    shown_parts = [r for r in parts if not r.suppressed]
    (shown_parts and min(shown_parts, key=lambda r: r.cells[0].value) or total).protect()
    return True


def protect_subset(whole: Cell, part: Row) -> bool:
    """part is a subset of whole: the people in whole but not in part are a count too; keep it >= 5 or hidden."""
    if whole.suppressed or part.suppressed:
        return False
    rest = whole.value - part.cells[0].value
    if 0 < rest < SMALL_CELL:
        part.protect()
        return True
    return False


def protect_column(table: Table, index: int) -> bool:
    """Cells of one column share a total: never leave exactly one of them hidden."""
    cells = [r.cells[index] for r in table.rows]
    hidden = [c for c in cells if c.suppressed]
    shown = [c for c in cells if not c.suppressed]
    if len(hidden) != 1 or not shown:
        return False
    min(shown, key=lambda c: c.value).protected = True
    return True


def protect(tables: dict[str, Table]) -> None:
    """Complementary suppression across the dashboard's tables, repeated until nothing changes."""
    part = tables["participation"]
    members = part.row("members")
    changed = True
    while changed:
        changed = False
        changed |= protect_sum(members, [part.row("learners"), part.row("faculty")])
        for key in ("learners", "faculty", "started", "completed"):
            changed |= protect_subset(members.cells[0], part.row(key))
        changed |= protect_subset(part.row("started").cells[0], part.row("differed"))
        if "coverage" in tables:
            coverage = tables["coverage"]
            every = coverage.row("all")
            for row in coverage.rows:
                changed |= protect_subset(members.cells[0], row)
                if row is not every:
                    changed |= protect_subset(row.cells[0], every)
        for slug in ("needs", "roles"):
            if slug in tables:
                for index in range(len(tables[slug].columns)):
                    changed |= protect_column(tables[slug], index)


# --- periods -------------------------------------------------------------------------------


def academic_year_start(day: datetime.date) -> datetime.date:
    """Academic years run July to June."""
    return datetime.date(day.year if day.month >= 7 else day.year - 1, 7, 1)


@dataclass(frozen=True)
class Period:
    """Whole calendar months, from the first day of `start`'s month to the last day of `end`'s."""

    key: str
    label: str
    start: datetime.date
    end: datetime.date

    def months(self) -> list[datetime.date]:
        months, current = [], self.start
        while current <= self.end:
            months.append(current)
            current = month_start(current, 1)
        return months

    @property
    def until(self) -> datetime.date:
        """The day after the period (exclusive bound)."""
        return self.end + datetime.timedelta(days=1)

    def span(self) -> str:
        first, last = self.start, self.end
        if (first.year, first.month) == (last.year, last.month):
            return f"{first:%B %Y}"
        if first.year == last.year:
            return f"{first:%B} to {last:%B %Y}"
        return f"{first:%B %Y} to {last:%B %Y}"


def _months_back(this_month: datetime.date, n: int) -> tuple[datetime.date, datetime.date]:
    return month_start(this_month, -n), this_month - datetime.timedelta(days=1)


def candidate_periods(today: datetime.date | None = None) -> list[Period]:
    """The periods a director can choose, in order of preference. None includes the month in progress."""
    today = today or timezone.localdate()
    this_month = month_start(today)
    year = academic_year_start(today)
    periods = []
    if this_month > year:
        periods.append(
            Period(
                "this-year",
                f"This academic year so far ({year.year}–{str(year.year + 1)[2:]})",
                year,
                this_month - datetime.timedelta(days=1),
            )
        )
    start, end = _months_back(this_month, 3)
    periods.append(Period("last-3-months", "The last 3 whole months", start, end))
    start, end = _months_back(this_month, 12)
    periods.append(Period("last-12-months", "The last 12 whole months", start, end))
    last = datetime.date(year.year - 1, 7, 1)
    periods.append(
        Period(
            "last-year",
            f"Last academic year ({last.year}–{str(last.year + 1)[2:]})",
            last,
            year - datetime.timedelta(days=1),
        )
    )
    return periods


# --- the SQL --------------------------------------------------------------------------------


def _date(day: datetime.date) -> Value:
    return Value(day, output_field=DateField())


def counted(memberships, period: Period):
    """Learner and faculty memberships that count in at least one month of the period.

    Each carries `lo` and `hi`: the days of the period in which the person counts ([lo, hi)).
    """
    return (
        memberships.participants()
        .filter(counts_from__isnull=False, counts_from__lt=period.until)
        .filter(Q(counts_until__isnull=True) | Q(counts_until__gt=period.start))
        .annotate(
            lo=Greatest("counts_from", _date(period.start), output_field=DateField()),
            hi=Least(Coalesce("counts_until", _date(period.until)), _date(period.until), output_field=DateField()),
        )
    )


def _worksheets(date_field: str):
    """The person's worksheets whose date falls in the days they count."""
    return Worksheet.objects.filter(
        owner=OuterRef("user"),
        **{f"{date_field}__date__gte": OuterRef("lo"), f"{date_field}__date__lt": OuterRef("hi")},
    )


def _holds(role: Role):
    """Someone active on the person's board holds the role on the last day the person counts."""
    status_then = (
        StatusChange.objects.filter(member=OuterRef("member"), changed_on__lt=OuterRef(OuterRef("hi")))
        .order_by("-changed_on", "-pk")
        .values("to_status")[:1]
    )
    return Exists(
        BoardRole.objects.filter(member__owner=OuterRef("user"), role=role, started_on__lt=OuterRef("hi"))
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=OuterRef("hi")))
        .annotate(status_then=Subquery(status_then))
        .filter(status_then=BoardMember.Status.ACTIVE)
    )


def people_counts(programs, period: Period, needs: list[Need], roles: list[Role], *, detail: bool = True) -> dict:
    """Every people figure of the period for each program, in one query: {program id: {figure: n}}."""
    created = _worksheets("created_at")
    completed = _worksheets("completed_at").filter(status=Worksheet.Status.COMPLETED)

    def n(condition=None):
        return Count("user", distinct=True, filter=condition)

    figures = {
        "members": n(),
        "learners": n(Q(kind=Membership.Kind.LEARNER)),
        "faculty": n(Q(kind=Membership.Kind.FACULTY)),
        "started": n(Exists(created)),
        "completed": n(Exists(completed)),
        "differed": n(
            Exists(
                created.exclude(chosen_role__isnull=True)
                .exclude(recommended_role__isnull=True)
                .exclude(chosen_role=F("recommended_role"))
            )
        ),
    }
    if detail:
        published = [r for r in roles if r.published]
        for need in needs:
            figures[f"main-{need.pk}"] = n(Exists(created.filter(primary_need=need)))
            figures[f"other-{need.pk}"] = n(Exists(created.filter(other_needs=need)))
        for role in roles:
            figures[f"recommended-{role.pk}"] = n(Exists(created.filter(recommended_role=role)))
            figures[f"chosen-{role.pk}"] = n(Exists(created.filter(chosen_role=role)))
        for role in published:
            figures[f"holds-{role.pk}"] = n(_holds(role))
        if published:
            every = Q()
            for role in published:
                every &= Q(_holds(role))
            figures["holds-all"] = n(every)
    rows = (
        counted(Membership.objects.filter(program__in=programs), period)
        .order_by()
        .values("program")
        .annotate(**figures)
    )
    return {row.pop("program"): row for row in rows}


def check_in_counts(program: Program, period: Period) -> dict[datetime.date, dict]:
    counts_then = (
        Membership.objects.participants()
        .filter(program=program, user=OuterRef("member__owner"), counts_from__lte=OuterRef("held_on"))
        .filter(Q(counts_until__isnull=True) | Q(counts_until__gt=OuterRef("held_on")))
    )
    rows = (
        CheckIn.objects.filter(held_on__gte=period.start, held_on__lte=period.end)
        .filter(Exists(counts_then))
        .annotate(month=TruncMonth("held_on"))
        .order_by()
        .values("month")
        .annotate(n=Count("pk"), people=Count("member__owner", distinct=True))
    )
    return {row["month"]: row for row in rows}


# --- which periods to offer -----------------------------------------------------------------


def _gaps(p: Period, q: Period) -> list[tuple[datetime.date, datetime.date]]:
    """The days in one period and not the other, as [from, until) ranges."""
    ranges = []
    for a, b in ((p, q), (q, p)):
        if a.start < b.start:
            ranges.append((a.start, min(a.until, b.start)))
        if a.until > b.until:
            ranges.append((max(a.start, b.until), a.until))
    return [(lo, hi) for lo, hi in ranges if lo < hi]


def _active_in(ranges) -> Q:
    """The membership's person did something a figure counts, on a day in `ranges` on which they count."""

    until = Coalesce(OuterRef("counts_until"), _date(datetime.date.max), output_field=DateField())

    def days(field_name: str, *, is_datetime: bool = False) -> Q:
        lookup = f"{field_name}__date" if is_datetime else field_name
        within = Q()
        for lo, hi in ranges:
            within |= Q(**{f"{lookup}__gte": lo, f"{lookup}__lt": hi})
        return within & Q(**{f"{lookup}__gte": OuterRef("counts_from"), f"{lookup}__lt": until})

    owner = {"owner": OuterRef("user")}
    board_owner = {"member__owner": OuterRef("user")}
    return (
        Q(
            Exists(
                Worksheet.objects.filter(**owner).filter(
                    days("created_at", is_datetime=True) | days("completed_at", is_datetime=True)
                )
            )
        )
        | Q(Exists(CheckIn.objects.filter(**board_owner).filter(days("held_on"))))
        | Q(Exists(BoardRole.objects.filter(**board_owner).filter(days("started_on") | days("ended_on"))))
        | Q(Exists(StatusChange.objects.filter(**board_owner).filter(days("changed_on"))))
    )


def _counts_in(period: Period) -> Q:
    return Q(counts_from__isnull=False, counts_from__lt=period.until) & (
        Q(counts_until__isnull=True) | Q(counts_until__gt=period.start)
    )


def offered_periods(program: Program, today: datetime.date | None = None) -> tuple[list[Period], dict[str, str]]:
    """The candidate periods that can be shown together, and why each of the others cannot.

    Comparing two periods' figures shows what the people in one and not the other did. So a
    period is offered only if, against every period already offered, the people who count in
    one and not the other, or who did something counted on days in one and not the other,
    are nobody or at least `SMALL_CELL` people.
    """
    candidates = candidate_periods(today)
    pairs = [(p, q) for i, p in enumerate(candidates) for q in candidates[:i]]
    figures = {}
    for p, q in pairs:
        gaps = _gaps(p, q)
        if not gaps:
            continue
        differs = (_counts_in(p) & ~_counts_in(q)) | (_counts_in(q) & ~_counts_in(p)) | _active_in(gaps)
        figures[f"{p.key}|{q.key}"] = Count("user", distinct=True, filter=differs)
    differ = (
        Membership.objects.participants().filter(program=program, counts_from__isnull=False).aggregate(**figures)
        if figures
        else {}
    )
    offered, refused = [], {}
    for p in candidates:
        clash = next(
            (q for q in offered if 0 < differ.get(f"{p.key}|{q.key}", 0) < SMALL_CELL),
            None,
        )
        if clash is None:
            offered.append(p)
        else:
            refused[p.key] = (
                f"{p.label} is not shown: it differs from “{clash.label.lower()}” by fewer than {SMALL_CELL} "
                "people, so comparing the two could single someone out."
            )
    return offered, refused


# --- the tables -----------------------------------------------------------------------------


def _tables(counts: dict, needs: list[Need], roles: list[Role], *, detail: bool = True) -> dict[str, Table]:
    def get(key: str) -> int:
        return counts.get(key, 0)

    total = get("members")
    part = Table(
        "participation",
        "Participation",
        "Members are the program's learners and faculty who counted in the period (directors are not "
        "counted). Started and completed count people, not worksheets.",
        ["People", "Share of members"],
        chart_columns=(0,),
    )
    labels = [
        ("members", "Members"),
        ("learners", "Learners"),
        ("faculty", "Faculty"),
        ("started", "Started a worksheet"),
        ("completed", "Completed a worksheet"),
        ("differed", "Chose a role other than the one recommended"),
    ]
    part.rows = [Row(label, [people(get(key)), share(get(key), total)], key) for key, label in labels]
    tables = {"participation": part}
    if not detail:
        protect(tables)
        return tables

    need_table = Table(
        "needs",
        "Needs named",
        "People who named each need in a worksheet they started in the period.",
        ["As the main need", "As another need"],
        chart_columns=(0, 1),
    )
    need_table.rows = [Row(n.name, [people(get(f"main-{n.pk}")), people(get(f"other-{n.pk}"))], n.slug) for n in needs]
    role_table = Table(
        "roles",
        "Roles recommended and chosen",
        "People whose worksheet recommended each role, and people who chose it, in worksheets started in the period.",
        ["Recommended", "Chosen"],
        chart_columns=(0, 1),
    )
    role_table.rows = [
        Row(r.name, [people(get(f"recommended-{r.pk}")), people(get(f"chosen-{r.pk}"))], r.slug) for r in roles
    ]
    published = [r for r in roles if r.published]
    coverage = Table(
        "coverage",
        "Board coverage at the end of the period",
        "Members with someone active on their board in each role, on the last day of the period they counted.",
        ["People", "Share of members"],
        chart_columns=(1,),
        chart="percent",
    )
    coverage.rows = [
        Row(r.name, [people(get(f"holds-{r.pk}")), share(get(f"holds-{r.pk}"), total)], r.slug) for r in published
    ]
    coverage.rows.append(
        Row(f"All {len(published)} roles", [people(get("holds-all")), share(get("holds-all"), total)], "all")
    )
    tables.update({"needs": need_table, "roles": role_table, "coverage": coverage})
    protect(tables)
    return tables


def check_ins_table(counts: dict[str, list[int]], period: Period) -> Table:
    """`counts`: {first day of a month (ISO): [check-ins, people who logged one]}."""
    table = Table(
        "checkins",
        "Check-ins logged per month",
        "Check-ins members logged with people on their board. A month with fewer than "
        f"{SMALL_CELL} people logging shows as “{SUPPRESSED}” in both columns.",
        ["Check-ins", "People who logged one"],
        chart_columns=(0,),
        chart="columns",
    )
    for month in period.months():
        n, logged = counts.get(month.isoformat(), (0, 0))
        table.rows.append(Row(f"{month:%B %Y}", [Cell(n, logged), people(logged)], f"{month:%Y-%m}"))
    return table


def guidance() -> tuple[list[Need], list[Role]]:
    return list(Need.objects.all()), list(Role.objects.all())


def guidance_key(needs: list[Need], roles: list[Role]) -> list:
    """What the counts depend on in the guidance: counts made for other guidance are made again."""
    return [[n.pk for n in needs], [[r.pk, r.published] for r in roles]]


def count(program: Program, period: Period, needs: list[Need], roles: list[Role]) -> dict:
    """Every count behind the period's tables, as plain numbers that JSON can hold (two queries)."""
    months = check_in_counts(program, period)
    return {
        "people": people_counts([program], period, needs, roles).get(program.pk, {}),
        "check_ins": {month.isoformat(): [row["n"], row["people"]] for month, row in months.items()},
    }


def tables_from(counts: dict, period: Period, needs: list[Need], roles: list[Role]) -> list[Table]:
    """The tables shown for `count()`'s counts, every suppression rule applied."""
    tables = _tables(counts["people"], needs, roles)
    return [*tables.values(), check_ins_table(counts["check_ins"], period)]


def for_program(program: Program, period: Period) -> list[Table]:
    needs, roles = guidance()
    return tables_from(count(program, period, needs, roles), period, needs, roles)


def participation(counts: dict) -> Table:
    """The participation table alone (the program index), from `count()`'s counts."""
    return _tables(counts["people"], [], [], detail=False)["participation"]


# --- the summary the pages read -------------------------------------------------------------


def refresh(program: Program, today: datetime.date | None = None) -> ProgramFigures:
    """Count every period offered for the program now, and keep the counts (the worker's job)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # PostgreSQL's JIT compiler, tempted by the many subplans' cost estimates, spent ~9 s
            # compiling a people-figures query that runs in 0.4 s at 2,000 members.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        needs, roles = guidance()
        offered, refused = offered_periods(program, today)
        data = {
            "offered": [p.key for p in offered],
            "refused": refused,
            "periods": {p.key: count(program, p, needs, roles) for p in offered},
        }
        summary, _ = ProgramFigures.objects.update_or_create(
            program=program,
            defaults={
                "computed_at": timezone.now(),
                "month": month_start(today),
                "guidance": guidance_key(needs, roles),
                "data": data,
                "refresh_queued_at": None,
            },
        )
    return summary


def refresh_after() -> int:
    """Seconds after which a summary is shown while a fresh one is counted (kept pages last no longer)."""
    return settings.PROGRAM_FIGURES_REFRESH_AFTER


def summaries_for(programs: list[Program], guidance_now: list | None = None) -> dict[int, ProgramFigures]:
    """The programs' summaries, in one query when all are usable: {program id: summary}.

    One younger than PROGRAM_FIGURES_REFRESH_AFTER is used as it is; an older one is used and a
    refresh is queued for the worker; one older than PROGRAM_FIGURES_MAX_AGE, made in another
    month, or for other guidance than `guidance_now` (when given) is counted again at once.
    """
    from .tasks import refresh_figures

    found = {s.program_id: s for s in ProgramFigures.objects.filter(program__in=programs)}
    this_month = month_start(timezone.localdate())
    max_age = datetime.timedelta(seconds=settings.PROGRAM_FIGURES_MAX_AGE)
    refresh_after = datetime.timedelta(seconds=settings.PROGRAM_FIGURES_REFRESH_AFTER)
    for program in programs:
        summary = found.get(program.pk)
        if (
            summary is None
            or summary.month != this_month
            or summary.age > max_age
            or (guidance_now is not None and summary.guidance != guidance_now)
        ):
            found[program.pk] = refresh(program)
        elif summary.age > refresh_after and _claim_refresh(summary, refresh_after):
            refresh_figures.enqueue(program.pk)
    return found


def _claim_refresh(summary: ProgramFigures, refresh_after: datetime.timedelta) -> bool:
    """One refresh in the queue at a time: only the request that marks the summary sends one
    (and again after `refresh_after`, should a worker have lost it)."""
    now = timezone.now()
    if summary.refresh_queued_at and summary.refresh_queued_at >= now - refresh_after:
        return False  # queued lately: no need to ask the database
    claimed = (
        ProgramFigures.objects.filter(pk=summary.pk, computed_at=summary.computed_at)
        .filter(Q(refresh_queued_at__isnull=True) | Q(refresh_queued_at__lt=now - refresh_after))
        .update(refresh_queued_at=now)
    )
    return claimed == 1


@dataclass
class Tile:
    label: str
    cell: Cell
    note: str


def headline(tables: list[Table]) -> list[Tile]:
    by_slug = {t.slug: t for t in tables}
    part, coverage = by_slug["participation"], by_slug.get("coverage")
    tiles = [
        Tile("Members", part.row("members").cells[0], "learners and faculty who counted"),
        Tile("Started a worksheet", part.row("started").cells[1], "of members"),
        Tile("Completed a worksheet", part.row("completed").cells[1], "of members"),
    ]
    if coverage:
        tiles.append(Tile("Someone in every role", coverage.row("all").cells[1], "of members, on their board"))
    return tiles
