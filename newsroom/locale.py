"""A public page's language comes from its address; only the desk follows the reader's choice.

Django's ``LocaleMiddleware`` picks the language from the ``django_language`` cookie or the
``Accept-Language`` header when the address does not say. That suits the admin, where an
editor picks a language for the interface, but not the public pages: they are the same for
everyone and kept by the page cache, nginx and a CDN under their address alone, so one
reader sending ``django_language=fr-ca`` had the French-labelled page cached and served to
everybody. Public pages are in the language of their address (``/fr/…`` French, anything
else ``LANGUAGE_CODE``) and do not ``Vary: Accept-Language``.

The prefix is the content language's two letters (``/fr/``, not Django's ``/fr-ca/``):
``language_prefixed`` is ``i18n_patterns(…, prefix_default_language=False)`` with that
prefix. Django's ``get_language_from_path`` already reads ``/fr/`` as ``fr-ca`` (the one
supported variant of ``fr``).
"""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.urls import LocalePrefixPattern, URLResolver
from django.utils import translation

# Where editors work (newsroom/urls.py mounts the admin, the desk, at /admin/).
STAFF_PREFIXES = ("/admin/",)
# The journalist's choice of the desk's language, put in the session by the desk
# (desk/language.py; stored in desk.DeskPreference): read here without a query per page.
DESK_LANGUAGE_SESSION_KEY = "newsroom_desk_language"


def is_staff_area(request):
    return request.path_info.startswith(STAFF_PREFIXES)


class SiteLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request):
        if is_staff_area(request):
            # The editor's choice (cookie, then Accept-Language). Not LocaleMiddleware's own
            # process_request: with unprefixed English addresses it would give every address
            # without a prefix, /admin/ included, LANGUAGE_CODE.
            # The journalist's own choice first (their profile's "Desk language"), then the
            # browser's.
            chosen = getattr(request, "session", {}).get(DESK_LANGUAGE_SESSION_KEY)
            if chosen not in dict(settings.LANGUAGES):
                chosen = translation.get_language_from_request(request)
            translation.activate(chosen)
            request.LANGUAGE_CODE = translation.get_language()
            return None
        language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        return None

    def process_response(self, request, response):
        if is_staff_area(request):
            return super().process_response(request, response)
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


class ContentLanguagePrefix(LocalePrefixPattern):
    """``i18n_patterns``' prefix, as ``/fr/`` for ``fr-ca`` (and none for the default)."""

    @property
    def language_prefix(self):
        language = _two_letters(translation.get_language() or settings.LANGUAGE_CODE)
        default = _two_letters(settings.LANGUAGE_CODE)
        return "" if language == default and not self.prefix_default_language else f"{language}/"


def _two_letters(code):
    """``fr-ca`` → ``fr``: the prefix of an address (the content languages' codes)."""
    return code.split("-", 1)[0].lower()


def language_prefixed(*urls):
    """``i18n_patterns(*urls, prefix_default_language=False)``, with two-letter prefixes."""
    return [URLResolver(ContentLanguagePrefix(prefix_default_language=False), list(urls))]
