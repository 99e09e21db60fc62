"""The story workflow: statuses, the moves between them, and who may make each move.

draft → in review → scheduled / published → unpublished. Reporters write their own
stories and hand them to the desk; only editors (the Editor group, or superusers)
schedule, publish and unpublish, and only they touch a story once it has gone out.

The admin's buttons come from :func:`allowed_targets` and the server checks every
change with :func:`check_transition`, so a crafted POST gets no further than a button.

Two moves withdraw a story for good, editors only, each with words the move cannot go
without (:data:`NOTE_REQUIRED`): a **retraction** (a published story → retracted; its address
answers 410 with the public note saying why) and a **legal removal** (any story that went
out → removed; 404 everywhere, the internal reason in the admin log, which only editors
read). Neither is a button of the story form: each has its own confirmation page in the
desk (``desk.admin.withdrawals``), and every path is checked here.

A save that puts new text of a public story before readers says what kind of change it is
(correction, clarification, update, minor edit: ``Article.describe_change()``, the story
form's "Kind of change"); ``Article.save()`` refuses it otherwise, so no path can change a
public story silently (articles/models/record.py).

A live story can also carry a **pending change** (Wagtail's "live + draft"): new text kept
beside the story, which readers never see, prepared and submitted by its reporters or an
editor, and published by an editor when it is ready (:func:`save_pending`,
:func:`submit_pending`, :func:`publish_pending`, :func:`discard_pending`). Publishing it is a
save of the public story like any other, so it is asked the kind of change.

Every path that moves a story goes through one service: :func:`move` (the bulk actions,
and code such as the wire or an API) and :func:`save_move` + :meth:`Move.record`
(the story form, which saves its formsets between the two). Both check the move, set the
times, save, record the revision and the admin log entry, and send ``story_moved`` after
commit, so every path gets the same history and the same notifications.
"""

import copy
import json
import logging
from functools import partial

import reversion
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Article
from .signals import story_moved

logger = logging.getLogger(__name__)

Status = Article.Status

EDITOR_GROUP = "Editor"
REPORTER_GROUP = "Reporter"

# Statuses a reporter may still write in; after that the story belongs to the desk.
WRITING_STATUSES = (Status.DRAFT, Status.IN_REVIEW)
# Statuses after which the story's address is frozen (it is, or may at any moment be, public).
OUT_STATUSES = (
    Status.SCHEDULED,
    Status.PUBLISHED,
    Status.UNPUBLISHED,
    Status.RETRACTED,
    Status.REMOVED,
)

# (from, to) → (button label, editors only?)
TRANSITIONS = {
    (Status.DRAFT, Status.IN_REVIEW): (gettext_lazy("Submit for review"), False),
    (Status.DRAFT, Status.SCHEDULED): (gettext_lazy("Schedule"), True),
    (Status.DRAFT, Status.PUBLISHED): (gettext_lazy("Publish now"), True),
    (Status.IN_REVIEW, Status.DRAFT): (gettext_lazy("Back to draft"), False),
    (Status.IN_REVIEW, Status.SCHEDULED): (gettext_lazy("Schedule"), True),
    (Status.IN_REVIEW, Status.PUBLISHED): (gettext_lazy("Publish now"), True),
    (Status.SCHEDULED, Status.PUBLISHED): (gettext_lazy("Publish now"), True),
    (Status.SCHEDULED, Status.IN_REVIEW): (gettext_lazy("Unschedule"), True),
    (Status.SCHEDULED, Status.UNPUBLISHED): (gettext_lazy("Unpublish"), True),
    (Status.PUBLISHED, Status.UNPUBLISHED): (gettext_lazy("Unpublish"), True),
    (Status.UNPUBLISHED, Status.DRAFT): (gettext_lazy("Back to draft"), True),
    (Status.UNPUBLISHED, Status.SCHEDULED): (gettext_lazy("Schedule"), True),
    (Status.UNPUBLISHED, Status.PUBLISHED): (gettext_lazy("Publish again"), True),
    # Withdrawals: one way (a retraction is itself on the public record), editors only.
    (Status.PUBLISHED, Status.RETRACTED): (gettext_lazy("Retract"), True),
    (Status.SCHEDULED, Status.RETRACTED): (gettext_lazy("Retract"), True),
    (Status.SCHEDULED, Status.REMOVED): (gettext_lazy("Remove (legal)"), True),
    (Status.PUBLISHED, Status.REMOVED): (gettext_lazy("Remove (legal)"), True),
    (Status.UNPUBLISHED, Status.REMOVED): (gettext_lazy("Remove (legal)"), True),
    (Status.RETRACTED, Status.REMOVED): (gettext_lazy("Remove (legal)"), True),
}

