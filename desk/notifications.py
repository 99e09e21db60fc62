"""Mail to the newsroom when a story changes hands, when a pending change to a live story is
submitted or published, and when a comment on a field is added or resolved.

Submitted for review → the editors (active members of the Editor group with an address).
Sent back to draft, scheduled or published → the story's reporters (the staff users behind
its bylines, and whoever started it). Whoever made the move is not told about it.
Whatever path moved the story (the story form, a bulk action, the wire, an import), the
workflow service (``articles.workflow``) sends ``story_moved`` once the move has committed,
so a refused or rolled-back move sends nothing. This module subscribes to it (connected in
``DeskConfig.ready()``, ``desk.signal_handlers``) and queues the mail for the worker
(``desk.tasks.send_story_moved_mail``): a hung broker or mail server never holds up a move
(the broker is skipped after a failure, as for the other tasks: ``articles.events``), and a
mail server that fails is logged by the worker rather than losing the editor's save.
"""

import logging
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from articles import workflow
from articles.models import Article
from newsroom.breaker import breaker

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
    """The mails a move sends, as ``(subject, body, from, [to])`` tuples (one per person).

    Each person's mail is in their desk language (``DeskPreference``; the site's default
    when they chose none), dates included, whatever language the sender's request or the
    worker has active: an editor on the English desk is not mailed in French because a
    francophone reporter submitted the story.
    """
    if old == new:
        return []
    people = _people_told(article, old, new)
    if people is None:
        return []
    if actor is not None:
        people = people.exclude(pk=actor.pk)
    return _in_their_language(people, partial(_mail, article, new, actor))


def _in_their_language(people, write):
    """``(subject, body, from, [to])`` for each of ``people``, written by ``write()`` (which
    returns the subject and text) in each person's desk language."""
    sender = settings.DEFAULT_FROM_EMAIL
    written = {}  # language → (subject, text): one rendering per language, not per person
    messages = []
    for email, chosen in people.values_list("email", "desk_preference__language"):
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        if language not in written:
            with translation.override(language):
                written[language] = write()
        subject, text = written[language]
        messages.append((subject, text, sender, [email]))
    return messages


def _people_told(article, old, new):
    """Who hears of the move (before leaving out whoever made it), or None for nobody."""
    if new == Status.IN_REVIEW:
        return editors()
    if (new == Status.DRAFT and old == Status.IN_REVIEW) or new in (
        Status.SCHEDULED,
        Status.PUBLISHED,
        Status.RETRACTED,
        Status.REMOVED,
    ):
        return reporters(article)
    return None


def _mail(article, new, actor):
    """The mail's subject and text in the active language."""
    story = article.headline
    who = _who(actor)
    if new == Status.IN_REVIEW:
        subject = _("For review: “%(story)s”") % {"story": story}
        body = _("%(who)s submitted “%(story)s” for review.") % {"who": who, "story": story}
    elif new == Status.DRAFT:
        subject = _("Sent back to draft: “%(story)s”") % {"story": story}
        body = _("%(who)s sent “%(story)s” back to draft. See the notes on the story.") % {
            "who": who,
            "story": story,
        }
    elif new == Status.SCHEDULED:
        when = workflow.when_phrase(article.publish_at)
        subject = _("Scheduled for %(when)s: “%(story)s”") % {"when": when, "story": story}
        body = _("%(who)s scheduled “%(story)s” to go live at %(when)s (Toronto time).") % {
            "who": who,
            "story": story,
            "when": when,
        }
    elif new == Status.RETRACTED:
        subject = _("Retracted: “%(story)s”") % {"story": story}
        body = _(
            "%(who)s retracted “%(story)s”. Readers now see this note at its address: %(note)s"
        ) % {
            "who": who,
            "story": story,
            "note": article.retraction_note,
        }
    elif new == Status.REMOVED:
        # The reason is in the editors' log only, and the story is no longer in reporters' desk.
        subject = _("Removed for legal reasons: “%(story)s”") % {"story": story}
        body = _(
            "%(who)s removed “%(story)s” for legal reasons. Readers can no longer reach it. "
            "Ask the editors if you need to know more."
        ) % {"who": who, "story": story}
        return subject, f"{body}\n"
    else:
        subject = _("Published: “%(story)s”") % {"story": story}
        body = _("%(who)s published “%(story)s”. It is live at %(url)s") % {
            "who": who,
            "story": story,
            "url": settings.SITE_URL + article.get_absolute_url(),
        }
    # Not inside the f-string: makemessages does not find strings there.
    in_the_newsroom = _("The story in the newsroom:")
    return subject, f"{body}\n\n{in_the_newsroom} {_admin_link(article)}\n"


