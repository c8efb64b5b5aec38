"""Log lines: one JSON object each, with the request's id, and bursts cut short."""

import json
import logging

import pytest

from devboard.logs import BurstFilter, JsonFormatter, RequestContextFilter, TextFormatter


def record(msg="Could not reach %s", *args, level=logging.ERROR, exc_info=None) -> logging.LogRecord:
    return logging.LogRecord("devboard.test", level, __file__, 1, msg, args or ("db",), exc_info)


def test_a_burst_of_the_same_error_is_cut_and_the_next_window_says_how_many_were_dropped():
    burst = BurstFilter(limit=5, window=60)
    passed = [burst.filter(record()) for _ in range(50)]
    assert passed.count(True) == 5
    burst._seen[next(iter(burst._seen))][0] -= 61  # a minute later
    later = record()
    assert burst.filter(later)
    assert later.suppressed == 45


def test_different_errors_and_information_lines_are_not_cut():
    burst = BurstFilter(limit=1, window=60)
    assert burst.filter(record("one thing")) and burst.filter(record("another thing"))
    assert all(burst.filter(record(level=logging.INFO)) for _ in range(20))


def test_a_traceback_is_one_field_of_one_line():
    try:
        raise ValueError("bad row")
    except ValueError:
        import sys

        line = JsonFormatter().format(record(exc_info=sys.exc_info()))
    assert "\n" not in line
    data = json.loads(line)
    assert data["level"] == "ERROR" and data["logger"] == "devboard.test" and data["message"] == "Could not reach db"
    assert data["time"].endswith("Z")
    assert "ValueError: bad row" in data["traceback"]


def test_text_lines_read_well_in_a_terminal():
    line = TextFormatter().format(record())
    assert line.endswith("ERROR devboard.test: Could not reach db")
    assert "Z " in line


@pytest.mark.django_db
def test_lines_written_during_a_request_carry_its_id_and_the_user_id_not_the_name(alice_client, alice, caplog):
    caplog.handler.addFilter(RequestContextFilter())
    response = alice_client.get("/worksheets/999999/", HTTP_X_REQUEST_ID="abc-123")
    assert response["X-Request-ID"] == "abc-123"
    line = [r for r in caplog.records if r.name == "django.request"][0]
    assert line.request_id == "abc-123"
    assert line.user_id == alice.pk
    assert "alice" not in JsonFormatter().format(line).lower()


def test_a_request_id_that_is_not_a_plain_token_is_replaced(client):
    response = client.get("/healthz")  # answered before the request id middleware
    assert "X-Request-ID" not in response
    response = client.get("/accounts/login/", HTTP_X_REQUEST_ID="x" * 500)
    assert len(response["X-Request-ID"]) == 32
    response = client.get("/accounts/login/", HTTP_X_REQUEST_ID="evil\tid")
    assert response["X-Request-ID"] != "evil\tid"
