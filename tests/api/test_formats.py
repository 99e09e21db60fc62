"""ninjs 2.0 answers validate against a schema of the standard; the OpenAPI schema is valid
OpenAPI 3 and is published in the docs."""

import json
from pathlib import Path

import jsonschema
import pytest
from openapi_spec_validator import validate

from tests.factories import ArticleFactory, PhotoFactory, TagFactory

pytestmark = pytest.mark.django_db

# Written for this project from IPTC's ninjs 2.0 documentation (no PyPI package ships IPTC's
# own schema file, and third-party data files are not committed): the properties we emit.
NINJS_SCHEMA = json.loads((Path(__file__).parent / "ninjs-2.0-emitted.schema.json").read_text())
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = "https://news.example.ca"
    settings.API_ANONYMOUS_REQUESTS_PER_MINUTE = 0


def assert_ninjs(item):
    validator = jsonschema.Draft7Validator(NINJS_SCHEMA, format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(item), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]


def test_the_schema_refuses_what_ninjs_2_does_not_define():
    """The schema can fail: an unknown property, a wrong status, no uri."""
    good = {
        "uri": "https://news.example.ca/api/v1/stories/1/",
        "type": "text",
        "version": "1",
        "versioncreated": "2026-12-07T10:00:00+00:00",
        "pubstatus": "usable",
        "language": "en-CA",
        "headlines": [{"value": "A headline"}],
        "standard": {"name": "ninjs", "version": "2.0"},
    }
    assert_ninjs(good)
    for broken in (
        {**good, "webpage": "https://news.example.ca/story/x/"},
        {**good, "pubstatus": "published"},
        {**good, "versioncreated": "yesterday"},
        {k: v for k, v in good.items() if k != "uri"},
    ):
        with pytest.raises(AssertionError):
            assert_ninjs(broken)


def test_a_story_in_ninjs_validates_with_its_photo_tags_and_body(client):
    story = ArticleFactory(
        headline="Wildfire season opens",
        social_headline="Wildfires: the season opens early",
        tags=[TagFactory(name="Wildfires", slug="wildfires")],
        lead_photo=PhotoFactory(),
        correction="An earlier version misstated the date.",
    )

    item = client.get(f"/api/v1/stories/{story.pk}/", {"format": "ninjs"}).json()

    assert_ninjs(item)
    assert item["uri"] == f"https://news.example.ca/api/v1/stories/{story.pk}/"
    assert item["headlines"][0] == {
        "role": "main",
        "contenttype": "text/plain",
        "value": "Wildfire season opens",
    }
    assert item["bodies"][0]["value"] == story.body
    assert item["associations"][0]["type"] == "picture"
    assert item["associations"][0]["by"] == "THE CANADIAN PRESS/Darryl Dyck"
    assert item["renditions"][0]["href"] == f"https://news.example.ca/story/{story.slug}/"
    assert {"name": "Wildfires", "rel": "about"}.items() <= item["subjects"][1].items()
    assert item["version"] == str(story.version) and item["representationtype"] == "full"


def test_every_story_of_a_ninjs_list_validates_in_both_languages(client):
    ArticleFactory(lead_photo=PhotoFactory(caption_fr="Des pompiers", credit_fr="LA PC"))
    ArticleFactory(language="fr", standfirst="")

    results = client.get("/api/v1/stories/", {"format": "ninjs"}).json()["results"]

    assert len(results) == 2
    for item in results:
        assert_ninjs(item)
        assert item["representationtype"] == "partial" and "bodies" not in item
    assert {item["language"] for item in results} == {"en-CA", "fr-CA"}


def test_ninjs_is_chosen_by_the_address_not_the_accept_header(client):
    story = ArticleFactory()
    url = f"/api/v1/stories/{story.pk}/"

    plain = client.get(url, HTTP_ACCEPT="application/ninjs+json")

    assert "uri" not in plain.json() and plain.json()["id"] == story.pk
    assert "Vary" not in plain or "Accept" not in plain["Vary"]


def test_the_openapi_schema_is_valid_openapi_3(client):
    response = client.get("/api/v1/schema/")

    assert response.status_code == 200
    schema = response.json()
    validate(schema)
    assert schema["openapi"].startswith("3.")
    for path in (
        "/api/v1/stories/",
        "/api/v1/stories/{id}/",
        "/api/v1/stories/by-slug/{slug}/",
        "/api/v1/sections/",
        "/api/v1/tags/",
        "/api/v1/authors/",
        "/api/v1/search/",
    ):
        assert path in schema["paths"], path


def test_the_docs_publish_the_schema_the_site_serves(client):
    """docs/reference/openapi.json is the served schema (write it again when the API changes:
    docs/reference/openapi.md says how)."""
    published = json.loads((ROOT / "docs/reference/openapi.json").read_text())

    assert published == client.get("/api/v1/schema/").json()
    assert "reference/openapi.md" in (ROOT / "mkdocs.yml").read_text()
