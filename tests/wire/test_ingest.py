"""Items from the folder: stored, updated by a higher version, ignored when not newer,
kept aside when bad (never half-imported), and expired when unused."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from articles.models import Article
from wire import inbox as wire_inbox
from wire import ingest, services
from wire.models import RejectedItem, WireItem, WirePicture, WireStory, WireSubject

from .conftest import deliver, item_bytes, take

pytestmark = pytest.mark.django_db


def test_the_folder_poll_stores_items_and_moves_the_files_to_done(inbox):
    deliver(inbox, "cp-budget-1.ninjs2.json", "afp-sommet-1.newsml.xml")
    counts = wire_inbox.poll()
    assert counts == {"created": 2}
    assert WireItem.objects.count() == 2
    assert sorted(p.name for p in (inbox / "done").iterdir()) == [
        "afp-sommet-1.newsml.xml",
        "cp-budget-1.ninjs2.json",
    ]
    assert not any(p.is_file() for p in inbox.iterdir())
    item = WireItem.objects.get(provider="The Canadian Press")
    assert item.source == "folder" and item.raw.startswith("{")
    assert set(item.subjects.values_list("name", flat=True)) == {
        "Provincial budgets",
        "Public transport",
    }


def test_a_picture_item_takes_its_file_from_the_folder_with_it(inbox):
    deliver(
        inbox,
        "cp-photo.ninjs3.json",
        "afp-photo.newsml.xml",
        pictures=["cp-harbour.jpg", "afp-delegues.jpg"],
    )
    assert wire_inbox.poll() == {"created": 2}
    pictures = WirePicture.objects.order_by("credit")
    assert [p.credit for p in pictures] == ["AFP/Marie Objectif", "THE CANADIAN PRESS/Sam Lens"]
    assert all(bytes(p.data)[:2] == b"\xff\xd8" for p in pictures)  # JPEG files, kept
    assert sorted(p.name for p in (inbox / "done").iterdir()) == [
        "afp-delegues.jpg",
        "afp-photo.newsml.xml",
        "cp-harbour.jpg",
        "cp-photo.ninjs3.json",
    ]


def test_a_picture_item_whose_file_did_not_come_is_refused(inbox):
    deliver(inbox, "cp-photo.ninjs3.json")
    assert wire_inbox.poll() == {"rejected": 1}
    assert not WireItem.objects.exists()
    assert "cp-harbour.jpg" in RejectedItem.objects.get().error


def test_a_picture_file_outside_the_inbox_is_never_read(inbox, tmp_path):
    (tmp_path / "secret.jpg").write_bytes(b"not for the wire")
    assert wire_inbox._picture(inbox, "../secret.jpg", []) is None
    assert wire_inbox._picture(inbox, "/etc/hostname", []) is None


def test_a_file_still_arriving_waits_for_the_next_poll(inbox):
    (inbox / "cp-budget-1.ninjs2.json").write_bytes(item_bytes("cp-budget-1.ninjs2.json"))
    assert wire_inbox.poll() == {}
    assert (inbox / "cp-budget-1.ninjs2.json").exists()


def test_a_bad_item_is_kept_aside_with_its_error_and_nothing_else_is_stored(inbox):
    (inbox / "broken.json").write_text(
        '{"uri": "urn:x", "standard": {"name": "ninjs", "version": "2.0"}}'
    )
    deliver(inbox)
    assert wire_inbox.poll() == {"rejected": 1}
    rejected = RejectedItem.objects.get()
    assert rejected.name == "broken.json" and "version" in rejected.error
    assert rejected.raw.startswith('{"uri": "urn:x"')
    assert not WireItem.objects.exists() and not WireSubject.objects.exists()
    assert (inbox / "rejected" / "broken.json").exists()


def test_an_item_failing_half_way_leaves_nothing_behind(monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(WirePicture.objects, "bulk_create", fail)
    with pytest.raises(RuntimeError):
        take("cp-budget-1.ninjs2.json")
    assert not WireItem.objects.exists() and not WireSubject.objects.exists()


def test_the_same_version_again_is_a_duplicate_and_ignored():
    first = take("cp-budget-1.ninjs2.json")
    again = take("cp-budget-1.ninjs2.json")
    assert (first.result, again.result) == (ingest.CREATED, ingest.DUPLICATE)
    assert WireItem.objects.count() == 1 and WireSubject.objects.count() == 2


def test_a_lower_version_is_ignored():
    take("cp-budget-2.ninjs2.json")
    assert take("cp-budget-1.ninjs2.json").result == ingest.DUPLICATE
    assert "$4 billion" in WireItem.objects.get().body_html


def _story_from(name, user, section=None):
    take(name)
    item = WireItem.objects.get()
    return services.use_item(item, by=user, section=section)


def test_a_higher_version_updates_the_item_and_flags_its_stories_with_the_diff(sections, reporter):
    story = _story_from("cp-budget-1.ninjs2.json", reporter)
    assert take("cp-budget-2.ninjs2.json").result == ingest.UPDATED
    item = WireItem.objects.get()
    assert item.version == 2 and "$4 billion" in item.body_html
    link = WireStory.objects.get(article=story)
    assert link.updated_to_version == 2
    assert "<del>$3 </del><ins>$4 </ins>" in link.update_diff
    assert "<ins>Monday.</ins>" in link.update_diff or "Monday" in link.update_diff
    story.refresh_from_db()
    assert "$3 billion" in story.body  # the story is the desk's: the wire only tells


def test_a_kill_marks_the_stories_made_from_the_item(sections, reporter):
    story = _story_from("afp-sommet-1.newsml.xml", reporter, section=sections[1])
    take("afp-sommet-3-kill.newsml.xml")
    link = WireStory.objects.get(article=story)
    assert link.killed_at is not None and link.kill_pending
    assert WireItem.objects.get().pubstatus == "canceled"


def test_unused_items_expire_and_used_ones_stay(settings, sections, reporter):
    settings.WIRE_EXPIRY_DAYS = 3
    take("cp-budget-1.ninjs2.json")
    take("afp-sommet-1.newsml.xml")
    used = WireItem.objects.get(format="newsml-g2")
    services.use_item(used, by=reporter, section=sections[1])
    RejectedItem.objects.create(source="folder", name="old.json", raw="{", error="bad")
    WireItem.objects.update(received_at=timezone.now() - timedelta(days=4))
    RejectedItem.objects.update(received_at=timezone.now() - timedelta(days=4))
    take("cp-photo.ninjs3.json")  # a new one (pushed: its picture's address only)
    assert services.expire() == (1, 1)
    assert list(WireItem.objects.values_list("format", flat=True).order_by("format")) == [
        "newsml-g2",
        "ninjs3",
    ]
    assert Article.objects.filter(pk=used.stories.get().article_id).exists()


def test_the_wire_poll_command_takes_the_folder_and_says_what_it_did(inbox, capsys):
    deliver(inbox, "cp-budget-1.ninjs2.json")
    call_command("wire_poll")
    assert "1 created" in capsys.readouterr().out
    assert WireItem.objects.count() == 1


def test_the_wire_poll_command_refuses_a_missing_folder_with_a_sentence(settings, tmp_path):
    settings.WIRE_INBOX_DIR = str(tmp_path / "nowhere")
    with pytest.raises(CommandError, match="is not a folder"):
        call_command("wire_poll")
