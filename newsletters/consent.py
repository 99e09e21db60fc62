"""The consent wording a reader is shown beside a sign-up button, and that is recorded.

CASL's express consent names the purpose, who is asking (with a way to reach them) and
that consent can be withdrawn. The sentence is built here from the list and the settings,
once for the page and once more when the form comes back, so the record holds the words
the reader saw, never words sent by the browser (which anyone could rewrite).
"""

from django.conf import settings
from django.utils.translation import gettext as _


def sender_identity():
    """ "The Maple Ledger, 123 Front St. W., Toronto ON": who is asking, and where."""
    address = getattr(settings, "NEWSLETTER_POSTAL_ADDRESS", "")
    if not address:
        return settings.SITE_NAME
    # Translators: the sender of a newsletter: the outlet's name, then its postal address.
    return _("%(name)s, %(address)s") % {"name": settings.SITE_NAME, "address": address}


def purpose(newsletter_list):
    """What the reader will get, in a sentence."""
    if newsletter_list.description:
        return newsletter_list.description.strip()
    kind = newsletter_list.kind
    if kind == "alert":
        return _("Breaking news alerts, when major news breaks.")
    if kind == "section" and newsletter_list.section_id:
        return _("The latest stories in %(section)s, once a day.") % {
            "section": newsletter_list.section.name
        }
    return _("The day’s top stories, once a day.")


def consent_wording(newsletter_list):
    """The whole sentence shown with the sign-up button for ``newsletter_list``, in the
    active language; the same words are stored with the subscription."""
    return _(
        "By signing up, I agree to receive the newsletter “%(name)s” by email from "
        "%(sender)s. %(purpose)s I can unsubscribe at any time with the link in every "
        "message."
    ) % {
        "name": newsletter_list.name,
        "sender": sender_identity(),
        "purpose": purpose(newsletter_list),
    }


def preferences_wording():
    """The sentence beside the preferences page's "Save" button, stored with any list
    ticked there (each list's own purpose is written beside its box)."""
    return _(
        "By saving, I agree to receive the newsletters I have ticked by email from "
        "%(sender)s. I can unsubscribe at any time with the link in every message."
    ) % {"sender": sender_identity()}
