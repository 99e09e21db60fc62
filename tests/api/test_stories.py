"""The API's stories: published ones only, by every path; addresses, languages, pages of
results, bad input, and a fixed number of queries."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles import workflow
from articles.models import Article
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    PhotoFactory,
    SectionFactory,
    StaffFactory,
    TagFactory,
)

pytestmark = pytest.mark.django_db

SITE = "https://news.example.ca"

# Every way a story is not for readers; each with its own word, tag and author.
HIDDEN = {
    "draft": {"status": Article.Status.DRAFT, "publish_at": None},
    "review": {"status": Article.Status.IN_REVIEW, "publish_at": None},
    "scheduled": {
        "status": Article.Status.SCHEDULED,
        "publish_at": timezone.now() + timedelta(days=1),
    },
    "future": {
        "status": Article.Status.PUBLISHED,
        "publish_at": timezone.now() + timedelta(hours=2),
    },
    "unpublished": {"status": Article.Status.UNPUBLISHED},
    "removed": {"status": Article.Status.REMOVED},
}
WORDS = {
    "draft": "Quarnible",
    "review": "Blistomer",
    "scheduled": "Velandrix",
    "future": "Oplumsett",
    "unpublished": "Tressivane",
    "removed": "Quostrady",
}


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE
    settings.API_ANONYMOUS_REQUESTS_PER_MINUTE = 0


def hidden_story(kind, section):
    word = WORDS[kind]
    story = ArticleFactory(
        headline=f"{word} inquiry widens",
        body=f"<p>{word} said the plan was ready.</p>",
        section=section,
        tags=[TagFactory(name=f"{word} Affair", slug=f"{word.lower()}-affair")],
        authors=[AuthorFactory(name=f"Ada {word}", slug=f"ada-{word.lower()}")],
        **{k: v for k, v in HIDDEN[kind].items() if k != "status"},
    )
    Article.objects.filter(pk=story.pk).update(**HIDDEN[kind])
    return story


def ids(response):
    return [story["id"] for story in response.json()["results"]]


def test_the_list_shows_published_stories_newest_first_and_nothing_else(client):
    section = SectionFactory(in_navigation=False)
    older = ArticleFactory(section=section, publish_at=timezone.now() - timedelta(days=2))
    newer = ArticleFactory(section=section)
    for kind in HIDDEN:
        hidden_story(kind, section)

    response = client.get("/api/v1/stories/")

    assert response.status_code == 200
    assert ids(response) == [newer.pk, older.pk]


def test_no_unpublished_story_by_any_path(client, django_capture_on_commit_callbacks):
    """Detail by id, by slug, search, tags, authors, sections and their counts."""
    hidden_section = SectionFactory(name="Back room", slug="back-room", in_navigation=False)
    with django_capture_on_commit_callbacks(execute=True):  # search vectors, on PostgreSQL
        shown = ArticleFactory(
            headline="Plenthorax budget passes", tags=[TagFactory(name="Budget", slug="budget")]
        )
        hidden = {kind: hidden_story(kind, hidden_section) for kind in HIDDEN}
    # A public story shares the tag and author of the draft: counted once, not twice.
    shared_author = hidden["draft"].byline_authors()[0]
    ArticleFactory(tags=list(hidden["draft"].tags.all()), authors=[shared_author])

    listed = " ".join(
        client.get(url).content.decode()
        for url in (
            "/api/v1/stories/",
            "/api/v1/stories/?format=ninjs",
            "/api/v1/sections/",
            "/api/v1/tags/",
            "/api/v1/authors/",
        )
    )
    for kind, story in hidden.items():
        word = WORDS[kind]
        assert client.get(f"/api/v1/stories/{story.pk}/").status_code == 404, kind
        assert client.get(f"/api/v1/stories/by-slug/{story.slug}/").status_code == 404, kind
        found = client.get("/api/v1/search/", {"q": word})
        assert found.status_code == 200 and found.json()["results"] == [], kind
        if kind != "draft":
            assert word.lower() not in listed.lower(), kind
    assert "back-room" not in listed
    tags = {
        tag["slug"]: tag["story_count"] for tag in client.get("/api/v1/tags/").json()["results"]
    }
    assert tags == {"budget": 1, "quarnible-affair": 1}
    authors = client.get("/api/v1/authors/").json()["results"]
    assert {a["slug"]: a["story_count"] for a in authors}["ada-quarnible"] == 1
    assert shown.pk in ids(client.get("/api/v1/stories/"))
    # Search does find a published story: the empty answers above are not for want of an index.
    assert ids(client.get("/api/v1/search/", {"q": "Plenthorax"})) == [shown.pk]


def test_a_retracted_story_answers_410_with_its_note_never_its_text(client):
    editor = StaffFactory(group="Editor")
    story = ArticleFactory(headline="Mayor resigns", body="<p>Zephyrwick said so.</p>")
    workflow.move(story, Article.Status.RETRACTED, by=editor, note="The source recanted.")

    for url in (f"/api/v1/stories/{story.pk}/", f"/api/v1/stories/by-slug/{story.slug}/"):
        response = client.get(url)
        assert response.status_code == 410
        body = response.json()
        assert body["headline"] == "Mayor resigns"
        assert body["retraction_note"] == "The source recanted."
        assert body["url"] == f"{SITE}/story/{story.slug}/"
        assert "Zephyrwick" not in response.content.decode()
    assert client.get("/api/v1/stories/").json()["results"] == []


def test_a_story_carries_its_stable_id_and_canonical_addresses_in_its_language(client):
    english = ArticleFactory(
        headline="Wildfire season opens",
        tags=[TagFactory(name="Wildfires", slug="wildfires")],
        lead_photo=PhotoFactory(),
    )
    french = ArticleFactory(
        headline="La saison des feux commence",
        language="fr",
        translation_of=english,
        tags=[TagFactory(name="Feux de forêt", slug="feux-de-foret")],
    )

    story = client.get(f"/api/v1/stories/{english.pk}/").json()
    assert story["id"] == english.pk
    assert story["api_url"] == f"{SITE}/api/v1/stories/{english.pk}/"
    assert story["url"] == f"{SITE}/story/{english.slug}/"
    assert story["language"] == "en-CA"
    assert story["translations"] == [
        {
            "id": french.pk,
            "language": "fr-CA",
            "api_url": f"{SITE}/api/v1/stories/{french.pk}/",
            "url": f"{SITE}/fr/article/{french.slug}/",
        }
    ]
    assert story["lead_photo"]["credit"] == "THE CANADIAN PRESS/Darryl Dyck"
    assert story["lead_photo"]["url"].startswith(f"{SITE}/media/")
    assert story["body"] == english.body

    en_fr = client.get(f"/api/v1/stories/{french.pk}/").json()
    assert en_fr["url"] == f"{SITE}/fr/article/{french.slug}/"
    assert en_fr["section"]["url"] == f"{SITE}/fr/rubrique/{french.section.slug}/"
    assert en_fr["tags"][0]["url"] == f"{SITE}/fr/mot-cle/feux-de-foret/"
    author = french.byline_authors()[0]
    assert en_fr["authors"][0]["url"] == f"{SITE}/fr/auteur/{author.slug}/"
    by_slug = client.get(f"/api/v1/stories/by-slug/{french.slug}/", {"language": "fr-ca"})
    assert by_slug.json()["id"] == french.pk
    # Slugs are per language: an English lookup does not find the French story.
    if french.slug != english.slug:
        assert client.get(f"/api/v1/stories/by-slug/{french.slug}/").status_code == 404

    # Renaming keeps the id: the API address is the stable one.
    english.slug = "wildfire-season-opens-early"
    english.save()
    assert (
        client.get(f"/api/v1/stories/{english.pk}/")
        .json()["url"]
        .endswith("/story/wildfire-season-opens-early/")
    )


def test_the_language_filter_keeps_one_language(client):
    english = ArticleFactory()
    french = ArticleFactory(language="fr")

    assert ids(client.get("/api/v1/stories/", {"language": "fr-ca"})) == [french.pk]
    assert ids(client.get("/api/v1/stories/", {"language": "FR"})) == [french.pk]
    assert ids(client.get("/api/v1/stories/", {"language": "en-ca"})) == [english.pk]
    assert set(ids(client.get("/api/v1/stories/"))) == {english.pk, french.pk}
    sections = client.get("/api/v1/sections/", {"language": "fr-ca"}).json()["results"]
    assert [s["id"] for s in sections] == [french.section_id]
    assert client.get("/api/v1/stories/", {"language": "fr-ca"})["Content-Language"] == "fr-CA"


def test_filters_by_section_tag_and_author(client):
    wildfires = TagFactory(name="Wildfires", slug="wildfires")
    reporter = AuthorFactory(slug="jane-doe")
    tagged = ArticleFactory(tags=[wildfires])
    signed = ArticleFactory(authors=[reporter])
    other = ArticleFactory()

    assert ids(client.get("/api/v1/stories/", {"tag": "wildfires"})) == [tagged.pk]
    assert ids(client.get("/api/v1/stories/", {"author": "jane-doe"})) == [signed.pk]
    assert ids(client.get("/api/v1/stories/", {"section": other.section.slug})) == [other.pk]


def test_cursor_pages_walk_every_story_once_even_when_one_is_published_meanwhile(client):
    stories = [
        ArticleFactory(publish_at=timezone.now() - timedelta(minutes=n)) for n in range(1, 6)
    ]
    seen, url = [], "/api/v1/stories/?limit=2"
    first = client.get(url).json()
    seen += [s["id"] for s in first["results"]]
    ArticleFactory(publish_at=timezone.now())  # published meanwhile: not on the next pages
    url = first["next"]
    while url:
        page = client.get(url).json()
        seen += [s["id"] for s in page["results"]]
        url = page["next"]
    assert seen == [story.pk for story in stories]


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/stories/?language=de", "language"),
        ("/api/v1/stories/?cursor=not-a-cursor", "cursor"),
        ("/api/v1/stories/?format=xml", "detail"),
        ("/api/v1/tags/?format=ninjs", "detail"),
        ("/api/v1/search/?q=%20%21", "q"),
        ("/api/v1/search/", "q"),
    ],
)
def test_bad_input_is_a_400_with_a_sentence(client, url, field):
    response = client.get(url)

    assert response.status_code == 400
    sentence = response.json()[field]
    sentence = sentence[0] if isinstance(sentence, list) else sentence
    assert sentence.endswith(".") and len(sentence.split()) >= 4


def test_the_api_is_read_only(client):
    story = ArticleFactory()
    for method in (client.post, client.put, client.delete):
        assert method(f"/api/v1/stories/{story.pk}/").status_code == 405


@pytest.mark.parametrize("count", [5, 50])
def test_the_story_list_takes_a_fixed_number_of_queries(client, django_assert_num_queries, count):
    tags = [TagFactory(), TagFactory()]
    for _n in range(count):
        ArticleFactory(tags=tags, lead_photo=PhotoFactory(), authors=[AuthorFactory()])

    # The stories with their section and photo, their bylines with authors, their tags.
    with django_assert_num_queries(3):
        response = client.get("/api/v1/stories/?limit=100")
    assert len(response.json()["results"]) == count
    with django_assert_num_queries(3):
        client.get("/api/v1/stories/?limit=100&format=ninjs")
