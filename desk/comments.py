"""Comments on a field: an editor's query on words of a story's headline, standfirst or
body, resolved by the story's reporter.

One function per operation, called by the desk's views (and anything else that adds or
resolves one): each checks who may, saves, writes nothing into the story, and has the
people concerned mailed after commit (``desk.notifications``). Comments live in their own
table (``articles.models.FieldComment``): never in the body's HTML, the public record, a
feed or a page readers can reach.
"""

import html
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from articles import workflow
from articles.diff import readable_text
from articles.models import FieldComment

from . import notifications

MAX_QUOTE = FieldComment._meta.get_field("quote").max_length


def can_comment(user, article):
    """Editors query the words of any story they can open."""
    return workflow.is_editor(user)


def can_resolve(user, comment):
    """The story's own reporters resolve a query, and so do the editors."""
    return workflow.is_editor(user) or workflow.is_own(user, comment.article)


def _words(text):
    return " ".join((text or "").split())


def add(article, *, by, field, quote, text):
    """Comment on ``quote``, words of the story's ``field``; ``ValidationError`` with a
    sentence when the words are not there, or the user may not comment."""
    if not can_comment(by, article):
        raise ValidationError(_("Only editors comment on a story's words."), code="not_allowed")
    if field not in FieldComment.Field.values:
        raise ValidationError(_("Choose the headline, the standfirst or the body."), code="field")
    quote, text = _words(quote), (text or "").strip()
    if not quote:
        raise ValidationError(_("Select or type the words you comment on."), code="no_quote")
    if len(quote) > MAX_QUOTE:
        raise ValidationError(
            _("Comment on at most %(max)d characters at a time.") % {"max": MAX_QUOTE},
            code="quote_too_long",
        )
    if not text:
        raise ValidationError(_("Write the comment."), code="no_text")
    value = getattr(article, field)
    where = html.unescape(readable_text(value)) if field == "body" else value
    if quote.casefold() not in _words(where).casefold():
        raise ValidationError(
            _(
                "“%(quote)s” is not in the saved %(field)s: save the story first, or check "
                "the words."
            )
            % {"quote": quote, "field": FieldComment.Field(field).label.lower()},
            code="quote_not_found",
        )
    with transaction.atomic():
        comment = FieldComment.objects.create(
            article=article, field=field, quote=quote, text=text, author=by
        )
        transaction.on_commit(partial(notifications.field_comment, comment.pk, "added", by))
    return comment


def resolve(comment, *, by):
    """Mark the query answered; its author is told."""
    if not can_resolve(by, comment):
        raise ValidationError(_("You cannot resolve this comment."), code="not_allowed")
    if comment.is_resolved:
        return comment
    with transaction.atomic():
        comment.resolved_at = timezone.now()
        comment.resolved_by = by
        comment.save(update_fields=["resolved_at", "resolved_by"])
        transaction.on_commit(partial(notifications.field_comment, comment.pk, "resolved", by))
    return comment
