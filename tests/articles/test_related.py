"""Related stories: ranking on small hand-made archives, stored lists and the page block."""

from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from articles import related
from articles.models import Article, RelatedArticle, RelatedExclusion, RelatedPin
from articles.related.refresh import refresh_related
from tests.factories import ArticleFactory, PhotoFactory, SectionFactory, TagFactory

pytestmark = pytest.mark.django_db

TEXTS = {
    "fire": (
        "Wildfire forces evacuation near Kelowna",
        "Crews battle an out-of-control wildfire as smoke blankets the valley.",
        "<p>Water bombers and firefighters fought the wildfire through the night while "
        "evacuees waited at a reception centre. Smoke pushed air quality to high risk.</p>",
    ),
    "fire2": (
        "Firefighters hold the line on wildfire west of Kamloops",
        "Evacuation orders remain as the wildfire smoke lingers.",
        "<p>Firefighters and water bombers kept the wildfire from homes; evacuees were told "
        "the smoke and fire danger would last days.</p>",
    ),
    "hockey": (
        "Oilers win in overtime to force game seven",
        "A late power-play goal sent the series back to Edmonton.",
        "<p>The goaltender made forty saves and the captain scored in overtime as the crowd "
        "roared. The coach praised the penalty kill.</p>",
    ),
    "rates": (
        "Bank of Canada holds its key interest rate",
        "Economists expect cuts later as inflation cools.",
        "<p>The central bank governor said mortgage holders face renewals at higher rates; "
        "bond yields fell after the announcement.</p>",
    ),
    "film": (
        "Quebec director's drama wins festival prize",
        "The film follows a family running a dairy farm.",
        "<p>Critics praised the cinematography and the lead actress; the distributor plans "
        "a national release in cinemas this autumn.</p>",
    ),
    "transit": (
        "Light rail line opens two years late",
        "Riders lined up for the first trains downtown.",
        "<p>The transit agency said ridership on the new stations would grow as bus routes "
        "are redrawn; the council debated fares.</p>",
    ),
    "arctic": (
        "Sea ice retreat opens Northwest Passage early",
        "Inuit hunters report thinner ice near Iqaluit.",
        "<p>Researchers on an icebreaker measured permafrost thaw and shipping traffic in "
        "the Arctic archipelago.</p>",
    ),
    "budget": (
        "Finance minister tables a deficit budget",
        "New spending on defence and housing is offset by a tax change.",
        "<p>Opposition critics in Parliament said the fiscal anchor was abandoned; the "
        "parliamentary budget officer will review the projections.</p>",
    ),
}


@pytest.fixture(autouse=True)
def related_settings(related_settings):
    """The shared related index (tests/articles/conftest.py), a low bar to see the whole ranking."""
    related_settings.RELATED_STORIES = {**related_settings.RELATED_STORIES, "MIN_SCORE": 0.01}
    return related_settings


def story(key, age=timedelta(hours=1), **kwargs):
    headline, standfirst, body = TEXTS[key]
    kwargs.setdefault("section", SectionFactory(slug=f"sec-{key}", name=f"Section {key}"))
    return ArticleFactory(
        headline=kwargs.pop("headline", headline),
        standfirst=standfirst,
        body=body,
        publish_at=timezone.now() - age,
        **kwargs,
    )


def stored_ids(article):
    return list(
        RelatedArticle.objects.filter(article=article)
        .order_by("-score", "position")
        .values_list("related_id", flat=True)
    )


def refresh_all():
    for pk in Article.objects.values_list("pk", flat=True):
        refresh_related(pk)


def test_a_rare_shared_tag_counts_for_more_than_a_common_one():
    rare, common = TagFactory(name="Kelowna"), TagFactory(name="Canada")
    target = story("fire", tags=[rare, common])
    with_rare = story("hockey", tags=[rare])
    with_common = story("rates", tags=[common])
    for key in ("film", "transit", "arctic", "budget"):
        story(key, tags=[common])
    refresh_all()
    ranking = stored_ids(target)
    assert ranking.index(with_rare.pk) < ranking.index(with_common.pk)


def test_text_similarity_ranks_stories_when_no_tags_are_shared(related_settings):
    related_settings.RELATED_STORIES = {**related_settings.RELATED_STORIES, "MIN_SCORE": 0.2}
    target = story("fire")
    similar = story("fire2")
    others = [story(key) for key in ("hockey", "rates", "film", "transit")]
    refresh_all()
    ranking = stored_ids(target)
    assert ranking == [similar.pk]
    assert all(o.pk not in ranking for o in others)  # nothing in common: below the bar


def test_recency_breaks_a_tie_between_equally_related_stories():
    section = SectionFactory(slug="canada")
    tag = TagFactory(name="Housing")
    target = story("fire", section=section, tags=[tag])
    older = story("hockey", section=section, tags=[tag], age=timedelta(days=200))
    newer = story("film", section=section, tags=[tag], age=timedelta(days=2))
    refresh_all()
    ranking = stored_ids(target)
    assert ranking.index(newer.pk) < ranking.index(older.pk)


def test_the_story_itself_and_its_near_duplicates_never_appear():
    target = story("fire")
    second_version = story("fire", headline=TEXTS["fire"][0] + " (updated)")
    relative = story("fire2")
    refresh_all()
    ranking = stored_ids(target)
    assert target.pk not in ranking
    assert second_version.pk not in ranking
    assert relative.pk in ranking
    # Nor may one list carry both versions of the same news.
    assert not {target.pk, second_version.pk} <= set(stored_ids(relative))


