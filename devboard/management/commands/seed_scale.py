"""A medical school's worth of data, for `make bench` and for looking at big pages by hand.

    DEBUG=true DATABASE_URL=postgres://… python manage.py seed_scale
    DEBUG=true python manage.py seed_scale --users 500 --worksheets 3000 --boards 100 --members 900 …

Rows are computed in Python (ids included) and written with PostgreSQL's COPY; other databases get
batched INSERTs, which is fine for small figures. The same arguments always give the same people,
worksheets, boards and programs; dates are counted back from the day it runs, so check-ins fall due
as they would on a live site.
"""

import datetime
import json
import random
import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

from devboard.board.models import Agreement, BoardMember, BoardRole, CheckIn, StatusChange, next_meeting
from devboard.management.commands.load_demo import DEMO_PASSWORD
from devboard.models import User
from devboard.programs.models import Membership, Program, directors_group, month_start
from roles.models import Need, Role
from worksheets.models import STEP_SLUGS, Worksheet

BOARD_OWNER, DIRECTOR, RESIDENT = "scale-board", "scale-director", "scale-resident"
BIG_PROGRAM = "scale-big"
STARTED_DAYS_AGO = 3 * 365

FIRST = [
    "Avery",
    "Blake",
    "Casey",
    "Devon",
    "Emery",
    "Finley",
    "Harper",
    "Jordan",
    "Kendall",
    "Logan",
    "Morgan",
    "Noor",
    "Parker",
    "Quinn",
    "Reese",
    "Rowan",
]
LAST = [
    "Adeyemi",
    "Brennan",
    "Castillo",
    "Dubois",
    "Eriksen",
    "Fujita",
    "Gupta",
    "Haddad",
    "Ivanova",
    "Kowalski",
    "Lindqvist",
    "Mensah",
    "Novak",
]
LAST += ["Okonkwo", "Petrov", "Rahman", "Santos", "Tanaka", "Urquhart", "Varga", "Weiss", "Xu", "Yilmaz", "Zhang"]
TITLES = [
    "Professor of Medicine",
    "Associate Professor of Surgery",
    "Assistant Professor of Pediatrics",
    "Chief Resident",
]
TITLES += ["Program Director, Internal Medicine", "Vice Chair for Education", "Division Chief, Cardiology"]
DEPARTMENTS = ["Department of Medicine", "Department of Surgery", "Pediatrics", "Emergency Medicine", "Psychiatry"]
DEPARTMENTS += ["Office of Faculty Development", "Graduate Medical Education", "Family Medicine"]
PROBLEMS = [
    "I want to build a research niche in medical education but do not know where to start",
    "I am choosing between a fellowship in cardiology and going into practice as a hospitalist",
    "My clinical load leaves no time for the teaching I care about and I feel stretched thin",
    "I have been asked to lead a curriculum committee and have never chaired anything",
    "I keep getting middling evaluations on the wards and want to know what to change",
    "I would like to be considered for a national committee in my specialty",
    "I am returning from leave and want to plan the next two years of my career",
    "I want to publish the quality improvement project our team ran last year",
]
OUTCOMES = [
    "A clear plan for the next year that I have chosen myself",
    "Someone who can put my name forward and open a few doors",
    "Concrete answers about what to do differently on the next rotation",
    "A path like the one my senior colleagues took, adapted to my life",
]
DISCUSSED = [
    "We went through the draft of my promotion dossier and which parts to strengthen before the spring deadline.",
    "Talked about how to say no to new committee work and keep two afternoons a month for writing.",
    "Reviewed the feedback from my last rotation; agreed on two habits to practise on the next one.",
    "They offered to introduce me to the chair of the national education committee at the meeting in May.",
    "We compared the two fellowship programmes and what each would mean for my family and my research time.",
    "Went over the abstract for the regional meeting and the analysis I still need to run before submitting it.",
]
NEXT_STEPS = [
    "Send the revised draft by Friday.",
    "Block two writing afternoons in my calendar this month.",
    "Ask the programme coordinator for last year's evaluations.",
    "Email the committee chair with my CV and a short note.",
]
GOALS = [
    "Grow as a clinician educator and reach associate professor within three years.",
    "Find a research question of my own and a team to answer it with.",
    "Get ready to lead the residency's curriculum committee.",
]
CADENCES = ["weekly", "fortnightly", "monthly", "monthly", "bimonthly", "quarterly", "twice_a_year", "as_needed"]
FORMATS = [choice for choice, _ in CheckIn.Format.choices]
SIGNS = [choice for choice, _ in BoardMember.Sign.choices]


