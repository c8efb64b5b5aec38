"""manage.py make_director EMAIL PROGRAM: the first program director of a new installation."""

import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from devboard.models import User
from devboard.programs.models import Program
from tests.factories import make_user


def run(*args) -> str:
    out = io.StringIO()
    call_command("make_director", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_it_creates_the_program_and_account_and_emails_them():
    out = run("dana.morales@example.org", "Internal Medicine Residency")
    program = Program.objects.get(slug="internal-medicine-residency")
    dana = User.objects.get(email="dana.morales@example.org")
    assert program.is_directed_by(dana)
    assert dana.is_staff and not dana.has_usable_password()
    assert mail.outbox[0].to == ["dana.morales@example.org"] and "as a director" in mail.outbox[0].body
    assert "Created the program Internal Medicine Residency" in out
    assert "dana.morales@example.org now directs Internal Medicine Residency" in out


@pytest.mark.django_db
def test_an_existing_account_and_program_are_used_and_told_the_news():
    Program.objects.create(name="Surgery Residency", slug="surgery")
    sam = make_user("sam")
    run("SAM@example.org", "surgery")
    assert Program.objects.count() == 1
    assert Program.objects.get().is_directed_by(sam)
    assert mail.outbox[0].to == [sam.email] and "Surgery Residency" in mail.outbox[0].body


@pytest.mark.django_db
def test_a_bad_address_is_refused():
    with pytest.raises(CommandError, match="not a valid email address"):
        run("not-an-address", "Surgery")
    assert not Program.objects.exists()
