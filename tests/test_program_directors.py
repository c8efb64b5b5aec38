"""Who may open the program pages: directors of that program only, and nothing of anyone's private work."""

import pytest
from django.contrib.auth.models import Group

from devboard.models import User
from devboard.programs.models import DIRECTORS_GROUP, Invitation, InvitationBatch, Membership, Program
from tests.factories import make_user, sign_in_with_second_factor
from worksheets.models import Worksheet


@pytest.fixture
def program_a(db):
    return Program.objects.create(name="Internal Medicine Residency", slug="im")


@pytest.fixture
def program_b(db):
    return Program.objects.create(name="Surgery Residency", slug="surgery")


@pytest.fixture
def dana(program_a):
    """Directs program A."""
    user = make_user("dana", first_name="Dana", last_name="Morales")
    program_a.add_member(user, Membership.Kind.DIRECTOR)
    return user


@pytest.fixture
def sam(program_b):
    """Directs program B only."""
    user = make_user("sam")
    program_b.add_member(user, Membership.Kind.DIRECTOR)
    return user


@pytest.fixture
def members_of_a(program_a, alice, charlie):
    program_a.add_member(alice, Membership.Kind.LEARNER)
    program_a.add_member(charlie, Membership.Kind.FACULTY)
    return alice, charlie


def program_urls(program, membership=None, invitation=None, batch=None):
    """Every program page, with the method it answers to. A new URL must be added here."""
    urls = [
        ("get", f"/program/{program.slug}/"),
        ("get", f"/program/{program.slug}/figures.csv"),
        ("get", f"/program/{program.slug}/members/"),
        ("post", f"/program/{program.slug}/members/invite/"),
    ]
    if membership:
        urls.append(("post", f"/program/{program.slug}/members/{membership.pk}/remove/"))
    if invitation:
        urls.append(("post", f"/program/{program.slug}/invitations/{invitation.pk}/resend/"))
    if batch:
        urls.append(("get", f"/program/{program.slug}/members/invitations/{batch.pk}/"))
        urls.append(("get", f"/program/{program.slug}/members/invitations/{batch.pk}/?format=json"))
    return urls


def test_a_director_of_another_program_gets_404_on_every_page(client, sam, dana, members_of_a, program_a):
    alice, _ = members_of_a
    membership = program_a.memberships.get(user=alice)
    invitation = Invitation.objects.create(program=program_a, user=alice, kind="learner", invited_by=dana)
    batch = InvitationBatch.objects.create(program=program_a, sent_by=dana, people=[])
    sign_in_with_second_factor(client, sam)
    for method, url in program_urls(program_a, membership, invitation, batch):
        assert getattr(client, method)(url).status_code == 404, url
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert Invitation.objects.count() == 1


def test_a_director_sees_only_their_own_programs_on_the_index(client, dana, sam, program_a, program_b):
    sign_in_with_second_factor(client, dana)
    response = client.get("/program/")
    assert response.status_code == 200
    assert "Internal Medicine Residency" in response.text
    assert "Surgery Residency" not in response.text


def test_the_program_link_shows_only_for_directors(client, dana, members_of_a):
    alice, _ = members_of_a
    client.force_login(alice)
    assert 'href="/program/"' not in client.get("/roles/").text
    sign_in_with_second_factor(client, dana)
    assert 'href="/program/"' in client.get("/roles/").text


def test_a_director_who_guesses_a_worksheet_url_gets_404(client, dana, members_of_a):
    alice, _ = members_of_a
    worksheet = Worksheet.objects.create(owner=alice, problem="My private problem")
    sign_in_with_second_factor(client, dana)
    for url in (f"/worksheets/{worksheet.pk}/", f"/worksheets/{worksheet.pk}/print/"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "My private problem" not in response.text


def test_directing_a_program_opens_the_admin_and_leaving_closes_it(program_a):
    user = make_user("dee")
    membership = program_a.add_member(user, Membership.Kind.DIRECTOR)
    user.refresh_from_db()
    assert user.is_staff and not user.is_superuser
    assert user.groups.filter(name=DIRECTORS_GROUP).exists()
    assert user.has_perm("roles.change_role")
    membership.delete()
    user.refresh_from_db()
    assert not user.is_staff
    assert not Group.objects.get(name=DIRECTORS_GROUP).user_set.filter(pk=user.pk).exists()


def test_a_learner_membership_never_makes_anyone_staff(program_a, alice):
    program_a.add_member(alice, Membership.Kind.LEARNER)
    alice.refresh_from_db()
    assert not alice.is_staff


def test_a_director_can_remove_a_member_but_not_themselves(client, dana, members_of_a, program_a):
    alice, _ = members_of_a
    sign_in_with_second_factor(client, dana)
    client.post(f"/program/im/members/{program_a.memberships.get(user=dana).pk}/remove/")
    assert program_a.is_directed_by(dana)
    response = client.post(f"/program/im/members/{program_a.memberships.get(user=alice).pk}/remove/")
    assert response.status_code == 302
    assert not program_a.memberships.filter(user=alice).exists()
    assert User.objects.filter(pk=alice.pk).exists()


def test_the_demo_is_idempotent_and_the_director_directs_the_residents_program(db):
    from devboard.programs import demo

    users = {name: make_user(name) for name in ("resident", "faculty", "director")}
    demo.create(users)
    demo.create(users)
    program = Program.objects.get()
    assert program.name == "Internal Medicine Residency"
    assert program.is_directed_by(users["director"])
    participants = set(program.participants())
    assert {users["resident"], users["faculty"]} <= participants
    assert len(participants) == 2 + demo.COHORT  # the demo cohort, created once
    assert not any(u.has_usable_password() for u in participants - {users["resident"], users["faculty"]})
    users["director"].refresh_from_db()
    assert users["director"].is_staff and not users["director"].is_superuser


def test_deleting_a_program_takes_away_its_directors_admin_access(dana, program_a):
    program_a.delete()
    dana.refresh_from_db()
    assert not dana.is_staff
    assert not dana.groups.exists()


def test_deleting_a_director_account_is_possible(dana):
    dana.delete()
    assert not User.objects.filter(username="dana").exists()


def test_adding_a_learner_costs_no_permission_look_ups(program_a, django_assert_max_num_queries):
    from tests.factories import make_user

    people = [make_user(f"learner{i}") for i in range(3)]
    for person in people:
        # get_or_create (select, savepoint, insert, release) and the groups check; no permission look-ups
        with django_assert_max_num_queries(5):
            program_a.add_member(person, Membership.Kind.LEARNER)


def test_the_directors_group_has_its_permissions_after_migrate(db):
    group = Group.objects.get(name=DIRECTORS_GROUP)
    codenames = set(group.permissions.values_list("content_type__app_label", "codename"))
    assert ("roles", "change_role") in codenames and ("worksheets", "add_example") in codenames
    assert not any(app == "board" for app, _ in codenames)
