import calendar
import datetime
import re
import secrets
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Case, Count, F, OuterRef, Q, Subquery, Sum, Value, When, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Least, RowNumber
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from devboard import pagecache
from devboard.reversing import address

if TYPE_CHECKING:
    from roles.models import Role


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day when it is shorter (31 Jan + 1 → 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class Cadence(models.TextChoices):
    WEEKLY = "weekly", "Every week"
    FORTNIGHTLY = "fortnightly", "Every two weeks"
    MONTHLY = "monthly", "Every month"
    BIMONTHLY = "bimonthly", "Every two months"
    QUARTERLY = "quarterly", "Every three months"
    TWICE_A_YEAR = "twice_a_year", "Twice a year"
    AS_NEEDED = "as_needed", "When one of us asks"


# (days, months) to the next meeting; "as needed" has no next date.
CADENCE_STEPS = {
    Cadence.WEEKLY: (7, 0),
    Cadence.FORTNIGHTLY: (14, 0),
    Cadence.MONTHLY: (0, 1),
    Cadence.BIMONTHLY: (0, 2),
    Cadence.QUARTERLY: (0, 3),
    Cadence.TWICE_A_YEAR: (0, 6),
}


def next_meeting(cadence: str, after: datetime.date) -> datetime.date | None:
    if cadence not in CADENCE_STEPS:
        return None
    days, months = CADENCE_STEPS[cadence]
    return add_months(after, months) + datetime.timedelta(days=days)


class StaleEdit(Exception):
    """Someone saved the object after this form was opened."""


class VersionedModel(models.Model):
    """Optimistic concurrency: every form carries the version it was opened at."""

    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True

    def save_if_current(self, expected_version: int, fields: list[str]) -> None:
        """Save `fields` only if nobody saved since `expected_version`; raise StaleEdit otherwise."""
        with transaction.atomic():
            saved = type(self).objects.select_for_update().filter(pk=self.pk).values_list("version", flat=True).first()
            if saved != expected_version:
                raise StaleEdit
            self.version = expected_version + 1
            self.save(update_fields=[*fields, "version"])


_COMPILED: dict[tuple, RawSQL] = {}


def compiled_once(members: models.QuerySet, name: tuple, subquery: Callable[[], models.QuerySet]) -> RawSQL:
    """A subquery giving a column for each board member, compiled to SQL once per process.

    Django compiles an annotation again wherever a filter, a window, an ordering or an aggregate
    mentions it, and the board's queries mention theirs up to twelve times each: building and
    compiling them took a third of the board page's time. `name` says what the SQL depends on; the
    SQL names the member by the base table, as every query of board members does.
    """
    key = (members.db, *name)
    if key not in _COMPILED:
        query = members.model._base_manager.annotate(column=Subquery(subquery())).query
        sql, params = query.get_compiler(using=members.db).compile(query.annotations["column"])
        _COMPILED[key] = RawSQL(sql, tuple(params), output_field=query.annotations["column"].output_field)
    return _COMPILED[key]


class MemberOwnedQuerySet(models.QuerySet):
    """For rows that belong to a board member: they are their owner's through the member."""

    def for_owner(self, user):
        return self.filter(member__owner=user)


class BoardMemberQuerySet(models.QuerySet):
    def for_owner(self, user):
        return self.filter(owner=user)

    def open(self):
        """Relationships that can still be due for something: prospective and active ones."""
        return self.filter(status__in=BoardMember.OPEN_STATUSES)

    def current(self):
        return self.exclude(status=BoardMember.Status.CONCLUDED)

    def holding(self, role):
        return self.filter(board_roles__role=role, board_roles__ended_on__isnull=True).distinct()

    def check_in_due(self, today: datetime.date):
        return self.open().filter(next_check_in_on__lte=today)

    def revisit_due(self, today: datetime.date):
        return self.open().filter(agreement__revisit_on__lte=today)

    def with_attention_dates(self):
        """What up next and the review prompt need, as subqueries: the latest check-in, when it was last
        paused and when the goals are due for a revisit. One index probe each per person, where a join with
        the agreements would have PostgreSQL read every agreement of every board (docs/performance.md,
        finding 2)."""
        return self.annotate(
            last_check_in_on=compiled_once(
                self,
                ("latest check-in",),
                lambda: CheckIn.objects.filter(member=OuterRef("pk")).order_by("-held_on").values("held_on")[:1],
            ),
            paused_since=compiled_once(
                self,
                ("paused since",),
                lambda: (
                    StatusChange.objects.filter(member=OuterRef("pk"), to_status=BoardMember.Status.PAUSED)
                    .order_by("-changed_on", "-pk")
                    .values("changed_on")[:1]
                ),
            ),
            revisit_on=compiled_once(
                self,
                ("revisit on",),
                lambda: Agreement.objects.filter(member=OuterRef("pk")).values("revisit_on")[:1],
            ),
        )

    def with_dates(self):
        """The attention dates, and when the relationship became active."""
        began = compiled_once(
            self,
            ("active since",),
            lambda: (
                StatusChange.objects.filter(member=OuterRef("pk"), to_status=BoardMember.Status.ACTIVE)
                .order_by("changed_on")
                .values("changed_on")[:1]
            ),
        )
        return self.with_attention_dates().annotate(active_since=began)

    def for_board_page(self):
        """What the board's list shows of each person, but their roles (attach_roles(), once read)."""
        shown = ("name", "title", "institution", "status", "afterwards", "concluded_on", "next_check_in_on")
        return self.with_dates().only(*shown)

    def for_member_page(self):
        """One member with their agreement, dates and number of check-ins, in one query."""
        check_ins = (
            CheckIn.objects.filter(member=OuterRef("pk"))
            .order_by()
            .values("member")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.with_dates().select_related("agreement").annotate(check_in_count=Coalesce(Subquery(check_ins), 0))


class BoardMember(VersionedModel):
    class Status(models.TextChoices):
        PROSPECTIVE = "prospective", "Prospective"
        ACTIVE = "active", "Active"
        PAUSED = "paused", "Paused"
        CONCLUDED = "concluded", "Concluded"

    class Afterwards(models.TextChoices):
        PEER = "peer", "A valued peer"
        FORMER_COLLEAGUE = "former_colleague", "A former colleague"

    class Sign(models.TextChoices):
        ANSWERED = "answered", "The questions I brought to them have been answered"
        POSITION = "position", "Their position no longer brings the support I need"
        GOAL_MET = "goal_met", "The goal we set out to reach has been met"
        DAMAGED = "damaged", "The relationship has been damaged"

    OPEN_STATUSES = [Status.PROSPECTIVE, Status.ACTIVE]
    # Which status may follow which. Concluding goes through the closing step (conclude()), never set_status().
    TRANSITIONS = {
        Status.PROSPECTIVE: [Status.ACTIVE],
        Status.ACTIVE: [Status.PAUSED],
        Status.PAUSED: [Status.ACTIVE],
        Status.CONCLUDED: [],
    }
    # After this long without a check-in (or paused), the board suggests reviewing the relationship.
    QUIET_DAYS = 180
    PAUSED_DAYS = 90
    REVIEW_SNOOZE_DAYS = 90

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="board_members")
    name = models.CharField(max_length=120)
    email = models.EmailField(blank=True)
    title = models.CharField(max_length=120, blank=True, help_text="E.g. Associate Professor of Medicine.")
    institution = models.CharField("Institution or department", max_length=160, blank=True)
    connection = models.TextField("How we know each other", max_length=1000, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PROSPECTIVE)
    next_check_in_on = models.DateField("Next check-in", null=True, blank=True)
    next_check_in_by_hand = models.BooleanField(default=False)
    last_reviewed_on = models.DateField(null=True, blank=True)
    concluded_on = models.DateField(null=True, blank=True)
    afterwards = models.CharField("They stay on my record as", max_length=20, choices=Afterwards.choices, blank=True)
    closing_signs = models.JSONField(default=list, blank=True)
    closing_note = models.TextField(max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = BoardMemberQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["owner", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["prospective", "active", "paused", "concluded"]),
                name="board_member_status_valid",
            ),
            # A concluded relationship always has its end date and what the person became; an open one has neither.
            models.CheckConstraint(
                condition=(Q(status="concluded") & Q(concluded_on__isnull=False) & ~Q(afterwards=""))
                | (~Q(status="concluded") & Q(concluded_on__isnull=True) & Q(afterwards="")),
                name="board_member_concluded_has_date_and_afterwards",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return address("board:member").format(self.pk)

    def initials(self) -> str:
        """Two letters for the board picture: first and last word of the name, titles like "Dr." left out."""
        words = [w for w in self.name.replace(".", ". ").split() if not w.endswith(".") and w[:1].isalpha()]
        words = words or self.name.split()
        if not words:
            return "?"
        letters = words[0][0] + (words[-1][0] if len(words) > 1 else "")
        return letters.upper()

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def is_concluded(self) -> bool:
        return self.status == self.Status.CONCLUDED

    def allowed_transitions(self) -> list[str]:
        return list(self.TRANSITIONS[self.status])

    def current_roles(self) -> list["Role"]:
        """Roles held now. Uses the board page's prefetch when it is there."""
        if hasattr(self, "all_roles"):
            return [br.role for br in self.all_roles if br.ended_on is None]
        return [
            br.role
            for br in self.board_roles.filter(ended_on__isnull=True).select_related("role").order_by("role__order")
        ]

    def load_roles(self, limit: int = 50) -> list["BoardRole"]:
        """Read the roles held and let go in one query, for current_roles() and past_roles().

        Current roles come first, then the most recently ended, up to `limit` rows of history."""
        rows = self.board_roles.select_related("role").order_by(
            F("ended_on").desc(nulls_first=True), "-started_on", "-pk"
        )[:limit]
        self.all_roles = sorted(rows, key=lambda br: (br.role.order, br.started_on))
        return self.all_roles

    def past_roles(self) -> list["BoardRole"]:
        if hasattr(self, "all_roles"):
            return [br for br in self.all_roles if br.ended_on is not None]
        return list(self.board_roles.filter(ended_on__isnull=False).select_related("role").order_by("role__order"))

    def agreement_or_none(self) -> "Agreement | None":
        try:
            return self.agreement
        except Agreement.DoesNotExist:
            return None

    @classmethod
    def add(
        cls,
        *,
        owner,
        roles,
        status: str = Status.PROSPECTIVE,
        afterwards: str = "",
        on: datetime.date | None = None,
        **details,
    ) -> "BoardMember":
        """Put someone on the board; their first status and roles start the history."""
        on = on or timezone.localdate()
        concluded = status == cls.Status.CONCLUDED
        with transaction.atomic():
            member = cls.objects.create(
                owner=owner,
                status=status,
                concluded_on=on if concluded else None,
                afterwards=afterwards if concluded else "",
                **details,
            )
            StatusChange.objects.create(member=member, from_status="", to_status=status, changed_on=on)
            BoardRole.objects.bulk_create(
                [
                    BoardRole(member=member, role=role, started_on=on, ended_on=on if concluded else None)
                    for role in roles
                ]
            )
        return member

    # -- status -------------------------------------------------------------

    def _record_status(self, new: str, on: datetime.date, note: str = "") -> None:
        StatusChange.objects.create(member=self, from_status=self.status, to_status=new, changed_on=on, note=note)
        self.status = new

    def set_status(self, new: str, on: datetime.date | None = None) -> None:
        if new not in self.allowed_transitions():
            raise ValidationError(
                f"A {self.get_status_display().lower()} relationship cannot become {self.Status(new).label.lower()}."
            )
        on = on or timezone.localdate()
        with transaction.atomic():
            self._record_status(new, on)
            self.save(update_fields=["status", "updated_at"])

    def conclude(self, *, afterwards: str, signs: list[str], note: str = "", on: datetime.date | None = None) -> None:
        if self.is_concluded:
            raise ValidationError("This relationship is already concluded.")
        on = on or timezone.localdate()
        with transaction.atomic():
            self._record_status(self.Status.CONCLUDED, on, note=note)
            self.board_roles.filter(ended_on__isnull=True).update(ended_on=on)
            self.concluded_on = on
            self.afterwards = afterwards
            self.closing_signs = list(signs)
            self.closing_note = note
            self.next_check_in_on = None
            self.next_check_in_by_hand = False
            self.save()

    # -- roles --------------------------------------------------------------

    def save_details(self, expected_version: int, fields: list[str], roles=None) -> None:
        """Save edited `fields` (and `roles`, when given) as opened at `expected_version`, or raise StaleEdit."""
        with transaction.atomic():
            self.save_if_current(expected_version, [*fields, "updated_at"])
            if roles is not None:
                self.set_roles(roles)

    def set_roles(self, roles, on: datetime.date | None = None) -> None:
        """Hold exactly `roles` from now on; roles let go keep their dates as history."""
        on = on or timezone.localdate()
        wanted = {role.pk for role in roles}
        held = dict(self.board_roles.filter(ended_on__isnull=True).values_list("role_id", "pk"))
        self.board_roles.filter(pk__in=[pk for role_id, pk in held.items() if role_id not in wanted]).update(
            ended_on=on
        )
        BoardRole.objects.bulk_create(
            [BoardRole(member=self, role_id=role_id, started_on=on) for role_id in wanted - held.keys()]
        )
        pagecache.bump(("user", self.owner_id))  # a bulk update sends no signal

    def add_role(self, role, on: datetime.date | None = None) -> bool:
        """Start holding `role` unless already held; True if it was added."""
        if self.board_roles.filter(role=role, ended_on__isnull=True).exists():
            return False
        BoardRole.objects.create(member=self, role=role, started_on=on or timezone.localdate())
        return True

    # -- check-ins ----------------------------------------------------------

    def follow_cadence(self, today: datetime.date | None = None) -> None:
        """Set the next check-in from the agreement's cadence, counted from the latest check-in (or today)."""
        agreement = self.agreement_or_none()
        latest = self.check_ins.order_by("-held_on").values_list("held_on", flat=True).first()
        base = latest or today or timezone.localdate()
        self.next_check_in_on = next_meeting(agreement.cadence, base) if agreement else None
        self.next_check_in_by_hand = False

    def set_next_check_in(self, day: datetime.date | None) -> None:
        """A date set by hand holds until the next check-in is logged; None goes back to the cadence."""
        if day is None:
            self.follow_cadence()
        else:
            self.next_check_in_on = day
            self.next_check_in_by_hand = True
        self.save(update_fields=["next_check_in_on", "next_check_in_by_hand", "updated_at"])

    def log_check_in(self, check_in: "CheckIn", next_on: datetime.date | None = None) -> "CheckIn":
        with transaction.atomic():
            check_in.member = self
            check_in.save()
            if next_on:
                self.next_check_in_on, self.next_check_in_by_hand = next_on, True
            elif not self.is_concluded:
                self.follow_cadence()
            self.save(update_fields=["next_check_in_on", "next_check_in_by_hand", "updated_at"])
        return check_in

    # -- what needs attention ----------------------------------------------

    def is_check_in_overdue(self, today: datetime.date) -> bool:
        return self.is_open and self.next_check_in_on is not None and self.next_check_in_on <= today

    def revisit_goals_on(self) -> datetime.date | None:
        """When the agreement's goals are due for a revisit, if there is an agreement and a date."""
        if hasattr(self, "revisit_on"):  # annotated by with_attention_dates()
            return self.revisit_on
        agreement = self.agreement_or_none()
        return agreement.revisit_on if agreement else None

    def is_revisit_due(self, today: datetime.date) -> bool:
        revisit_on = self.revisit_goals_on()
        return self.is_open and revisit_on is not None and revisit_on <= today

    def latest_check_in_on(self) -> datetime.date | None:
        if hasattr(self, "last_check_in_on"):  # annotated by with_attention_dates()
            return self.last_check_in_on
        return self.check_ins.order_by("-held_on").values_list("held_on", flat=True).first()

    def paused_since_on(self) -> datetime.date | None:
        if hasattr(self, "paused_since"):  # annotated by with_attention_dates()
            return self.paused_since
        change = self.status_changes.filter(to_status=self.Status.PAUSED).order_by("-changed_on", "-pk").first()
        return change.changed_on if change else None

    def review_reasons(self, today: datetime.date) -> list[str]:
        """Why this relationship may have run its course (empty when nothing suggests it)."""
        if self.status not in (self.Status.ACTIVE, self.Status.PAUSED):
            return []
        if self.last_reviewed_on and (today - self.last_reviewed_on).days < self.REVIEW_SNOOZE_DAYS:
            return []
        reasons = []
        if self.status == self.Status.PAUSED:
            paused_on = self.paused_since_on()
            if paused_on and (today - paused_on).days >= self.PAUSED_DAYS:
                reasons.append(f"It has been paused since {paused_on:%-d %B %Y}.")
        else:
            last = self.latest_check_in_on()
            if last and (today - last).days >= self.QUIET_DAYS:
                reasons.append(f"You have not checked in since {last:%-d %B %Y}.")
        revisit_on = self.revisit_goals_on()
        if revisit_on and (today - revisit_on).days >= 30:
            reasons.append(f"The goals were due for a revisit on {revisit_on:%-d %B %Y} and are still open.")
        return reasons

    def mark_reviewed(self, on: datetime.date | None = None) -> None:
        self.last_reviewed_on = on or timezone.localdate()
        self.save(update_fields=["last_reviewed_on", "updated_at"])

    def closing_sign_labels(self) -> list[str]:
        return [self.Sign(s).label for s in self.closing_signs if s in self.Sign.values]


def attach_roles(members: list[BoardMember]) -> list[BoardMember]:
    """Each member's roles, held and let go, as the `all_roles` current_roles() and past_roles() read.

    One query of plain values: a prefetch built a role and a board role from full rows for every
    role held, a tenth of the board page's time. Only the fields the board shows are read; any
    other is read from the database if asked for.
    """
    from roles.models import Role

    found: dict[int, list[BoardRole]] = {member.pk: [] for member in members}
    roles: dict[int, Role] = {}
    rows = (
        BoardRole.objects.filter(member__in=list(found))
        .order_by("role__order", "started_on", "pk")
        .values_list("pk", "member_id", "started_on", "ended_on", "role_id", "role__slug", "role__name", "role__order")
    )
    for pk, member_id, started_on, ended_on, *role in rows if found else []:
        if role[0] not in roles:
            roles[role[0]] = Role.from_db(rows.db, ["id", "slug", "name", "order"], role)
        # from_db takes the values in the model's field order
        held = BoardRole.from_db(
            rows.db,
            ["id", "member_id", "role_id", "started_on", "ended_on"],
            [pk, member_id, role[0], started_on, ended_on],
        )
        held.role = roles[role[0]]
        found[member_id].append(held)
    for member in members:
        member.all_roles = found[member.pk]
    return members


def board_coverage(members: list[BoardMember], roles: list["Role"]) -> list[dict]:
    """For each role: the active members holding it, and the others (prospective or paused) who do."""
    coverage = []
    for role in roles:
        holders = [m for m in members if not m.is_concluded and role in m.current_roles()]
        active = [m for m in holders if m.status == BoardMember.Status.ACTIVE]
        coverage.append({"role": role, "active": active, "others": [m for m in holders if m not in active]})
    return coverage


# The four seats sit around the owner: top, right, bottom, left, in the guide's order of roles.
# Two seats next to each other share a corner, where someone holding both sits once.
SEAT_CORNERS = {(0, 1): "top-right", (1, 2): "bottom-right", (2, 3): "bottom-left", (0, 3): "top-left"}
# How many people the picture draws in one seat, corner or the band across; the rest are "+N more".
SEAT_PEOPLE = 8
UP_NEXT_DAYS = 14
UP_NEXT_ITEMS = 10
FAR_FUTURE = datetime.date(9999, 12, 31)


def _seat_masks(members: "BoardMemberQuerySet", roles: list["Role"]) -> RawSQL:
    """Each member's current roles among `roles` as a bit mask (bit i for roles[i])."""
    bits = {role.pk: 1 << i for i, role in enumerate(roles)}
    return compiled_once(
        members,
        ("seat mask", *bits),
        lambda: (
            BoardRole.objects.filter(member=OuterRef("pk"), ended_on__isnull=True, role_id__in=bits)
            .order_by()
            .values("member")
            .annotate(mask=Sum(Case(*[When(role_id=pk, then=Value(bit)) for pk, bit in bits.items()], default=0)))
            .values("mask")
        ),
    )


def board_seats(members: BoardMemberQuerySet, roles: list["Role"], per_seat: int = SEAT_PEOPLE) -> dict:
    """The board as a picture: a seat per role around the owner, each person drawn once.

    Someone holding one role sits in its seat; someone holding two neighbouring roles sits in the
    corner between them; anyone else holding several roles sits in a band across the board.
    A seat is covered when an active person holds it, wherever that person is drawn.
    People holding the same roles share a spot; one query reads the first `per_seat` of each spot
    by name, with the spot's size and how many in it are active.
    """
    seats = [
        {"role": role, "position": i, "people": [], "more": 0, "covered": False, "held": False}
        for i, role in enumerate(roles)
    ]
    picture = {"seats": seats, "corners": [], "across": [], "across_more": 0}
    if not roles:
        return picture
    by_mask = F("mask")
    rows = (
        members.current()
        .annotate(mask=_seat_masks(members, roles))
        .annotate(
            place=Window(RowNumber(), partition_by=by_mask, order_by=[F("name").asc(), F("pk").asc()]),
            spot_size=Window(Count("pk"), partition_by=by_mask),
            spot_active=Window(
                Sum(Case(When(status=BoardMember.Status.ACTIVE, then=1), default=0)), partition_by=by_mask
            ),
        )
        .filter(place__lte=per_seat)
        .only("pk", "owner_id", "name", "status")
        .order_by("mask", "place")
    )
    corners: dict[str, dict] = {}
    across = []
    for member in rows:
        if not member.mask:  # holds none of the published roles: not in the picture
            continue
        held = [i for i in range(len(roles)) if member.mask >> i & 1]
        shown_more = member.spot_size - min(member.spot_size, per_seat) if member.place == 1 else 0
        for i in held:
            seats[i]["held"] = True
            seats[i]["covered"] = seats[i]["covered"] or member.spot_active > 0
        corner = SEAT_CORNERS.get(tuple(held)) if len(roles) == 4 else None
        if len(held) == 1:
            seats[held[0]]["people"].append(member)
            seats[held[0]]["more"] += shown_more
        elif corner:
            spot = corners.setdefault(
                corner, {"name": corner, "roles": [roles[i] for i in held], "people": [], "more": 0}
            )
            spot["people"].append(member)
            spot["more"] += shown_more
        else:
            across.append({"member": member, "roles": [roles[i] for i in held]})
            picture["across_more"] += shown_more
    # The band across gathers several spots: it too draws the first `per_seat` by name.
    across.sort(key=lambda spot: (spot["member"].name, spot["member"].pk))
    picture["across_more"] += len(across[per_seat:])
    picture["across"] = across[:per_seat]
    picture["corners"] = [corners[name] for name in SEAT_CORNERS.values() if name in corners]
    return picture


# What needs the owner's attention, as conditions the database can count and sort by. They say in SQL what
# is_check_in_overdue(), is_revisit_due() and review_reasons() say for one member; they need
# with_attention_dates().


def _check_in_by(day: datetime.date) -> Q:
    return Q(status__in=BoardMember.OPEN_STATUSES, next_check_in_on__lte=day)


def _revisit_due(today: datetime.date) -> Q:
    return Q(status__in=BoardMember.OPEN_STATUSES, revisit_on__lte=today)


def _review_due(today: datetime.date) -> Q:
    def ago(days: int) -> datetime.date:
        return today - datetime.timedelta(days=days)

    return (
        Q(status__in=[BoardMember.Status.ACTIVE, BoardMember.Status.PAUSED])
        & (Q(last_reviewed_on__isnull=True) | Q(last_reviewed_on__lte=ago(BoardMember.REVIEW_SNOOZE_DAYS)))
        & (
            Q(status=BoardMember.Status.PAUSED, paused_since__lte=ago(BoardMember.PAUSED_DAYS))
            | Q(status=BoardMember.Status.ACTIVE, last_check_in_on__lte=ago(BoardMember.QUIET_DAYS))
            | Q(revisit_on__lte=ago(30))
        )
    )


def board_counts(members: BoardMemberQuerySet, today: datetime.date, query: str = "") -> dict[str, int]:
    """In one query: everyone, each status, each status among those whose name matches `query`, and
    the number of things up next."""
    soon = today + datetime.timedelta(days=UP_NEXT_DAYS)
    statuses = BoardMember.Status.values
    counts = members.with_attention_dates().aggregate(
        total=Count("pk"),
        **{status: Count("pk", filter=Q(status=status)) for status in statuses},
        **{
            f"{status}_found": Count("pk", filter=Q(status=status, name__icontains=query))
            for status in (statuses if query else [])
        },
        up_next=Count("pk", filter=_check_in_by(soon))
        + Count("pk", filter=_revisit_due(today))
        + Count("pk", filter=_review_due(today)),
    )
    if not query:
        counts.update({f"{status}_found": counts[status] for status in statuses})
    return counts


def attention_items(member: BoardMember, today: datetime.date, soon: datetime.date) -> list[dict]:
    items = []
    if member.is_open and member.next_check_in_on and member.next_check_in_on <= soon:
        due = member.next_check_in_on <= today
        items.append({"kind": "check_in", "member": member, "on": member.next_check_in_on, "due": due})
    if member.is_revisit_due(today):
        items.append({"kind": "revisit", "member": member, "on": member.revisit_goals_on(), "due": True})
    reasons = member.review_reasons(today)
    if reasons:
        items.append({"kind": "review", "member": member, "on": None, "due": True, "reason": reasons[0]})
    return items


def up_next(
    members: BoardMemberQuerySet, today: datetime.date, days_ahead: int = UP_NEXT_DAYS, limit: int = UP_NEXT_ITEMS
) -> list[dict]:
    """What to do next on the board, soonest first: check-ins due or coming up, revisits, reviews.

    The database sorts the people by the date of their most pressing item (what is due falls on or
    before today, what is coming up after it) and hands over the first `limit`; the first `limit`
    items are among theirs. People with nothing to do sort last and bring no item.
    """
    soon = today + datetime.timedelta(days=days_ahead)

    def on_when(condition: Q, day) -> Case:
        return Case(When(condition, then=day), default=Value(FAR_FUTURE), output_field=models.DateField())

    people = (
        members.with_attention_dates()
        .annotate(
            first_on=Least(
                on_when(_check_in_by(soon), F("next_check_in_on")),
                on_when(_revisit_due(today), F("revisit_on")),
                on_when(_review_due(today), Value(today)),
            ),
        )
        .order_by("first_on", "name", "pk")[:limit]
    )
    items = [item for member in people for item in attention_items(member, today, soon)]
    return sorted(items, key=lambda item: (item["on"] or today, item["member"].name))[:limit]


class BoardRole(models.Model):
    """A role a member holds (or held) for the owner, with its dates."""

    member = models.ForeignKey(BoardMember, on_delete=models.CASCADE, related_name="board_roles")
    role = models.ForeignKey("roles.Role", on_delete=models.PROTECT, related_name="+")
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    objects = MemberOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["started_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "role"], condition=Q(ended_on__isnull=True), name="board_role_held_once"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="board_role_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} as {self.role}"


class StatusChange(models.Model):
    member = models.ForeignKey(BoardMember, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=12, choices=BoardMember.Status.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=BoardMember.Status.choices)
    changed_on = models.DateField()
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MemberOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["changed_on", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.member}: {self.from_status or 'new'} → {self.to_status} on {self.changed_on}"


class Agreement(VersionedModel):
    """What both sides said they would bring and need, revisited over time."""

    member = models.OneToOneField(BoardMember, on_delete=models.CASCADE, related_name="agreement")
    goals = models.TextField("Our goals", max_length=3000, blank=True)
    i_bring = models.TextField("What I bring", max_length=2000, blank=True)
    i_need = models.TextField("What I need from them", max_length=2000, blank=True)
    cadence = models.CharField("How often we meet", max_length=20, choices=Cadence.choices, default=Cadence.MONTHLY)
    revisit_on = models.DateField("When we revisit the goals", null=True, blank=True)
    done_when = models.TextField("How we will know it is done", max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    EDITABLE = ["goals", "i_bring", "i_need", "cadence", "revisit_on", "done_when"]

    objects = MemberOwnedQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Agreement with {self.member}"

    def save_version(self, expected_version: int, previous_cadence: str | None) -> None:
        """Save this agreement as opened at `expected_version` (0 for a new one), or raise StaleEdit.

        A changed cadence moves the next check-in, unless that date was set by hand.
        """
        with transaction.atomic():
            if self._state.adding:
                if expected_version != 0:
                    raise StaleEdit
                self.version = 1
                try:
                    with transaction.atomic():
                        self.save()
                except IntegrityError:  # another tab created it at the same moment
                    raise StaleEdit from None
            else:
                self.save_if_current(expected_version, self.EDITABLE + ["updated_at"])
            member = self.member
            if self.cadence != previous_cadence and not member.next_check_in_by_hand and not member.is_concluded:
                member.agreement = self
                member.follow_cadence()
                member.save(update_fields=["next_check_in_on", "next_check_in_by_hand", "updated_at"])


@receiver(post_delete, sender=Agreement)
def _forget_agreement_history(sender, instance, **kwargs):
    # Removing someone from a board removes what was agreed with them, earlier versions included.
    Agreement.history.filter(id=instance.pk).delete()


class CheckIn(models.Model):
    class Format(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        VIDEO = "video", "Video call"
        PHONE = "phone", "Phone"
        MESSAGE = "message", "Email or messages"
        OTHER = "other", "Another way"

    member = models.ForeignKey(BoardMember, on_delete=models.CASCADE, related_name="check_ins")
    held_on = models.DateField("Date")
    format = models.CharField("How we met", max_length=12, choices=Format.choices, default=Format.IN_PERSON)
    discussed = models.TextField("What we discussed", max_length=4000, blank=True)
    my_next_step = models.TextField("What I will do next", max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MemberOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["member", "-held_on"])]

    def __str__(self) -> str:
        return f"{self.member} on {self.held_on}"


class WorksheetLink(models.Model):
    """A worksheet's chosen role, put in the hands of someone on the board."""

    worksheet = models.ForeignKey("worksheets.Worksheet", on_delete=models.CASCADE, related_name="board_links")
    member = models.ForeignKey(BoardMember, on_delete=models.CASCADE, related_name="worksheet_links")
    role = models.ForeignKey("roles.Role", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MemberOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["worksheet", "member", "role"], name="worksheet_link_once"),
        ]

    def __str__(self) -> str:
        return f"{self.worksheet} → {self.member} ({self.role})"


class CalendarFeed(models.Model):
    """The secret address of a user's check-in calendar; resetting it makes the old address stop working."""

    owner = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Calendar feed of {self.owner}"

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)

    @staticmethod
    def looks_like_token(value: str) -> bool:
        """Whether `value` could be an address made by new_token() (URL-safe base64, 43 characters)."""
        return re.fullmatch(r"[A-Za-z0-9_-]{43}", value) is not None

    @classmethod
    def for_user(cls, user) -> "CalendarFeed":
        feed, _ = cls.objects.get_or_create(owner=user, defaults={"token": cls.new_token()})
        return feed

    def reset(self) -> None:
        self.token = self.new_token()
        self.created_at = timezone.now()
        self.save(update_fields=["token", "created_at"])

    def private_path(self) -> str:
        """The secret address of the feed. Not get_absolute_url: the admin would offer it to staff."""
        return reverse("board:feed", args=[self.token])


class Reminder(models.Model):
    """One reminder, claimed before its email goes out and marked sent after
    (devboard/board/reminders.py); the unique constraint keeps it from going out twice."""

    class Kind(models.TextChoices):
        CHECK_IN = "check_in", "Check-in due"
        REVISIT = "revisit", "Goals due for a revisit"

    member = models.ForeignKey(BoardMember, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    due_on = models.DateField()
    claimed_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Empty while the email is on its way, or if "
        "the database lost the news that it left: such a reminder is not sent again.",
    )

    objects = MemberOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-claimed_at"]
        constraints = [models.UniqueConstraint(fields=["member", "kind", "due_on"], name="reminder_sent_once")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.member} ({self.due_on})"


class ShareQuerySet(models.QuerySet):
    def for_owner(self, user):
        return self.filter(worksheet__owner=user)

    def live(self, now: datetime.datetime | None = None):
        return self.filter(revoked_at__isnull=True, expires_at__gt=now or timezone.now())


class Share(models.Model):
    """A private, read-only link to one worksheet (and, if chosen, the agreement) for one person on the board.

    Anyone holding the link can read it without signing in until it expires or is revoked.
    """

    class Length(models.IntegerChoices):
        WEEK = 7, "7 days"
        MONTH = 30, "30 days"
        QUARTER = 90, "90 days"

    worksheet = models.ForeignKey("worksheets.Worksheet", on_delete=models.CASCADE, related_name="shares")
    member = models.ForeignKey(BoardMember, on_delete=models.CASCADE, related_name="shares")
    with_agreement = models.BooleanField("Include our agreement", default=False)
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ShareQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.worksheet} shared with {self.member}"

    @classmethod
    def create(cls, *, worksheet, member: BoardMember, days: int, with_agreement: bool = False) -> "Share":
        if worksheet.owner_id != member.owner_id:
            raise ValidationError("A worksheet can only be shared with someone on its owner's board.")
        if days not in cls.Length.values:
            raise ValidationError(f"A link lasts {', '.join(cls.Length.labels)}.")
        expires_at = timezone.now() + datetime.timedelta(days=days)
        with transaction.atomic():
            # One live link per worksheet and person: sharing again (or a double click) renews it.
            BoardMember.objects.select_for_update().filter(pk=member.pk).exists()
            live = cls.objects.live().filter(worksheet=worksheet, member=member).first()
            if live is not None:
                live.expires_at, live.with_agreement = expires_at, with_agreement
                live.save(update_fields=["expires_at", "with_agreement"])
                return live
            return cls.objects.create(
                worksheet=worksheet,
                member=member,
                with_agreement=with_agreement,
                token=secrets.token_urlsafe(32),
                expires_at=expires_at,
            )

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])

    def private_path(self) -> str:
        """The secret address. Not get_absolute_url, which the admin would offer to staff."""
        return reverse("shared", args=[self.token])
