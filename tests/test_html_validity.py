"""Every public page is valid HTML, checked by the Nu Html Checker (vnu).

vnu comes from npm (``npm install vnu-jar``) and runs on Java. The test looks for the jar at
``$VNU_JAR``, then in ``node_modules/`` or ``.tools/node_modules/`` of the checkout (neither
is committed), and is skipped, visibly, when it or Java is missing.
"""

import json
import os
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from articles.embeds import embed_for_id
from articles.search import update_search_vectors
from tests.factories import ArticleFactory, AuthorFactory, PhotoFactory, SectionFactory

pytestmark = pytest.mark.django_db

JAR_PLACES = ("node_modules", ".tools/node_modules")


def _vnu_jar():
    candidates = [os.environ.get("VNU_JAR")] + [
        str(Path(settings.BASE_DIR, place, "vnu-jar", "build", "dist", "vnu.jar"))
        for place in JAR_PLACES
    ]
    return next((path for path in candidates if path and Path(path).is_file()), None)


@pytest.fixture
def vnu():
    jar, java = _vnu_jar(), shutil.which("java")
    if not jar or not java:
        pytest.skip("needs vnu.jar (npm install vnu-jar, or set VNU_JAR) and Java")
    return [java, "-jar", jar, "--errors-only", "--format", "json"]


def test_every_public_page_is_valid_html(client, vnu, tmp_path):
    canada = SectionFactory(name="Canada", slug="canada", description="News from coast to coast.")
    author = AuthorFactory(
        name="Amara Singh", slug="amara-singh", job_title="Parliamentary reporter",
        bio="Covers Parliament.", email="amara.singh@example.ca",
    )  # fmt: skip
    author.photo.save("amara.jpg", PhotoFactory.build().image, save=True)
    now = timezone.now()
    stories = [
        ArticleFactory(
            headline=f"Wildfire update {n}: crews hold the line near Kelowna",
            section=canada,
            authors=[author],
            tags=["Wildfires"],
            lead_photo=PhotoFactory() if n % 3 else None,
            publish_at=now - timedelta(hours=n + 1),
            correction="An earlier version misspelled a street name." if n == 1 else "",
        )
        for n in range(12)
    ]
    # The French site: a story translated, in the paired section, with French words.
    societe = SectionFactory(name="Société", slug="societe", language="fr", translation_of=canada)
    ArticleFactory(
        headline="Feux de forêt : les équipes tiennent bon près de Kelowna",
        section=societe,
        language="fr",
        authors=[author],
        tags=["Feux de forêt"],
        lead_photo=PhotoFactory(caption_fr="Des pompiers", credit_fr="PC", alt_text_fr="Pompiers"),
        translation_of=stories[1],
        correction="Une version précédente écorchait le nom d’une rue.",
    )
    # Retracted: the 410 notice, in each language.
    retracted = stories[11]
    retracted.status, retracted.retracted_at = "retracted", now
    retracted.retraction_note = "The story relied on a document that was forged.\nWe regret it."
    retracted.save()
    fr_retracted = ArticleFactory(
        headline="Un article rétracté",
        section=societe,
        language="fr",
        status="retracted",
        retracted_at=now,
        retraction_note="Une source a menti.",
    )
    # A story with a video and an audio embed (the click-to-load facades).
    with_embeds = ArticleFactory(
        headline="Council votes to keep transit fares frozen",
        section=canada,
        body=(
            "<p>The council voted.</p>"
            + embed_for_id("youtube", "dQw4w9WgXcQ", "The mayor on the vote").stored_html()
            + embed_for_id("soundcloud", "some-artist/a-track").stored_html()
        ),
    )
    # A later update with its diff, for the story's history page.
    stories[1].body += "<p>Crews said the fire was <em>contained</em> by Tuesday.</p>"
    stories[1].describe_change("update", "Adds that the fire was contained.")
    stories[1].save()
    update_search_vectors()
    french = stories[1].translations.get()
    pages = {
        "home": "/",
        "story": stories[1].get_absolute_url(),
        "story-embeds": with_embeds.get_absolute_url(),
        "section": "/section/canada/",
        "tag": "/tag/wildfires/",
        "author": "/author/amara-singh/",
        "search": "/search/?q=wildfire",
        "search-empty": "/search/",
        "feeds": "/feeds/",
        "not-found": "/no-such-page/",
        "about": "/about/",
        "contact": "/contact/",
        "corrections": "/corrections/",
        "history": f"{stories[1].get_absolute_url()}history/",
        "privacy": "/privacy/",
        "fr-home": "/fr/",
        "fr-story": french.get_absolute_url(),
        "fr-section": "/fr/rubrique/societe/",
        "fr-tag": "/fr/mot-cle/feux-de-foret/",
        "fr-author": "/fr/auteur/amara-singh/",
        "fr-search": "/fr/recherche/?q=feux",
        "fr-search-empty": "/fr/recherche/",
        "fr-feeds": "/fr/fils/",
        "fr-not-found": "/fr/pas-de-page/",
        "retracted": retracted.get_absolute_url(),
        "fr-retracted": fr_retracted.get_absolute_url(),
        "retracted-history": f"{retracted.get_absolute_url()}history/",
        "fr-corrections": "/fr/corrections/",
        "fr-history": f"{french.get_absolute_url()}historique/",
    }
    files = []
    for name, path in pages.items():
        response = client.get(path)
        assert response.status_code in (200, 404, 410), path
        file = tmp_path / f"{name}.html"
        file.write_bytes(response.content)
        files.append(str(file))
    assert_valid(vnu, files)


