"""The progress page of a list being invited: accessible while it runs, and it shows the
outcome by itself once the worker is done."""

from playwright.sync_api import expect

from devboard.programs.models import InvitationBatch, Membership, Program
from tests.factories import authenticator_for, make_user

from .support import assert_accessible, sign_in


def test_the_progress_page_updates_itself_until_the_list_is_done(page, live_server, axe, transactional_db):
    program = Program.objects.create(name="Internal Medicine Residency", slug="im")
    director = make_user("dana", first_name="Dana", last_name="Morales")
    program.add_member(director, Membership.Kind.DIRECTOR)
    authenticator_for(director)
    rows = [
        {"where": f"Line {i}", "name": f"P {i}", "email": f"p{i}@example.org", "kind": "learner"} for i in range(10)
    ]
    batch = InvitationBatch.objects.create(program=program, sent_by=director, people=rows, invited=3)

    sign_in(page, live_server, "dana")
    page.goto(f"{live_server.url}/program/im/members/invitations/{batch.pk}/")
    expect(page.get_by_text("Invitations are going out in the background")).to_be_visible()
    assert_accessible(page, axe)

    batch.invited = 6
    batch.save()
    expect(page.locator('[data-count="invited"]')).to_have_text("6", timeout=10_000)

    batch.invited = 9
    batch.failures = [["Line 9", "p9@example.org", "the email could not be sent; try again later"]]
    batch.finished_at = batch.created_at
    batch.save()
    expect(page.get_by_text("Invitation sent to 9 addresses.")).to_be_visible(timeout=10_000)
    expect(page.get_by_role("cell", name="p9@example.org")).to_be_visible()
    assert_accessible(page, axe)