# Moves that need words: the retraction's public note, the legal removal's internal reason.
# They are made from their own confirmation pages, never from the story form's buttons.
NOTE_REQUIRED = {
    Status.RETRACTED: gettext_lazy("A retraction needs a note for readers saying why."),
    Status.REMOVED: gettext_lazy(
        "A legal removal needs a reason for the editors' log (who asked, on what grounds)."
    ),
}

# An editor returning a submitted story hands it back to its reporter; the reporter
# taking it back themselves just goes back to writing.
EDITOR_LABELS = {
    (Status.IN_REVIEW, Status.DRAFT): gettext_lazy("Send back"),
}

# What the admin log says when a story moves (past tense, for "who did what").
EVENTS = {
    Status.DRAFT: gettext_lazy("Moved back to draft."),
    Status.IN_REVIEW: gettext_lazy("Submitted for review."),
    Status.SCHEDULED: gettext_lazy("Scheduled for %(when)s."),
    Status.PUBLISHED: gettext_lazy("Published."),
    Status.UNPUBLISHED: gettext_lazy("Unpublished."),
    Status.RETRACTED: gettext_lazy("Retracted."),
    Status.REMOVED: gettext_lazy("Removed for legal reasons."),
}


def is_editor(user):
    """Editors and superusers run the desk: they may publish anything."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    if not hasattr(user, "_newsroom_is_editor"):
        # Cached on the user object: the admin asks many times per request.
        user._newsroom_is_editor = user.groups.filter(name=EDITOR_GROUP).exists()
    return user._newsroom_is_editor


def is_own(user, article):
    """A story is a reporter's own if they started it or carry its byline."""
    if article.pk is None:
        return True
    if article.created_by_id is not None and article.created_by_id == user.pk:
        return True
    return article.bylines.filter(author__user=user).exists()


def can_edit(user, article):
    """Editors edit anything; reporters edit their own stories until the desk takes them."""
    if is_editor(user):
        return True
    return article.status in WRITING_STATUSES and is_own(user, article)


def can_edit_photo(user, photo):
    """A photo changes every story that shows it, so it is editable only with all of them.

    Read-only to a reporter as soon as one story using it is not theirs to edit (a
    published story, another reporter's draft): they may still attach it to their
    own draft, but not change its image, caption, credit or alt text.
    """
    if is_editor(user):
        return True
    if photo is None or photo.pk is None:
        return True
    return all(can_edit(user, article) for article in photo.articles.all())


def can_preview(user, article):
    """Who may create a preview link: editors and the story's own reporter."""
    return is_editor(user) or is_own(user, article)


def allowed_targets(user, article):
    """Statuses ``user`` may move ``article`` to, with their button labels."""
    editor = is_editor(user)
    if not can_edit(user, article):
        return []
    return [
        (target, EDITOR_LABELS.get((source, target), label) if editor else label)
        for (source, target), (label, editors_only) in TRANSITIONS.items()
        if source == article.status and (editor or not editors_only) and target not in NOTE_REQUIRED
    ]


def may_withdraw(user, article, new):
    """True when ``user`` may retract (``new`` = retracted) or legally remove the story
    now: what the desk's links and confirmation pages ask (the move is checked again)."""
    try:
        check_transition(user, article, article.status, new, note="-")
    except ValidationError:
        return False
    return True


def check_transition(user, article, old, new, note=None):
    """Raise ``ValidationError`` unless ``user`` may move ``article`` from ``old`` to ``new``.

    ``note`` is the retraction's public note or the legal removal's reason: those moves are
    refused without one, whatever the path (the story form has none to give).
    """
    if old == new:
        return
    if (old, new) not in TRANSITIONS:
        raise ValidationError(
            _("A story cannot go from “%(old)s” to “%(new)s”.")
            % {"old": Status(old).label, "new": Status(new).label},
            code="impossible_transition",
        )
    _label, editors_only = TRANSITIONS[(old, new)]
    if editors_only and not is_editor(user):
        raise ValidationError(
            _(
                "Only editors can make a story “%(new)s”. Submit it for review and an "
                "editor will schedule or publish it. Nothing was saved."
            )
            % {"new": Status(new).label},
            code="editors_only",
        )
    if not can_edit(user, article):
        raise ValidationError(_("You cannot change this story's status."), code="not_allowed")
    if new == Status.RETRACTED and not article.is_published:
        raise ValidationError(
            _("Only a story readers can see now can be retracted."), code="not_public"
        )
    if new in NOTE_REQUIRED and not (note or "").strip():
        raise ValidationError(NOTE_REQUIRED[new], code="note_required")


