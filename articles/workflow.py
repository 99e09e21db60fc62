"""The story workflow: statuses, the moves between them, and who may make each move.

draft → in review → scheduled / published → unpublished. Reporters write their own
stories and hand them to the desk; only editors (the Editor group, or superusers)
schedule, publish and unpublish, and only they touch a story once it has gone out.
The admin's buttons come from :func:`allowed_targets` and the server checks every
change with :func:`check_transition`, so a crafted POST gets no further than a button.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Article

Status = Article.Status

EDITOR_GROUP = "Editor"
REPORTER_GROUP = "Reporter"

# Statuses a reporter may still write in; after that the story belongs to the desk.
WRITING_STATUSES = (Status.DRAFT, Status.IN_REVIEW)
# Statuses after which the story's address is frozen (it is, or may at any moment be, public).
OUT_STATUSES = (Status.SCHEDULED, Status.PUBLISHED, Status.UNPUBLISHED)

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
        if source == article.status and (editor or not editors_only)
    ]


def check_transition(user, article, old, new):
    """Raise ``ValidationError`` unless ``user`` may move ``article`` from ``old`` to ``new``."""
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
