"""A user's own data out of devboard: CSV and JSON exports of the board and worksheets.

Every export is a generator of text chunks, read from the database a few hundred rows at a time
(`.iterator(chunk_size=…)`, prefetches included), so a board of a thousand people and years of
check-ins stream out in constant memory and the first bytes leave at once.
"""

import csv
import json
from collections.abc import Iterable, Iterator
from itertools import islice

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from devboard.spreadsheet import safe_cell
from worksheets.models import Worksheet

from .models import Agreement, BoardMember, BoardRole, CheckIn

# Rows fetched per round trip; each chunk of members also brings its prefetched rows.
CHUNK = 200
# With every check-in and status change prefetched, 200 people can mean thousands of rows held at
# once; a smaller group keeps a worker's peak memory low while serving a board's whole history.
HISTORY_CHUNK = 50
# Text gathered before it is handed to the server: fewer, larger writes.
FLUSH_AT = 64 * 1024


def _members(user, *, with_history: bool = False):
    prefetches = [Prefetch("board_roles", queryset=BoardRole.objects.select_related("role"), to_attr="all_roles")]
    if with_history:
        prefetches += ["status_changes", "check_ins"]
    check_ins = CheckIn.objects.filter(member=OuterRef("pk")).values("member").annotate(n=Count("pk")).values("n")
    return _let_go(
        BoardMember.objects.for_owner(user)
        .select_related("agreement")
        .prefetch_related(*prefetches)
        .annotate(check_in_count=Coalesce(Subquery(check_ins, output_field=IntegerField()), 0))
        .order_by("name", "pk")
        .iterator(chunk_size=HISTORY_CHUNK if with_history else CHUNK)
    )


def _let_go(members: Iterator[BoardMember]) -> Iterator[BoardMember]:
    """Each member, and once it is written, the rows read with it let go.

    Those rows point back at their member, a cycle only the garbage collector frees: until it ran,
    a 1,000-person board's whole history piled up chunk after chunk (15 MB at the peak, against
    1.5 MB for one chunk).
    """
    for member in members:
        yield member
        member._prefetched_objects_cache = {}
        member._state.fields_cache = {}
        member.__dict__.pop("all_roles", None)


def _worksheets(user):
    return (
        Worksheet.objects.for_owner(user)
        .select_related("primary_need", "recommended_role", "chosen_role")
        .prefetch_related("other_needs")
        .defer("recommendation", "choice_warnings")  # the ranking snapshot is large and never exported
        .order_by("created_at", "pk")
        .iterator(chunk_size=CHUNK)
    )


def _chunked(pieces: Iterable[str]) -> Iterator[str]:
    buffer, size = [], 0
    for piece in pieces:
        buffer.append(piece)
        size += len(piece)
        if size >= FLUSH_AT:
            yield "".join(buffer)
            buffer, size = [], 0
    if buffer:
        yield "".join(buffer)


def _roles(member: BoardMember) -> str:
    return "; ".join(role.name for role in member.current_roles())


# -- CSV ----------------------------------------------------------------------


class _Line:
    """A file-like object whose write() hands back the line csv.writer formatted."""

    def write(self, text: str) -> str:
        return text


def _csv(header: list[str], rows) -> Iterator[str]:
    writer = csv.writer(_Line())
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow([safe_cell(value) for value in row])


MEMBER_HEADER = [
    "name",
    "email",
    "title",
    "institution or department",
    "how we know each other",
    "roles",
    "status",
    "stays on record as",
    "concluded on",
    "next check-in",
    "next check-in set by hand",
    "goals",
    "what I bring",
    "what I need",
    "cadence",
    "revisit goals on",
    "done when",
    "check-ins",
]


def members_csv(user) -> Iterator[str]:
    def rows():
        for m in _members(user):
            a = m.agreement_or_none() or Agreement()
            yield [
                m.name,
                m.email,
                m.title,
                m.institution,
                m.connection,
                _roles(m),
                m.get_status_display(),
                m.get_afterwards_display() if m.afterwards else "",
                m.concluded_on,
                m.next_check_in_on,
                "yes" if m.next_check_in_by_hand else "no",
                a.goals,
                a.i_bring,
                a.i_need,
                a.get_cadence_display() if a.pk else "",
                a.revisit_on,
                a.done_when,
                m.check_in_count,
            ]

    return _chunked(_csv(MEMBER_HEADER, rows()))


def _check_in_rows(user) -> Iterator[tuple]:
    """Each person's check-ins, latest first, the people in name order: (name, held_on, format, discussed, step).

    The people are walked by name (one cursor) and each group's check-ins are read through the
    (member, held_on DESC) index, so no query sorts the whole board's history before the first row.
    """
    people = BoardMember.objects.for_owner(user).order_by("name", "pk").values_list("pk", "name").iterator(CHUNK)
    while group := list(islice(people, CHUNK)):
        by_member = {pk: [] for pk, _ in group}
        check_ins = (
            CheckIn.objects.filter(member_id__in=by_member)
            .order_by("member_id", "-held_on", "-pk")
            .values_list("member_id", "held_on", "format", "discussed", "my_next_step")
        )
        for member_id, *rest in check_ins:
            by_member[member_id].append(rest)
        for pk, name in group:
            for rest in by_member.pop(pk):
                yield (name, *rest)


