import pytest

from articles.models import InfoPage, Section
from tests.factories import ArticleFactory, AuthorFactory, PhotoFactory

SITE = "https://news.example.ca"


@pytest.fixture
def pair(settings, django_capture_on_commit_callbacks):
    """An English story and its published French translation, in paired sections, with one
    author, a lead photo with words in both languages, and paired "About" pages."""
    settings.SITE_URL = SITE
    politics = Section.objects.create(name="Politics", slug="politics")
    politique = Section.objects.create(
        name="Politique", slug="politique", language="fr", translation_of=politics
    )
    author = AuthorFactory(name="Jeanne Roy", slug="jeanne-roy")
    photo = PhotoFactory(
        caption_fr="Des pompiers près de Kelowna, en C.-B., mardi.",
        credit_fr="LA PRESSE CANADIENNE/Darryl Dyck",
        alt_text_fr="Des pompiers arrosent une colline fumante",
    )
    # Saved as the desk saves: what follows the commit (search vectors) runs.
    with django_capture_on_commit_callbacks(execute=True):
        english, french = _stories(politics, politique, author, photo)
    about, _created = InfoPage.objects.get_or_create(
        slug="about", language="en", defaults={"title": "About", "body": "<p>Us.</p>"}
    )
    InfoPage.objects.create(
        title="À propos", slug="a-propos", language="fr", translation_of=about, body="<p>Nous.</p>"
    )
    return english, french


def _stories(politics, politique, author, photo):
    english = ArticleFactory(
        headline="Budget passes after long night",
        section=politics,
        authors=[author],
        lead_photo=photo,
        tags=["Ottawa"],
    )
    french = ArticleFactory(
        headline="Le budget adopté après une longue nuit",
        standfirst="Les députés ont voté à l'aube.",
        body="<p>Les élus ont adopté le budget à l'école.</p>",
        language="fr",
        section=politique,
        authors=[author],
        lead_photo=photo,
        translation_of=english,
        translated_version=english.version,
        tags=["Budget fédéral"],
    )
    return english, french
