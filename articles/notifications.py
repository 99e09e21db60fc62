"""Mail to the newsroom when a story changes hands.

Submitted for review → the editors (active members of the Editor group with an address).
Sent back to draft, scheduled or published → the story's reporters (the staff users behind
its bylines, and whoever started it). Whoever made the move is not told about it.
Mail goes out once the save has committed, so a refused or rolled-back save sends nothing,
and a mail server that fails is logged rather than losing the editor's save.
"""

import logging
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from . import workflow
from .models import Article

logger = logging.getLogger(__name__)
Status = Article.Status


def editors():
    return (
        get_user_model()
        .objects.filter(groups__name=workflow.EDITOR_GROUP, is_active=True)
        .exclude(email="")
    )


def reporters(article):
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    bylined = users.filter(author_profile__bylines__article=article)
    started = users.filter(pk=article.created_by_id)
    return (bylined | started).distinct()


def _admin_link(article):
    return settings.SITE_URL + reverse("admin:articles_article_change", args=[article.pk])


def messages_for_move(article, old, new, actor):
    """The mails a move sends, as ``(subject, body, from, [to])`` tuples (one per person)."""
    if old == new:
        return []
    story = article.headline
    who = actor.get_full_name() or actor.get_username() if actor else _("someone")
    if new == Status.IN_REVIEW:
        people = editors()
        subject = _("For review: “%(story)s”") % {"story": story}
        body = _("%(who)s submitted “%(story)s” for review.") % {"who": who, "story": story}
    elif new == Status.DRAFT and old == Status.IN_REVIEW:
        people = reporters(article)
        subject = _("Sent back to draft: “%(story)s”") % {"story": story}
        body = _("%(who)s sent “%(story)s” back to draft. See the notes on the story.") % {
            "who": who,
            "story": story,
        }
    elif new == Status.SCHEDULED:
        people = reporters(article)
        when = workflow.when_phrase(article.publish_at)
        subject = _("Scheduled for %(when)s: “%(story)s”") % {"when": when, "story": story}
        body = _("%(who)s scheduled “%(story)s” to go live at %(when)s (Toronto time).") % {
            "who": who,
            "story": story,
            "when": when,
        }
    elif new == Status.PUBLISHED:
        people = reporters(article)
        subject = _("Published: “%(story)s”") % {"story": story}
        body = _("%(who)s published “%(story)s”. It is live at %(url)s") % {
            "who": who,
            "story": story,
            "url": settings.SITE_URL + article.get_absolute_url(),
        }
    else:
        return []
    if actor is not None:
        people = people.exclude(pk=actor.pk)
    text = f"{body}\n\n{_('The story in the newsroom:')} {_admin_link(article)}\n"
    sender = settings.DEFAULT_FROM_EMAIL
    return [(subject, text, sender, [email]) for email in people.values_list("email", flat=True)]


def _send(messages):
    try:
        send_mass_mail(messages, fail_silently=False)
    except Exception:  # a mail outage must not undo or hide a saved story
        logger.exception("Could not send %d newsroom notification(s)", len(messages))


def story_moved(article, old, new, actor):
    """Queue the mails for a move; they leave once the surrounding transaction commits."""
    messages = messages_for_move(article, old, new, actor)
    if messages:
        transaction.on_commit(partial(_send, messages))
