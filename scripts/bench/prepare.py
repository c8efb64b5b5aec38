"""Run inside `manage.py shell`: sessions for the scale accounts, the ids the benchmark asks for,
and the number of queries each page makes (counted in-process with Django's test client).

Prints `PREPARED {json}`; with BENCH_PAGES (a JSON list of {"path", "user"}) it counts queries instead.
"""

import json
import os

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext

from devboard.board.models import BoardMember, CalendarFeed
from devboard.models import User
from devboard.programs.models import Program
from worksheets.models import Worksheet


def second_factor(user: User) -> str:
    """Staff need a verified second factor for the admin and program pages: a confirmed authenticator app."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    device = device or TOTPDevice.objects.create(user=user, name="Benchmark authenticator", confirmed=True)
    return device.persistent_id


def session_for(user: User) -> str:
    from django_otp import DEVICE_ID_SESSION_KEY

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "devboard.sso.backends.LocalPasswordBackend"  # a sign-in with a password
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    if user.is_staff:
        session[DEVICE_ID_SESSION_KEY] = second_factor(user)
    session.create()
    return session.session_key


def ids() -> dict:
    owner = User.objects.get(username="scale-board")
    resident = User.objects.get(username="scale-resident")
    hundred = (
        BoardMember.objects.values("owner")
        .annotate(n=Count("pk"))
        .filter(n__gte=90, n__lte=110)
        .order_by("owner")
        .values_list("owner", flat=True)
        .first()
    )
    users = {
        "scale-board": owner,
        "scale-resident": resident,
        "scale-director": User.objects.get(username="scale-director"),
        "board-100": User.objects.get(pk=hundred) if hundred else owner,
    }
    worksheet = Worksheet.objects.filter(owner=resident, status="completed").order_by("pk").first()
    member = (
        BoardMember.objects.filter(owner=owner).annotate(n=Count("check_ins")).order_by("-n", "pk").values("pk").first()
    )
    mid_size = Program.objects.exclude(slug="scale-big").filter(slug__startswith="scale-").order_by(
        "slug"
    ).first() or Program.objects.get(slug="scale-big")
    return {
        "users": users,
        "worksheet": worksheet.pk,
        "member": member["pk"],
        "feed": CalendarFeed.for_user(owner).token,
        "program": mid_size.slug,
        "board_100_size": users["board-100"].board_members.count(),
        "program_size": mid_size.memberships.count(),
        "big_program_id": Program.objects.get(slug="scale-big").pk,
    }


def captured(users: dict, page: dict) -> list[dict]:
    client = Client()
    if page["user"]:
        client.cookies["sessionid"] = session_for(users[page["user"]])
    warm = client.get(page["path"])  # a new session's first request does one-off work (e.g. noting the browser)
    if warm.streaming:
        b"".join(warm.streaming_content)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(page["path"])
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, (page["path"], response.status_code)
    return ctx.captured_queries


def count_queries(users: dict, pages: list[dict]) -> dict:
    return {page["path"]: len(captured(users, page)) for page in pages}


# Every signed-in page reads these; they are looked up by primary key and never the slow part.
ROUTINE = ('FROM "django_session"', 'FROM "devboard_user" WHERE "devboard_user"."id" =', "otp_")


def explain(users: dict, pages: list[dict], top: int = 2) -> str:
    """EXPLAIN (ANALYZE, BUFFERS) of each page's slowest queries, as Markdown."""
    out = []
    for page in pages:
        queries = [q for q in captured(users, page) if not any(r in q["sql"] for r in ROUTINE)]
        queries.sort(key=lambda q: float(q["time"]), reverse=True)
        out.append(f"### {page['label']} (`{page['path']}`)\n")
        for q in queries[:top]:
            sql = q["sql"]
            if sql.startswith("DECLARE"):  # a server-side cursor of .iterator(): explain the SELECT
                sql = sql[sql.index(" FOR ") + 5 :]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                plan = "\n".join(row[0] for row in cursor.fetchall())
            shown = sql if len(sql) < 1200 else sql[:1200] + " …"
            out.append(f"```sql\n{shown}\n```\n```\n{plan}\n```\n")
    return "\n".join(out)


found = ids()
if "BENCH_EXPLAIN" in os.environ:
    result = {"explain": explain(found["users"], json.loads(os.environ["BENCH_EXPLAIN"]))}
elif "BENCH_PAGES" in os.environ:  # second call: the pages are known, count their queries
    result = {"queries": count_queries(found["users"], json.loads(os.environ["BENCH_PAGES"]))}
else:
    result = {
        "sessions": {name: session_for(user) for name, user in found["users"].items()},
        **{key: value for key, value in found.items() if key != "users"},
    }
print("PREPARED " + json.dumps(result))
