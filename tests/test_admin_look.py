"""The admin as directors see it: devboard's colours, and a name a screen reader can announce for every field."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from devboard.programs.models import Membership, Program
from roles.models import AnswerOption, Need
from tests.factories import make_user, sign_in_with_second_factor

STATIC = Path(__file__).resolve().parent.parent / "static"


class Fields(HTMLParser):
    """The visible inputs of a page (by id) and the ids their labels point to."""

    def __init__(self, html: str):
        super().__init__()
        self.inputs, self.labelled = {}, set()
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "label" and attrs.get("for"):
            self.labelled.add(attrs["for"])
        elif tag in ("input", "select", "textarea") and attrs.get("type") != "hidden" and attrs.get("id"):
            self.inputs[attrs["id"]] = attrs

    def unnamed(self, prefix: str) -> list[str]:
        return [
            id_
            for id_, attrs in self.inputs.items()
            if id_.startswith(prefix) and id_ not in self.labelled and not attrs.get("aria-label")
        ]


@pytest.fixture
def dana_client(client, db):
    dana = make_user("dana", first_name="Dana", last_name="Morales")
    Program.objects.create(name="Internal Medicine Residency", slug="im").add_member(dana, Membership.Kind.DIRECTOR)
    return sign_in_with_second_factor(client, dana)


def test_the_role_and_points_of_each_rule_of_a_need_have_labels(dana_client):
    need = Need.objects.get(slug="clarity")
    page = dana_client.get(f"/admin/roles/need/{need.pk}/change/").text
    fields = Fields(page)
    assert "id_rules-0-role" in fields.inputs and "id_rules-0-primary_points" in fields.inputs
    assert fields.unnamed("id_rules-") == []
    assert '<label class="visually-hidden" for="id_rules-0-primary_points">Primary points, rule 1</label>' in page


def test_the_rules_of_an_answer_and_a_new_rule_have_labels(dana_client):
    option = AnswerOption.objects.filter(rules__isnull=False).first()
    page = dana_client.get(f"/admin/roles/answeroption/{option.pk}/change/").text
    assert Fields(page).unnamed("id_rules-") == []
    assert '<label class="visually-hidden" for="id_rules-__prefix__-role">Role, new rule</label>' in page


def test_an_order_edited_in_the_list_is_named_after_its_row(dana_client):
    fields = Fields(dana_client.get("/admin/roles/role/").text)
    assert fields.unnamed("id_form-") == []
    assert {attrs["aria-label"] for attrs in fields.inputs.values() if attrs.get("name", "").endswith("-order")} == {
        "Order of Mentor",
        "Order of Sponsor",
        "Order of Coach",
        "Order of Advisor",
    }


def test_an_examples_other_needs_are_labelled_checkboxes(dana_client):
    fields = Fields(dana_client.get("/admin/worksheets/example/add/").text)
    boxes = [id_ for id_, attrs in fields.inputs.items() if attrs.get("name") == "other_needs"]
    assert len(boxes) == Need.objects.count()
    assert all(attrs.get("type") == "checkbox" for id_, attrs in fields.inputs.items() if id_ in boxes)
    assert fields.unnamed("id_other_needs") == []


def tokens(css: str) -> dict[str, str]:
    return dict(re.findall(r"(--db-[a-z0-9-]+):\s*([^;]+);", css))


def test_the_admin_uses_the_design_systems_colours():
    admin, design = tokens((STATIC / "css/admin.css").read_text()), tokens((STATIC / "css/design.css").read_text())
    assert {"--db-navy", "--db-slate-700"} <= admin.keys()
    assert {name: value for name, value in admin.items() if design.get(name) != value} == {}
