"""Public pages are served from the cache until something they show changes."""

import re
import time
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles import cached_pages
from articles.models import Article
from newsroom import pagecache
from tests.factories import ArticleFactory, PhotoFactory, SectionFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]


def test_second_request_for_a_story_is_served_without_queries(client, django_assert_num_queries):
    article = ArticleFactory()
    first = client.get(article.get_absolute_url())
    assert first.status_code == 200
    with django_assert_num_queries(0):
        second = client.get(article.get_absolute_url())
    assert second.status_code == 200
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]


def test_story_change_is_shown_after_commit(client, django_capture_on_commit_callbacks):
    article = ArticleFactory(headline="Bridge reopens after repairs")
    assert b"Bridge reopens" in client.get(article.get_absolute_url()).content
    assert b"Bridge reopens" in client.get("/").content
    with django_capture_on_commit_callbacks(execute=True):
        article.headline = "Bridge reopens two weeks early"
        article.describe_change("minor")
        article.save()
    assert b"two weeks early" in client.get(article.get_absolute_url()).content
    assert b"two weeks early" in client.get("/").content
    assert b"two weeks early" in client.get(article.section.get_absolute_url()).content


def test_story_moved_to_another_section_leaves_the_old_section_page(
    client, django_capture_on_commit_callbacks
):
    old, new = SectionFactory(), SectionFactory()
    with django_capture_on_commit_callbacks(execute=True):
        article = ArticleFactory(section=old, headline="Ferry service cut for winter")
    assert b"Ferry service" in client.get(old.get_absolute_url()).content
    with django_capture_on_commit_callbacks(execute=True):
        article.section = new
        article.save()
    assert b"Ferry service" not in client.get(old.get_absolute_url()).content
    assert b"Ferry service" in client.get(new.get_absolute_url()).content


def test_unpublished_story_disappears_from_cached_pages(client, django_capture_on_commit_callbacks):
    article = ArticleFactory(headline="Mayor resigns", tags=["City hall"])
    url = article.get_absolute_url()
    assert client.get(url).status_code == 200
    assert b"Mayor resigns" in client.get("/tag/city-hall/").content
    with django_capture_on_commit_callbacks(execute=True):
        article.status = Article.Status.UNPUBLISHED
        article.save()
    assert client.get(url).status_code == 404
    assert b"Mayor resigns" not in client.get("/tag/city-hall/").content
    assert b"Mayor resigns" not in client.get("/").content


def test_deleted_story_disappears_from_cached_pages(client, django_capture_on_commit_callbacks):
    article = ArticleFactory(headline="Transit strike averted")
    url = article.get_absolute_url()
    assert client.get(url).status_code == 200
    assert b"Transit strike" in client.get("/").content
    with django_capture_on_commit_callbacks(execute=True):
        article.delete()
    assert client.get(url).status_code == 404
    assert b"Transit strike" not in client.get("/").content


def _shared_record(monkeypatch):
    """As with Redis: every process reads the same record of what readers saw."""
    monkeypatch.setattr(pagecache, "remembered_everywhere", lambda: True)


def test_a_draft_save_does_not_empty_the_cache(
    client, django_capture_on_commit_callbacks, monkeypatch
):
    _shared_record(monkeypatch)
    published = ArticleFactory(headline="Snowfall warning for Ottawa")
    draft = ArticleFactory(status=Article.Status.DRAFT, section=published.section)
    client.get("/")
    with django_capture_on_commit_callbacks(execute=True):
        draft.save()  # first save: its groups are recorded as never seen by readers
    client.get("/")
    with django_capture_on_commit_callbacks(execute=True):
        draft.headline = "Still a draft"
        draft.save()
    key, group = pagecache.page_identity(_request("/"), "articles:home", {})
    entry, stale, _ = pagecache.lookup(key, group)
    assert entry is not None and stale is None


