"""The desk's translations: "Translate", the story list's language column and filters, and a
translation that fell behind its original (docs/architecture/languages.md)."""

import pytest
import reversion
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from articles.models import Article, Section
from tests.admin.story_form import form_errors, story_form_data
from tests.factories import ArticleFactory, PhotoFactory, StaffFactory

LIST = reverse("admin:articles_article_changelist")


def change_url(story):
    return reverse("admin:articles_article_change", args=[story.pk])


def translate_url(story):
    return reverse("admin:articles_article_translate", args=[story.pk])


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def politique(section):
    return Section.objects.create(
        name="Politique", slug="politique", language="fr", translation_of=section
    )


@pytest.fixture
def original(section, politique, reporter):
    story = ArticleFactory(
        headline="Council approves new transit line",
        standfirst="The vote was 9 to 2.",
        section=section,
        lead_photo=PhotoFactory(),
        authors=[reporter.author_profile],
    )
    # Saved once through a revision, as the desk saves: its text of then is kept.
    with reversion.create_revision():
        story.save()
    return story


def test_translate_creates_the_linked_french_draft_and_opens_it(reporter_client, original):
    """A reporter's "Translate" makes a pre-filled French draft and lands on its page."""
    response = reporter_client.post(translate_url(original))
    draft = Article.objects.get(translation_of=original)
    assert response.status_code == 302
    assert response.url == change_url(draft)
    assert draft.language == "fr"
    assert draft.status == Article.Status.DRAFT
    assert draft.section.slug == "politique"
    assert (draft.headline, draft.standfirst, draft.body) == (
        original.headline,
        original.standfirst,
        original.body,
    )
    assert draft.lead_photo_id == original.lead_photo_id
    assert draft.translated_version == original.version
    assert LogEntry.objects.filter(object_id=str(draft.pk)).get().get_change_message() == (
        "Translation of “Council approves new transit line” started."
    )
    page = reporter_client.get(response.url).content.decode()
    assert "Translation (French) of “" in page
    assert "Caption (French)" in page  # the shared photo's French words, to be written


def test_the_change_page_offers_translate_only_to_an_untranslated_original(
    reporter_client, original
):
    """The button is on an original without a French translation, not on the translation."""
    page = reporter_client.get(change_url(original)).content.decode()
    assert "Translate into French" in page
    reporter_client.post(translate_url(original))
    draft = Article.objects.get(translation_of=original)
    assert "Translate into French" not in reporter_client.get(change_url(original)).content.decode()
    assert "Translate into" not in reporter_client.get(change_url(draft)).content.decode()


def test_translate_twice_is_refused_in_words(reporter_client, original):
    """A second "Translate" names the translation that exists and writes nothing."""
    reporter_client.post(translate_url(original))
    response = reporter_client.post(translate_url(original), follow=True)
    assert Article.objects.filter(translation_of=original).count() == 1
    assert messages_of(response)[-1] == (
        "“Council approves new transit line” already has its translation in French: "
        "“Council approves new transit line”."
    )


def test_translating_a_translation_is_refused_and_names_the_original(editor_client, original):
    """A translation is not translated again: translate its original."""
    editor_client.post(translate_url(original))
    draft = Article.objects.get(translation_of=original)
    response = editor_client.post(translate_url(draft), follow=True)
    assert Article.objects.count() == 2
    assert "is itself a translation: translate its original" in messages_of(response)[-1]


def test_translate_is_refused_to_someone_who_may_not_create_stories(client, original):
    """A staff account without the right to add stories gets a sentence, not a draft."""
    viewer = StaffFactory(username="viewer")
    viewer.user_permissions.add(*_view_story_permission())
    client.force_login(viewer)
    response = client.post(translate_url(original), follow=True)
    assert not Article.objects.filter(translation_of=original).exists()
    assert messages_of(response) == [
        "You cannot create stories, so you cannot start a translation."
    ]


def _view_story_permission():
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(codename="view_article")


def test_translate_without_a_paired_section_says_to_pair_it(reporter_client, reporter):
    """A section with no French counterpart: a sentence, nothing written."""
    story = ArticleFactory(section__name="Sports", section__slug="sports")
    response = reporter_client.post(translate_url(story), follow=True)
    assert Article.objects.count() == 1
    assert "has no French counterpart yet: pair it first" in messages_of(response)[0]