def send(article_id, old, new, actor_id):
    """Send the mails for a move (in the worker): the story and people as they are now."""
    article = Article.objects.filter(pk=article_id).first()
    if article is None:  # deleted since: nobody to tell about it
        return 0
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    return _send_all(messages_for_move(article, old, new, actor))


def _send_all(messages):
    if not messages:
        return 0
    try:
        send_mass_mail(messages, fail_silently=False)
    except Exception:  # a mail outage must not undo or hide a saved story
        logger.exception("Could not send %d newsroom notification(s)", len(messages))
        return 0
    return len(messages)


def story_moved(sender, article_id, old, new, by, **kwargs):
    """``story_moved`` receiver (after commit): queue the mails for the worker."""
    from . import tasks

    if old == new:
        return
    _queue(tasks.send_story_moved_mail, article_id, old, new, by.pk if by else None)


# --- pending changes and comments on a field ---------------------------------------------


def messages_for_pending(article, action, actor):
    """A pending change submitted → the editors; published → the story's reporters."""
    people = editors() if action == "submitted" else reporters(article)
    if actor is not None:
        people = people.exclude(pk=actor.pk)
    return _in_their_language(people, partial(_pending_mail, article, action, actor))


def _pending_mail(article, action, actor):
    story = article.headline
    who = _who(actor)
    if action == "submitted":
        subject = _("Change for review: “%(story)s”") % {"story": story}
        body = _(
            "%(who)s submitted a change to the live story “%(story)s” for review. Readers "
            "see the live version until an editor publishes it."
        ) % {"who": who, "story": story}
    else:
        subject = _("Change published: “%(story)s”") % {"story": story}
        body = _("%(who)s published the pending change to “%(story)s”.") % {
            "who": who,
            "story": story,
        }
    in_the_newsroom = _("The story in the newsroom:")
    return subject, f"{body}\n\n{in_the_newsroom} {_admin_link(article)}\n"


def messages_for_comment(comment, action, actor):
    """A comment added → the story's reporters; resolved → the comment's author."""
    article = comment.article
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    if action == "added":
        people = reporters(article)
    else:
        people = users.filter(pk=comment.author_id)
    if actor is not None:
        people = people.exclude(pk=actor.pk)
    return _in_their_language(people, partial(_comment_mail, comment, action, actor))


def _comment_mail(comment, action, actor):
    story = comment.article.headline
    values = {"who": _who(actor), "story": story, "quote": comment.quote, "text": comment.text}
    if action == "added":
        subject = _("Comment on “%(story)s”") % values
        body = _("%(who)s commented on “%(quote)s” in “%(story)s”: %(text)s") % values
    else:
        subject = _("Comment resolved: “%(story)s”") % values
        body = _("%(who)s resolved your comment on “%(quote)s” in “%(story)s”.") % values
    in_the_newsroom = _("The story in the newsroom:")
    return subject, f"{body}\n\n{in_the_newsroom} {_admin_link(comment.article)}\n"


def _who(actor):
    return (actor.get_full_name() or actor.get_username()) if actor else _("someone")


def send_pending(article_id, action, actor_id):
    """Send the mails about a pending change (in the worker)."""
    article = Article.objects.filter(pk=article_id).first()
    if article is None:
        return 0
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    return _send_all(messages_for_pending(article, action, actor))


def send_comment(comment_id, action, actor_id):
    """Send the mails about a comment on a field (in the worker)."""
    from articles.models import FieldComment

    comment = FieldComment.objects.select_related("article").filter(pk=comment_id).first()
    if comment is None:
        return 0
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    return _send_all(messages_for_comment(comment, action, actor))


def pending_change(sender, article_id, action, by, **kwargs):
    """``pending_change`` receiver (after commit): queue the mails for the worker."""
    from . import tasks

    _queue(tasks.send_pending_change_mail, article_id, action, by.pk if by else None)


def field_comment(comment_id, action, by):
    """After a comment on a field is added or resolved (``desk.comments``, after commit):
    queue the mails for the worker."""
    from . import tasks

    _queue(tasks.send_field_comment_mail, comment_id, action, by.pk if by else None)


def _queue(task, subject_id, *args):
    # The same breaker (kept by name) as the stories' background work: after one send that
    # hung, this process stops waiting on the broker for a while (BROKER_BREAKER_SECONDS).
    broker = breaker("Celery broker", settings.BROKER_BREAKER_SECONDS)
    if not broker.allow():
        logger.warning("Broker skipped after a recent failure; no mail for %s", subject_id)
        return
    try:
        task.delay(subject_id, *args)
    except Exception:
        broker.failed()
        logger.exception("Could not queue the newsroom mail for %s", subject_id)
    else:
        broker.succeeded()
