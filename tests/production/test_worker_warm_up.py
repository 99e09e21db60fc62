"""A new gunicorn worker gets its database connection and story-page queries ready first."""

import logging
from unittest import mock

import pytest
from django.db import OperationalError, connections

from newsroom.wsgi import warm_up_worker
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_warm_up_opens_this_workers_database_connection():
    ArticleFactory()
    connections["default"].close()
    warm_up_worker()
    assert connections["default"].connection is not None


def test_warm_up_with_the_database_down_logs_and_carries_on(caplog):
    down = OperationalError("connection refused")
    with (
        mock.patch("articles.models.ArticleQuerySet.published", side_effect=down),
        caplog.at_level(logging.WARNING, logger="newsroom.wsgi"),
    ):
        warm_up_worker()
    assert "Worker warm-up skipped" in caplog.text
