"""V1: the admin's "view on site" shortcut and get_absolute_url must never take staff into a
person's own things (the calendar feed's secret address was one redirect away)."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType

from devboard.board.models import CalendarFeed
from devboard.programs.models import Membership, Program
from roles.models import Role
from tests.factories import make_member, make_user, make_worksheet
from worksheets.models import Example

pytestmark = pytest.mark.django_db


def _program(alice):
    program = Program.objects.create(name="Surgery Residency", slug="surgery")
    program.add_member(alice, Membership.Kind.LEARNER)
    return program


# One object of every model that has a page, made for Alice where it is hers. Public pages
# (guidance, a program's dashboard, which checks who directs it) are listed as such.
FACTORIES = {
    "worksheets.worksheet": (lambda alice: make_worksheet(alice, completed=True), "owned"),
    "board.boardmember": (lambda alice: make_member(alice, name="Dr. Private Person"), "owned"),
    "board.calendarfeed": (lambda alice: CalendarFeed.for_user(alice), "owned"),
    "roles.role": (lambda alice: Role.objects.first(), "public"),
    "worksheets.example": (lambda alice: Example.objects.first(), "public"),
    "programs.program": (_program, "public"),
}


def models_with_pages():
    return [model for model in apps.get_models() if hasattr(model, "get_absolute_url")]


@pytest.fixture
def staff_accounts(db):
    director = make_user("dana", is_staff=True)
    Program.objects.create(name="Another Program", slug="other").add_member(director, Membership.Kind.DIRECTOR)
    return {
        "a program director": director,
        "a staff account with no permission": make_user("stan", is_staff=True),
        "a superuser": make_user("root", is_staff=True, is_superuser=True),
    }


def test_every_model_with_a_page_is_known_here():
    unknown = {model._meta.label_lower for model in models_with_pages()} - FACTORIES.keys()
    assert unknown == set(), "say in FACTORIES whether these pages are someone's own or public"


def test_staff_cannot_reach_a_persons_own_things_through_the_admin(client, alice, staff_accounts):
    owned = [(label, make(alice)) for label, (make, kind) in FACTORIES.items() if kind == "owned"]
    for who, account in staff_accounts.items():
        client.force_login(account)
        for label, obj in owned:
            content_type = ContentType.objects.get_for_model(obj)
            shortcut = client.get(f"/admin/r/{content_type.pk}/{obj.pk}/")
            assert shortcut.status_code == 404, f"{who}: view on site for {label} answered {shortcut.status_code}"
            if hasattr(obj, "get_absolute_url"):
                # The page itself, opened with the staff account's session: someone else's, so 404.
                page = client.get(obj.get_absolute_url())
                assert page.status_code == 404, f"{who}: {label}'s page answered {page.status_code}"


def test_the_calendar_feed_offers_no_address_to_the_admin(client, alice, staff_accounts):
    feed = CalendarFeed.for_user(alice)
    content_type = ContentType.objects.get_for_model(CalendarFeed)
    client.force_login(staff_accounts["a superuser"])
    response = client.get(f"/admin/r/{content_type.pk}/{feed.pk}/")
    assert response.status_code == 404
    assert feed.token not in response.content.decode()


def test_no_owned_model_is_in_the_admin():
    for model in admin.site._registry:
        fields = {field.name for field in model._meta.get_fields()}
        assert "owner" not in fields, f"{model._meta.label} belongs to people and must stay out of the admin"


def test_view_on_site_still_works_for_guidance(client, staff_accounts):
    client.force_login(staff_accounts["a staff account with no permission"])
    role = Role.objects.first()
    response = client.get(f"/admin/r/{ContentType.objects.get_for_model(Role).pk}/{role.pk}/")
    assert response.status_code == 302 and response.url.endswith(role.get_absolute_url())


def test_view_on_site_is_for_staff_only(client, alice):
    client.force_login(alice)
    role = Role.objects.first()
    response = client.get(f"/admin/r/{ContentType.objects.get_for_model(Role).pk}/{role.pk}/")
    assert response.status_code == 302 and "/admin/login/" in response.url
