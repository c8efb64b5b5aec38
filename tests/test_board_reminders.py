import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
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


def test_a_failed_email_fails_the_run_and_is_retried_next_time(due, monkeypatch):
    from devboard.board import reminders

    def broken(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr(reminders, "send_mail", broken)
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 reminder email"):
        call_command("send_reminders", stdout=out)
    assert out.getvalue() == "Sent 0 reminder(s) to 0 people; 1 email(s) failed.\n"
    assert Reminder.objects.count() == 0  # the claim was released
    monkeypatch.undo()
    _run()
    assert len(mail.outbox) == 1 and Reminder.objects.count() == 1


def test_one_failure_does_not_stop_the_others(alice, charlie, monkeypatch):
    from devboard.board import reminders

    make_member(alice, name="Dr. One").set_next_check_in(days_ago(1))
    make_member(charlie, name="Dr. Two").set_next_check_in(days_ago(1))
    real = reminders.send_mail

    def fails_for_alice(subject, body, sender, to):
        if to == [alice.email]:
            raise OSError("mailbox unavailable")
        return real(subject, body, sender, to)

    monkeypatch.setattr(reminders, "send_mail", fails_for_alice)
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("send_reminders", stdout=out)
    assert out.getvalue() == "Sent 1 reminder(s) to 1 people; 1 email(s) failed.\n"
    assert [m.to for m in mail.outbox] == [[charlie.email]]


def test_a_sent_email_whose_record_was_lost_is_not_sent_again(due, monkeypatch):
    from django.db import OperationalError

    from devboard.board import reminders

    class DatabaseGone:
        @staticmethod
        def now():
            raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(reminders, "timezone", DatabaseGone)
    with pytest.raises(CommandError):
        _run()
    monkeypatch.undo()
    _run()
    assert len(mail.outbox) == 1
    assert Reminder.objects.get().sent_at is None  # claimed, sent, but never confirmed


def test_a_sent_reminder_records_when_it_went_out(due):
    _run()
    reminder = Reminder.objects.get()
    assert reminder.sent_at is not None and reminder.claimed_at <= reminder.sent_at


def test_the_scheduler_queues_one_task_per_person(alice, charlie):
    for owner in (alice, charlie):
        make_member(owner, name="Dr. Due").set_next_check_in(days_ago(1))
    out = io.StringIO()
    call_command("send_reminders", "--enqueue", stdout=out)
    assert out.getvalue() == "Queued reminders for 2 people.\n"
    assert len(mail.outbox) == 2  # the immediate backend runs each task at once


def test_people_without_an_email_address_are_skipped(alice, due):
    alice.email = ""
    alice.save()
    _run()
    assert mail.outbox == []
