"""Who may read the API and how often: per-address limits, partners' keys (hashed, shown
once, revoked by editors), and the desk's pages for them."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from api import keys
from api.models import ApiKey
from tests.factories import ArticleFactory, StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def limits(settings):
    """Small limits, and a clock stopped mid-minute: the counts are per minute, and a slow
    machine must not carry a test's requests into the next one."""
    settings.API_ANONYMOUS_REQUESTS_PER_MINUTE = 3
    settings.API_KEY_REQUESTS_PER_MINUTE = 6
    with time_machine.travel(datetime(2026, 12, 7, 15, 0, 30, tzinfo=UTC), tick=False):
        yield settings


@pytest.fixture
def editor():
    return StaffFactory(username="desk-editor", group="Editor")


def test_anonymous_reads_are_limited_per_address_with_a_429_and_a_sentence(client, limits):
    ArticleFactory()
    for _n in range(3):
        assert client.get("/api/v1/stories/").status_code == 200

    refused = client.get("/api/v1/stories/")

    assert refused.status_code == 429
    assert "more than 3 requests this minute" in refused.json()["detail"]
    assert refused["Retry-After"] == "31"  # the rest of the minute
    assert refused["Cache-Control"] == "no-store"
    # Another address has its own count.
    assert client.get("/api/v1/stories/", REMOTE_ADDR="198.51.100.7").status_code == 200


def test_answers_from_the_page_cache_are_counted_too(client, limits, page_cache_on):
    ArticleFactory()
    for _n in range(3):
        assert client.get("/api/v1/sections/").status_code == 200

    assert client.get("/api/v1/sections/").status_code == 429


def test_a_partner_key_has_the_higher_limit_by_either_header(client, limits, editor):
    key, raw = keys.create_key("CBC mobile app", by=editor)
    for _n in range(3):
        client.get("/api/v1/stories/")
    assert client.get("/api/v1/stories/").status_code == 429

    answers = [
        client.get("/api/v1/stories/", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code
        for _n in range(3)
    ] + [client.get("/api/v1/stories/", HTTP_X_API_KEY=raw).status_code for _n in range(3)]

    assert answers == [200] * 6
    refused = client.get("/api/v1/stories/", HTTP_X_API_KEY=raw)
    assert refused.status_code == 429 and "This key" in refused.json()["detail"]


def test_a_key_may_have_its_own_limit(client, limits, editor):
    _key, raw = keys.create_key("Syndication partner", by=editor, requests_per_minute=1)
    assert client.get("/api/v1/tags/", HTTP_X_API_KEY=raw).status_code == 200
    assert client.get("/api/v1/tags/", HTTP_X_API_KEY=raw).status_code == 429


def test_an_unknown_or_revoked_key_is_a_401_not_the_anonymous_limit(client, editor):
    key, raw = keys.create_key("Radio partner", by=editor)
    assert client.get("/api/v1/tags/", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200

    keys.revoke_keys([key], by=editor)

    for header in ({"HTTP_AUTHORIZATION": f"Bearer {raw}"}, {"HTTP_X_API_KEY": raw + "x"}):
        refused = client.get("/api/v1/tags/", **header)
        assert refused.status_code == 401
        assert "unknown or has been revoked" in refused.json()["detail"]
        assert refused["WWW-Authenticate"].startswith("Bearer")


def test_keys_are_stored_hashed_and_only_editors_make_or_revoke_them(editor):
    key, raw = keys.create_key("CBC mobile app", by=editor)

    stored = ApiKey.objects.values().get(pk=key.pk)
    assert raw not in str(stored)
    assert stored["prefix"] == raw[:12] and raw.startswith("nrk_") and len(raw) > 40
    reporter = StaffFactory(group="Reporter")
    with pytest.raises(ValidationError):
        keys.create_key("Sneaky", by=reporter)
    with pytest.raises(ValidationError):
        keys.revoke_keys([key], by=reporter)
    assert ApiKey.objects.count() == 1 and ApiKey.objects.get().is_active


def test_an_editor_creates_a_key_in_the_desk_and_sees_it_once(client, editor):
    client.force_login(editor)

    page = client.post("/admin/api/apikey/add/", {"name": "CBC mobile app"})

    assert page.status_code == 200
    raw = page.context["raw_key"]
    assert raw.startswith("nrk_") and raw in page.content.decode()
    assert "no-store" in page["Cache-Control"]
    key = ApiKey.objects.get()
    assert key.created_by == editor and keys.find_key(raw) == key
    # Never again: the list and the key's own page show its first characters only.
    for url in ("/admin/api/apikey/", f"/admin/api/apikey/{key.pk}/change/"):
        shown = client.get(url).content.decode()
        assert raw not in shown and key.prefix in shown


def test_an_editor_revokes_keys_with_the_list_action(client, editor):
    key, raw = keys.create_key("Radio partner", by=editor)
    client.force_login(editor)

    response = client.post(
        "/admin/api/apikey/",
        {"action": "revoke_selected", "_selected_action": [key.pk]},
        follow=True,
    )

    assert "1 key revoked" in response.content.decode()
    key.refresh_from_db()
    assert key.revoked_by == editor and key.revoked_at is not None
    assert keys.find_key(raw) is None


def test_an_empty_partner_name_is_a_form_error(client, editor):
    client.force_login(editor)
    page = client.post("/admin/api/apikey/add/", {"name": ""})
    assert page.status_code == 200
    assert page.context["adminform"].form.errors["name"]
    assert not ApiKey.objects.exists()


def test_reporters_cannot_see_or_make_keys_in_the_desk(client):
    client.force_login(StaffFactory(group="Reporter"))
    for url in ("/admin/api/apikey/", "/admin/api/apikey/add/"):
        assert client.get(url).status_code == 403
    assert client.post("/admin/api/apikey/add/", {"name": "Mine"}).status_code == 403
    assert not ApiKey.objects.exists()
    assert "/admin/api/" not in client.get("/admin/").content.decode()
