import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings

from devboard.board.models import CheckIn, Reminder
from tests.factories import days_ago, make_agreement, make_member


def _run():
    call_command("send_reminders", stdout=io.StringIO())


@pytest.fixture
def due(alice):
    member = make_member(alice, name="Dr. Due")
    member.set_next_check_in(days_ago(1))
    return member


@override_settings(SITE_URL="https://devboard.example.edu")
def test_a_due_check_in_is_reminded_by_email_with_a_link(due, alice):
    _run()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [alice.email]
    assert "Check in with Dr. Due" in message.subject
    assert f"https://devboard.example.edu{due.get_absolute_url()}" in message.body


def test_a_reminder_is_sent_only_once(due):
    _run()
    _run()
    assert len(mail.outbox) == 1
    assert Reminder.objects.count() == 1


def test_a_new_due_date_gets_its_own_reminder(due):
    _run()
    due.set_next_check_in(days_ago(0))
    _run()
    assert len(mail.outbox) == 2


def test_nothing_is_sent_before_the_date(alice):
    make_member(alice).set_next_check_in(days_ago(-1))
    _run()
    assert mail.outbox == []


def test_a_due_revisit_is_reminded(alice):
    member = make_member(alice, name="Dr. Goals")
    make_agreement(member, revisit_on=days_ago(0))
    _run()
    assert "Revisit your goals with Dr. Goals" in mail.outbox[0].body


@pytest.mark.parametrize("status", ["paused", "concluded"])
def test_none_are_sent_for_paused_or_concluded_relationships(alice, status):
    member = make_member(alice, status=status)
    make_agreement(member, revisit_on=days_ago(3))
    member.next_check_in_on = days_ago(3)
    member.save()
    _run()
    assert mail.outbox == []


def test_pausing_after_the_date_stops_the_reminder(due):
    due.set_status("paused")
    _run()
    assert mail.outbox == []


def test_each_person_gets_one_email_with_all_their_items(alice, charlie):
    for name in ("One", "Two"):
        make_member(alice, name=name).set_next_check_in(days_ago(2))
    make_member(charlie, name="Three").set_next_check_in(days_ago(2))
    _run()
    assert sorted(m.to[0] for m in mail.outbox) == [alice.email, charlie.email]
    alices = next(m for m in mail.outbox if m.to == [alice.email])
    assert "One" in alices.body and "Two" in alices.body and "Three" not in alices.body


def test_logging_the_check_in_moves_on_without_reminding_again(alice, due):
    make_agreement(due, cadence="weekly")
    _run()
    due.log_check_in(CheckIn(held_on=days_ago(0)))
    _run()
    assert len(mail.outbox) == 1


def test_a_failed_email_is_retried_next_time(due, monkeypatch):
    from devboard.board.management.commands import send_reminders

    def broken(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr(send_reminders, "send_mail", broken)
    _run()
    assert Reminder.objects.count() == 0
    monkeypatch.undo()
    _run()
    assert len(mail.outbox) == 1 and Reminder.objects.count() == 1


def test_people_without_an_email_address_are_skipped(alice, due):
    alice.email = ""
    alice.save()
    _run()
    assert mail.outbox == []
