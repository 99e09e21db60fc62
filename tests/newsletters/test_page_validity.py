"""The newsletter pages are valid HTML (the Nu Html Checker), in English and French."""

import pytest
from django.urls import reverse
from django.utils import translation

from articles import languages
from newsletters.models import NewsletterList, Subscriber, Subscription
from newsletters.tokens import confirmation_token, preferences_token, unsubscribe_token
from tests.factories import ArticleFactory, SectionFactory
from tests.test_html_validity import assert_valid, vnu  # noqa: F401 - vnu is a fixture

pytestmark = pytest.mark.django_db


def test_the_sign_up_confirmation_and_preferences_pages_are_valid_html(
    client,
    vnu,  # noqa: F811 - the fixture, imported
    tmp_path,
):
    canada = SectionFactory(name="Canada", slug="canada")
    societe = SectionFactory(name="Société", slug="societe", language="fr", translation_of=canada)
    pages = {}
    for language, section in (("en", canada), ("fr", societe)):
        digest = NewsletterList.objects.create(
            name=f"Digest {language}", slug=f"digest-{language}", language=language,
            send_time="06:30",
        )  # fmt: skip
        NewsletterList.objects.create(
            name=f"Alerts {language}", slug=f"alerts-{language}", language=language, kind="alert"
        )
        story = ArticleFactory(section=section, language=language)
        subscriber = Subscriber.objects.create(email=f"ana-{language}@example.ca")
        subscription = Subscription.objects.create(
            subscriber=subscriber, list=digest, consent_wording="…"
        )
        with translation.override(languages.django_code(language)):
            token_pages = {
                "confirm": reverse("newsletters:confirm", args=[confirmation_token(subscription)]),
                "preferences": reverse(
                    "newsletters:preferences", args=[preferences_token(subscriber)]
                ),
                "unsubscribe": reverse(
                    "newsletters:unsubscribe", args=[unsubscribe_token(subscriber, digest)]
                ),
                "bad-link": reverse("newsletters:preferences", args=["nonsense"]),
                "index": reverse("newsletters:index"),
                "list": reverse("newsletters:list", args=[digest.slug]),
                "check-inbox": reverse("newsletters:check-inbox"),
            }
        pages[f"{language}-story"] = story.get_absolute_url()
        pages.update({f"{language}-{name}": path for name, path in token_pages.items()})
    files = []
    for name, path in pages.items():
        response = client.get(path)
        assert response.status_code == (400 if name.endswith("bad-link") else 200), path
        file = tmp_path / f"{name}.html"
        file.write_bytes(response.content)
        files.append(str(file))
    # After a refused address (the form's error in place) and after confirming.
    for language in ("en", "fr"):
        with translation.override(languages.django_code(language)):
            path = reverse("newsletters:subscribe")
        response = client.post(
            path, {"email": "ana@@example", "newsletter": f"digest-{language}"},
            HTTP_ORIGIN="http://testserver",
        )  # fmt: skip
        assert response.status_code == 400
        file = tmp_path / f"{language}-invalid-address.html"
        file.write_bytes(response.content)
        files.append(str(file))
        subscription = Subscription.objects.get(list__slug=f"digest-{language}")
        with translation.override(languages.django_code(language)):
            confirm = reverse("newsletters:confirm", args=[confirmation_token(subscription)])
        response = client.post(confirm)
        assert response.status_code == 200
        file = tmp_path / f"{language}-confirmed.html"
        file.write_bytes(response.content)
        files.append(str(file))
    assert_valid(vnu, files)
