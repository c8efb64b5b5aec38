"""Branded error pages: 404, 403, 400 and a 500 that needs nothing that may have failed."""

from unittest import mock

import pytest
from django.test import Client

from devboard import errors


@pytest.mark.django_db
def test_a_missing_page_is_branded_and_leads_back(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "We can't find that page" in response.text
    assert 'href="/"' in response.text
    assert "navbar-devboard" in response.text


def test_a_strangers_worksheet_gets_the_same_404(charlie_client):
    response = charlie_client.get("/worksheets/424242/")
    assert response.status_code == 404
    assert "belongs to someone else" in response.text
    assert "Go to my worksheets" in response.text


def test_a_page_for_directors_only_answers_a_branded_403(alice_client):
    response = alice_client.get("/program/")
    assert response.status_code == 403
    assert "This page is not open to your account" in response.text


@pytest.mark.django_db
def test_an_expired_form_answers_a_branded_403():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "a", "password": "b"})
    assert response.status_code == 403
    assert "That form had expired" in response.text


@pytest.mark.django_db
def test_a_request_for_another_host_answers_a_branded_400(client):
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "devboard could not understand that request" in response.text


@pytest.mark.django_db
def test_a_crash_answers_the_self_contained_500_with_a_reference():
    client = Client(raise_request_exception=False)
    with mock.patch("devboard.views.render", side_effect=RuntimeError("boom")):
        response = client.get("/", HTTP_X_REQUEST_ID="ref-123")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.text
    assert "ref-123" in response.text
    assert "<style>" in response.text and "/static/" not in response.text


def test_the_500_page_needs_no_database_template_engine_or_session(rf):
    request = rf.get("/")
    request.id = "<script>"
    with mock.patch("django.template.loader.get_template", side_effect=AssertionError("template engine used")):
        response = errors.server_error(request)  # no django_db mark: a query would raise
    assert response.status_code == 500
    assert "&lt;script&gt;" in response.text
    assert not response.cookies