def test_a_record_kept_per_process_never_vouches_that_readers_did_not_see_a_story(
    client, django_capture_on_commit_callbacks
):
    # Without Redis each process keeps its own record: this one last saw the story as an
    # unpublished draft, while another process published it and served the home page.
    story = ArticleFactory(headline="Ferry service cut to the islands")
    pagecache.remember(story.pk, cached_pages.groups_for(story), public=False)
    assert b"Ferry service cut" in client.get("/").content
    with django_capture_on_commit_callbacks(execute=True):
        story.status = Article.Status.UNPUBLISHED
        story.save()
    assert b"Ferry service cut" not in client.get("/").content


def test_photo_change_refreshes_the_story_page(client, django_capture_on_commit_callbacks):
    photo = PhotoFactory(caption="Old caption")
    article = ArticleFactory(lead_photo=photo)
    assert b"Old caption" in client.get(article.get_absolute_url()).content
    with django_capture_on_commit_callbacks(execute=True):
        photo.caption = "Firefighters at dawn near Jasper"
        photo.save()
    assert b"Firefighters at dawn" in client.get(article.get_absolute_url()).content


def test_scheduled_story_appears_on_the_home_page_when_its_time_comes(client, time_machine):
    now = timezone.now()
    time_machine.move_to(now, tick=False)
    ArticleFactory(headline="Already out")
    ArticleFactory(
        headline="Embargoed budget story",
        status=Article.Status.SCHEDULED,
        publish_at=now + timedelta(minutes=5),
    )
    assert b"Embargoed budget" not in client.get("/").content
    time_machine.move_to(now + timedelta(minutes=5, seconds=2), tick=False)
    assert b"Embargoed budget" in client.get("/").content


def test_cache_never_outlives_the_next_scheduled_publish_time(settings):
    now = timezone.now()
    ArticleFactory(status=Article.Status.SCHEDULED, publish_at=now + timedelta(seconds=90))
    assert 85 <= cached_pages.seconds_until_next_scheduled_story() <= 90


def test_other_query_parameters_bypass_the_cache(client, django_assert_max_num_queries):
    article = ArticleFactory()
    client.get(article.get_absolute_url())
    response = client.get(article.get_absolute_url(), {"utm_source": "newsletter"})
    assert response.status_code == 200
    assert "public" not in response.get("Cache-Control", "")
    # Rendered fresh, so it queries the database again.
    with django_assert_max_num_queries(20) as queries:
        client.get(article.get_absolute_url(), {"utm_source": "newsletter"})
    assert len(queries) > 0


def test_page_parameter_is_part_of_the_key(client):
    section = SectionFactory()
    for n in range(25):
        ArticleFactory(section=section, headline=f"Council story {n:02d}")
    page1 = client.get(section.get_absolute_url()).content
    page2 = client.get(section.get_absolute_url(), {"page": 2}).content
    assert page1 != page2
    assert b"Council story 00" in page2 and b"Council story 00" not in page1


def test_logged_in_staff_bypass_the_cache(client, django_capture_on_commit_callbacks):
    article = ArticleFactory(headline="Original headline")
    client.get(article.get_absolute_url())
    # Changed without the signal (e.g. a bulk fix): the cached copy is stale.
    Article.objects.filter(pk=article.pk).update(headline="Corrected headline")
    assert b"Original headline" in client.get(article.get_absolute_url()).content
    editor = UserFactory(is_staff=True)
    client.force_login(editor)
    assert b"Corrected headline" in client.get(article.get_absolute_url()).content


def test_reader_with_a_session_still_gets_the_cached_page(client):
    article = ArticleFactory(headline="Original headline")
    client.get(article.get_absolute_url())
    Article.objects.filter(pk=article.pk).update(headline="Corrected headline")
    reader = UserFactory(is_staff=False)
    client.force_login(reader)
    assert b"Original headline" in client.get(article.get_absolute_url()).content


def test_public_pages_carry_cdn_headers_and_no_vary_cookie(client):
    article = ArticleFactory()
    for url in ("/", article.get_absolute_url(), article.section.get_absolute_url()):
        for attempt in ("miss", "hit"):
            response = client.get(url)
            cache_control = response["Cache-Control"]
            assert "public" in cache_control and "s-maxage=60" in cache_control, (url, attempt)
            assert "Cookie" not in response.get("Vary", ""), (url, attempt)
            assert "Set-Cookie" not in str(response.cookies), (url, attempt)
            assert response.has_header("ETag") and response.has_header("Last-Modified")


