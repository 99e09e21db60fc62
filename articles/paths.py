"""Addresses of the public pages named by one slug (story, section, author), built fast.

An uncached story page links some thirty such addresses, and ``reverse()`` walks the URL
resolver for each one (about 12 % of the render). These addresses differ only by their
slug, so each URL name is reversed once per URL configuration, script prefix and language
with a stand-in slug, and the real slug takes the stand-in's place. A slug that
``reverse()`` would have to quote (anything but ASCII letters, digits, ``-`` and ``_``)
goes through ``reverse()`` as before.
"""

import functools
import re

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

_STAND_IN = "slug-stand-in-7f3a"
_PLAIN_SLUG = re.compile(r"[-a-zA-Z0-9_]+")


@functools.lru_cache(maxsize=128)
def _pattern(name, urlconf, script_prefix, language):
    # The arguments are the cache key: reverse() reads all of them from the current state.
    before, stand_in, after = reverse(name, urlconf=urlconf, args=[_STAND_IN]).partition(_STAND_IN)
    return before, after


def slug_path(name, slug):
    """``reverse(name, args=[slug])``, for URL names whose one argument is a slug."""
    if not _PLAIN_SLUG.fullmatch(slug):
        return reverse(name, args=[slug])
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    before, after = _pattern(name, urlconf, get_script_prefix(), get_language())
    return f"{before}{slug}{after}"