@dataclass
class Figures:
    users: int
    worksheets: int
    boards: int
    members: int
    check_ins: int
    programs: int
    big_board: int
    big_program: int
    board_owner_worksheets: int
    seed: int


class Writer:
    """Rows straight into a table: COPY on PostgreSQL, batched INSERTs elsewhere."""

    def __init__(self, model: type[models.Model], fields: list[str]):
        self.model = model
        self.fields = [model._meta.get_field(name) for name in fields]
        # Columns the seed does not set get the model's default, so a field added later never breaks it.
        self.defaults = [
            f
            for f in model._meta.concrete_fields
            if f not in self.fields and not isinstance(f, models.AutoField | models.BigAutoField)
        ]
        self.fields += self.defaults
        self.columns = [f.column for f in self.fields]
        self.count = 0

    def next_id(self) -> int:
        return (self.model.objects.aggregate(top=models.Max("pk"))["top"] or 0) + 1

    def write(self, rows) -> None:
        if self.defaults:
            extra = [_json(v) if isinstance(v, dict | list) else v for v in (f.get_default() for f in self.defaults)]
            rows = ([*row, *extra] for row in rows)
        table = connection.ops.quote_name(self.model._meta.db_table)
        names = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                        self.count += 1
                return
            sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(self.columns))})"
            batch = []
            for row in rows:
                batch.append([self._adapt(field, value) for field, value in zip(self.fields, row, strict=True)])
                if len(batch) == 1000:
                    cursor.executemany(sql, batch)
                    self.count += len(batch)
                    batch = []
            cursor.executemany(sql, batch)
            self.count += len(batch)

    @staticmethod
    def _adapt(field, value):
        if isinstance(value, datetime.datetime):
            return connection.ops.adapt_datetimefield_value(value)
        if isinstance(value, datetime.date):
            return connection.ops.adapt_datefield_value(value)
        return value


def _json(value) -> str:
    return json.dumps(value)