def check_ins_csv(user) -> Iterator[str]:
    formats = dict(CheckIn.Format.choices)
    return _chunked(
        _csv(
            ["person", "date", "how we met", "what we discussed", "what I will do next"],
            (
                [name, held_on, formats.get(how, how), discussed, step]
                for name, held_on, how, discussed, step in _check_in_rows(user)
            ),
        )
    )


WORKSHEET_HEADER = [
    "title",
    "status",
    "problem",
    "ideal outcome",
    "main need",
    "other needs",
    "recommended role",
    "chosen role",
    "questions to ask",
    "next step",
    "next step due",
    "created",
    "completed",
    "archived",
]


def worksheets_csv(user) -> Iterator[str]:
    def rows():
        for w in _worksheets(user):
            yield [
                w.display_title(),
                w.get_status_display(),
                w.problem,
                w.ideal_outcome,
                w.primary_need or "",
                "; ".join(n.name for n in w.other_needs.all()),
                w.recommended_role or "",
                w.chosen_role or "",
                w.questions_to_ask,
                w.next_step,
                w.next_step_due,
                w.created_at.isoformat(),
                w.completed_at.isoformat() if w.completed_at else "",
                w.archived_at.isoformat() if w.archived_at else "",
            ]

    return _chunked(_csv(WORKSHEET_HEADER, rows()))


# -- JSON ---------------------------------------------------------------------


def _date(value) -> str | None:
    return value.isoformat() if value else None


def _member_dict(m: BoardMember) -> dict:
    a = m.agreement_or_none()
    return {
        "name": m.name,
        "email": m.email,
        "title": m.title,
        "institution": m.institution,
        "connection": m.connection,
        "status": m.status,
        "stays_on_record_as": m.afterwards or None,
        "concluded_on": _date(m.concluded_on),
        "closing_signs": m.closing_signs,
        "closing_note": m.closing_note,
        "next_check_in": _date(m.next_check_in_on),
        "next_check_in_set_by_hand": m.next_check_in_by_hand,
        "roles": [
            {"role": br.role.slug, "from": _date(br.started_on), "until": _date(br.ended_on)} for br in m.all_roles
        ],
        "status_history": [
            {"from": s.from_status or None, "to": s.to_status, "on": _date(s.changed_on), "note": s.note}
            for s in m.status_changes.all()
        ],
        "agreement": None
        if a is None
        else {
            "goals": a.goals,
            "i_bring": a.i_bring,
            "i_need": a.i_need,
            "cadence": a.cadence,
            "revisit_on": _date(a.revisit_on),
            "done_when": a.done_when,
        },
        "check_ins": [
            {"date": _date(c.held_on), "how": c.format, "discussed": c.discussed, "next_step": c.my_next_step}
            for c in m.check_ins.all()
        ],
    }


def _worksheet_dict(w: Worksheet) -> dict:
    return {
        "title": w.display_title(),
        "status": w.status,
        "problem": w.problem,
        "ideal_outcome": w.ideal_outcome,
        "main_need": w.primary_need.slug if w.primary_need else None,
        "other_needs": [n.slug for n in w.other_needs.all()],
        "answers": w.answers,
        "recommended_role": w.recommended_role.slug if w.recommended_role else None,
        "chosen_role": w.chosen_role.slug if w.chosen_role else None,
        "questions_to_ask": w.question_list(),
        "next_step": w.next_step,
        "next_step_due": _date(w.next_step_due),
        "created_at": w.created_at.isoformat(),
        "completed_at": w.completed_at.isoformat() if w.completed_at else None,
        "archived_at": w.archived_at.isoformat() if w.archived_at else None,
    }


def _items(objects, to_dict) -> Iterator[str]:
    """A JSON array's items, each indented as json.dumps(indent=2) would place it one level down."""
    for n, obj in enumerate(objects):
        text = json.dumps(to_dict(obj), indent=2, ensure_ascii=False).replace("\n", "\n    ")
        yield ("," if n else "") + "\n    " + text


def as_json(user) -> Iterator[str]:
    """One JSON document, written piece by piece: {"exported_at", "user", "board": [...], "worksheets": [...]}."""

    def pieces():
        yield "{\n"
        yield f'  "exported_at": {json.dumps(timezone.now().isoformat())},\n'
        yield f'  "user": {json.dumps(user.username, ensure_ascii=False)},\n'
        yield '  "board": ['
        yield from _items(_members(user, with_history=True), _member_dict)
        yield '\n  ],\n  "worksheets": ['
        yield from _items(_worksheets(user), _worksheet_dict)
        yield "\n  ]\n}\n"

    return _chunked(pieces())