def publish_problems(*, status, publish_at, photo_present, caption, credit, alt_text, now=None):
    """What stops a story from going live, as ``{field: message}``; empty when it may.

    Drafts may have a photo without its caption, credit or alt text; a story that
    goes out may not. Scheduling needs a publish time in the future, publishing
    "now" must not carry one.
    """
    if status not in (Status.SCHEDULED, Status.PUBLISHED):
        return {}
    now = now or timezone.now()
    problems = {}
    if photo_present:
        for field, value, message in (
            ("caption", caption, _("The lead photo needs a caption before the story goes out.")),
            ("credit", credit, _("The lead photo needs a credit before the story goes out.")),
            (
                "alt_text",
                alt_text,
                _("The lead photo needs alt text before the story goes out."),
            ),
        ):
            if not (value or "").strip():
                problems[field] = message
    if status == Status.SCHEDULED and (publish_at is None or publish_at <= now):
        problems["publish_at"] = _("To schedule the story, choose a publish time in the future.")
    if status == Status.PUBLISHED and publish_at is not None and publish_at > now:
        problems["publish_at"] = _(
            "This publish time is in the future: use “Schedule”, or clear it to publish now."
        )
    return problems


def article_publish_problems(article, status):
    """:func:`publish_problems` for a saved story (bulk actions use it)."""
    photo = article.lead_photo
    publish_at = article.publish_at
    if status == Status.PUBLISHED and publish_at is not None and publish_at > timezone.now():
        publish_at = None  # "Publish now" from the list brings a future time forward.
    # The photo's words in the story's language: a French story needs the French caption.
    text = photo.text_in(article.language) if photo is not None else {}
    return publish_problems(
        status=status,
        publish_at=publish_at,
        photo_present=photo is not None,
        caption=text.get("caption", ""),
        credit=text.get("credit", ""),
        alt_text=text.get("alt_text", ""),
    )


def event_message(old, new, article):
    """The admin-log sentence for a move, e.g. "Scheduled for November 25, 2026, 2:30 p.m."."""
    if old == new:
        return ""
    when = (
        date_format(timezone.localtime(article.publish_at), "DATETIME_FORMAT")
        if article.publish_at
        else ""
    )
    return str(EVENTS[new]) % {"when": when}


def when_phrase(moment, now=None):
    """A time as a newsroom says it, in Toronto time: "9:00 a.m. Tuesday, January 6".

    The year is added only when it is not this year's.
    """
    local = timezone.localtime(moment)
    today = timezone.localtime(now or timezone.now())
    # Translators: a Django "date" filter format, e.g. "9:00 a.m. Tuesday, January 6".
    fmt = _("g:i a l, F j") if local.year == today.year else _("g:i a l, F j, Y")
    return date_format(local, fmt)


# What the person who just saved is told, naming the story (and the time where it matters).
OUTCOMES = {
    Status.DRAFT: gettext_lazy("Moved back to draft: “%(story)s”"),
    Status.IN_REVIEW: gettext_lazy("Submitted for review: “%(story)s”"),
    Status.SCHEDULED: gettext_lazy("Scheduled for %(when)s: “%(story)s”"),
    Status.PUBLISHED: gettext_lazy("Published: “%(story)s”"),
    Status.UNPUBLISHED: gettext_lazy("Unpublished: “%(story)s”. Readers no longer see it."),
    Status.RETRACTED: gettext_lazy(
        "Retracted: “%(story)s”. Its address now tells readers it was retracted, and why."
    ),
    Status.REMOVED: gettext_lazy(
        "Removed for legal reasons: “%(story)s”. Its address and its history are gone for readers."
    ),
}


def outcome_message(old, new, article, now=None):
    """The sentence shown after a save: what happened to which story, and when."""
    now = now or timezone.now()
    if old == new:
        return _("Saved at %(when)s: “%(story)s”") % {
            "when": date_format(timezone.localtime(now), "TIME_FORMAT"),
            "story": article.headline,
        }
    when = when_phrase(article.publish_at, now) if article.publish_at else ""
    return str(OUTCOMES[new]) % {"story": article.headline, "when": when}


# --- the one workflow service ----------------------------------------------------------


