"""The front page editors arrange: lead, top stories, banner, rails and section blocks."""

import uuid
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from articles.frontpage import LATEST_STORIES, TOP_STORIES, build_home, seconds_until_next_expiry
from articles.models import Article, FrontPage, FrontPageStory
from newsroom import pagecache
from ratings.models import record_vote
from tests.factories import ArticleFactory, PhotoFactory, SectionFactory, UserFactory

pytestmark = pytest.mark.django_db


def _stories(count, **kwargs):
    """``count`` published stories, newest first, an hour apart."""
    now = timezone.now()
    return [ArticleFactory(publish_at=now - timedelta(hours=n + 1), **kwargs) for n in range(count)]


def _arrange(lead=None, top=(), **fields):
    page = FrontPage.current()
    page.lead = lead
    for name, value in fields.items():
        setattr(page, name, value)
    page.save()
    page.stories.all().delete()
    for position, item in enumerate(top):
        article, until = item if isinstance(item, tuple) else (item, None)
        FrontPageStory.objects.create(
            front_page=page, article=article, position=position, until=until
        )
    return page


def test_with_nothing_arranged_the_newest_stories_fill_the_page():
    stories = _stories(8)
    home = build_home()
    assert home.lead == stories[0]
    assert home.top == stories[1 : 1 + TOP_STORIES]
    assert home.latest == stories[1 + TOP_STORIES :]


def test_a_lead_story_candidate_among_the_newest_leads_when_editors_chose_none():
    stories = _stories(6)
    Article.objects.filter(pk=stories[3].pk).update(featured=True)
    assert build_home().lead == stories[3]


def test_an_automatic_lead_is_never_older_than_the_rule_allows(settings):
    """A "lead story" candidate two days old does not lead above the last hours' news."""
    settings.FRONT_PAGE_LEAD_HOURS = 12
    now = timezone.now()
    fresh = [ArticleFactory(publish_at=now - timedelta(hours=n + 1)) for n in range(5)]
    ArticleFactory(publish_at=now - timedelta(days=2), featured=True)
    assert build_home().lead == fresh[0]


def test_the_newest_candidate_of_the_last_hours_leads_above_newer_stories(settings):
    settings.FRONT_PAGE_LEAD_HOURS = 12
    now = timezone.now()
    ArticleFactory(publish_at=now - timedelta(hours=1))
    candidate = ArticleFactory(publish_at=now - timedelta(hours=11), featured=True)
    ArticleFactory(publish_at=now - timedelta(hours=3), featured=False)
    assert build_home().lead == candidate
    settings.FRONT_PAGE_LEAD_HOURS = 6  # the same candidate is now too old
    assert build_home().lead != candidate


def test_with_nothing_recent_the_newest_story_leads(settings):
    settings.FRONT_PAGE_LEAD_HOURS = 12
    now = timezone.now()
    newest = ArticleFactory(publish_at=now - timedelta(days=3))
    ArticleFactory(publish_at=now - timedelta(days=4), featured=True)
    assert build_home().lead == newest


