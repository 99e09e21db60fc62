"""Links editors type lead to http(s) or this site only: never a script on the home page."""

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils import timezone

from articles.models import FrontPage
from newsroom.links import is_safe_link
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

UNSAFE = [
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "//evil.example/",
    "/\\evil.example/",
    "ftp://example.com/",
    "https://",
]
SAFE = ["https://www.canada.ca/en.html", "http://example.com/a?b=c", "/story/some-story/"]


@pytest.mark.parametrize("value", UNSAFE)
def test_the_breaking_news_link_refuses_anything_but_http_or_the_site(value):
    """javascript:, data:, other schemes and other-site tricks are a validation error."""
    page = FrontPage.current()
    page.breaking_text, page.breaking_url = "Polls close", value
    with pytest.raises(ValidationError) as refused:
        page.full_clean()
    assert "breaking_url" in refused.value.message_dict


@pytest.mark.parametrize("value", SAFE)
def test_the_breaking_news_link_takes_http_and_site_addresses(value):
    """Ordinary links still pass."""
    page = FrontPage.current()
    page.breaking_text, page.breaking_url = "Polls close", value
    page.full_clean()


def test_the_front_page_form_says_what_a_link_must_be(client):
    """The admin form answers javascript: with a form error and keeps the old link."""
    client.force_login(UserFactory(username="chief", is_staff=True, is_superuser=True))
    page = FrontPage.current()
    response = client.post(
        f"/admin/articles/frontpage/{page.pk}/change/",
        {
            "breaking_text": "Polls close",
            "breaking_url": "javascript:alert(document.cookie)",
            "stories-TOTAL_FORMS": "0",
            "stories-INITIAL_FORMS": "0",
            "stories-MIN_NUM_FORMS": "0",
            "stories-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 200
    assert "https://" in str(response.context["adminform"].form.errors["breaking_url"])
    page.refresh_from_db()
    assert page.breaking_url == ""


def test_a_stored_unsafe_link_is_never_rendered_as_an_href(client):
    """A javascript: link saved before the check shows the banner as text, without the link."""
    ArticleFactory()
    FrontPage.objects.update_or_create(
        pk=1,
        defaults={
            "breaking_text": "Polls close",
            "breaking_url": "javascript:alert(1)",
            "breaking_until": timezone.now() + timezone.timedelta(hours=1),
        },
    )
    html = client.get("/").content.decode()
    assert "Polls close" in html
    assert "javascript:" not in html


def test_the_migration_empties_unsafe_links_already_stored():
    """The data migration leaves safe links alone and empties the others."""
    FrontPage.objects.update_or_create(pk=1, defaults={"breaking_url": "data:text/html,x"})
    migration = importlib.import_module("articles.migrations.0016_front_page_safe_links")
    migration.empty_unsafe_links(apps, None)
    assert FrontPage.current().breaking_url == ""
    FrontPage.objects.filter(pk=1).update(breaking_url="/story/x/")
    migration.empty_unsafe_links(apps, None)
    assert FrontPage.current().breaking_url == "/story/x/"


def test_every_link_check_agrees_with_the_validator():
    """``is_safe_link`` is the rule rendering uses: the same lists pass and fail."""
    assert not any(is_safe_link(v) for v in UNSAFE)
    assert all(is_safe_link(v) for v in SAFE)
