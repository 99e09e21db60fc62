"""Live pages stay cheap: the story page, the update endpoint, the older pages and the feed
are kept by the page cache and marked for nginx's micro-cache, and every entry change
makes them stale at once."""

import json

import pytest

from live import services
from newsroom import pagecache

from .conftest import post

pytestmark = pytest.mark.django_db


def _updates(client, story):
    return client.get(f"/story/{story.slug}/live/updates/")


def test_the_update_endpoint_is_cached_and_marked_for_the_proxy(
    client, live_story, reporter, page_cache_on, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post(live_story, reporter, "First.")
    first = _updates(client, live_story)
    assert first[pagecache.PROXY_HEADER] == "1"
    again = _updates(client, live_story)
    assert again.content == first.content and again["ETag"] == first["ETag"]
    # Served from the cache, it keeps its own Cache-Control (a CDN: seconds, not a minute).
    assert "s-maxage=5" in again["Cache-Control"]


@pytest.mark.parametrize("change", ["post", "edit", "delete", "end"])
def test_every_change_makes_the_live_pages_stale(
    client, live_story, reporter, page_cache_on, django_capture_on_commit_callbacks, change
):
    with django_capture_on_commit_callbacks(execute=True):
        entry = post(live_story, reporter, "Original text.")
    before_page = client.get(live_story.get_absolute_url()).content
    before = json.loads(_updates(client, live_story).content)
    pagecache._local.clear()  # another worker: no one-second local copy
    with django_capture_on_commit_callbacks(execute=True):
        if change == "post":
            post(live_story, reporter, "A new one.")
        elif change == "edit":
            services.edit(entry, by=reporter, body="<p>Changed text.</p>")
        elif change == "delete":
            services.delete(entry, by=reporter)
        else:
            services.end(live_story.live_coverage, by=reporter)
    pagecache._local.clear()
    after = json.loads(_updates(client, live_story).content)
    assert after != before
    assert client.get(live_story.get_absolute_url()).content != before_page


def test_a_deleted_photo_leaves_the_live_pages(
    client, live_story, reporter, page_cache_on, django_capture_on_commit_callbacks
):
    from tests.factories import PhotoFactory

    photo = PhotoFactory()
    with django_capture_on_commit_callbacks(execute=True):
        post(live_story, reporter, "With a photo.", photo=photo)
    assert photo.fallback["url"].encode() in client.get(live_story.get_absolute_url()).content
    url = photo.fallback["url"].encode()
    pagecache._local.clear()
    with django_capture_on_commit_callbacks(execute=True):
        photo.delete()
    pagecache._local.clear()
    assert url not in client.get(live_story.get_absolute_url()).content