def live_story_with_updates(count, language="en"):
    """A live story with ``count`` updates of every kind: key points, a pinned one, an edited
    one, one with a photo and one with a link, and a deleted one (not shown)."""
    from live import services
    from tests.factories import StaffFactory

    editor = StaffFactory(username=f"live-editor-{language}", group="Editor")
    author = AuthorFactory(name="Léa Tremblay", user=editor)
    story = ArticleFactory(
        headline="Élections : la soirée en direct" if language == "fr" else "Election night, live",
        language=language,
        section=SectionFactory(language=language),
        authors=[author],
        lead_photo=PhotoFactory(),
    )
    coverage = services.start(story, by=editor)
    photo = PhotoFactory()
    for n in range(count):
        entry = services.post(
            coverage,
            by=editor,
            body=f"<p>Update {n}: results from riding {n}.</p><ul><li>Turnout 52 %</li></ul>"
            + ("<p>https://vimeo.com/76979871</p>" if n in (11, 12) else ""),
            key_point=n % 9 == 0,
            pinned=n == 3,
            photo=photo if n == 5 else None,
            link={6: "https://example.ca/results", 7: "https://youtu.be/dQw4w9WgXcQ"}.get(n, ""),
        )
        if n == 8:
            services.edit(entry, by=editor, body="<p>Update 8, corrected.</p>")
        if n == 10:
            services.delete(entry, by=editor)
    return story


def test_a_live_page_with_fifty_updates_is_valid_html(client, vnu, tmp_path, settings):
    settings.LIVE_PAGE_SIZE = 50
    story = live_story_with_updates(61)  # 60 shown: 50 on the story page, 10 on page 2
    french = live_story_with_updates(12, language="fr")
    pages = {
        "live-story": story.get_absolute_url(),
        "live-older": f"/story/{story.slug}/live/?page=2",
        "fr-live-story": french.get_absolute_url(),
    }
    files = []
    for name, path in pages.items():
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.content.count(b'<article class="live-entry') == {
            "live-story": 50, "live-older": 10, "fr-live-story": 11
        }[name]  # fmt: skip
        file = tmp_path / f"{name}.html"
        file.write_bytes(response.content)
        files.append(str(file))
    assert_valid(vnu, files)


def test_imported_wordpress_stories_and_the_fidelity_report_are_valid_html(client, vnu, tmp_path):
    """Stories imported from each era's export (embeds, links naming their host, code blocks,
    figures) and the fidelity report an editor opens are valid HTML."""
    import io

    from django.core.management import CommandError, call_command

    from tests.wordpress.eras import ERAS, write_uploads
    from wordpress.models import WordPressPost

    uploads = write_uploads(tmp_path / "uploads")
    files = []
    for number, build in enumerate(ERAS.values()):
        export = tmp_path / f"era-{number}.xml"
        export.write_text(build())
        try:
            call_command(
                "import_wordpress", str(export), media_dir=str(uploads),
                stdout=io.StringIO(), stderr=io.StringIO(),
            )  # fmt: skip
        except CommandError:  # refused Rate My Post totals: the stories are imported
            pass
        files.append(str(tmp_path / f"era-{number}.fidelity.html"))
    for imported in WordPressPost.objects.select_related("article"):
        if imported.article.status != "published":
            continue
        response = client.get(imported.article.get_absolute_url())
        assert response.status_code == 200
        file = tmp_path / f"story-{imported.wp_id}.html"
        file.write_bytes(response.content)
        files.append(str(file))
    assert_valid(vnu, files)


def assert_valid(vnu, files):
    """Run the HTML checker once over ``files``; fail with each error, file and line."""
    result = subprocess.run([*vnu, *files], capture_output=True, text=True, timeout=300)
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    errors = [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m.get("type") == "error"
    ]
    assert errors == [], "\n".join(errors)