def _front_page_editor(client):
    """The front-page editor's page as an editor sees it."""
    editor = UserFactory(username="desk-editor", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editor"))
    client.force_login(editor)
    page = FrontPage.current()
    return client.get(f"/admin/articles/frontpage/{page.pk}/change/").content.decode()


def test_the_front_page_editor_states_the_automatic_lead_rule(client, settings):
    settings.FRONT_PAGE_LEAD_HOURS = 8
    html = _front_page_editor(client)
    assert "the newest story marked “lead story” published in the last 8 hours" in html
    with translation.override("fr-ca"):
        assert "au cours des 8 dernières heures" in FrontPage.automatic_lead_rule()


def test_the_front_page_editor_is_titled_once(client):
    html = _front_page_editor(client)
    assert "<h1>Front page</h1>" in html
    assert "Change front page" not in html and "<h2>Front page</h2>" not in html


def test_editors_lead_and_top_stories_come_first_in_their_order():
    stories = _stories(10)
    _arrange(lead=stories[9], top=[stories[7], stories[5]])
    home = build_home()
    assert home.lead == stories[9]
    # Editors' picks first, then the newest stories not already shown.
    assert home.top == [stories[7], stories[5], stories[0], stories[1]]


def test_an_expired_lead_or_top_story_falls_back_to_the_newest():
    stories = _stories(8)
    past = timezone.now() - timedelta(minutes=1)
    _arrange(lead=stories[6], lead_until=past, top=[(stories[7], past)])
    home = build_home()
    assert home.lead == stories[0]
    assert stories[7] not in home.top and stories[6] not in home.top


def test_an_unpublished_story_never_shows_even_if_editors_picked_it():
    stories = _stories(6)
    _arrange(lead=stories[4], top=[stories[5]])
    Article.objects.filter(pk__in=[stories[4].pk, stories[5].pk]).update(
        status=Article.Status.UNPUBLISHED
    )
    home = build_home()
    shown = [home.lead, *home.top, *home.latest]
    assert stories[4] not in shown and stories[5] not in shown


def test_every_story_appears_once_on_the_home_page():
    canada, sports = SectionFactory(name="Canada"), SectionFactory(name="Sports")
    _stories(12, section=canada)
    _stories(12, section=sports)
    home = build_home()
    shown = [home.lead, *home.top, *home.latest]
    shown += [story for _, stories in home.sections for story in stories]
    assert len(shown) == len(set(shown)) == 1 + TOP_STORIES + LATEST_STORIES + 2 * 3


def test_breaking_banner_shows_until_its_expiry(client):
    _stories(2)
    _arrange(
        breaking_text="Polls close in Quebec byelection",
        breaking_until=timezone.now() + timedelta(minutes=30),
    )
    assert "Polls close in Quebec byelection" in client.get("/").content.decode()
    _arrange(
        breaking_text="Polls close in Quebec byelection",
        breaking_until=timezone.now() - timedelta(minutes=1),
    )
    assert "Polls close" not in client.get("/").content.decode()


def test_times_are_written_the_canadian_way_for_the_script_to_make_relative(client):
    afternoon = timezone.localtime().replace(hour=14, minute=30, second=0, microsecond=0)
    story = ArticleFactory(publish_at=afternoon - timedelta(days=1))
    html = client.get("/").content.decode()
    assert f'datetime="{story.publish_at.isoformat()}"' in html
    assert "2:30 p.m." in html and " data-relative " in html
    assert 'data-hours="%(n)s hours ago"' in html  # the words site.js needs for "2 hours ago"


def _home_page_queries(client, count):
    sections = [SectionFactory(name=f"Desk {n}", slug=f"desk-{n}") for n in range(7)]
    photo = PhotoFactory()
    now = timezone.now()
    Article.objects.all().delete()
    for n in range(count):
        ArticleFactory(
            section=sections[n % 7],
            lead_photo=photo if n % 3 else None,
            publish_at=now - timedelta(minutes=n + 1),
        )
    _arrange(lead=Article.objects.last(), top=list(Article.objects.all()[5:7]))
    client.get("/")  # warm the navigation and footer caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200
    return len(queries)


def test_home_page_runs_a_fixed_number_of_queries(client):
    ten = _home_page_queries(client, 10)
    hundred = _home_page_queries(client, 100)
    assert ten == hundred
    # Front page with its lead; editors' top stories; the newest; the section blocks; the
    # readers' top rated this week.
    assert hundred == 5


def test_top_rated_rail_lists_this_weeks_best_with_enough_votes(client):
    now = timezone.now()
    loved = ArticleFactory(headline="Loved story", publish_at=now - timedelta(days=1))
    liked = ArticleFactory(headline="Liked story", publish_at=now - timedelta(days=2))
    too_few = ArticleFactory(headline="Barely rated story", publish_at=now - timedelta(days=1))
    old = ArticleFactory(headline="Old favourite", publish_at=now - timedelta(days=9))
    for story, stars, votes in ((loved, 5, 6), (liked, 4, 5), (too_few, 5, 2), (old, 5, 9)):
        for n in range(votes):
            record_vote(story.pk, uuid.uuid4(), stars, f"address-{n}")
    html = client.get("/").content.decode()
    rail = html[html.index("Readers’ top rated this week") :]
    assert rail.index("Loved story") < rail.index("Liked story")
    assert "Barely rated story" not in rail and "Old favourite" not in rail
    assert "Average rating 5.0 / 5 · Vote count: 6" in rail


def test_top_rated_rail_lists_stories_in_the_pages_language(client):
    """The French home page's top rated rail names French stories only, and the English one
    English stories only."""
    now = timezone.now()
    english = ArticleFactory(headline="Loved English story", publish_at=now - timedelta(days=1))
    french = ArticleFactory(
        headline="Article français adoré", language="fr", publish_at=now - timedelta(days=1)
    )
    for story in (english, french):
        for n in range(6):
            record_vote(story.pk, uuid.uuid4(), 5, f"address-{n}")
    english_home = client.get("/").content.decode()
    french_home = client.get("/fr/").content.decode()
    assert "Loved English story" in english_home and "Article français adoré" not in english_home
    assert "Article français adoré" in french_home and "Loved English story" not in french_home


def test_home_page_is_the_same_for_every_reader(settings):
    settings.PAGE_CACHE_SECONDS = 0
    stories = _stories(6)
    voter = Client()
    voter.post(f"/ratings/{stories[0].pk}/vote/", {"stars": 5}, HTTP_ORIGIN="http://testserver")
    signed_in = Client()
    signed_in.force_login(UserFactory(is_staff=False))
    pages = {c.get("/").content for c in (Client(), voter, signed_in)}
    assert len(pages) == 1


def test_changing_the_front_page_refreshes_the_cached_home_page(
    client, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_SECONDS = 600
    stories = _stories(8)
    with django_capture_on_commit_callbacks(execute=True):
        _arrange()
    first = client.get("/").content.decode()
    assert first.index(stories[0].headline) < first.index(stories[7].headline)
    with django_capture_on_commit_callbacks(execute=True):
        _arrange(lead=stories[7], breaking_text="Storm warning for the Maritimes")
    second = client.get("/").content.decode()
    assert "Storm warning for the Maritimes" in second
    assert second.index(stories[7].headline) < second.index(stories[0].headline)
    with django_capture_on_commit_callbacks(execute=True):
        FrontPage.current().stories.create(article=stories[6], position=0)
    assert client.get("/").content.decode() != second


def test_cached_home_page_never_outlives_the_next_expiry(settings):
    stories = _stories(3)
    _arrange(
        lead=stories[2],
        lead_until=timezone.now() + timedelta(hours=2),
        top=[(stories[1], timezone.now() + timedelta(seconds=90))],
    )
    assert 85 <= seconds_until_next_expiry() <= 90
    assert seconds_until_next_expiry in pagecache._expiry_sources["home"]


def test_editors_may_arrange_the_front_page_and_reporters_may_not(client):
    editor = UserFactory(username="desk-editor", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editor"))
    reporter = UserFactory(username="desk-reporter", is_staff=True)
    reporter.groups.add(Group.objects.get(name="Reporter"))
    client.force_login(editor)
    response = client.get("/admin/articles/frontpage/", follow=True)
    assert response.status_code == 200 and b"Breaking news banner" in response.content
    client.force_login(reporter)
    assert client.get("/admin/articles/frontpage/1/change/").status_code == 403


def test_a_draft_cannot_be_put_on_the_front_page(client):
    editor = UserFactory(username="desk-editor2", is_staff=True, is_superuser=True)
    draft = ArticleFactory(status=Article.Status.DRAFT, publish_at=None)
    page = FrontPage.current()
    client.force_login(editor)
    response = client.post(
        f"/admin/articles/frontpage/{page.pk}/change/",
        {
            "lead": draft.pk,
            "stories-TOTAL_FORMS": "0",
            "stories-INITIAL_FORMS": "0",
            "stories-MIN_NUM_FORMS": "0",
            "stories-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 200
    assert "Only published or scheduled stories" in response.content.decode()
    page.refresh_from_db()
    assert page.lead is None
