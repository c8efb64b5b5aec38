import csv
import io
import json

from django.urls import reverse

from devboard.board.models import CheckIn
from worksheets.models import Worksheet

from .board_factory import days_ago, make_agreement, make_member, role


def _rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


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
    data = json.loads(alice_client.get(reverse("board:export_json")).content)
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
    data = json.loads(charlie_client.get(reverse("board:export_json")).content)
    assert data["board"] == [] and data["worksheets"] == []
