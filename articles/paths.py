"""Addresses of the public pages, built fast: ``reverse()`` once per URL name.

An uncached story page links some thirty addresses, and ``reverse()`` walks the URL
resolver for each one (about 12 % of the render). Addresses of one URL name differ only by
their one argument (a story's slug, a story's id), so each URL name is reversed once per URL
configuration, script prefix and language with a stand-in argument, and the real one takes
the stand-in's place. A slug that ``reverse()`` would have to quote (anything but ASCII
letters, digits, ``-`` and ``_``) goes through ``reverse()`` as before.
"""

import functools
import re

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

_STAND_IN = "slug-stand-in-7f3a"
_NUMBER_STAND_IN = 9876543210123  # no real id has so many digits
_PLAIN_SLUG = re.compile(r"[-a-zA-Z0-9_]+")


@functools.lru_cache(maxsize=256)
def _pattern(name, urlconf, script_prefix, language, stand_in=_STAND_IN):
    # The arguments are the cache key: reverse() reads all of them from the current state.
    if stand_in is None:
        return reverse(name, urlconf=urlconf), ""
    text = str(stand_in)
    before, _found, after = reverse(name, urlconf=urlconf, args=[stand_in]).partition(text)
    return before, after


def _current(name, stand_in=_STAND_IN):
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return _pattern(name, urlconf, get_script_prefix(), get_language(), stand_in)


def path(name, *args):
    """``reverse(name, args=args)``; fast for no argument, one plain slug or one id."""
    if not args:
        return _current(name, None)[0]
    if len(args) == 1:
        value = args[0]
        if isinstance(value, str):
            return slug_path(name, value)
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            before, after = _current(name, _NUMBER_STAND_IN)
            return f"{before}{value}{after}"
    return reverse(name, args=args)


def slug_path(name, slug):
    """``reverse(name, args=[slug])``, for URL names whose one argument is a slug."""
    if not _PLAIN_SLUG.fullmatch(slug):
        return reverse(name, args=[slug])
    before, after = _current(name)
    return f"{before}{slug}{after}"


def language_path(language, name, slug):
    """``slug_path`` in a content language (``"en"``/``"fr"``): a story's address is its own
    language's, whatever the page that links to it. Fast when it is the page's language."""
    from django.utils import translation

    from .languages import current, django_code

    if language == current():
        return slug_path(name, slug)
    with translation.override(django_code(language)):
        return slug_path(name, slug)


def in_language(language, name, *args):
    """``path(name, *args)`` in a content language (the switcher, ``hreflang`` links)."""
    from django.utils import translation

    from .languages import current, django_code

    if language == current():
        return path(name, *args)
    with translation.override(django_code(language)):
        return path(name, *args)
