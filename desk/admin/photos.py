"""The photo library: a grid of thumbnails, the focal-point picker, who may change a photo."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import IS_POPUP_VAR
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from articles import workflow
from articles.models import (
    Article,
    Photo,
)
from newsroom.params import OutOfRangeFiltersMixin


class PhotoAdminForm(forms.ModelForm):
    class Meta:
        model = Photo
        fields = ["image", "focal_x", "focal_y", "caption", "credit", "alt_text", "usage_terms"]
        widgets = {
            # The plain fallback for the click-to-set picker (photo_focal.js).
            "focal_x": forms.NumberInput(attrs={"step": "0.01", "min": "0", "max": "1"}),
            "focal_y": forms.NumberInput(attrs={"step": "0.01", "min": "0", "max": "1"}),
        }


@admin.register(Photo)
class PhotoAdmin(OutOfRangeFiltersMixin, admin.ModelAdmin):
    """The photo library: a grid of thumbnails (templates/admin/articles/photo/), searchable
    by caption and credit, by upload date; also the picker the story form opens."""

    form = PhotoAdminForm
    change_list_template = "admin/articles/photo/change_list.html"
    change_form_template = "admin/articles/photo/change_form.html"
    list_display = ["__str__", "credit", "uploaded_at"]
    search_fields = ["caption", "credit", "original_filename"]
    date_hierarchy = "uploaded_at"
    list_filter = ["uploaded_at"]
    list_per_page = 48  # rows of 2, 3, 4 and 6 tiles all come out even
    # A grid has no row checkboxes: a photo is deleted from its own page, where Django
    # first lists the stories that show it.
    actions = None
    readonly_fields = ["focal_picker", "original_filename", "width", "height"]
    fields = [
        "image",
        "focal_picker",
        ("focal_x", "focal_y"),
        "caption",
        "credit",
        "alt_text",
        "usage_terms",
        "original_filename",
        ("width", "height"),
    ]

    def get_queryset(self, request):
        # "Lead photo of N stories" on each tile: one count for the whole page.
        return super().get_queryset(request).annotate(lead_uses=Count("articles", distinct=True))

    def usage(self, request, photo):
        """Every story that shows the photo (lead or in its text), newest first."""
        stories = photo.stories_using().order_by("-publish_at", "-pk")
        if not workflow.is_editor(request.user):
            # A legal removal is for editors only, down to its headline.
            stories = stories.exclude(status=Article.Status.REMOVED)
        return list(stories.only("pk", "headline", "status", "publish_at"))

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "image" in form.changed_data:
            warn_of_duplicates(self, request, obj)

    def changelist_view(self, request, extra_context=None):
        title = _("Choose a photo") if IS_POPUP_VAR in request.GET else _("Photo library")
        return super().changelist_view(request, {"title": title, **(extra_context or {})})

    @admin.display(description=gettext_lazy("focal point"))
    def focal_picker(self, obj):
        if obj is None or obj.pk is None or not obj.image:
            return _("Save the photo first; then click on it to set its focal point.")
        shown = obj.fallback  # a stored rendition, not the full-size original
        return format_html(
            '<div class="newsroom-focal" data-focal-picker>'
            '<img src="{}" width="{}" height="{}" alt="">'
            '<span class="newsroom-focal__marker" hidden></span></div>'
            '<p class="newsroom-focal__help">{}</p>',
            shown["url"],
            shown["width"],
            shown["height"],
            _(
                "Click on the subject of the photo: crops for story cards and thumbnails keep "
                "that point in frame. Or type the numbers below."
            ),
        )

    # A photo shows in every story that uses it: whoever may not edit one of those
    # stories sees the photo read-only (workflow.can_edit_photo), on every path.
    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if not allowed or obj is None:
            return allowed
        return workflow.can_edit_photo(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        if not allowed or obj is None:
            return allowed
        return workflow.can_edit_photo(request.user, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        photo = self.get_object(request, unquote(object_id))
        if (
            request.method == "GET"
            and photo is not None
            and super().has_change_permission(request, photo)
            and not workflow.can_edit_photo(request.user, photo)
        ):
            self.message_user(
                request,
                _(
                    "This photo is used by a story you cannot edit, so it is read-only to "
                    "you. You may still attach it to your own draft; to describe it "
                    "differently, upload it again as a new photo."
                ),
                messages.INFO,
            )
        if photo is not None:
            extra_context = {"photo_usage": self.usage(request, photo), **(extra_context or {})}
        return super().change_view(request, object_id, form_url, extra_context)


def warn_of_duplicates(model_admin, request, photo):
    """After an upload: a warning naming the library's photos that are the same picture
    (``Photo.duplicates``). The upload stays: the journalist chooses which to keep."""
    found = photo.duplicates()[:3]
    if not found:
        return
    links = format_html_join(
        ", ",
        '<a href="{}">{}</a>',
        (
            (reverse("admin:articles_photo_change", args=[other.pk]), str(other) or other.pk)
            for other in found
        ),
    )
    model_admin.message_user(
        request,
        format_html(
            "{} {}",
            ngettext(
                "This photo is already in the library (the same picture): you may use that "
                "one and delete this copy:",
                "This photo is already in the library (the same picture, %(count)d times): you "
                "may use one of those and delete this copy:",
                len(found),
            )
            % {"count": len(found)},
            links,
        ),
        messages.WARNING,
    )