def test_translate_is_a_post(reporter_client, original):
    """A GET (a link followed, a prefetch) creates nothing."""
    assert reporter_client.get(translate_url(original)).status_code == 405
    assert not Article.objects.filter(translation_of=original).exists()


def test_the_bulk_action_translates_each_story_it_can(editor_client, original, section):
    """ "Translate selected stories" starts each translation and says why it skipped one."""
    unpaired = ArticleFactory(headline="Game night", section__slug="sports")
    response = editor_client.post(
        LIST,
        {"action": "translate_selected", "_selected_action": [original.pk, unpaired.pk]},
        follow=True,
    )
    assert Article.objects.filter(translation_of=original, language="fr").exists()
    assert not Article.objects.filter(translation_of=unpaired).exists()
    said = " ".join(messages_of(response))
    assert "Translation started" in said
    assert "has no French counterpart yet" in said


# --- the story list ----------------------------------------------------------------------


def _pair(original, *, behind=False):
    french = ArticleFactory(
        headline="Le conseil approuve la ligne",
        language="fr",
        section=Section.objects.get(slug="politique"),
        translation_of=original,
        translated_version=original.version - (1 if behind else 0),
        status=Article.Status.DRAFT,
        publish_at=None,
    )
    return french


def test_the_list_shows_each_storys_language_and_translation_state(editor_client, original):
    """ "EN → FR: draft" on the original, "FR (translation)" on the translation."""
    _pair(original)
    alone = ArticleFactory(headline="Only in English")
    page = editor_client.get(LIST).content.decode()
    assert "EN → FR: draft" in page
    assert "FR (translation)</span>" in page
    assert '<span class="newsroom-language">EN</span></td>' in page
    assert alone.headline in page


def test_the_list_says_when_a_translation_is_out_of_date(editor_client, original):
    """Both rows of a pair whose original moved on say "out of date"."""
    _pair(original, behind=True)
    page = editor_client.get(LIST).content.decode()
    assert "EN → FR: draft, out of date" in page
    assert "FR (translation): out of date" in page


def test_the_list_filters_by_language(editor_client, original):
    """?language=fr lists the French stories only."""
    french = _pair(original)
    shown = list(editor_client.get(LIST, {"language": "fr"}).context["cl"].result_list)
    assert shown == [french]


def test_the_list_filters_translations_out_of_date(editor_client, original, section):
    """?translation=out-of-date lists the translations behind their original, only those."""
    behind = _pair(original, behind=True)
    other = ArticleFactory(headline="Budget day", section=section)
    ArticleFactory(
        headline="Jour du budget",
        language="fr",
        section=Section.objects.get(slug="politique"),
        translation_of=other,
        translated_version=other.version,
    )
    shown = list(editor_client.get(LIST, {"translation": "out-of-date"}).context["cl"].result_list)
    assert shown == [behind]


