"""Variety: a related list never shows two versions of one story, nor more than two follow-ups
of one running story, and editors see what was left out and why."""

import pytest
from django.utils import timezone

from articles.models import RelatedArticle, RelatedExclusion, RelatedExplanation, RelatedPin
from articles.related.index import forget_index
from tests.articles.test_related import refresh_all
from tests.factories import ArticleFactory, SectionFactory, TagFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("related_settings")]

CITIES = ["Kelowna", "Kamloops", "Penticton", "Vernon", "Salmon Arm", "Merritt", "Osoyoos"]
FOLLOW_UP = (
    "<p>Thousands of residents near {city} were ordered to leave on Tuesday as a fast-moving "
    "wildfire jumped the highway. Evacuees gathered at a reception centre while water bombers "
    "circled. {detail}</p>"
)
DETAILS = [
    "The mayor of {city} thanked volunteers who opened their homes.",
    "Schools in {city} will stay closed until the order is lifted.",
    "Farmers near {city} moved cattle to pastures across the river.",
    "Hospital patients in {city} were moved to Vancouver by air ambulance.",
    "Hotels in {city} filled with crews arriving from Alberta and Ontario.",
    "A boil-water advisory covers {city} after power to the pumps failed.",
    "Highway crews near {city} cleared burnt trees from the road.",
]
OTHER_FIRE_STORIES = [
    ("Smoke pushes air quality to high risk across the Okanagan",
     "<p>Doctors advised people with asthma to stay indoors; schools cancelled recess and "
     "outdoor sports as the haze thickened over the valley.</p>"),
    ("Insurers brace for a costly wildfire season",
     "<p>Claims adjusters expect payouts for burnt homes and business interruption to rise, "
     "and premiums in forested towns to follow.</p>"),
    ("Firefighters from Australia arrive to help B.C. crews",
     "<p>The contingent will work twelve-hour shifts on the fire line; their commander said "
     "the terrain resembles the bush at home.</p>"),
    ("Wildfire smoke delays flights at Kelowna airport",
     "<p>Pilots could not see the runway; airlines cancelled morning departures and offered "
     "refunds to stranded travellers.</p>"),
]  # fmt: skip


@pytest.fixture
def running_story():
    """Seven follow-ups of one evacuation (same wording, a different town and detail), one
    copy of the first, and four other wildfire stories; all in one section with one tag."""
    section, tag = SectionFactory(slug="canada"), TagFactory(name="Wildfires")
    now = timezone.now()

    def make(headline, body, hours):
        article = ArticleFactory(
            headline=headline,
            standfirst="",
            body=body,
            section=section,
            publish_at=now - timezone.timedelta(hours=hours),
        )
        article.tags.add(tag)
        return article

    follow_ups = [
        make(
            f"Wildfire forces evacuation of thousands near {city}",
            FOLLOW_UP.format(city=city, detail=detail.format(city=city)),
            hours=i + 1,
        )
        for i, (city, detail) in enumerate(zip(CITIES, DETAILS, strict=True))
    ]
    copy = make(  # the first story again, filed twice with a line added
        "Wildfire forces evacuation of thousands near Kelowna",
        FOLLOW_UP.format(city="Kelowna", detail=DETAILS[0].format(city="Kelowna"))
        + "<p>Updated with the number of evacuees.</p>",
        hours=20,
    )
    others = [make(h, b, hours=30 + i) for i, (h, b) in enumerate(OTHER_FIRE_STORIES)]
    refresh_all()
    return follow_ups, copy, others


def listed(article, count=6):
    return list(
        RelatedArticle.objects.filter(article=article)
        .order_by("-score", "position")
        .values_list("related_id", flat=True)[:count]
    )


def test_a_list_holds_at_most_two_follow_ups_of_one_running_story(running_story):
    follow_ups, copy, others = running_story
    ids = {a.pk for a in follow_ups}
    for article in [*follow_ups, *others]:
        shown = listed(article, count=16)
        assert len(ids & set(shown)) <= 2, (article.headline, shown)
    # The first story's list: two follow-ups, then the other wildfire stories.
    shown = listed(follow_ups[0])
    assert len(ids & set(shown)) == 2
    assert {a.pk for a in others} <= set(shown)


def test_another_version_of_the_story_is_never_listed(running_story):
    follow_ups, copy, _ = running_story
    assert copy.pk not in listed(follow_ups[0], count=16)
    assert follow_ups[0].pk not in listed(copy, count=16)


def test_the_explanation_says_which_strong_candidates_were_left_out_and_why(running_story):
    follow_ups, copy, others = running_story
    data = RelatedExplanation.objects.get(article=follow_ups[0]).data
    reasons = {entry[0]: entry[2] for entry in data["left_out"]}
    assert reasons[copy.pk] == "duplicate"
    assert sum(reason == "variety" for reason in reasons.values()) >= 3
    for _pk, score, *parts in data["shown"]:
        assert sum(parts) == pytest.approx(score, abs=0.002)  # the parts add up to the score