def test_conditional_request_gets_304(client):
    article = ArticleFactory()
    first = client.get(article.get_absolute_url())
    again = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    since = client.get(article.get_absolute_url(), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304


def test_conditional_request_after_a_change_gets_the_new_page(
    client, django_capture_on_commit_callbacks
):
    article = ArticleFactory()
    first = client.get(article.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        article.headline = "A fresh headline"
        article.describe_change("minor")
        article.save()
    again = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert b"A fresh headline" in again.content


def test_admin_is_never_public(admin_client):
    response = admin_client.get("/admin/")
    assert "public" not in response.get("Cache-Control", "")
    assert "private" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


def test_rating_hook_refreshes_only_the_story_page(client):
    article = ArticleFactory(headline="Original headline")
    client.get(article.get_absolute_url())
    Article.objects.filter(pk=article.pk).update(headline="Corrected headline")
    cached_pages.invalidate_story_pages([article.pk])
    assert b"Corrected headline" in client.get(article.get_absolute_url()).content


def test_session_is_not_touched_by_the_staff_check(client):
    """A reader's session cookie is read through a separate store: no Vary: Cookie."""
    article = ArticleFactory()
    session = SessionStore()
    session[SESSION_KEY] = str(UserFactory(is_staff=False).pk)
    session.save()
    client.cookies["sessionid"] = session.session_key
    response = client.get(article.get_absolute_url())
    assert "Cookie" not in response.get("Vary", "")


def _request(path):
    from django.test import RequestFactory

    request = RequestFactory().get(path)
    request.LANGUAGE_CODE = "en-ca"
    return request


def test_hot_page_is_served_from_the_worker_without_asking_the_cache(client, settings):
    settings.PAGE_CACHE_LOCAL_SECONDS = 1
    article = ArticleFactory()
    first = client.get(article.get_absolute_url())
    with mock.patch.object(
        pagecache.middleware, "lookup", side_effect=AssertionError("asked Redis")
    ):
        second = client.get(article.get_absolute_url())
    assert second.content == first.content


def test_worker_copy_expires_after_its_second(client, settings):
    settings.PAGE_CACHE_LOCAL_SECONDS = 1
    article = ArticleFactory(headline="Original headline")
    client.get(article.get_absolute_url())
    # Another worker invalidated the page: only the shared cache knows.
    Article.objects.filter(pk=article.pk).update(headline="Corrected headline")
    pagecache._cache().set(pagecache._gen_key(f"story:{article.slug}"), 1, timeout=None)
    assert b"Original headline" in client.get(article.get_absolute_url()).content
    with mock.patch("newsroom.pagecache.time.monotonic", return_value=time.monotonic() + 2):
        assert b"Corrected headline" in client.get(article.get_absolute_url()).content


def test_invalidation_in_this_worker_drops_its_copies_at_once(
    client, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_LOCAL_SECONDS = 60
    article = ArticleFactory(headline="Original headline")
    client.get(article.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        article.headline = "Corrected headline"
        article.describe_change("minor")
        article.save()
    assert b"Corrected headline" in client.get(article.get_absolute_url()).content


def test_while_one_request_re_renders_a_page_others_get_the_previous_copy(
    client, django_capture_on_commit_callbacks
):
    article = ArticleFactory(headline="Original headline")
    client.get("/")
    with django_capture_on_commit_callbacks(execute=True):
        article.headline = "Corrected headline"
        article.describe_change("minor")
        article.save()
    key, _group = pagecache.page_identity(_request("/"), "articles:home", {})
    assert pagecache.claim_render(key)  # another worker is rendering the new home page
    assert b"Original headline" in client.get("/").content
    pagecache._cache().delete(pagecache._render_lock_key(key))
    assert b"Corrected headline" in client.get("/").content
    assert pagecache.claim_render(key)  # the lock was given back after rendering


def test_unpublished_story_is_not_served_from_its_outdated_copy(
    client, django_capture_on_commit_callbacks
):
    article = ArticleFactory()
    url = article.get_absolute_url()
    client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        article.status = Article.Status.UNPUBLISHED
        article.save()
    assert client.get(url).status_code == 404
    key, _group = pagecache.page_identity(_request(url), "articles:detail", {"slug": article.slug})
    assert pagecache.claim_render(key)
    # Even while someone holds the lock, the unpublished story is never handed out again.
    assert client.get(url).status_code == 404


def _vote(article, stars, capture):
    with capture(execute=True):
        response = Client().post(
            reverse("ratings:vote", args=[article.pk]),
            {"stars": stars},
            HTTP_ORIGIN="http://testserver",
        )
    assert response.status_code == 303


def _shown_count(html):
    """The vote count in the ratings block and in the JSON-LD aggregateRating (or None)."""
    block = re.search(rb"<span data-ratings-count>(\d+)</span>", html).group(1)
    json_ld = re.search(rb'"ratingCount": (\d+)', html)
    return int(block), json_ld and int(json_ld.group(1))


def test_a_vote_does_not_invalidate_the_cached_story_page(
    client, settings, django_capture_on_commit_callbacks, django_assert_num_queries
):
    settings.PAGE_RATINGS_LAG_SECONDS = 60
    article = ArticleFactory()
    url = article.get_absolute_url()
    with time_machine.travel(timezone.now(), tick=False) as clock:
        first = client.get(url)
        clock.shift(5)
        _vote(article, 4, django_capture_on_commit_callbacks)
        live = client.get(reverse("ratings:summary", args=[article.pk])).json()
        assert live["count"] == 1  # the live numbers are exact at once
        clock.shift(54)  # 59 s after the render: the page may still lag
        with django_assert_num_queries(0):
            cached = client.get(url)
        assert cached.content == first.content
        assert _shown_count(cached.content) == (0, None)


def test_the_story_page_catches_up_with_votes_within_the_configured_lag(
    client, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_RATINGS_LAG_SECONDS = 30
    article = ArticleFactory()
    url = article.get_absolute_url()
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.get(url)
        clock.shift(10)
        _vote(article, 4, django_capture_on_commit_callbacks)
        clock.shift(20)  # 30 s after the render, 20 s after the vote
        assert _shown_count(client.get(url).content) == (1, 1)  # block and JSON-LD agree


def test_votes_re_render_a_story_page_at_most_once_per_lag(
    client, settings, django_capture_on_commit_callbacks, django_assert_num_queries
):
    settings.PAGE_RATINGS_LAG_SECONDS = 60
    article = ArticleFactory()
    url = article.get_absolute_url()
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.get(url)
        _vote(article, 5, django_capture_on_commit_callbacks)
        clock.shift(60)
        assert _shown_count(client.get(url).content) == (1, 1)  # re-rendered at 60 s
        clock.shift(1)
        _vote(article, 3, django_capture_on_commit_callbacks)
        clock.shift(58)  # 58 s after the re-render: still the page of 60 s
        with django_assert_num_queries(0):
            assert _shown_count(client.get(url).content) == (1, 1)
        clock.shift(2)
        assert _shown_count(client.get(url).content) == (2, 2)


def test_a_burst_of_votes_writes_the_vote_time_once_and_the_page_still_catches_up(
    client, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_RATINGS_LAG_SECONDS = 30
    article = ArticleFactory()
    url = article.get_absolute_url()
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.get(url)
        with mock.patch.object(pagecache.entries, "_cache", wraps=pagecache._cache) as cache:
            for stars in (5, 4, 3):  # three votes in the same instant, one write
                _vote(article, stars, django_capture_on_commit_callbacks)
            assert cache.call_count == 1
            clock.shift(0.5)
            _vote(article, 2, django_capture_on_commit_callbacks)  # still covered
            assert cache.call_count == 1
            clock.shift(1)
            _vote(article, 1, django_capture_on_commit_callbacks)  # past the note: a new one
            assert cache.call_count == 2
        clock.shift(30)  # 30 s after the last vote: every vote is on the page
        assert _shown_count(client.get(url).content) == (5, 5)


def test_a_story_nobody_votes_on_keeps_its_cached_page_past_the_lag(
    client, settings, django_assert_num_queries
):
    settings.PAGE_RATINGS_LAG_SECONDS = 60
    article = ArticleFactory()
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.get(article.get_absolute_url())
        clock.shift(300)
        with django_assert_num_queries(0):
            assert client.get(article.get_absolute_url()).status_code == 200


def test_ratings_endpoints_are_private(client):
    article = ArticleFactory()
    response = client.get(reverse("ratings:summary", args=[article.pk]))
    assert response.status_code == 200
    assert "private" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_search_results_are_cached_per_query_and_refreshed_by_a_new_story(
    client, django_capture_on_commit_callbacks
):
    ArticleFactory(headline="Wildfire forces evacuation of Yellowknife")
    first = client.get("/search/", {"q": "wildfire"})
    assert first.status_code == 200
    assert "public" in first["Cache-Control"]
    other = client.get("/search/", {"q": "housing"})
    assert other.content != first.content
    with django_capture_on_commit_callbacks(execute=True):
        ArticleFactory(headline="Wildfire smoke closes schools in Kelowna")
    assert b"closes schools" in client.get("/search/", {"q": "wildfire"}).content


def test_cache_invalidation_runs_after_the_search_vector_is_refreshed(
    django_capture_on_commit_callbacks,
):
    """Search vectors are refreshed before pages are invalidated, whatever receivers exist."""
    from articles import search
    from articles.signals import article_changed

    steps = []

    def other_receiver(sender, **kwargs):
        steps.append("receiver")

    # Connected after the page cache's receiver: the vector is refreshed before either runs.
    article_changed.connect(other_receiver, dispatch_uid="test-other")
    refresh = search.update_search_vectors
    try:
        with (
            mock.patch.object(
                search,
                "update_search_vectors",
                side_effect=lambda ids: steps.append("search") or refresh(ids),
            ),
            mock.patch.object(
                cached_pages,
                "invalidate_article",
                side_effect=lambda *a, **k: steps.append("pages"),
            ),
            django_capture_on_commit_callbacks(execute=True),
        ):
            ArticleFactory()
    finally:
        article_changed.disconnect(dispatch_uid="test-other")
    assert steps == ["search", "pages", "receiver"]


def test_story_page_is_byte_for_byte_the_same_for_every_reader(settings):
    """What makes whole-page caching safe: nothing in the page depends on who asks."""
    settings.PAGE_CACHE_SECONDS = 0  # render fresh each time
    article = ArticleFactory(tags=["Wildfires"])
    anonymous = Client()
    voter = Client()
    voter.post(
        reverse("ratings:vote", args=[article.pk]), {"stars": 5}, HTTP_ORIGIN="http://testserver"
    )
    signed_in = Client()
    signed_in.force_login(UserFactory(is_staff=False))
    pages = {
        client.get(article.get_absolute_url()).content for client in (anonymous, voter, signed_in)
    }
    assert len(pages) == 1


def test_refreshed_related_list_refreshes_the_story_page(client):
    """A story's "You may also like" block changed: its cached page is rendered again."""
    from articles.signals import related_lists_changed

    article = ArticleFactory(headline="Original headline")
    other = ArticleFactory(headline="Untouched story")
    client.get(article.get_absolute_url())
    client.get(other.get_absolute_url())
    Article.objects.filter(pk__in=[article.pk, other.pk]).update(headline="Changed")
    related_lists_changed.send(sender=None, article_ids=[article.pk])
    assert b"Changed" in client.get(article.get_absolute_url()).content
    assert b"Untouched story" in client.get(other.get_absolute_url()).content
    related_lists_changed.send(sender=None, article_ids=None)  # a full rebuild
    assert b"Untouched story" not in client.get(other.get_absolute_url()).content
