"""Autosave: a writer's unsaved text, kept on the server while they type.

The story form's script posts the headline, standfirst and body here after a few
seconds without typing. Each writer has at most one autosave per story, replaced
each time; it is not a revision and it never touches the story. After a reload or
a crash, the story page offers to restore it; restoring refills the form and
carries the version the text was written against, so the usual conflict check
(articles/forms.py) stands between it and anyone else's newer save.
"""

import json

from django.http import JsonResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from articles.models import Article, Autosave
from newsroom.params import without_nul

MAX_BODY_CHARS = 1_000_000
FIELDS = {"headline": 200, "standfirst": 400, "body": MAX_BODY_CHARS}


def _refuse(message, status=400):
    return JsonResponse({"error": message}, status=status)


def _at(moment):
    return date_format(timezone.localtime(moment), "TIME_FORMAT")


def store(request, article):
    """Keep the posted text as this user's autosave of ``article`` (JSON in, JSON out)."""
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return _refuse(_("The autosave could not be read."))
    if not isinstance(data, dict):
        return _refuse(_("The autosave could not be read."))
    values = {}
    for field, limit in FIELDS.items():
        value = data.get(field, "")
        if not isinstance(value, str):
            return _refuse(_("The autosave could not be read."))
        if len(value) > limit:
            return _refuse(_("The %(field)s is too long to autosave.") % {"field": field})
        # A NUL cannot be stored (PostgreSQL) nor saved through the story form: left out.
        values[field] = without_nul(value)
    version = data.get("loaded_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        return _refuse(_("The autosave does not say which version it started from."))
    if version > article.version:
        # No text was ever loaded from a version the story has not reached (and a number
        # past the column's range would fail in the database).
        return _refuse(_("The autosave names a version of the story that does not exist."))
    unchanged = version == article.version and all(
        values[field] == getattr(article, field) for field in FIELDS
    )
    if unchanged:
        # Nothing that the story does not already hold: nothing to offer after a reload.
        Autosave.objects.filter(article=article, user=request.user).delete()
        return JsonResponse({"saved": False, "message": ""})
    autosave, _created = Autosave.objects.update_or_create(
        article=article, user=request.user, defaults={**values, "base_version": version}
    )
    return JsonResponse(
        {
            "saved": True,
            "saved_at": autosave.saved_at.isoformat(),
            "message": _("Autosaved at %(when)s (only you can see it until you save).")
            % {"when": _at(autosave.saved_at)},
        }
    )


def pending(user, article):
    """This user's autosave of ``article`` waiting to be restored, or ``None``."""
    return Autosave.objects.filter(article=article, user=user).first()


def offer_text(autosave, article):
    """The sentence above the form offering an autosave back."""
    # The time is not the sentence's last word: "7:30 a.m." would end it with "..".
    text = _("Your changes from %(when)s were never saved; they are kept for you.") % {
        "when": _at(autosave.saved_at)
    }
    if autosave.base_version != article.version:
        text += " " + _(
            "Someone has saved the story since; if you restore yours, saving shows both "
            "texts so that you can merge them."
        )
    return text


def restore_into(form, autosave):
    """Refill an unbound story form with the autosave, carrying its starting version."""
    for field in FIELDS:
        form.initial[field] = getattr(autosave, field)
    form.initial["loaded_version"] = autosave.base_version


def discard(user, article):
    Autosave.objects.filter(article=article, user=user).delete()


def forget_after_save(user, article):
    """A real save supersedes the writer's autosave."""
    if isinstance(article, Article) and article.pk:
        discard(user, article)
