"""A public page's language comes from its address, never from one reader's cookie or header."""

import pytest
from django.urls import reverse

from newsroom import pagecache
from tests.factories import ArticleFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]


def lang_of(response):
    return response.content.decode().split('<html lang="', 1)[1].split('"', 1)[0]


@pytest.mark.parametrize(
    "french",
    [
        pytest.param({"HTTP_COOKIE": "django_language=fr-ca"}, id="language cookie"),
        pytest.param({"HTTP_ACCEPT_LANGUAGE": "fr-CA,fr;q=0.9"}, id="Accept-Language"),
    ],
)
def test_a_readers_language_choice_never_reaches_the_cached_page(
    client, french, django_assert_num_queries
):
    """A request asking for French, then one asking nothing: both English, and so is the cache."""
    article = ArticleFactory()
    for url in ("/", article.get_absolute_url(), article.section.get_absolute_url()):
        asked = client.get(url, **french)
        assert lang_of(asked) == "en-CA", url  # BCP 47's spelling since French pages came
        assert asked["Content-Language"] == "en-ca", url
        # nginx and a CDN key pages on the address: nothing may vary on the reader's choice.
        assert "Accept-Language" not in asked.get("Vary", ""), url
        pagecache._local.clear()
        with django_assert_num_queries(0):
            plain = client.get(url)  # the page the French request stored, served to everyone
        assert lang_of(plain) == "en-CA", url


def test_the_admin_still_follows_the_editors_language(admin_client):
    """The desk keeps Django's choice: an editor who picked French gets the French admin."""
    admin_client.cookies["django_language"] = "fr-ca"
    page = admin_client.get(reverse("admin:index"))
    assert page.status_code == 200
    assert page["Content-Language"] == "fr-ca"