def test_a_repeated_headline_is_shown_once_however_different_the_text():
    """Two stories under one headline read as the same news: the block shows one of them."""
    tag = TagFactory(name="Wildfires")
    target = story("fire", tags=[tag])
    others = [story(k, tags=[tag]) for k in ("fire2", "hockey", "rates")]
    twin = story("film", tags=[tag], headline=others[0].headline.upper() + "  ")
    echo = story("arctic", tags=[tag], headline=target.headline)
    refresh_all()
    shown = {s.pk for s in related.related_for(target)}
    assert echo.pk not in shown  # the story's own headline
    assert len(shown & {others[0].pk, twin.pk}) == 1
    RelatedPin.objects.create(article=target, related=echo, position=0)
    assert echo.pk in {s.pk for s in related.related_for(target)}  # an editor's pin stays


def test_unpublished_and_future_stories_never_appear():
    tag = TagFactory(name="Wildfires")
    target = story("fire", tags=[tag])
    visible = [story(k, tags=[tag]) for k in ("fire2", "hockey", "rates")]
    draft = story("film", tags=[tag], status=Article.Status.DRAFT)
    scheduled = story("arctic", tags=[tag], status=Article.Status.SCHEDULED, age=-timedelta(days=1))
    refresh_all()
    shown = related.related_for(target)
    assert {s.pk for s in shown} == {v.pk for v in visible}
    assert draft.pk not in stored_ids(target)
    # A scheduled story may wait in a stored list, but the page never shows it early...
    assert scheduled.pk not in {s.pk for s in shown}
    # ...and shows it once its time has come, without any refresh.
    Article.objects.filter(pk=scheduled.pk).update(publish_at=timezone.now())
    assert scheduled.pk in {s.pk for s in related.related_for(target)}


def test_pinned_stories_come_first_in_the_editors_order():
    tag = TagFactory(name="Wildfires")
    target = story("fire", tags=[tag])
    for key in ("fire2", "hockey", "rates"):
        story(key, tags=[tag])
    pin_a, pin_b = story("transit"), story("budget")
    RelatedPin.objects.create(article=target, related=pin_b, position=0)
    RelatedPin.objects.create(article=target, related=pin_a, position=1)
    refresh_all()
    shown = [s.pk for s in related.related_for(target)]
    assert shown[:2] == [pin_b.pk, pin_a.pk]
    assert len(shown) == 5


def test_excluded_stories_are_left_out_and_the_list_is_refilled():
    tag = TagFactory(name="Wildfires")
    target = story("fire", tags=[tag])
    best = story("fire2", tags=[tag])
    rest = [story(k, tags=[tag]) for k in ("hockey", "rates", "film")]
    RelatedExclusion.objects.create(article=target, related=best)
    refresh_all()
    assert best.pk not in stored_ids(target)
    assert {s.pk for s in related.related_for(target)} == {r.pk for r in rest}


def test_exclusion_hides_a_story_at_once_even_before_a_refresh():
    tag = TagFactory(name="Wildfires")
    target = story("fire", tags=[tag])
    best = story("fire2", tags=[tag])
    for key in ("hockey", "rates", "film"):
        story(key, tags=[tag])
    refresh_all()
    assert best.pk in {s.pk for s in related.related_for(target)}
    RelatedExclusion.objects.create(article=target, related=best)
    assert best.pk not in {s.pk for s in related.related_for(target)}


def test_the_block_is_hidden_when_fewer_than_three_stories_clear_the_minimum(settings):
    target = story("fire")
    story("fire2")
    story("hockey")
    refresh_all()
    assert related.related_for(target) == []


def test_the_number_shown_follows_the_setting(related_settings):
    tag = TagFactory(name="Wildfires")
    target = story("fire", tags=[tag])
    for key in ("fire2", "hockey", "rates", "film", "transit", "arctic", "budget"):
        story(key, tags=[tag])
    refresh_all()
    related_settings.RELATED_STORIES = {**related_settings.RELATED_STORIES, "COUNT": 4}
    assert len(related.related_for(target)) == 4
    related_settings.RELATED_STORIES = {**related_settings.RELATED_STORIES, "COUNT": 13}
    with pytest.raises(ImproperlyConfigured, match="between 1 and 12"):
        related.related_for(target)


def test_the_page_reads_the_list_in_one_query_whatever_the_archive_size(
    django_assert_num_queries,
):
    tag = TagFactory(name="Wildfires")
    target = story("fire", tags=[tag])
    for key in ("fire2", "hockey", "rates", "film", "transit", "arctic", "budget"):
        story(key, tags=[tag], lead_photo=PhotoFactory())
    RelatedPin.objects.create(article=target, related=Article.objects.exclude(pk=target.pk)[0])
    refresh_all()
    with django_assert_num_queries(1):
        shown = related.related_for(target)
        # Thumbnails come with the same query.
        assert all(s.lead_photo.renditions for s in shown)
    assert len(shown) == 6


def test_the_story_page_shows_title_excerpt_and_a_lazy_thumbnail(client):
    tag = TagFactory(name="Wildfires")
    target = story("fire", tags=[tag])
    with_photo = story("fire2", tags=[tag], lead_photo=PhotoFactory())
    Article.objects.filter(pk=with_photo.pk).update(excerpt=" ".join(["word"] * 40))
    for key in ("hockey", "rates"):
        story(key, tags=[tag])
    refresh_all()
    page = client.get(target.get_absolute_url()).content.decode()
    assert 'class="related-stories"' in page
    assert with_photo.headline in page
    assert " ".join(["word"] * 22) + " …" in page  # cut at a word, with an ellipsis
    block = page[page.index('class="related-stories"') :]
    assert 'loading="lazy"' in block and 'width="' in block and 'height="' in block


def test_the_story_page_has_no_related_block_when_nothing_qualifies(client):
    target = story("fire")
    refresh_all()
    assert 'class="related-stories"' not in client.get(target.get_absolute_url()).content.decode()
