"""The demo site shows live coverage: one live story with about twenty updates."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from live.models import LiveEntry

pytestmark = pytest.mark.django_db


def test_load_demo_makes_one_live_story_with_twenty_updates(client, capsys):
    call_command("load_demo", articles=3, seed=5)
    call_command("load_live_demo")
    assert "Live coverage: http://" in capsys.readouterr().out
    entries = LiveEntry.objects.public()
    assert entries.count() == 20
    story = entries.first().coverage.article
    assert story.bylines.filter(author__user__username="reporter").exists()
    page = client.get(story.get_absolute_url()).content.decode()
    assert "Key points" in page and "Pinned" in page and "Updated" in page
    call_command("load_live_demo")
    assert LiveEntry.objects.count() == 20


def test_the_live_demo_needs_the_demo_first():
    with pytest.raises(CommandError, match="load_demo"):
        call_command("load_live_demo")
