"""The audit log: who did what, when and from where; ids only; append-only; pruned after a while."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from devboard.accounts.models import AuditEvent
from devboard.audit import client_ip, record
from devboard.board.models import CalendarFeed
from tests.factories import make_member, make_user, make_worksheet, sign_in_with_second_factor

pytestmark = pytest.mark.django_db


def test_signing_in_and_out_is_recorded_with_the_address(alice):
    browser = Client(REMOTE_ADDR="203.0.113.5")
    browser.post(reverse("login"), {"username": "alice", "password": "password"})
    browser.post(reverse("logout"))
    kinds = list(AuditEvent.objects.filter(user=alice).order_by("at", "pk").values_list("kind", "ip"))
    assert kinds == [("sign_in", "203.0.113.5"), ("sign_out", "203.0.113.5")]


def test_opening_someone_elses_worksheet_or_board_member_is_recorded(alice, charlie_client):
    worksheet = make_worksheet(alice)
    member = make_member(alice, name="Dr. Private Person")
    assert charlie_client.get(reverse("worksheets:detail", args=[worksheet.pk])).status_code == 404
    assert charlie_client.post(reverse("board:edit", args=[member.pk])).status_code == 404
    assert charlie_client.post(reverse("board:link_worksheet", args=[worksheet.pk])).status_code == 404
    denied = AuditEvent.objects.filter(kind="access_denied", user__username="charlie").order_by("pk")
    assert [(e.details["model"], e.details["object"]) for e in denied] == [
        ("worksheets.worksheet", worksheet.pk),
        ("board.boardmember", member.pk),
        ("worksheets.worksheet", worksheet.pk),
    ]
    assert "Private" not in str([e.details for e in denied])


def test_a_missing_object_of_my_own_is_not_an_attempt(alice_client):
    assert alice_client.get(reverse("worksheets:detail", args=[999999])).status_code == 404
    assert not AuditEvent.objects.filter(kind="access_denied").exists()


def test_exports_and_feed_resets_are_recorded(alice, alice_client):
    alice_client.get(reverse("board:export_csv", args=["members"]))
    alice_client.get(reverse("board:export_json"))
    feed = CalendarFeed.for_user(alice)
    alice_client.post(reverse("board:calendar_reset"))
    events = AuditEvent.objects.filter(user=alice).exclude(kind="sign_in").order_by("pk")
    assert [(e.kind, e.details) for e in events] == [
        ("export", {"format": "csv", "what": "members"}),
        ("export", {"format": "json"}),
        ("feed_reset", {"feed": feed.pk}),
    ]
    feed.refresh_from_db()
    assert feed.token not in str([e.details for e in events])


def test_an_event_cannot_be_changed_or_deleted(alice):
    event = record("export", user=alice, format="csv")
    event.kind = "sign_in"
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()
    assert AuditEvent.objects.get(pk=event.pk).kind == "export"


def test_only_superusers_read_it_in_the_admin_and_nobody_edits_it(client, alice):
    event = record("export", user=alice, format="csv")
    director = make_user("dana", is_staff=True)
    root = make_user("root", is_staff=True, is_superuser=True)
    sign_in_with_second_factor(client, director)
    assert client.get("/admin/accounts/auditevent/").status_code == 403
    sign_in_with_second_factor(client, root)
    assert client.get("/admin/accounts/auditevent/").status_code == 200
    assert client.get(f"/admin/accounts/auditevent/{event.pk}/change/").status_code == 200  # read-only view
    assert client.post(f"/admin/accounts/auditevent/{event.pk}/change/", {"kind": "sign_in"}).status_code == 403
    assert client.post(f"/admin/accounts/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.get("/admin/accounts/auditevent/add/").status_code == 403
    assert AuditEvent.objects.get(pk=event.pk).kind == "export"


@override_settings(AUDIT_RETENTION_DAYS=30)
def test_prune_deletes_what_is_older_than_the_retention(alice):
    old = record("sign_in", user=alice)
    AuditEvent.objects.filter(pk=old.pk).update(at=timezone.now() - datetime.timedelta(days=31))
    recent = record("sign_in", user=alice)
    call_command("prune_audit", stdout=io.StringIO())
    assert list(AuditEvent.objects.values_list("pk", flat=True)) == [recent.pk]


def test_the_address_behind_our_proxy_is_the_one_it_saw(rf, settings):
    request = rf.get("/", HTTP_X_FORWARDED_FOR="10.0.0.1, 198.51.100.7", REMOTE_ADDR="172.18.0.2")
    settings.BEHIND_PROXY = False
    assert client_ip(request) == "172.18.0.2"
    settings.BEHIND_PROXY = True
    assert client_ip(request) == "198.51.100.7"  # the client-supplied 10.0.0.1 is not believed


def test_a_password_reset_is_recorded_from_the_request_to_the_new_password(alice):
    import re

    from django.core import mail

    browser = Client(REMOTE_ADDR="203.0.113.5")
    browser.post(reverse("password_reset"), {"email": "alice@example.org"})
    link = re.search(r"/accounts/reset/\S+/", mail.outbox[0].body).group(0)
    form_page = browser.get(link, follow=True)
    new_password = "a-long-unusual-passphrase-42"
    browser.post(form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password})
    alice.refresh_from_db()
    assert alice.check_password(new_password)
    events = AuditEvent.objects.filter(user=alice).order_by("pk")
    assert [(e.kind, e.ip) for e in events] == [
        ("password_reset_requested", "203.0.113.5"),
        ("password_reset", "203.0.113.5"),
    ]
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert new_password not in str([e.details for e in events])
    assert token not in str([e.path for e in events])  # the link's secret never lands in the log
