"""What people do with wire items, one function per operation, called by every path.

- :func:`publish_guard`: the workflow's guard (registered in ``WireConfig.ready()``): a story
  made from an embargoed item may not go out before the embargo, nor one from a killed item
  until an editor has acknowledged the kill.
- :func:`use_item`: "Use this": a draft story, pre-filled, linked to the item.
- :func:`acknowledge_kill` and :func:`dismiss_update`: the desk's answers to the wire.
- :func:`expire`: unused items older than ``WIRE_EXPIRY_DAYS`` go.
"""

import mimetypes
from datetime import timedelta

import reversion
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from articles import languages, workflow
from articles.models import Article, Author, Byline, Photo, Section

from .ingest import item_text
from .models import RejectedItem, WireItem, WireStory


def may_use_wire(user):
    """Reporters and editors read the wire and make stories from it."""
    if workflow.is_editor(user):
        return True
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and user.groups.filter(name=workflow.REPORTER_GROUP).exists()
    )


def publish_guard(article, goes_out_at):
    """The wire's objections to ``article`` going out at ``goes_out_at`` (a workflow guard)."""
    link = WireStory.objects.select_related("item").filter(article_id=article.pk).first()
    if link is None:
        return []
    problems = []
    if link.kill_pending:
        problems.append(
            _(
                "%(agency)s killed or withdrew the wire item this story comes from: it cannot "
                "go out until an editor acknowledges the kill on the story's page."
            )
            % {"agency": link.item.provider}
        )
    if link.item.embargoed_at(goes_out_at):
        problems.append(
            _("Embargoed by %(agency)s until %(when)s: the story cannot go out before then.")
            % {
                "agency": link.item.provider,
                "when": date_format(timezone.localtime(link.item.embargo), "DATETIME_FORMAT"),
            }
        )
    return problems


def now():
    return timezone.now()


def story_language(item):
    """The language of a story made from ``item``: the item's, if the site has it."""
    return item.language if item.language in languages.CODES else languages.DEFAULT


def default_section(language):
    return Section.objects.filter(language=language).order_by("pk").first()


@transaction.atomic
def use_item(item, *, by, section=None):
    """Make a draft story from ``item`` on behalf of ``by``; return the story.

    Pre-filled with the headline, the body, the byline and the agency's credit (as bylines),
    the subjects as tags and the pictures in the photo library with their credits and
    rights, the first as the lead photo (its alt text is the journalist's to write: the
    workflow asks for it before the story goes out). It never goes out by itself: a draft.
    """
    if not may_use_wire(by):
        raise PermissionDenied
    item = WireItem.objects.select_for_update().get(pk=item.pk)
    if item.is_killed:
        raise ValidationError(
            _("%(agency)s killed or withdrew this item: it cannot be used.")
            % {"agency": item.provider}
        )
    language = story_language(item)
    section = section or default_section(language)
    if section is None:
        raise ValidationError(_("There is no section to put the story in yet."))
    if section.language != language:
        raise ValidationError(_("Choose a section in the story's language."))
    article = Article(
        headline=item.headline[:200],
        body=item.body_html,
        section=section,
        language=language,
        status=Article.Status.DRAFT,
        publish_at=None,
    )
    photos = [_photo(picture, item) for picture in item.pictures.all()]
    photos = [photo for photo in photos if photo is not None]
    if photos:
        article.lead_photo = photos[0]
    with reversion.create_revision():
        move = workflow.save_move(article, Article.Status.DRAFT, by=by, created=True)
        for position, author in enumerate(_authors(item)):
            Byline.objects.create(article=article, author=author, position=position)
        names = list(dict.fromkeys(s.name for s in item.subjects.all()))
        if names:
            article.tags.add(*names)
        move.record(_("Made from the wire item “%(item)s”.") % {"item": item.headline[:100]})
    WireStory.objects.create(
        item=item,
        article=article,
        used_version=item.version,
        used_by=by,
        used_text=item_text(item.headline, item.body_html),
    )
    return article


def _authors(item):
    """The byline's person (when the agency names one) and the agency itself, credited."""
    agency = (item.credit or item.provider).strip()[:120]
    authors = []
    person = item.byline.split(",")[0].strip()[:120]
    if person and person.lower() != agency.lower():
        authors.append(_author(person, job_title=item.provider[:120]))
    if agency:
        authors.append(_author(agency))
    return authors


def _author(name, job_title=""):
    author = Author.objects.filter(name__iexact=name).order_by("pk").first()
    if author is not None:
        return author
    base = slugify(name)[:100] or "wire"
    slug, n = base, 1
    while Author.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return Author.objects.create(name=name, slug=slug, job_title=job_title)


def _photo(picture, item):
    if not picture.data:
        return None  # the agency sent only an address: nothing is fetched
    extension = mimetypes.guess_extension(picture.content_type or "") or ".jpg"
    photo = Photo(
        caption=picture.caption,
        credit=picture.credit or item.credit,
        usage_terms=picture.usage_terms or item.usage_terms,
    )
    photo.image.save(f"wire-{item.pk}{extension}", ContentFile(bytes(picture.data)), save=False)
    photo.save()
    return photo


def acknowledge_kill(link, *, by):
    """An editor has seen the kill: the story may go out again (if the editors so decide)."""
    if not workflow.is_editor(by):
        raise PermissionDenied
    if not link.kill_pending:
        return
    link.acknowledged_by, link.acknowledged_at = by, timezone.now()
    link.save(update_fields=["acknowledged_by", "acknowledged_at"])
    LogEntry.objects.log_actions(
        user_id=by.pk,
        queryset=[link.article],
        action_flag=CHANGE,
        change_message=_("Acknowledged the wire's kill of “%(item)s”.")
        % {"item": link.item.headline[:100]},
        single_object=True,
    )


def dismiss_update(link, *, by):
    """Someone who may edit the story has read what the wire changed."""
    if not (may_use_wire(by) and workflow.can_edit(by, link.article)):
        raise PermissionDenied
    link.update_diff = ""
    link.used_text = item_text(link.item.headline, link.item.body_html)
    link.used_version = link.item.version
    link.save(update_fields=["update_diff", "used_text", "used_version"])


def expire(now=None):
    """Delete unused items and refused items older than ``WIRE_EXPIRY_DAYS``; return counts."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.WIRE_EXPIRY_DAYS)
    _total, items = WireItem.objects.unused().filter(received_at__lt=cutoff).delete()
    rejected, _detail = RejectedItem.objects.filter(received_at__lt=cutoff).delete()
    return items.get(WireItem._meta.label, 0), rejected
