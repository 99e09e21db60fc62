"""A story's saved versions: readable differences between them, and restoring an old text.

django-reversion stores a version of the story every time it is saved in the admin
(the admin wraps each save in a revision, with the user and the log message). This
module turns two versions into a word-level diff people can read, and puts an old
text back as a *new* save, so restoring is itself in the history and nothing is lost.
"""

import reversion
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from articles.diff import readable_text, word_diff
from articles.models import Article, Photo, Section

# What a restore puts back: the words and where they sit. Status, publish time, tags
# and bylines stay as they are now, so restoring never publishes or hides a story.
RESTORED_FIELDS = ("headline", "standfirst", "body")
COMPARED_FIELDS = ("headline", "standfirst", "body", "status", "publish_at")


def register():
    """Keep versions of stories (called from the admin module, which saves them)."""
    if not reversion.is_registered(Article):
        reversion.register(Article, exclude=["search_vector"])


def _display(field, value):
    if value in (None, ""):
        return ""
    if field == "status":
        return str(Article.Status(value).label)
    if field == "publish_at":
        if isinstance(value, str):
            return value
        return date_format(timezone.localtime(value), "DATETIME_FORMAT")
    return readable_text(value)


def field_changes(old, new):
    """``[(label, diff_html)]`` for each compared field that differs between two dicts."""
    changes = []
    for field in COMPARED_FIELDS:
        before, after = _display(field, old.get(field)), _display(field, new.get(field))
        if before != after:
            label = Article._meta.get_field(field).verbose_name
            changes.append((str(label).capitalize(), word_diff(before, after)))
    return changes


def article_values(article):
    return {field: getattr(article, field) for field in COMPARED_FIELDS}


def version_values(version):
    return {field: version.field_dict.get(field) for field in COMPARED_FIELDS}


def restore(article, version, user, kind="", note=""):
    """Put ``version``'s text back into ``article`` as a new save by ``user``.

    A public story's text changes for readers: ``kind`` and ``note`` say how (as in the
    story form); ``ValidationError`` with a sentence when they are missing or do not fit.
    """
    values = version.field_dict
    for field in RESTORED_FIELDS:
        setattr(article, field, values.get(field) or "")
    if Section.objects.filter(pk=values.get("section_id")).exists():
        article.section_id = values["section_id"]
    photo_id = values.get("lead_photo_id")
    if photo_id is None or Photo.objects.filter(pk=photo_id).exists():
        article.lead_photo_id = photo_id
    article.last_edited_by = user
    if kind or note:
        article.describe_change(kind, note)
    when = date_format(timezone.localtime(version.revision.date_created), "DATETIME_FORMAT")
    comment = _("Restored the text saved on %(when)s.") % {"when": when}
    with reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment(comment)
        article.save()
    return comment
