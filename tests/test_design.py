"""The design system: role icons and colours, status styles, the page frame, errors that say what to do."""

import datetime
import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.test import override_settings
from django.urls import reverse

from devboard.board.forms import CheckInForm, MemberForm
from devboard.forms import DayField, display_date
from roles.models import Role

from .test_settings import load_settings

ROOT = Path(__file__).resolve().parent.parent


def render(source: str, **context) -> str:
    return Template(source).render(Context(context))


@pytest.mark.django_db
def test_each_role_has_its_own_icon_and_colour():
    drawings = set()
    for role in Role.objects.all():
        html = render("{% role_icon role %}", role=role)
        assert html.startswith("<svg") and 'aria-hidden="true"' in html
        drawings.add(html)
        assert render("{{ role|role_class }}", role=role) == f"role-{role.slug}"
        assert f"--db-role-{role.slug}:" in (ROOT / "static/css/design.css").read_text()
    assert len(drawings) == 4


def _luminance(hex_colour: str) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(int(hex_colour[i : i + 2], 16) / 255) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_each_role_colour_works_as_a_fill_beside_white():
    css = (ROOT / "static/css/design.css").read_text()
    colours = dict(re.findall(r"--db-role-(mentor|sponsor|coach|advisor|other):\s*(#[0-9a-fA-F]{6})", css))
    assert set(colours) == {"mentor", "sponsor", "coach", "advisor", "other"}
    for role, colour in colours.items():
        ratio = 1.05 / (_luminance(colour) + 0.05)  # against white (luminance 1)
        assert ratio >= 3, f"{role} {colour} is {ratio:.2f}:1 against white"
    assert len(set(colours.values())) == 5


def test_an_icon_can_carry_a_label_and_unknown_roles_get_a_person():
    html = render('{% role_icon "coach" label="Coach" %}')
    assert 'role="img" aria-label="Coach"' in html and "aria-hidden" not in html
    assert render("{{ 'chaplain'|role_class }}") == "role-other"
    assert "<circle" in render('{% role_icon "chaplain" %}')


def test_statuses_have_one_style_each():
    for status in ("prospective", "active", "paused", "concluded"):
        assert render("{{ s|status_class }}", s=status) == f"status status-{status}"
        assert f".status-{status} " in (ROOT / "static/css/design.css").read_text()


def test_the_typeface_ships_with_its_licence():
    fonts = ROOT / "static/fonts"
    assert list(fonts.glob("source-sans-3-latin-wght-normal.woff2"))
    assert "SIL Open Font License" in (fonts / "OFL.txt").read_text()


@pytest.mark.django_db
def test_every_page_has_the_footer_with_accessibility_and_support(client):
    with override_settings(SUPPORT_EMAIL="help@devboard.example.org", INSTITUTION_NAME="Riverside School of Medicine"):
        html = client.get("/").content.decode()
    assert 'href="/accessibility/"' in html
    assert 'href="mailto:help@devboard.example.org"' in html
    assert "Riverside School of Medicine" in html


@pytest.mark.django_db
def test_the_accessibility_statement_is_public(client):
    response = client.get(reverse("accessibility"))
    assert response.status_code == 200
    assert b"WCAG" in response.content


@pytest.mark.django_db
def test_an_accessibility_statement_elsewhere_replaces_the_built_in_link(client):
    with override_settings(ACCESSIBILITY_URL="https://www.example.edu/accessibility"):
        html = client.get("/").content.decode()
    assert 'href="https://www.example.edu/accessibility"' in html


@pytest.mark.django_db
def test_the_institution_logo_comes_from_the_static_files(client):
    with override_settings(INSTITUTION_LOGO_URL="brand/logo.svg", INSTITUTION_NAME="Riverside"):
        html = client.get("/").content.decode()
    assert '<img class="institution-logo" src="/static/brand/logo.svg" alt="Riverside">' in html


