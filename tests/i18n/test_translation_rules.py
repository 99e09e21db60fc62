"""The rules of languages and translations: form errors in words, constraints behind them,
nothing half-written (docs/architecture/languages.md)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from articles.models import Article, Byline, Section
from tests.factories import ArticleFactory, SectionFactory, StaffFactory

pytestmark = pytest.mark.django_db


def errors_of(instance):
    with pytest.raises(ValidationError) as caught:
        instance.full_clean()
    return caught.value.message_dict


@pytest.fixture
def original():
    politics = SectionFactory(name="Politics", slug="politics")
    SectionFactory(name="Politique", slug="politique", language="fr", translation_of=politics)
    return ArticleFactory(headline="Budget passes", section=politics)


def test_an_unknown_language_is_a_form_error_and_refused_by_the_database(original):
    """ "de" is a form error in words; written anyway, the database refuses it."""
    original.language = "de"
    assert "language" in errors_of(original)
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=original.pk).update(language="de")


def test_a_translation_of_a_translation_is_refused(original):
    """Translating a translation names the original to link to instead."""
    french = original.make_translation_draft(by=None)
    story = ArticleFactory.build(
        headline="Third", section=original.section, translation_of=french, language="en"
    )
    assert "itself a translation" in errors_of(story)["translation_of"][0]
    with pytest.raises(ValidationError, match="is a translation"):
        french.make_translation_draft(by=None)


def test_two_translations_in_one_language_are_refused(original):
    """A second French translation is a form error, and the database refuses it too."""
    french = original.make_translation_draft(by=None)
    second = ArticleFactory.build(
        headline="Deuxième", section=french.section, language="fr", translation_of=original
    )
    assert "already has a translation" in errors_of(second)["translation_of"][0]
    with pytest.raises(ValidationError, match="already has a translation"):
        original.make_translation_draft(by=None)
    assert Article.objects.filter(translation_of=original).count() == 1  # nothing written
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(
            headline="Deuxième", section=french.section, language="fr", translation_of=original
        )


def test_a_translation_in_its_originals_language_is_refused(original):
    """A "translation" in English of an English story is a form error."""
    story = ArticleFactory.build(
        headline="Copy", section=original.section, language="en", translation_of=original
    )
    assert "another language" in errors_of(story)["translation_of"][0]


def test_a_story_needs_a_section_in_its_language(original):
    """A French story in an English section is a form error."""
    story = ArticleFactory.build(
        headline="Mauvaise rubrique", section=original.section, language="fr"
    )
    assert "section" in errors_of(story)


def test_slugs_are_unique_per_language(original):
    """A translation may keep its original's slug; two English stories may not share one."""
    french = ArticleFactory(
        headline="Budget passes",
        slug=original.slug,
        language="fr",
        section=Section.objects.get(slug="politique"),
    )
    assert french.slug == original.slug
    clash = ArticleFactory.build(slug=original.slug, section=original.section)
    assert "slug" in errors_of(clash)
    # A slug made from the headline avoids its language's slugs only.
    assert ArticleFactory(headline="Budget passes", section=original.section).slug == (
        f"{original.slug}-2"
    )


def test_translate_makes_a_linked_draft_prefilled_for_the_translator(original):
    """The draft has the original's text, bylines and photo, the paired section, no tags."""
    original.tags.add("Ottawa")
    editor = StaffFactory(group="Editor")
    draft = original.make_translation_draft(by=editor)
    assert (draft.language, draft.status, draft.translation_of) == ("fr", "draft", original)
    assert draft.section.slug == "politique" and draft.body == original.body
    assert draft.byline_authors() == original.byline_authors()
    assert list(draft.tags.all()) == [] and draft.created_by == editor
    assert not draft.is_out_of_date


def test_translate_without_a_paired_section_says_so_and_writes_nothing():
    """No French counterpart of the section: a sentence, and no draft or byline left."""
    story = ArticleFactory(section=SectionFactory(name="Sports", slug="sports"))
    with pytest.raises(ValidationError, match="no French counterpart"):
        story.make_translation_draft(by=None)
    assert Article.objects.count() == 1 and Byline.objects.count() == 1


def test_a_translation_is_out_of_date_once_its_original_changes(original):
    """Out of date: the original's version is past the one the translation was brought to."""
    french = original.make_translation_draft(by=None)
    assert not french.is_out_of_date
    original.body = "<p>Corrected figures.</p>"
    original.describe_change("correction", "An earlier version gave the wrong figures.")
    original.save()
    french.refresh_from_db()
    assert french.is_out_of_date
    french.mark_translation_up_to_date()
    assert not Article.objects.get(pk=french.pk).is_out_of_date


def test_deleting_an_original_leaves_its_translation_standing(original):
    """The translation stays, now on its own."""
    french = original.make_translation_draft(by=None)
    original.delete()
    french.refresh_from_db()
    assert french.translation_of is None and not french.is_out_of_date


def test_a_french_story_needs_the_photos_french_words_to_go_out(original):
    """The publish check asks for the caption, credit and alt text in the story's language."""
    from articles.workflow import article_publish_problems
    from tests.factories import PhotoFactory

    photo = PhotoFactory()  # English words only
    french = original.make_translation_draft(by=None)
    french.lead_photo = photo
    assert set(article_publish_problems(french, Article.Status.PUBLISHED)) == {
        "caption",
        "credit",
        "alt_text",
    }
    photo.caption_fr, photo.credit_fr, photo.alt_text_fr = (
        "Légende",
        "LA PRESSE CANADIENNE",
        "Texte",
    )
    assert article_publish_problems(french, Article.Status.PUBLISHED) == {}


def test_a_paired_section_must_be_in_the_other_language():
    """Pairing two English sections is a form error."""
    politics = SectionFactory(name="Politics", slug="politics")
    other = Section(name="Politics 2", slug="politics-2", language="en", translation_of=politics)
    assert "translation_of" in errors_of(other)


def test_the_french_front_page_can_be_made_beside_the_english_one_on_a_migrated_database(db):
    """Migration 0012's English front page (id 1) no longer blocks the first French one."""
    from articles.models import FrontPage

    english, french = FrontPage.current("en"), FrontPage.current("fr")
    assert (english.language, french.language) == ("en", "fr")
    assert english.pk != french.pk
