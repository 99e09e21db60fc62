"""A journalist chooses the desk's language; readers' pages keep their address's."""

from django.test import Client
from django.urls import reverse

from desk.models import DeskPreference

CHOOSE = reverse("desk-language")
DESK = reverse("admin:index")


def test_choosing_french_turns_the_desk_french_from_the_next_page(reporter_client):
    """Saved in the profile, the choice beats the browser's Accept-Language."""
    english = reporter_client.get(DESK, HTTP_ACCEPT_LANGUAGE="en-CA")
    assert '<html lang="en-ca"' in english.content.decode()
    response = reporter_client.post(CHOOSE, {"language": "fr-ca"}, follow=True)
    assert "La langue du bureau est enregistrée." in response.content.decode()
    page = reporter_client.get(DESK, HTTP_ACCEPT_LANGUAGE="en-CA").content.decode()
    assert '<html lang="fr-ca"' in page
    assert "Langue du bureau" in page  # the link among the user's links, in French


def test_the_choice_follows_the_journalist_to_a_new_sign_in(reporter):
    """Stored on the account: a fresh session (another browser) gets it at sign-in."""
    DeskPreference.objects.create(user=reporter, language="fr-ca")
    browser = Client()
    browser.force_login(reporter)
    assert '<html lang="fr-ca"' in browser.get(DESK).content.decode()


def test_as_my_browser_says_goes_back_to_accept_language(reporter_client, reporter):
    """The empty choice forgets the preference: the browser's language again."""
    reporter_client.post(CHOOSE, {"language": "fr-ca"})
    reporter_client.post(CHOOSE, {"language": ""})
    assert DeskPreference.objects.get(user=reporter).language == ""
    page = reporter_client.get(DESK, HTTP_ACCEPT_LANGUAGE="en-CA").content.decode()
    assert '<html lang="en-ca"' in page


def test_an_unknown_language_is_a_form_error(reporter_client, reporter):
    """?language=xx is refused in words, nothing stored."""
    response = reporter_client.post(CHOOSE, {"language": "xx"})
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert not DeskPreference.objects.filter(user=reporter).exists()


def test_the_desk_language_does_not_change_readers_pages(reporter_client):
    """The home page stays English at / whatever the journalist's desk language."""
    reporter_client.post(CHOOSE, {"language": "fr-ca"})
    page = reporter_client.get("/").content.decode()
    assert '<html lang="en-CA"' in page


def test_the_page_is_for_signed_in_staff(client):
    """Anonymous visitors are sent to sign in."""
    response = client.get(CHOOSE)
    assert response.status_code == 302
    assert "/admin/login/" in response.url