class Seeder:
    def __init__(self, figures: Figures, out):
        self.f = figures
        self.out = out
        self.rng = random.Random(figures.seed)
        self.today = timezone.localdate()
        # Times count back from the start of today, so a run later the same day writes the same rows.
        self.now = timezone.make_aware(datetime.datetime.combine(self.today, datetime.time.min))
        self.roles = list(Role.objects.order_by("order"))
        self.needs = list(Need.objects.order_by("order"))

    def day(self, days_ago: int) -> datetime.date:
        return self.today - datetime.timedelta(days=days_ago)

    def moment(self, days_ago: float) -> datetime.datetime:
        return self.now - datetime.timedelta(days=days_ago)

    def spread(self, total: int, slots: int) -> list[int]:
        """`slots` random whole numbers that add up to `total`."""
        if slots <= 0:
            return []
        weights = [self.rng.random() + 0.2 for _ in range(slots)]
        scale = total / sum(weights)
        counts = [int(w * scale) for w in weights]
        for i in range(total - sum(counts)):
            counts[i % slots] += 1
        return counts

    def step(self, label: str, writer: Writer, started: float) -> None:
        self.out(f"  {writer.count:>8,} {label} ({time.monotonic() - started:.1f} s)")

    # -- users --------------------------------------------------------------

    def users(self) -> dict:
        f = self.f
        writer = Writer(
            User,
            ["id", "password", "is_superuser", "username", "first_name", "last_name", "email"]
            + ["is_staff", "is_active", "date_joined"],
        )
        first_id = writer.next_id()
        password = make_password(DEMO_PASSWORD)  # one hash for all: hashing 10,000 times would take minutes
        named = {BOARD_OWNER: ("Sam", "Board"), DIRECTOR: ("Dana", "Director"), RESIDENT: ("Riley", "Resident")}
        ids = {}

        def rows():
            for i in range(f.users):
                uid = first_id + i
                if i < len(named):
                    username = list(named)[i]
                    first, last = named[username]
                else:
                    username = f"scale-user-{i:05}"
                    first, last = self.rng.choice(FIRST), self.rng.choice(LAST)
                ids[username] = uid
                yield [
                    uid,
                    password,
                    False,
                    username,
                    first,
                    last,
                    f"{username}@scale.example",
                    username == DIRECTOR or (i >= len(named) and i < len(named) + f.programs - 3),
                    True,
                    self.moment(self.rng.uniform(30, STARTED_DAYS_AGO)),
                ]

        started = time.monotonic()
        writer.write(rows())
        self.step("users", writer, started)
        return {"first": first_id, **ids}

    # -- programs -----------------------------------------------------------

    def programs(self, users: dict) -> None:
        f = self.f
        first_user = users["first"]
        programs = Writer(Program, ["id", "name", "slug", "created_at"])
        first_program = programs.next_id()
        started = time.monotonic()
        programs.write(
            [
                first_program + p,
                "Scale: the big programme" if p == 0 else f"Scale programme {p + 1:02}",
                BIG_PROGRAM if p == 0 else f"scale-program-{p + 1:02}",
                self.moment(STARTED_DAYS_AGO),
            ]
            for p in range(f.programs)
        )
        self.step("programs", programs, started)

        memberships = Writer(Membership, ["id", "program", "user", "kind", "joined_at", "counts_from"])
        first_membership = memberships.next_id()
        # Directors: scale-director leads the first three programmes, the next users one each of the rest.
        directors = [(first_program + p, users[DIRECTOR]) for p in range(min(3, f.programs))]
        directors += [(first_program + p, first_user + 3 + (p - 3)) for p in range(3, f.programs)]
        director_ids = {user for _, user in directors}
        participants = [first_user + i for i in range(f.users) if first_user + i not in director_ids]
        big = participants[: f.big_program]
        rest = participants[f.big_program :]
        others = max(f.programs - 1, 1)
        rows = [(program, user, "director") for program, user in directors]
        for n, user in enumerate(big):
            rows.append((first_program, user, "learner" if n % 10 < 7 else "faculty"))
        for n, user in enumerate(rest):
            program = first_program + 1 + n % others if f.programs > 1 else first_program
            rows.append((program, user, "learner" if n % 10 < 6 else "faculty"))
        started = time.monotonic()
        joined = [self.moment(self.rng.uniform(1, STARTED_DAYS_AGO)) for _ in rows]
        # Counted in the figures from the first day after a full calendar month, as Membership.activate() sets.
        memberships.write(
            [first_membership + n, program, user, kind, joined[n], month_start(timezone.localdate(joined[n]), 2)]
            for n, (program, user, kind) in enumerate(rows)
        )
        self.step("memberships", memberships, started)
        group = directors_group()
        group.user_set.add(*director_ids)

    # -- worksheets ---------------------------------------------------------

    def snapshots(self) -> list[dict]:
        """The recommendation as the real code makes it, once per need and set of answers."""
        combos = []
        answers_options = [
            {"answers": "direct", "horizon": "one", "doors": "no", "field": "yes"},
            {"answers": "think", "horizon": "long", "doors": "no", "field": "no"},
            {"answers": "unsure", "horizon": "long", "doors": "yes", "field": "yes"},
        ]
        with transaction.atomic():
            owner = User.objects.create(username="scale-snapshot-maker")
            for need in self.needs:
                for answers in answers_options:
                    w = Worksheet.create_completed(
                        owner=owner, primary_need=need, answers=answers, next_step="x", next_step_due=self.today
                    )
                    combos.append(
                        {
                            "need": need.pk,
                            "answers": _json(answers),
                            "recommendation": _json(w.recommendation),
                            "recommended": w.recommended_role_id,
                            "chosen": w.chosen_role_id,
                            "warnings": _json(w.choice_warnings),
                            "questions": w.questions_to_ask,
                        }
                    )
            transaction.set_rollback(True)
        return combos

    def worksheets(self, users: dict, combos: list[dict]) -> dict:
        f = self.f
        writer = Writer(
            Worksheet,
            [
                "id",
                "owner",
                "title",
                "problem",
                "ideal_outcome",
                "primary_need",
                "answers",
                "recommendation",
                "recommended_role",
                "chosen_role",
                "choice_warnings",
                "questions_to_ask",
                "next_step",
                "next_step_due",
                "step",
                "status",
                "created_at",
                "updated_at",
                "completed_at",
                "archived_at",
            ],
        )
        first_id = writer.next_id()
        owners = [users[BOARD_OWNER]] * min(f.board_owner_worksheets, f.worksheets)
        owners += [users[RESIDENT]] * min(5, f.worksheets - len(owners))
        others = [users["first"] + i for i in range(3, f.users)]
        for user, count in zip(others, self.spread(f.worksheets - len(owners), len(others)), strict=True):
            owners += [user] * count
        need_step = STEP_SLUGS.index("need")
        other_needs = []
        rng = self.rng

        def rows():
            for n, owner in enumerate(owners):
                wid = first_id + n
                created = rng.uniform(0, STARTED_DAYS_AGO)
                updated = created * rng.random()
                kind = rng.random()
                completed = kind < 0.65 or (kind >= 0.9 and rng.random() < 0.6)
                archived = kind >= 0.9
                step = "next" if completed else rng.choice(STEP_SLUGS)
                has_need = completed or STEP_SLUGS.index(step) > need_step
                combo = rng.choice(combos)
                if has_need and rng.random() < 0.3:
                    other_needs.append((wid, rng.choice(self.needs).pk))
                problem = rng.choice(PROBLEMS)
                yield [
                    wid,
                    owner,
                    problem[:60].rsplit(" ", 1)[0] if rng.random() < 0.7 else "",
                    problem,
                    rng.choice(OUTCOMES) if STEP_SLUGS.index(step) > 0 or completed else "",
                    combo["need"] if has_need else None,
                    combo["answers"] if has_need else "{}",
                    combo["recommendation"] if has_need else "{}",
                    combo["recommended"] if has_need else None,
                    combo["chosen"] if completed else None,
                    combo["warnings"] if completed else "[]",
                    combo["questions"] if completed else "",
                    rng.choice(NEXT_STEPS) if completed else "",
                    self.day(int(updated) - 30) if completed else None,
                    step,
                    "completed" if completed else "draft",
                    self.moment(created),
                    self.moment(updated),
                    self.moment(updated) if completed else None,
                    self.moment(updated * 0.5) if archived else None,
                ]

        started = time.monotonic()
        writer.write(rows())
        self.step("worksheets", writer, started)
        through = Worksheet.other_needs.through
        extra = Writer(through, ["id", "worksheet", "need"])
        first_extra = extra.next_id()
        extra.write([first_extra + n, wid, need] for n, (wid, need) in enumerate(other_needs))
        return {"first": first_id}

    # -- boards -------------------------------------------------------------

    def board_sizes(self, users: dict) -> list[tuple[int, int]]:
        """(owner, size): the big board, the resident's 10, a few large shared boards, then small ones."""
        f = self.f
        sizes = [(users[BOARD_OWNER], f.big_board), (users[RESIDENT], 10)]
        left = f.members - f.big_board - 10
        large = [s for s in (400, 250, 150, 100, 100) if s * 4 < left][: max(f.boards - 2, 0)]
        owners = [users["first"] + i for i in range(3, f.users)]
        self.rng.shuffle(owners)
        owners = owners[: max(f.boards - 2, 0)]
        counts = large + self.spread(left - sum(large), len(owners) - len(large))
        sizes += list(zip(owners, counts, strict=True))
        return sizes

    def boards(self, users: dict) -> dict:
        f = self.f
        rng = self.rng
        members = Writer(
            BoardMember,
            [
                "id",
                "version",
                "owner",
                "name",
                "email",
                "title",
                "institution",
                "connection",
                "status",
                "next_check_in_on",
                "next_check_in_by_hand",
                "last_reviewed_on",
                "concluded_on",
                "afterwards",
                "closing_signs",
                "closing_note",
                "created_at",
                "updated_at",
            ],
        )
        agreements = Writer(
            Agreement,
            ["id", "version", "member", "goals", "i_bring", "i_need", "cadence", "revisit_on", "done_when"]
            + ["created_at", "updated_at"],
        )
        history = Writer(
            Agreement.history.model,
            ["id", "version", "member", "goals", "i_bring", "i_need", "cadence", "revisit_on", "done_when"]
            + ["created_at", "updated_at", "history_date", "history_type"],
        )
        roles = Writer(BoardRole, ["id", "member", "role", "started_on", "ended_on"])
        changes = Writer(StatusChange, ["id", "member", "from_status", "to_status", "changed_on", "note", "created_at"])
        check_ins = Writer(CheckIn, ["id", "member", "held_on", "format", "discussed", "my_next_step", "created_at"])
        next_ids = {w: w.next_id() for w in (members, agreements, roles, changes, check_ins)}

        def take(writer: Writer) -> int:
            value = next_ids[writer]
            next_ids[writer] += 1
            return value

        sizes = self.board_sizes(users)
        total = sum(size for _, size in sizes)
        if total and f.check_ins >= 100:  # the big board's first person has a long history of check-ins
            per_member = [100, *self.spread(f.check_ins - 100, total - 1)]
        else:
            per_member = self.spread(f.check_ins, total)
        plan = []
        n = 0
        for owner, size in sizes:
            for _ in range(size):
                plan.append((owner, per_member[n]))
                n += 1

        member_rows, agreement_rows, history_rows, role_rows, change_rows, check_in_rows = [], [], [], [], [], []
        for number, (owner, visits) in enumerate(plan):
            mid = take(members)
            began = max(rng.randint(30, STARTED_DAYS_AGO), visits * 7 + 30)
            kind = rng.random()
            status = (
                "active" if kind < 0.5 else "prospective" if kind < 0.7 else "paused" if kind < 0.85 else "concluded"
            )
            cadence = rng.choice(CADENCES)
            days = sorted(rng.sample(range(1, began), min(visits, began - 1)), reverse=True)
            concluded_on = self.day(rng.randint(0, (days[-1] if days else began) - 1) if began > 1 else 0)
            concluded_on = concluded_on if status == "concluded" else None
            latest = self.day(days[-1]) if days else None
            next_on = None
            if status in ("active", "prospective", "paused"):
                next_on = next_meeting(cadence, latest or self.day(began))
            first, last = rng.choice(FIRST), rng.choice(LAST)
            created = self.moment(began)
            member_rows.append(
                [
                    mid,
                    1,
                    owner,
                    f"Dr. {first} {last} {number % 1000:03}",
                    f"{first.lower()}.{last.lower()}{number}@hospital.example",
                    rng.choice(TITLES),
                    rng.choice(DEPARTMENTS),
                    "We met on the wards during my first year." if rng.random() < 0.5 else "",
                    status,
                    next_on,
                    False,
                    None,
                    concluded_on,
                    rng.choice(["peer", "former_colleague"]) if concluded_on else "",
                    _json(rng.sample(SIGNS, 2) if concluded_on else []),
                    "We closed over coffee and agreed to stay in touch." if concluded_on else "",
                    created,
                    created,
                ]
            )
            aid = take(agreements)
            agreement = [
                aid,
                1,
                mid,
                rng.choice(GOALS),
                "My drafts on time and honest updates.",
                "Straight feedback and an hour a month.",
                cadence,
                self.day(rng.randint(-300, 200)),
                "When the dossier is submitted.",
                created,
                created,
            ]
            agreement_rows.append(agreement)
            history_rows.append([*agreement, created, "+"])
            held = [rng.choice(self.roles)]
            if rng.random() < 0.3:
                held.append(rng.choice([r for r in self.roles if r != held[0]]))
            for role in held:
                role_rows.append([take(roles), mid, role.pk, self.day(began), concluded_on])
            first_status = "prospective" if status == "prospective" else "active"
            change_rows.append([take(changes), mid, "", first_status, self.day(began), "", created])
            if status in ("paused", "concluded"):
                on = concluded_on or self.day(rng.randint(0, max(began - 1, 0)))
                change_rows.append([take(changes), mid, "active", status, on, "", created])
            for d in days:
                check_in_rows.append(
                    [
                        take(check_ins),
                        mid,
                        self.day(d),
                        rng.choice(FORMATS),
                        rng.choice(DISCUSSED),
                        rng.choice(NEXT_STEPS),
                        self.moment(d),
                    ]
                )
        for writer, rows, label in (
            (members, member_rows, "board members"),
            (agreements, agreement_rows, "agreements"),
            (history, history_rows, "agreement versions"),
            (roles, role_rows, "roles held"),
            (changes, change_rows, "status changes"),
            (check_ins, check_in_rows, "check-ins"),
        ):
            started = time.monotonic()
            writer.write(rows)
            self.step(label, writer, started)
        return {"boards": len(sizes)}

    def run(self) -> None:
        started = time.monotonic()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # The worksheets' snapshots are a few kB each: lz4 stores them several times faster than pglz.
                cursor.execute("SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'")
                if cursor.fetchone()[0]:
                    cursor.execute("SET LOCAL default_toast_compression = 'lz4'")
        combos = self.snapshots()  # before any row is copied: it saves through the ORM
        users = self.users()
        self.programs(users)
        self.worksheets(users, combos)
        self.boards(users)
        if connection.vendor == "postgresql":
            seeded = [User, Program, Membership, Worksheet, Worksheet.other_needs.through, BoardMember, Agreement]
            seeded += [Agreement.history.model, BoardRole, StatusChange, CheckIn]
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), seeded):
                    cursor.execute(sql)
                # Fresh statistics: without them the planner guesses a dozen rows where there are a
                # thousand and picks plans (and JIT compilation) that cost seconds.
                for model in seeded:
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
        self.out(f"  written in {time.monotonic() - started:.1f} s")


