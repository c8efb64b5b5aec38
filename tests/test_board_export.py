import csv
import gc
import io
import json
import tracemalloc

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse, reverse_lazy

from devboard.board import export
from devboard.board.models import CheckIn
from tests.factories import days_ago, make_agreement, make_member, role
from worksheets.models import Worksheet


def _body(response) -> str:
    assert response.streaming
    return b"".join(response.streaming_content).decode()


def _rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(_body(response))))


def _board(alice):
    member = make_member(alice, name="Dr. Export", roles=("mentor", "sponsor"), email="x@example.org")
    make_agreement(member, goals="Write the review", cadence="quarterly")
    member.log_check_in(CheckIn(held_on=days_ago(3), discussed="Outline", my_next_step="=cmd|' /C calc'!A0"))
    Worksheet.objects.create(owner=alice, problem="Too many projects", chosen_role=role("coach"))
    return member


def test_the_export_page_works(alice_client):
    response = alice_client.get(reverse("board:export"))
    assert response.status_code == 200
    assert reverse("board:export_json").encode() in response.content


def test_the_members_csv_has_the_board_and_agreements(alice_client, alice):
    _board(alice)
    response = alice_client.get(reverse("board:export_csv", args=["members"]))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    [row] = _rows(response)
    assert row["name"] == "Dr. Export" and row["roles"] == "Mentor; Sponsor"
    assert row["goals"] == "Write the review" and row["cadence"] == "Every three months"
    assert row["check-ins"] == "1"


def test_the_check_ins_csv_never_hands_a_spreadsheet_a_formula(alice_client, alice):
    _board(alice)
    [row] = _rows(alice_client.get(reverse("board:export_csv", args=["check-ins"])))
    assert row["what we discussed"] == "Outline"
    assert row["what I will do next"].startswith("'=")


def test_the_worksheets_csv_has_my_worksheets(alice_client, alice):
    _board(alice)
    [row] = _rows(alice_client.get(reverse("board:export_csv", args=["worksheets"])))
    assert row["problem"] == "Too many projects" and row["chosen role"] == "Coach"


def test_an_unknown_csv_is_404(alice_client):
    assert alice_client.get(reverse("board:export_csv", args=["passwords"])).status_code == 404


def test_the_json_export_has_everything_including_history(alice_client, alice):
    member = _board(alice)
    member.set_status("paused")
    data = json.loads(_body(alice_client.get(reverse("board:export_json"))))
    assert data["user"] == "alice"
    [person] = data["board"]
    assert person["name"] == "Dr. Export"
    assert [r["role"] for r in person["roles"]] == ["mentor", "sponsor"]
    assert [s["to"] for s in person["status_history"]] == ["active", "paused"]
    assert person["agreement"]["goals"] == "Write the review"
    assert person["check_ins"][0]["discussed"] == "Outline"
    assert data["worksheets"][0]["chosen_role"] == "coach"


def test_exports_hold_only_my_own_data(charlie_client, alice):
    _board(alice)
    data = json.loads(_body(charlie_client.get(reverse("board:export_json"))))
    assert data["board"] == [] and data["worksheets"] == []


EXPORTS = [
    reverse_lazy("board:export_csv", args=["members"]),
    reverse_lazy("board:export_csv", args=["check-ins"]),
    reverse_lazy("board:export_csv", args=["worksheets"]),
    reverse_lazy("board:export_json"),
]


def _fill(owner, start: int, count: int) -> None:
    for i in range(start, start + count):
        member = make_member(owner, name=f"Person {i:03}", roles=("mentor", "coach"))
        make_agreement(member, goals="Goals")
        member.log_check_in(CheckIn(held_on=days_ago(i + 1), discussed="Talked"))
        Worksheet.objects.create(owner=owner, problem=f"Problem {i}")


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        _body(client.get(url))
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", EXPORTS)
def test_an_export_makes_as_many_queries_for_fifty_people_as_for_one(alice_client, alice, url):
    _fill(alice, 0, 1)
    one = _queries(alice_client, url)
    _fill(alice, 1, 49)
    assert _queries(alice_client, url) == one <= 10


def test_the_json_export_reads_the_board_a_few_people_at_a_time(alice_client, alice, monkeypatch):
    monkeypatch.setattr(export, "CHUNK", 2)
    monkeypatch.setattr(export, "HISTORY_CHUNK", 2)
    _fill(alice, 0, 5)
    with CaptureQueriesContext(connection) as ctx:
        data = json.loads(_body(alice_client.get(reverse("board:export_json"))))
    assert len(data["board"]) == 5 and len(data["worksheets"]) == 5
    check_in_reads = [q for q in ctx.captured_queries if 'FROM "board_checkin"' in q["sql"] and "IN (" in q["sql"]]
    assert len(check_in_reads) == 3  # 2 + 2 + 1 people: never the whole board at once


