"""Seed a benchmark database: one faculty member with 200 people on the board and 50 worksheets.

Prints the session key of that user and the ids the benchmark requests.
"""

import datetime
import json

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone

from devboard.board.models import Agreement, BoardMember, CheckIn
from devboard.models import User
from roles.models import Need, Role
from worksheets.models import Worksheet

MEMBERS = 200
WORKSHEETS = 50


def seed() -> dict:
    user, _ = User.objects.get_or_create(username="bench")
    user.set_password("bench-password-1")
    user.save()
    roles = list(Role.objects.order_by("order"))
    today = timezone.localdate()
    if not user.board_members.exists():
        for i in range(MEMBERS):
            statuses = ["active", "active", "prospective", "paused"]
            member = BoardMember.add(
                owner=user,
                roles=[roles[i % 4], roles[(i + 1) % 4]] if i % 3 == 0 else [roles[i % 4]],
                status=statuses[i % 4],
                on=today - datetime.timedelta(days=400),
                name=f"Dr. Person {i}",
                email=f"person{i}@example.org",
            )
            Agreement.objects.create(member=member, goals="Grow as an educator", cadence="monthly")
            for k in range(3):
                member.log_check_in(
                    CheckIn(held_on=today - datetime.timedelta(days=30 * k + i % 30), discussed="Progress")
                )
    if not user.worksheets.exists():
        content = Need.objects.get(slug="content")
        for i in range(WORKSHEETS):
            Worksheet.create_completed(
                owner=user,
                problem=f"Problem {i}",
                ideal_outcome="Better",
                primary_need=content,
                answers={"answers": "direct"},
                questions="A question",
                next_step="A step",
                next_step_due=today,
            )
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return {
        "session": session.session_key,
        "worksheet": user.worksheets.first().pk,
        "member": user.board_members.first().pk,
    }


print("SEED " + json.dumps(seed()))