def test_a_remote_logo_is_refused():
    result = load_settings(DEBUG="true", INSTITUTION_LOGO_URL="https://cdn.example.com/logo.png")
    assert "INSTITUTION_LOGO_URL must be a path inside the static files" in result.stderr


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/accounts/login/"])
def test_the_landing_and_sign_in_pages_say_how_to_get_an_account(client, path):
    with override_settings(SUPPORT_EMAIL="help@devboard.example.org"):
        html = client.get(path).content.decode()
    assert "ask your program office" in html
    assert 'href="mailto:help@devboard.example.org"' in html


def test_the_nav_names_the_person_and_links_to_their_account(alice_client):
    html = alice_client.get("/roles/").content.decode()
    link = re.search(r'href="([^"]+)">Alice Ames</a>', html)
    assert link is not None and link.group(1) == reverse("account")


@pytest.mark.parametrize(
    ("path", "title", "action"),
    [
        ("/worksheets/", "My worksheets", "New worksheet"),
        ("/board/", "My board", "Add a person"),
        ("/roles/", "Role guide", "Start a worksheet"),
    ],
)
def test_the_main_pages_open_with_the_standard_page_header(alice_client, path, title, action):
    html = alice_client.get(path).content.decode()
    header = re.search(r'<header class="page-header">(.*?)</header>', html, re.S)
    assert header is not None, f"{path} has no standard page header"
    assert f">{title}</h1>" in header.group(1) and 'class="page-header-lead"' in header.group(1)
    assert re.findall(r'class="btn btn-primary[^"]*"[^>]*>([^<]+)<', header.group(1)) == [action]


# -- forms and errors ------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_failed_sign_in_says_error_in_the_title_and_summarises_the_problem(client):
    html = client.post("/accounts/login/", {"username": "nobody", "password": "x"}).content.decode()
    assert re.search(r"<title>Error: Sign in · devboard</title>", html)
    assert "There is a problem" in html and "data-error-summary" in html


@pytest.mark.django_db
def test_a_page_without_errors_has_a_plain_title(client):
    html = client.get("/accounts/login/").content.decode()
    assert "<title>Sign in · devboard</title>" in html and "data-error-summary" not in html


def test_adding_a_person_without_a_name_says_what_to_do(alice_client):
    response = alice_client.post(reverse("board:add"), {"status": "prospective"})
    html = response.content.decode()
    assert "This field is required." not in html
    assert '<a href="#id_name">Enter their name, as you would address them.</a>' in html
    assert '<a href="#id_roles_0">Choose at least one role' in html
    assert html.count("<title>Error: ") == 1 and "Error: Error:" not in html


@pytest.mark.django_db
def test_every_board_form_error_names_the_field():
    for form in (MemberForm(data={}), CheckInForm(data={"held_on": "", "format": ""})):
        form.is_valid()
        for messages in form.errors.values():
            assert "This field is required." not in messages


@pytest.mark.django_db
def test_a_text_over_its_limit_is_refused_with_the_limit_named():
    form = MemberForm(data={"name": "x" * 130, "status": "prospective"})
    assert not form.is_valid()
    assert form.errors["name"] == [
        "“Name” can be up to 120 characters and has 130 now. Shorten it a little: everything you typed is still here."
    ]


@pytest.mark.parametrize(
    "typed", ["5 Dec 2026", "5 December 2026", "Dec 5, 2026", "december 5 2026", "2026-12-05", "12/5/2026"]
)
def test_dates_are_read_the_way_people_write_them(typed):
    assert DayField().clean(typed) == datetime.date(2026, 12, 5)


def test_a_date_that_does_not_exist_is_refused_plainly():
    with pytest.raises(Exception, match="Enter a real date, like 5 Dec 2026"):
        DayField().clean("31 Feb 2026")


def test_date_fields_show_dates_as_pages_do(alice_client):
    form = CheckInForm(initial={"held_on": datetime.date(2026, 12, 5)})
    html = str(form["held_on"])
    assert 'type="text"' in html and 'value="5 Dec 2026"' in html
    assert display_date(datetime.date(2026, 1, 9)) == "9 Jan 2026"
    assert "For example, 5 Dec 2026" in str(form["held_on"].help_text)
