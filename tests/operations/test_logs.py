"""Log lines are JSON objects carrying the current request id; Sentry only when asked for."""

import io
import json
import logging
import logging.config

import pytest
from django.conf import settings

from newsroom import logs


@pytest.fixture(autouse=True)
def _logging_as_configured():
    """These tests configure logging for themselves; the rest of the suite gets it back."""
    yield
    logging.config.dictConfig(settings.LOGGING)


def _logger_writing_to(stream, log_format):
    config = logs.logging_config("INFO", log_format)
    config["handlers"]["console"]["stream"] = stream
    config["root"]["handlers"] = []
    config["loggers"] = {"tests.json": {"handlers": ["console"], "level": "INFO"}}
    logging.config.dictConfig(config)
    return logging.getLogger("tests.json")


def test_a_line_is_one_json_object_with_the_request_id():
    stream = io.StringIO()
    logger = _logger_writing_to(stream, "json")
    token = logs.begin("0123456789abcdef0123456789abcdef")
    try:
        logger.info("Saved %s", "a story", extra={"status": 302})
    finally:
        logs.end(token)
    logger.info("outside any request")
    first, second = (json.loads(line) for line in stream.getvalue().splitlines())
    assert first["message"] == "Saved a story"
    assert first["request_id"] == "0123456789abcdef0123456789abcdef"
    assert first["level"] == "INFO" and first["logger"] == "tests.json" and first["time"]
    assert first["status"] == 302
    assert second["request_id"] is None


def test_an_unknown_log_format_is_refused_with_a_sentence():
    try:
        logs.logging_config("INFO", "xml")
    except ValueError as error:
        assert "LOG_FORMAT must be json or text" in str(error)
    else:
        raise AssertionError("LOG_FORMAT=xml was accepted")


def test_sentry_stays_off_without_a_dsn_and_says_so_when_its_sdk_is_missing(monkeypatch, caplog):
    assert logs.start_sentry("", "production") is False
    import builtins

    real_import = builtins.__import__

    def no_sentry(name, *args, **kwargs):
        if name == "sentry_sdk":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_sentry)
    with caplog.at_level(logging.WARNING, logger="newsroom.logs"):
        assert logs.start_sentry("https://key@sentry.example.ca/1", "production") is False
    assert "Sentry SDK is not installed" in caplog.text


@pytest.mark.django_db
def test_a_refused_request_is_one_line_in_the_console(settings, client):
    """A 403 used to print Django's traceback twice (its own console handler and ours)."""
    from django.contrib.auth.models import User

    stream = io.StringIO()
    config = logs.logging_config("WARNING", "text")
    config["handlers"]["console"]["stream"] = stream
    logging.config.dictConfig(config)
    settings.DEBUG = True  # Django's own console handler speaks only while DEBUG is on
    reporter = User.objects.create_user("lurker", is_staff=True)
    client.force_login(reporter)
    response = client.get("/admin/ratings/ratingsummary/report/")
    assert response.status_code == 403
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1, lines
    assert "Forbidden" in lines[0] and "Traceback" not in stream.getvalue()