def test_the_language_column_keeps_the_lists_query_count(
    editor_client, original, section, django_assert_max_num_queries
):
    """Ten more pairs on the page cost no more queries."""
    _pair(original)
    editor_client.get(LIST)
    with django_assert_max_num_queries(30) as few:
        editor_client.get(LIST)
    for n in range(10):
        story = ArticleFactory(headline=f"Story {n}", section=section)
        ArticleFactory(
            headline=f"Article {n}",
            language="fr",
            section=Section.objects.get(slug="politique"),
            translation_of=story,
            translated_version=story.version,
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        editor_client.get(LIST)


# --- out of date -------------------------------------------------------------------------


def _edit_original(original, **changes):
    for field, value in changes.items():
        setattr(original, field, value)
    original.describe_change("update")
    with reversion.create_revision():
        original.save()


def test_an_out_of_date_translation_shows_what_changed_in_the_original(reporter_client, original):
    """The translation's page says it is out of date and shows the original's diff since."""
    reporter_client.post(translate_url(original))
    draft = Article.objects.get(translation_of=original)
    _edit_original(original, standfirst="The vote was 9 to 3.")
    _edit_original(original, headline="Council approves new transit line, again")
    page = reporter_client.get(change_url(draft)).content.decode()
    assert "Out of date: the original changed" in page
    assert "<del>2.</del><ins>3.</ins>" in page
    assert "<del>line</del><ins>line, again</ins>" in page
    assert "Mark as up to date" in page


def test_mark_as_up_to_date_clears_the_notice_and_is_logged(reporter_client, original):
    """The button sets translated_version to the original's version and logs it."""
    reporter_client.post(translate_url(original))
    draft = Article.objects.get(translation_of=original)
    _edit_original(original, standfirst="The vote was 9 to 3.")
    url = reverse("admin:articles_article_translation_up_to_date", args=[draft.pk])
    response = reporter_client.post(url, follow=True)
    draft.refresh_from_db()
    original.refresh_from_db()
    assert draft.translated_version == original.version
    assert not draft.is_out_of_date
    page = response.content.decode()
    assert "Out of date" not in page
    assert "Up to date with the original." in page
    assert LogEntry.objects.filter(
        object_id=str(draft.pk),
        change_message=f"Marked as up to date with the original (its version {original.version}).",
    ).exists()


def test_mark_as_up_to_date_is_refused_to_who_cannot_edit_the_translation(
    client, original, other_reporter
):
    """Another reporter's translation stays as it is (403), and so does its version."""
    french = _pair(original, behind=True)
    client.force_login(other_reporter)
    url = reverse("admin:articles_article_translation_up_to_date", args=[french.pk])
    assert client.post(url).status_code == 403
    french.refresh_from_db()
    assert french.is_out_of_date


def test_a_french_storys_form_edits_the_photos_french_words(editor_client, original):
    """A French story's caption, credit and alt text are the photo's French ones."""
    editor_client.post(translate_url(original))
    draft = Article.objects.get(translation_of=original)
    photo = draft.lead_photo
    form = editor_client.get(change_url(draft)).context["adminform"].form
    assert form.initial["photo_caption"] == ""  # the French caption is not written yet
    data = story_form_data(
        draft,
        headline="Le conseil approuve la nouvelle ligne",
        photo_caption="Le conseil municipal, mardi.",
        photo_credit="LA PRESSE CANADIENNE",
        photo_alt_text="Des élus votent à main levée",
        _continue="1",
    )
    response = editor_client.post(change_url(draft), data)
    assert response.status_code == 302, form_errors(response)
    photo.refresh_from_db()
    assert photo.caption_fr == "Le conseil municipal, mardi."
    assert photo.alt_text_fr == "Des élus votent à main levée"
    assert photo.caption == "Firefighters work on a hot spot near Kelowna, B.C., on Tuesday."


def test_a_journalist_starts_a_story_in_french_from_the_desk(editor_client):
    """The story form's language: a French original, in a French section, from the add page."""
    from articles.models import Article
    from tests.admin.story_form import add_url, story_form_data
    from tests.factories import SectionFactory

    french = SectionFactory(name="Politique", slug="politique", language="fr")
    response = editor_client.post(
        add_url(),
        story_form_data(
            headline="Le budget du Québec prévoit un déficit",
            language="fr",
            section=str(french.pk),
            status="draft",
        ),
    )
    assert response.status_code == 302, (
        response.context and response.context["adminform"].form.errors
    )
    story = Article.objects.get(headline="Le budget du Québec prévoit un déficit")
    assert (story.language, story.translation_of) == ("fr", None)


def test_the_desk_in_french_offers_french_for_a_new_story_and_fixes_it_after(editor_client):
    """New stories start in the desk's language; a saved story's language is read-only."""
    from articles.models import Article
    from tests.admin.story_form import add_url, change_url
    from tests.factories import ArticleFactory

    session = editor_client.session
    session["newsroom_desk_language"] = "fr-ca"
    session.save()
    form = editor_client.get(add_url()).context["adminform"].form
    assert form.initial["language"] == "fr"
    story = ArticleFactory(status=Article.Status.DRAFT)
    page = editor_client.get(change_url(story))
    assert "language" not in page.context["adminform"].form.fields


def test_the_french_desk_names_languages_in_lower_case_inside_its_sentences(
    reporter_client, original
):
    """« Traduction (français) de … (original : anglais) », as French writes them."""
    reporter_client.post(translate_url(original))
    draft = Article.objects.get(translation_of=original)
    session = reporter_client.session
    session["newsroom_desk_language"] = "fr-ca"
    session.save()
    page = reporter_client.get(change_url(draft)).content.decode()
    assert "Traduction (français) de «" in page
    assert "(original\u00a0: anglais)" in page
    assert "Traduction (Français)" not in page
