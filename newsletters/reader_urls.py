"""The readers' newsletter addresses, in both languages (mounted by ``newsroom.urls`` under
the language prefix: ``/newsletters/…`` in English, ``/fr/infolettres/…`` in French).

Each route's words are translated in the catalogue under the context "address".
"""

from django.urls import path
from django.utils.translation import pgettext_lazy

from . import pages

app_name = "newsletters"

urlpatterns = [
    path(pgettext_lazy("address", "newsletters/"), pages.index, name="index"),
    path(pgettext_lazy("address", "newsletters/subscribe/"), pages.subscribe, name="subscribe"),
    path(
        pgettext_lazy("address", "newsletters/check-your-inbox/"),
        pages.check_inbox,
        name="check-inbox",
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
    path(
        pgettext_lazy("address", "newsletters/unsubscribe/<str:token>/"),
        pages.unsubscribe,
        name="unsubscribe",
    ),
    path(pgettext_lazy("address", "newsletters/<slug:slug>/"), pages.list_page, name="list"),
]
