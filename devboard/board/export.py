"""A user's own data out of devboard: CSV and JSON exports of the board and worksheets."""

import csv
import io
import json

from django.db.models import Prefetch
from django.utils import timezone

from worksheets.models import Worksheet

from .models import Agreement, BoardMember, BoardRole, CheckIn


def _members(user):
    return (
        BoardMember.objects.for_owner(user)
        .select_related("agreement")
        .prefetch_related(
            Prefetch("board_roles", queryset=BoardRole.objects.select_related("role"), to_attr="all_roles"),
            "status_changes",
            "check_ins",
        )
        .order_by("name", "pk")
    )


def _worksheets(user):
    return (
        Worksheet.objects.filter(owner=user)
        .select_related("primary_need", "recommended_role", "chosen_role")
        .prefetch_related("other_needs")
        .order_by("created_at", "pk")
    )


def _roles(member: BoardMember) -> str:
    return "; ".join(role.name for role in member.current_roles())


# -- CSV ----------------------------------------------------------------------


def _cell(value) -> str:
    """Text as a spreadsheet will show it: never run as a formula."""
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv(header: list[str], rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return out.getvalue()


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


def members_csv(user) -> str:
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
                len(m.check_ins.all()),
            ]

    return _csv(MEMBER_HEADER, rows())


def check_ins_csv(user) -> str:
    check_ins = CheckIn.objects.filter(member__owner=user).select_related("member").order_by("member__name", "-held_on")
    return _csv(
        ["person", "date", "how we met", "what we discussed", "what I will do next"],
        ([c.member.name, c.held_on, c.get_format_display(), c.discussed, c.my_next_step] for c in check_ins),
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


def worksheets_csv(user) -> str:
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

    return _csv(WORKSHEET_HEADER, rows())


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


def as_json(user) -> str:
    data = {
        "exported_at": timezone.now().isoformat(),
        "user": user.username,
        "board": [_member_dict(m) for m in _members(user)],
        "worksheets": [_worksheet_dict(w) for w in _worksheets(user)],
    }
    return json.dumps(data, indent=2, ensure_ascii=False)
