"""The languages stories are written in, and how they map to the interface's languages.

A story, a section, a site page and a front page each have a ``language``: ``en`` or
``fr`` (two letters, stored). The interface's language codes are Django's (``en-ca``,
``fr-ca`` in ``settings.LANGUAGES``), the markup's are BCP 47 (``en-CA``, ``fr-CA``). The
language of a public page is its address's (``newsroom.locale``): ``/`` English, ``/fr/``
French. See docs/architecture/languages.md.
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

ENGLISH, FRENCH = "en", "fr"
CHOICES = [(ENGLISH, _("English")), (FRENCH, _("French"))]
CODES = tuple(code for code, _name in CHOICES)
DEFAULT = ENGLISH

# content language → (Django's language code, the BCP 47 tag of markup and feeds)
_DJANGO = {ENGLISH: "en-ca", FRENCH: "fr-ca"}
_TAGS = {ENGLISH: "en-CA", FRENCH: "fr-CA"}
# PostgreSQL text search configuration per language (``french_unaccent``: migration 0019).
SEARCH_CONFIGS = {ENGLISH: "english", FRENCH: "french_unaccent"}


def from_django(code):
    """``fr-ca`` → ``fr``; anything unknown → the default language."""
    short = (code or "").split("-", 1)[0].lower()
    return short if short in CODES else DEFAULT


def current():
    """The content language of the page being served (from the active interface language)."""
    return from_django(translation.get_language() or settings.LANGUAGE_CODE)


def django_code(language):
    return _DJANGO[language]


def tag(language):
    """The BCP 47 tag for ``<html lang>``, ``hreflang`` and JSON-LD: ``fr-CA``."""
    return _TAGS[language]


def other(language):
    return FRENCH if language == ENGLISH else ENGLISH


def name(language):
    return dict(CHOICES)[language]


# The names inside a sentence: French writes them in lower case there ("Traduction
# (français)"), as a label it capitalises them like English ("Français").
_IN_SENTENCE = {
    ENGLISH: pgettext_lazy("a language's name inside a sentence", "English"),
    FRENCH: pgettext_lazy("a language's name inside a sentence", "French"),
}


def name_in_sentence(language):
    return _IN_SENTENCE[language]