def check_move(user, article, old, new, note=None):
    """Raise ``ValidationError`` unless ``user`` may move ``article`` from ``old`` to ``new``.

    ``article`` may already carry ``new`` (the story form set it): the rights are those of
    the story as it was, so they are judged on a copy with the old status. The publish rules
    apply to moves only: saving a story that went live by itself must not ask to reschedule it.
    The publish guards (:func:`guard_problems`) also judge a scheduled story's new time.
    """
    guarded = guard_problems(article, old, new, article.publish_at)
    if guarded:
        raise ValidationError(guarded, code="guarded")
    if old == new:
        return
    before = copy.copy(article)
    before.status = old
    check_transition(user, before, old, new, note=note)
    problems = article_publish_problems(article, new)
    if problems:
        raise ValidationError(list(problems.values()), code="not_publishable")


# --- publish guards: other apps' vetoes -------------------------------------------------

# Callables ``guard(article, goes_out_at)`` returning the sentences that refuse the story
# going out at that time (an empty list: no objection). Filled by other apps in their
# ``ready()`` (the wire's embargoes and kills: wire/apps.py); articles names none of them.
_publish_guards = []


def register_publish_guard(guard):
    """Let an app refuse that a story go out (see :func:`guard_problems`)."""
    if guard not in _publish_guards:
        _publish_guards.append(guard)


def guard_problems(article, old, new, publish_at, now=None):
    """The registered guards' sentences against ``article`` going from ``old`` to ``new``.

    Asked whenever a story would go out: a move to published or scheduled, and a scheduled
    story given a new time before it goes out (a rescheduled story goes out then too). A story
    that is out already may be saved (its corrections must not wait on a guard). ``publish_at``
    is the time the save asks for; "publish now" goes out now whatever it says.
    """
    if article.pk is None or not _publish_guards or new not in Article.LIVE_STATUSES:
        return []
    now = now or timezone.now()
    if new == Status.PUBLISHED:
        if old == Status.PUBLISHED:
            return []
        goes_out_at = now
    else:
        if publish_at is None:
            return []  # "choose a publish time" is publish_problems' sentence
        if old == new and publish_at <= now:
            return []  # a scheduled story that went out by itself
        goes_out_at = max(publish_at, now)
    problems = []
    for guard in _publish_guards:
        problems.extend(str(problem) for problem in guard(article, goes_out_at))
    return problems


def hold_back(article_ids, reason):
    """Scheduled stories a guard now refuses (the wire killed or re-embargoed their source)
    go back to review, moved by the system, so they do not go out by themselves.

    Returns the stories moved. An editor schedules them again once the guard allows it.
    """
    now = timezone.now()
    held = []
    for article in Article.objects.filter(
        pk__in=list(article_ids), status=Status.SCHEDULED, publish_at__gt=now
    ):
        if not guard_problems(article, Status.IN_REVIEW, Status.SCHEDULED, article.publish_at):
            continue
        with transaction.atomic(), reversion.create_revision():
            article.status = Status.IN_REVIEW
            article.save()
            reversion.set_comment(str(reason))
        transaction.on_commit(
            partial(_announce, article.pk, Status.SCHEDULED, Status.IN_REVIEW, None)
        )
        held.append(article)
    return held


class Move:
    """A story saved by :func:`save_move`; :meth:`record` writes its log entry."""

    def __init__(self, article, old, by, created, reason=None):
        self.article = article
        self.old = old
        self.new = article.status
        self.by = by
        self.created = created
        self.reason = reason  # a legal removal's: in the log entry, which editors alone read

    @property
    def event(self):
        """The workflow sentence of the move ("Published."), empty for a plain save."""
        event = event_message(self.old, self.new, self.article)
        if self.reason:
            event = _("%(event)s Reason: %(reason)s") % {
                "event": event,
                "reason": self.reason.strip(),
            }
        return event

    def log_text(self, changes=None):
        """The log entry's text: the event, then what else changed ("Published. Changed headline.").

        ``changes`` is Django's change message (a list, or text). Without an event it is kept
        as given, so the admin shows Django's own wording.
        """
        event = self.event
        if not event:
            return changes or ""
        if not changes:
            return event
        readable = LogEntry(
            change_message=changes if isinstance(changes, str) else json.dumps(changes)
        ).get_change_message()
        if readable == _("No fields changed."):
            return event
        return f"{event} {readable}"

    def record(self, changes=None):
        """Write the admin log entry and name the revision after it; return the entry.

        Called inside the revision block that saved the story (the admin's, or
        :func:`move`'s), so the comment lands on that revision.
        """
        text = self.log_text(changes)
        entry = None
        if self.by is not None:
            entry = LogEntry.objects.log_actions(
                user_id=self.by.pk,
                queryset=[self.article],
                action_flag=ADDITION if self.created else CHANGE,
                change_message=text,
                single_object=True,
            )
            text = entry.get_change_message()
        if reversion.is_active():
            if self.reason:
                # Revision comments show wherever versions are listed: the reason stays
                # in the log entry, which only editors read.
                text = event_message(self.old, self.new, self.article)
            reversion.set_comment(text or (_("Initial version.") if self.created else ""))
        return entry


