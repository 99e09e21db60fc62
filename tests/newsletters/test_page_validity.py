"""The newsletter pages are valid HTML (the Nu Html Checker), in English and French."""

import pytest

from newsletters import tokens
from newsletters.models import NewsletterList, Subscriber, Subscription
from tests.factories import ArticleFactory, SectionFactory
from tests.test_html_validity import assert_valid, vnu  # noqa: F401 - vnu is a fixture

pytestmark = pytest.mark.django_db


def test_the_sign_up_confirmation_and_preferences_pages_are_valid_html(client, vnu, tmp_path):  # noqa: F811
    canada = SectionFactory(name="Canada", slug="canada")
    societe = SectionFactory(name="Société", slug="societe", language="fr", translation_of=canada)
    pages = {}
    for language, section, prefix in (("en", canada, ""), ("fr", societe, "/fr")):
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
        words = {"en": ("newsletters", "confirm", "preferences", "unsubscribe", "check-your-inbox"),
                 "fr": ("infolettres", "confirmer", "preferences", "desabonnement", "verifiez-vos-courriels")}[language]  # fmt: skip
        base = f"{prefix}/{words[0]}"
        pages.update({
            f"{language}-story": story.get_absolute_url(),
            f"{language}-index": f"{base}/",
            f"{language}-list": f"{base}/digest-{language}/",
            f"{language}-check-inbox": f"{base}/{words[4]}/",
            f"{language}-confirm": f"{base}/{words[1]}/{tokens.confirmation_token(subscription)}/",
            f"{language}-preferences": f"{base}/{words[2]}/{tokens.preferences_token(subscriber)}/",
            f"{language}-unsubscribe": f"{base}/{words[3]}/{tokens.unsubscribe_token(subscriber, digest)}/",
            f"{language}-bad-link": f"{base}/{words[2]}/nonsense/",
        })  # fmt: skip
    files = []
    for name, path in pages.items():
        response = client.get(path)
        assert response.status_code == (400 if name.endswith("bad-link") else 200), path
        file = tmp_path / f"{name}.html"
        file.write_bytes(response.content)
        files.append(str(file))
    # After a refused address (the form's error in place) and after confirming.
    for language, prefix, path in (("en", "", "/newsletters/subscribe/"),
                                   ("fr", "/fr", "/fr/infolettres/inscription/")):  # fmt: skip
        response = client.post(
            path, {"email": "ana@@example", "newsletter": f"digest-{language}"},
            HTTP_ORIGIN="http://testserver",
        )  # fmt: skip
        assert response.status_code == 400
        file = tmp_path / f"{language}-invalid-address.html"
        file.write_bytes(response.content)
        files.append(str(file))
        subscription = Subscription.objects.get(list__slug=f"digest-{language}")
        confirm = "newsletters/confirm" if language == "en" else "infolettres/confirmer"
        response = client.post(f"{prefix}/{confirm}/{tokens.confirmation_token(subscription)}/")
        assert response.status_code == 200
        file = tmp_path / f"{language}-confirmed.html"
        file.write_bytes(response.content)
        files.append(str(file))
    assert_valid(vnu, files)
