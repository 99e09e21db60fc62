"""A public page's language comes from its address; only the desk follows the reader's choice.

Django's ``LocaleMiddleware`` picks the language from the ``django_language`` cookie or the
``Accept-Language`` header when the address does not say. That suits the admin, where an
editor picks a language for the interface, but not the public pages: they are the same for
everyone and kept by the page cache, nginx and a CDN under their address alone, so one
reader sending ``django_language=fr-ca`` had the French-labelled page cached and served to
everybody. Public pages are in the language of their address (an ``i18n_patterns`` prefix
once the site has one, ``LANGUAGE_CODE`` until then) and do not ``Vary: Accept-Language``.
"""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

# Where editors work (newsroom/urls.py mounts the admin, the desk, at /admin/).
STAFF_PREFIXES = ("/admin/",)


def is_staff_area(request):
    return request.path_info.startswith(STAFF_PREFIXES)


class SiteLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request):
        if is_staff_area(request):
            return super().process_request(request)
        language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        return None

    def process_response(self, request, response):
        if is_staff_area(request):
            return super().process_response(request, response)
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