@pytest.mark.parametrize(
    "url", [reverse_lazy("board:export_json"), reverse_lazy("board:export_csv", args=["worksheets"])]
)
def test_the_exports_leave_the_large_ranking_snapshot_in_the_database(alice_client, alice, url):
    # Each completed worksheet keeps the ranking it showed; no export writes it, and reading it
    # for every worksheet was most of a worker's memory while serving a big board.json.
    Worksheet.objects.create(owner=alice, problem="Too many projects", recommendation={"ranking": ["x"] * 500})
    with CaptureQueriesContext(connection) as ctx:
        body = _body(alice_client.get(url))
    assert "Too many projects" in body
    reads = [q["sql"] for q in ctx.captured_queries if 'FROM "worksheets_worksheet"' in q["sql"]]
    assert reads and not any('"recommendation"' in sql for sql in reads)


def test_a_streamed_export_starts_before_the_whole_board_is_read(alice_client, alice, monkeypatch):
    monkeypatch.setattr(export, "FLUSH_AT", 1)
    _fill(alice, 0, 3)
    chunks = list(alice_client.get(reverse("board:export_csv", args=["members"])).streaming_content)
    assert len(chunks) == 4  # the header, then one chunk per person
    assert chunks[0].decode().startswith("name,email")


def _old_check_ins_csv(user) -> str:
    """check-ins.csv as it was written before it walked the people: one query sorted on the person's name."""
    formats = dict(CheckIn.Format.choices)
    rows = (
        CheckIn.objects.for_owner(user)
        .order_by("member__name", "member_id", "-held_on", "-pk")
        .values_list("member__name", "held_on", "format", "discussed", "my_next_step")
    )
    lines = export._csv(
        ["person", "date", "how we met", "what we discussed", "what I will do next"],
        ([name, held_on, formats.get(how, how), discussed, step] for name, held_on, how, discussed, step in rows),
    )
    return "".join(lines)


def _history(owner) -> None:
    # Two people share a name (their order is by who was added first), one has no check-ins, two check-ins
    # share a date (the later one first), and the names do not arrive in alphabetical order.
    for name, days in [
        ("Zoe Last", [4, 9]),
        ("Ann Same", [1, 30, 30]),
        ("Nobody Yet", []),
        ("Ann Same", [2, 2, 50]),
        ("bea lower", [7]),
        ("=Cy formula", [3]),
    ]:
        member = make_member(owner, name=name)
        for n, day in enumerate(days):
            how = CheckIn.Format.VIDEO if n % 2 else CheckIn.Format.IN_PERSON
            CheckIn.objects.create(
                member=member, held_on=days_ago(day), format=how, discussed=f"{name} #{n}", my_next_step="@SUM(A1)"
            )


def test_the_check_ins_csv_walked_a_group_at_a_time_is_the_same_file(alice_client, alice, charlie, monkeypatch):
    _history(alice)
    _history(charlie)
    monkeypatch.setattr(export, "CHUNK", 2)
    body = _body(alice_client.get(reverse("board:export_csv", args=["check-ins"])))
    assert body == _old_check_ins_csv(alice)
    people = [row["person"] for row in csv.DictReader(io.StringIO(body))]
    assert len(people) == 10 and people.count("Ann Same") == 6 and "'=Cy formula" in people


def test_the_check_ins_csv_never_sorts_the_whole_history_by_name(alice_client, alice, monkeypatch):
    monkeypatch.setattr(export, "CHUNK", 2)
    _history(alice)
    with CaptureQueriesContext(connection) as ctx:
        rows = _rows(alice_client.get(reverse("board:export_csv", args=["check-ins"])))
    assert len(rows) == 10
    reads = [q["sql"] for q in ctx.captured_queries if 'FROM "board_checkin"' in q["sql"]]
    assert len(reads) == 3  # 6 people, 2 at a time: one read of check-ins per group
    assert all('"board_boardmember"."name"' not in sql and " IN (" in sql for sql in reads)


def _peak_while_writing_the_board(owner) -> int:
    """The most memory held at once while board.json writes `owner`'s people, with the garbage
    collector held off (what piles up between its runs is what a worker's peak pays for)."""
    gc.collect()
    gc.disable()
    tracemalloc.start()
    try:
        for member in export._members(owner, with_history=True):
            export._member_dict(member)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        gc.enable()


def test_the_json_export_lets_each_group_of_people_go_before_reading_the_next(alice, monkeypatch):
    """Serving a 1,000-person board.json raised a worker's peak by 19 MB of the 20 allowed: each group's
    rows point back at their people, a cycle, and every group piled up until the collector ran."""
    monkeypatch.setattr(export, "HISTORY_CHUNK", 5)
    _fill(alice, 0, 5)
    _peak_while_writing_the_board(alice)  # the first run also loads what any run needs
    one_group = _peak_while_writing_the_board(alice)
    _fill(alice, 5, 35)
    assert _peak_while_writing_the_board(alice) < 1.5 * one_group  # eight groups