def test_without_the_rule_the_follow_ups_crowd_the_list(running_story, settings):
    settings.RELATED_STORIES = {
        **settings.RELATED_STORIES,
        "RUNNING_STORY": 2.0,  # the rule off
        "RUNNING_HEADLINE": 2.0,
    }
    follow_ups, _, _ = running_story
    forget_index()
    refresh_all()
    assert len({a.pk for a in follow_ups} & set(listed(follow_ups[0]))) > 2


def test_the_story_admin_page_explains_each_related_story(running_story, client):
    follow_ups, copy, others = running_story
    story = follow_ups[0]
    RelatedExclusion.objects.create(article=story, related=others[0])
    RelatedPin.objects.create(article=story, related=others[3], position=0)
    refresh_all()
    editor = UserFactory(is_staff=True, is_superuser=True)
    editor.save()
    client.force_login(editor)
    page = client.get(f"/admin/articles/article/{story.pk}/change/").content.decode()
    assert "Related stories: why these" in page
    assert "Pinned by an editor" in page
    shown = RelatedExplanation.objects.get(article=story).data["shown"]
    for pk, *_ in shown:
        assert f'data-related="{pk}"' in page
    assert "text 0." in page and "semantic 0.000" in page and "tags 0." in page
    assert "section 0.100" in page and "recency 0.0" in page
    assert f'data-left-out="{others[0].pk}"' in page
    assert "excluded by an editor" in page
    assert f'data-left-out="{copy.pk}"' in page
    assert "duplicate: another version" in page
    assert "variety: the list already holds two follow-ups" in page


def test_a_story_without_an_explanation_yet_says_so(client):
    story = ArticleFactory()
    editor = UserFactory(is_staff=True, is_superuser=True)
    editor.save()
    client.force_login(editor)
    page = client.get(f"/admin/articles/article/{story.pk}/change/").content.decode()
    assert "No explanation yet" in page


PORT_STORY = (
    "<p>The deep-water port planned for {place} will open two years later than promised, the "
    "territorial government said on Monday, after the lowest bid came in a third over budget. "
    "Officials said the dredging season is short and the barges that carry steel and concrete "
    "north can only sail once the sea ice breaks up in July.</p>"
    "<p>Community leaders in {place} said the delay leaves fuel and groceries arriving on the "
    "same few summer sealifts, at prices far above those in the south. The hamlet's mayor said "
    "residents had heard promises before and would believe the port when ships tied up at it.</p>"
    "<p>The federal government has pledged half of the cost of the port in {place}.</p>"
)


def test_a_regional_version_saved_later_is_never_listed_with_its_original(
    running_story, django_capture_on_commit_callbacks
):
    """The same story with another place name (the TF-IDF rule misses it: a rare name weighs
    heavily) is a near-copy by its shingles, also when it arrives after the index was built."""
    follow_ups, _, _ = running_story
    section = follow_ups[0].section
    original = ArticleFactory(
        headline="New deep-water port in Inuvik delayed again",
        standfirst="",
        body=PORT_STORY.format(place="Inuvik"),
        section=section,
    )
    for headline, body in (
        ("Sealift costs rise in Inuvik as fuel prices climb", "Barges reach Inuvik in July."),
        ("Rankin Inlet mayor calls for year-round harbour", "Rankin Inlet needs a deep port."),
        ("Inuvik and Rankin Inlet seek Arctic dredging work", "Both towns want the contracts."),
    ):
        ArticleFactory(headline=headline, standfirst="", body=f"<p>{body}</p>", section=section)
    refresh_all()  # the index is built without the regional version
    with django_capture_on_commit_callbacks(execute=True):
        version = ArticleFactory(
            headline="New deep-water port in Rankin Inlet delayed again",
            standfirst="",
            body=PORT_STORY.format(place="Rankin Inlet"),
            section=section,
        )
    from articles.related.index import get_index
    from articles.related.refresh import refresh_related
    from articles.related.worker import rebuild

    refresh_related(version.pk)
    assert original.pk not in listed(version, count=16)
    assert version.pk not in listed(original, count=16)
    reasons = {e[0]: e[2] for e in RelatedExplanation.objects.get(article=version).data["left_out"]}
    assert reasons[original.pk] == "duplicate"
    # A full rebuild learns both place names: the TF-IDF rule alone would let it through.
    rebuild(fresh=True)
    index = get_index()
    cosine = index.exact_cosines(index.row_of[original.pk], [index.row_of[version.pk]])[0]
    assert cosine < 0.9
    assert original.pk not in listed(version, count=16)
    assert version.pk not in listed(original, count=16)
