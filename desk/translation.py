"""The desk's side of translations: starting one, following its original, catching up.

The model holds the rules (``Article.make_translation_draft``, ``is_out_of_date``,
``mark_translation_up_to_date``; docs/architecture/languages.md). This module is what the
desk's buttons call: each step is saved in a revision and written to the story's "who did
what" log, like every workflow move (``articles.workflow``).
"""

import reversion
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from reversion.models import Version

from articles import languages

from . import revisions


def refusal(article, user, *, may_add):
    """Why ``user`` may not translate ``article``, in words; ``None`` when they may."""
    if not may_add:
        return _("You cannot create stories, so you cannot start a translation.")
    if article.translation_of_id is not None:
        return _("“%(story)s” is itself a translation: translate its original, “%(original)s”.") % {
            "story": article,
            "original": article.translation_of,
        }
    language = languages.other(article.language)
    existing = article.translations.filter(language=language).first()
    if existing is not None:
        return _("“%(story)s” already has its translation in %(language)s: “%(translation)s”.") % {
            "story": article,
            "language": languages.name_in_sentence(language),
            "translation": existing,
        }
    return None


def start(article, by):
    """The linked draft in the other language, pre-filled for ``by`` to translate.

    Raises ``ValidationError`` with a sentence, writing nothing, when the model refuses
    (a translation, one already there, a section without its counterpart).
    """
    with transaction.atomic(), reversion.create_revision():
        draft = article.make_translation_draft(by)
        _record(
            draft, by, ADDITION, _("Translation of “%(original)s” started.") % {"original": article}
        )
    return draft


def mark_up_to_date(translation, by):
    """Record that ``by`` brought ``translation`` level with its original (logged)."""
    if translation.translation_of_id is None:
        raise ValidationError(_("This story is not a translation."))
    with transaction.atomic(), reversion.create_revision():
        translation.last_edited_by = by
        translation.mark_translation_up_to_date()
        message = _("Marked as up to date with the original (its version %(version)s).") % {
            "version": translation.translated_version
        }
        _record(translation, by, CHANGE, message)
    return message


def _record(story, by, action_flag, message):
    """The revision's author and comment and the admin log entry, in the open revision."""
    reversion.set_user(by)
    reversion.set_comment(message)
    LogEntry.objects.log_actions(
        user_id=by.pk,
        queryset=[story],
        action_flag=action_flag,
        change_message=message,
        single_object=True,
    )


def original_changes(translation):
    """What changed in the original since the translation was last brought up to date.

    ``(changes, found)``: ``changes`` is ``[(label, diff_html)]`` (revisions.field_changes)
    from the original as it was at ``translated_version`` to the original now. ``found`` is
    False when no saved version of the original that old is kept (it was saved outside the
    desk, say): the changes are then from its oldest kept version, or none.
    """
    original = translation.translation_of
    if original is None:
        return [], False
    wanted = translation.translated_version or 0
    then, found = None, False
    # Newest first: the first version at or before the translated one is the text then.
    for version in Version.objects.get_for_object(original).order_by("-pk"):
        then = version
        saved = version.field_dict.get("version")
        if saved is not None and saved <= wanted:
            found = True
            break
    if then is None:
        return [], False
    # The words only: status and publish time are the original's business, not the
    # translator's (fields missing from both sides compare equal).
    before = {f: v for f, v in revisions.version_values(then).items() if f in TRANSLATED_FIELDS}
    now = {f: v for f, v in revisions.article_values(original).items() if f in TRANSLATED_FIELDS}
    return revisions.field_changes(before, now), found


# The fields a translator carries over (what make_translation_draft pre-fills, and the note).
TRANSLATED_FIELDS = ("headline", "standfirst", "body")


def state(article):
    """The story list's words for a story's language and its translation's state.

    "EN", "EN → FR: draft", "EN → FR: out of date", "FR (translation)",
    "FR (translation): out of date". Reads ``translations`` (prefetched by the list) and
    ``translation_of`` (joined).
    """
    code = article.language.upper()
    if article.translation_of_id is not None:
        if article.is_out_of_date:
            return _("%(language)s (translation): out of date") % {"language": code}
        return _("%(language)s (translation)") % {"language": code}
    parts = []
    for translation in article.translations.all():
        target = translation.language.upper()
        what = translation.get_status_display().lower()
        if (translation.translated_version or 0) < article.version:
            what = _("%(status)s, out of date") % {"status": what}
        parts.append(
            _("%(language)s → %(target)s: %(state)s")
            % {"language": code, "target": target, "state": what}
        )
    return "; ".join(parts) or code
