"""The demo content command: deterministic, complete, and safe to re-run."""

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, Byline, RelatedArticle
from demo.generator import story_plan

pytestmark = pytest.mark.django_db


def test_same_seed_same_stories():
    assert story_plan(7, 42) == story_plan(7, 42)
    assert story_plan(7, 42)["headline"] != story_plan(8, 42)["headline"] or (
        story_plan(7, 42)["body"] != story_plan(8, 42)["body"]
    )


def test_load_demo_fills_the_site(capsys):
    call_command("load_demo", articles=40, seed=3)
    out = capsys.readouterr().out
    assert "40/40 stories" in out and "user: editor" in out
    assert Article.objects.count() == 40
    assert Article.objects.published().count() >= 35
    assert Byline.objects.count() >= 40
    story = Article.objects.published().exclude(lead_photo=None).first()
    assert story.lead_photo.caption and story.lead_photo.credit.startswith("THE CANADIAN PRESS/")
    assert story.tags.exists() and "<h2>" in story.body
    # The demo site shows "You may also like" straight away.
    assert RelatedArticle.objects.exists()


def test_load_demo_does_not_duplicate_on_a_second_run(capsys):
    call_command("load_demo", articles=5)
    call_command("load_demo", articles=5)
    assert Article.objects.count() == 5
    assert "already loaded" in capsys.readouterr().out


def test_negative_count_is_a_clear_error():
    with pytest.raises(CommandError, match="zero or more"):
        call_command("load_demo", articles=-1)
