"""What the story admin shows but nobody types: list columns and read-only panels."""

from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.models import (
    Article,
)
from articles.related import explanation as related_explanation
from articles.sanitize import clean_html
from desk import translation


class StoryColumnsMixin:
    """The story list's columns and the story form's read-only panels (for ArticleAdmin)."""

    @admin.display(description=gettext_lazy("photo"))
    def thumbnail(self, obj):
        photo = obj.lead_photo
        if photo is None or not photo.image:
            return mark_safe('<span class="newsroom-thumb newsroom-thumb--none"></span>')
        return format_html(
            '<img class="newsroom-thumb" src="{}" alt="" width="64" height="43" loading="lazy">',
            photo.crop(160)["url"],
        )

    @admin.display(description=gettext_lazy("status"), ordering="status")
    def status_badge(self, obj):
        label = obj.get_status_display()
        if obj.status == Article.Status.SCHEDULED and obj.is_published:
            label = _("Live (was scheduled)")
        return format_html(
            '<span class="newsroom-badge newsroom-badge--{}">{}</span>', obj.status, label
        )

    @admin.display(description=gettext_lazy("language"), ordering="language")
    def language_state(self, obj):
        stale = (obj.translation_of_id is not None and obj.is_out_of_date) or any(
            (t.translated_version or 0) < obj.version for t in obj.translations.all()
        )
        return format_html(
            '<span class="newsroom-language{}">{}</span>',
            " newsroom-language--stale" if stale else "",
            translation.state(obj),
        )

    @admin.display(description=gettext_lazy("publish time"), ordering="publish_at")
    def publish_when(self, obj):
        # Date and time on two lines, so the column takes a date's width, not a sentence's.
        if obj.publish_at is None:
            return "–"
        local = timezone.localtime(obj.publish_at)
        return format_html(
            '<time datetime="{}"><span>{}</span> <span>{}</span></time>',
            local.isoformat(timespec="seconds"),
            # Translators: a Django "date" filter format, short, e.g. "Dec. 2, 2026".
            date_format(local, _("N j, Y")),
            date_format(local, "TIME_FORMAT"),
        )

    @admin.display(description=gettext_lazy("bylines"))
    def byline_names(self, obj):
        return ", ".join(b.author.name for b in obj.bylines.all())

    @admin.display(description=gettext_lazy("lead story"))
    def lead_story(self, obj):
        # Words, not Django's green ✓ / red ✗ icons: "no" is not an error.
        if obj is not None and obj.featured:
            return _("Yes: a candidate for the top of the home page")
        return _("No")

    @admin.display(description=gettext_lazy("current photo"))
    def photo_preview(self, obj):
        photo = obj.lead_photo if obj and obj.lead_photo_id else None
        image = (
            format_html(
                '<img src="{}" alt="{}" width="320" loading="lazy">',
                photo.rendition_url(320),
                photo.alt_text,
            )
            if photo is not None and photo.image
            else format_html("<span>{}</span>", _("No photo yet."))
        )
        return format_html('<div class="newsroom-photo-preview" data-photo-preview>{}</div>', image)

    # --- a story the user may read but not edit (a reporter's published story) ---------
    # Django shows a read-only field by its stored value: the body as escaped HTML and the
    # form-only photo fields as "None". These say what readers see instead.

    @admin.display(description=gettext_lazy("body"))
    def body_html(self, obj):
        # The stored body is sanitised on every save (articles/sanitize.py); cleaned again
        # here so the admin never trusts stored HTML it did not just check.
        body = mark_safe(clean_html(obj.body))  # noqa: S308 - nh3's allow-list just ran
        return format_html('<div class="newsroom-readonly-body">{}</div>', body)

    def _photo_text(self, obj, name):
        photo = obj.lead_photo if obj is not None and obj.lead_photo_id else None
        return photo.text_in(obj.language)[name] if photo is not None else ""

    @admin.display(description=gettext_lazy("caption"))
    def photo_caption(self, obj):
        return self._photo_text(obj, "caption")

    @admin.display(description=gettext_lazy("credit"))
    def photo_credit(self, obj):
        return self._photo_text(obj, "credit")

    @admin.display(description=gettext_lazy("alt text"))
    def photo_alt_text(self, obj):
        return self._photo_text(obj, "alt_text")

    @admin.display(description=gettext_lazy("status"))
    def status_summary(self, obj):
        if obj is None or obj.pk is None:
            return _("New draft")
        label = obj.get_status_display()
        if obj.status == Article.Status.SCHEDULED and obj.publish_at:
            when = date_format(timezone.localtime(obj.publish_at), "DATETIME_FORMAT")
            if obj.is_published:
                return _("%(status)s: live since %(when)s") % {"status": label, "when": when}
            return _("%(status)s: goes live by itself at %(when)s") % {
                "status": label,
                "when": when,
            }
        if obj.is_published:
            return _("%(status)s: live") % {"status": label}
        if obj.is_retracted and obj.retracted_at:
            when = date_format(timezone.localtime(obj.retracted_at), "DATETIME_FORMAT")
            return _("%(status)s on %(when)s. Note for readers: %(note)s") % {
                "status": label,
                "when": when,
                "note": obj.retraction_note,
            }
        return label

    @admin.display(description=gettext_lazy("related stories"))
    def related_why(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        return related_explanation.render(obj)

    @admin.display(description=gettext_lazy("activity"))
    def activity(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        entries = (
            LogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(Article), object_id=str(obj.pk)
            )
            .select_related("user")
            .order_by("-action_time")[:20]
        )
        if not entries:
            return _("Nothing recorded yet.")
        return format_html(
            '<ol class="newsroom-activity">{}</ol>',
            format_html_join(
                "",
                '<li><time datetime="{}">{}</time> · <strong>{}</strong> · {}</li>',
                (
                    (
                        timezone.localtime(e.action_time).isoformat(timespec="seconds"),
                        date_format(timezone.localtime(e.action_time), "DATETIME_FORMAT"),
                        e.user.get_username() if e.user else "—",
                        e.get_change_message() or e.get_action_flag_display(),
                    )
                    for e in entries
                ),
            ),
        )