def save_move(article, old, *, by, created=False, note=None):
    """Save ``article``, whose status may have changed from ``old``, on behalf of ``by``.

    For the story form: the form has set the fields and the new status. The move is checked
    again (the form showed its errors on fields; this is the server's last word), a publish
    "now" gets its time, and the story is saved in a revision. ``story_moved`` is sent once
    the transaction commits. Returns the :class:`Move`; call its ``record()`` when the
    save's other changes (bylines, tags) are known.
    """
    new = article.status
    check_move(by, article, old, new, note=note)
    if new != old and new == Status.PUBLISHED:
        now = timezone.now()
        if article.publish_at is None or article.publish_at > now:
            article.publish_at = now
    if new != old and new == Status.RETRACTED:
        article.retracted_at = timezone.now()
        article.retraction_note = note.strip()
    if by is not None:
        article.last_edited_by = by
        if created:
            article.created_by = by
    # Nested in the admin's own block, this merges into it (one revision per save).
    with reversion.create_revision():
        if by is not None:
            reversion.set_user(by)
        article.save()
    if new != old and new == Status.REMOVED:
        _hide_lead_photo(article)
    if new != old:
        transaction.on_commit(partial(_announce, article.pk, old, new, by))
    return Move(article, old, by, created, reason=note if new == Status.REMOVED else None)


# "Leave the publish time as it is" (None means "no time": publish now, or an error to schedule).
KEEP = object()


def move(article, to_status, *, by, publish_at=KEEP, change=None, note=None):
    """Move a saved story to ``to_status`` on behalf of ``by`` (a user; None for the system).

    The path for everything but the story form: the bulk actions, the wire, an API (not
    the WordPress import, which copies the old site's states: docs/architecture/newsroom.md).
    Raises ``ValidationError`` with the workflow's sentences when the move is not
    allowed (nothing is saved then). ``publish_at``, when given, replaces the story's publish
    time (needed to schedule); publishing "now" brings an empty or future time to now.
    ``change``, a ``(kind, note)`` pair, says what the move changes for readers when it puts
    new text before them (publishing again a story edited since it was last public):
    ``Article.save()`` refuses such a move without it. ``note`` is the retraction's public
    note (kept on the story) or the legal removal's internal reason (kept in the log entry
    only). Returns the admin log entry (None
    without a user).
    """
    old = article.status
    candidate = copy.copy(article)
    candidate.status = to_status
    if publish_at is not KEEP:
        candidate.publish_at = publish_at
    # Checked on a copy first: a refused move leaves the caller's object as it was.
    check_move(by, candidate, old, to_status, note=note)
    if change is not None:
        article.describe_change(*change)
    article.status = to_status
    if publish_at is not KEEP:
        article.publish_at = publish_at
    with transaction.atomic(), reversion.create_revision():
        return save_move(article, old, by=by, note=note).record()


def _hide_lead_photo(article):
    """A legally removed story's lead photo: its files move to new, unpublished addresses,
    unless a story readers may still reach (not removed) shows the photo too."""
    photo = article.lead_photo
    if photo is None or not photo.image:
        return
    others = photo.stories_using().exclude(pk=article.pk).exclude(status=Status.REMOVED)
    if others.exists():
        return
    try:
        with transaction.atomic():
            photo.move_files_out_of_sight()
    except Exception:  # the removal stands; the editors are told in the log
        logger.exception("Could not move the files of photo %s out of sight", photo.pk)


def _announce(article_id, old, new, by):
    story_moved.send(sender=Article, article_id=article_id, old=old, new=new, by=by)


# The pending changes' service lives beside this one (articles/pending_changes.py), on the
# same rules; it is part of the workflow service, so it is reachable from here too.
from .pending_changes import (  # noqa: E402
    can_prepare_change,
    discard_pending,
    publish_pending,
    save_pending,
    submit_pending,
)

__all__ = [
    "can_prepare_change",
    "discard_pending",
    "publish_pending",
    "save_pending",
    "submit_pending",
]