class Command(BaseCommand):
    help = "Seed a school-sized data set for benchmarks (development only; refuses when DEBUG is off)."

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=10_000)
        parser.add_argument("--worksheets", type=int, default=100_000)
        parser.add_argument("--boards", type=int, default=3_000)
        parser.add_argument("--members", type=int, default=20_000, help="People on boards, all boards together.")
        parser.add_argument("--check-ins", type=int, default=300_000)
        parser.add_argument("--programs", type=int, default=50)
        parser.add_argument("--big-board", type=int, default=1_000, help=f"People on {BOARD_OWNER}'s board.")
        parser.add_argument("--big-program", type=int, default=2_000, help=f"Members of {BIG_PROGRAM}.")
        parser.add_argument(
            "--board-owner-worksheets", type=int, default=500, help=f"Worksheets of {BOARD_OWNER} (of --worksheets)."
        )
        parser.add_argument("--seed", type=int, default=2026, help="Another number gives other (but fixed) data.")

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Refusing to seed scale data with DEBUG off: this is not a development site.")
        figures = Figures(**{field: options[field] for field in Figures.__dataclass_fields__})
        self.check_figures(figures)
        if User.objects.filter(username=BOARD_OWNER).exists():
            self.stdout.write(
                f"Scale data is already here ({BOARD_OWNER} exists); kept as it is. "
                "To seed again with other figures, start from an empty database."
            )
            return
        started = time.monotonic()
        with transaction.atomic():
            Seeder(figures, self.stdout.write).run()
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded in {time.monotonic() - started:.0f} s. Sign in as {BOARD_OWNER}, {DIRECTOR} or "
                f"{RESIDENT} with the password {DEMO_PASSWORD}."
            )
        )

    @staticmethod
    def check_figures(f: Figures) -> None:
        if f.users < f.programs + 3 or f.users < f.big_program + f.programs + 3:
            raise CommandError("--users must cover the programmes' directors and --big-program.")
        if f.boards < 2 or f.boards > f.users - 1:
            raise CommandError("--boards must be at least 2 (the big board and the resident's) and fewer than --users.")
        if f.members < f.big_board + 10 + (f.boards - 2):
            raise CommandError("--members must fill the big board, the resident's 10 and one person per other board.")
        if f.programs < 1 or min(f.worksheets, f.check_ins, f.big_board) < 0:
            raise CommandError("Figures must be positive, with at least one programme.")
