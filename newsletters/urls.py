"""The newsletters' addresses, in both languages: mounted by ``newsroom.urls`` under the
language prefix (``/newsletters/…`` in English, ``/fr/infolettres/…`` in French); each
route's words are translated in the catalogue under the context "address".

The readers' pages are ``pages``; the one-click unsubscribe POST is ``views`` (RFC 8058),
whose GET is the readers' unsubscribe page.
"""

from django.urls import path
from django.utils.translation import pgettext_lazy

from . import pages, views

app_name = "newsletters"

urlpatterns = [
    path(pgettext_lazy("address", "newsletters/"), pages.index, name="index"),
    path(pgettext_lazy("address", "newsletters/subscribe/"), pages.subscribe, name="subscribe"),
    path(
        pgettext_lazy("address", "newsletters/check-your-inbox/"),
        pages.check_inbox,
        name="check-inbox",
    ),
    # GET: the readers' page with a button; POST: RFC 8058 one-click (no CSRF, signed link).
    path(
        pgettext_lazy("address", "newsletters/unsubscribe/<str:token>/"),
        views.one_click_unsubscribe,
        name="unsubscribe",
    ),
    path(
        pgettext_lazy("address", "newsletters/confirm/<str:token>/"),
        pages.confirm,
        name="confirm",
    ),
    path(
        pgettext_lazy("address", "newsletters/preferences/<str:token>/"),
        pages.preferences,
        name="preferences",
    ),
    path(pgettext_lazy("address", "newsletters/<slug:slug>/"), pages.list_page, name="list"),
]
