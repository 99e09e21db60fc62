"""The desk's side of the wire: the "Wire" page (list, filters, search, item, "Use this"),
the refused items for editors, and the wire panel on a story made from an item (through the
desk's ``story_admin_extensions`` hook): what the wire changed since, a kill to acknowledge.

Reporters and editors read the wire; nobody edits an item (it is the agency's copy).
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from articles import languages, workflow
from articles.models import Section
from desk.admin.stories import story_admin_extensions

from . import services
from .models import RejectedItem, WireItem, WirePicture, WireStory

PANEL_MEDIA = forms.Media(css={"all": ["wire/desk.css"]})


class SubjectFilter(admin.SimpleListFilter):
    title = gettext_lazy("subject")
    parameter_name = "subject"

    def lookups(self, request, model_admin):
        names = (
            WireItem.subjects.rel.related_model.objects.values_list("name", flat=True)
            .distinct()
            .order_by("name")[:100]
        )
        return [(name, name) for name in names]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(subjects__name=self.value()).distinct()
        return queryset


class AgencyFilter(admin.SimpleListFilter):
    title = gettext_lazy("agency")
    parameter_name = "agency"

    def lookups(self, request, model_admin):
        names = WireItem.objects.values_list("provider", flat=True).distinct().order_by("provider")
        return [(name, name) for name in names]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(provider=self.value())
        return queryset


class WireLanguageFilter(admin.SimpleListFilter):
    title = gettext_lazy("language")
    parameter_name = "language"

    def lookups(self, request, model_admin):
        names = dict(languages.CHOICES)
        codes = WireItem.objects.exclude(language="").values_list("language", flat=True)
        return [(code, names.get(code, code.upper())) for code in codes.distinct().order_by()]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(language=self.value())
        return queryset


class UseForm(forms.Form):
    section = forms.ModelChoiceField(
        label=gettext_lazy("Section"), queryset=Section.objects.none(), empty_label=None
    )

    def __init__(self, item, *args, **kwargs):
        super().__init__(*args, **kwargs)
        language = services.story_language(item)
        self.fields["section"].queryset = Section.objects.filter(language=language).order_by("name")


class WireDeskAccess:
    """Reporters and editors see; nobody adds, changes or deletes through the admin."""

    def has_module_permission(self, request):
        return services.may_use_wire(request.user)

    def has_view_permission(self, request, obj=None):
        return services.may_use_wire(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(WireItem)
class WireItemAdmin(WireDeskAccess, admin.ModelAdmin):
    list_display = [
        "headline",
        "provider",
        "language_name",
        "urgency",
        "item_type",
        "status_label",
        "received_at",
        "used",
    ]
    list_filter = [AgencyFilter, WireLanguageFilter, SubjectFilter, "urgency", "item_type"]
    search_fields = ["headline", "body_html", "byline", "subjects__name"]
    list_per_page = 50
    show_full_result_count = False
    actions = None
    change_form_template = "admin/wire/wireitem/detail.html"
    change_list_template = "admin/wire/wireitem/change_list.html"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(story_count=Count("stories"))

    @admin.display(description=gettext_lazy("language"), ordering="language")
    def language_name(self, item):
        return dict(languages.CHOICES).get(item.language, item.language.upper())

    @admin.display(description=gettext_lazy("status"))
    def status_label(self, item):
        if item.is_killed:
            return item.get_pubstatus_display()
        if item.embargo and item.embargoed_at(services.now()):
            return _("Embargoed")
        return item.get_pubstatus_display()

    @admin.display(description=gettext_lazy("stories"), ordering="story_count")
    def used(self, item):
        return item.story_count

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:item_id>/use/", view(self.use_view), name="wire_wireitem_use"),
            path(
                "picture/<int:picture_id>/", view(self.picture_view), name="wire_wirepicture_file"
            ),
            path(
                "story/<int:link_id>/acknowledge/",
                view(acknowledge_view),
                name="wire_wirestory_acknowledge",
            ),
            path("story/<int:link_id>/read/", view(dismiss_view), name="wire_wirestory_read"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not services.may_use_wire(request.user):
            raise PermissionDenied
        item = get_object_or_404(WireItem, pk=object_id)
        return self._detail(request, item, UseForm(item))

    def _detail(self, request, item, form):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": item.headline,
            "item": item,
            "subjects": item.subjects.all(),
            "pictures": item.pictures.defer("data"),
            "stories": item.stories.select_related("article"),
            "form": form,
            "embargoed": item.embargo is not None and item.embargoed_at(services.now()),
            "media": self.media + forms.Media(css={"all": ["desk/desk.css"]}) + PANEL_MEDIA,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.change_form_template, context)

    def use_view(self, request, item_id):
        """ "Use this": POST only; a draft story, then its page."""
        if request.method != "POST":
            return redirect("admin:wire_wireitem_change", item_id)
        item = get_object_or_404(WireItem, pk=item_id)
        if not services.may_use_wire(request.user):
            raise PermissionDenied
        form = UseForm(item, request.POST)
        if form.is_valid():
            try:
                article = services.use_item(
                    item, by=request.user, section=form.cleaned_data["section"]
                )
            except ValidationError as refusal:
                form.add_error(None, refusal)
            else:
                self.message_user(
                    request,
                    _(
                        "Draft made from the wire: “%(story)s”. It is not public until it is "
                        "published."
                    )
                    % {"story": article.headline},
                    messages.SUCCESS,
                )
                return redirect("admin:articles_article_change", article.pk)
        return self._detail(request, item, form)

    def picture_view(self, request, picture_id):
        """A wire picture's file, for the desk only (wire items are private)."""
        if not services.may_use_wire(request.user):
            raise PermissionDenied
        picture = get_object_or_404(WirePicture, pk=picture_id, data__isnull=False)
        response = HttpResponse(bytes(picture.data), content_type=_image_type(picture))
        response["Cache-Control"] = "private, max-age=3600"
        response["X-Content-Type-Options"] = "nosniff"
        return response


def _image_type(picture):
    allowed = {"image/jpeg", "image/png", "image/webp", "image/gif"}
    return picture.content_type if picture.content_type in allowed else "image/jpeg"


@admin.register(RejectedItem)
class RejectedItemAdmin(admin.ModelAdmin):
    """Items the wire refused, with the reason: editors read them (and tell the agency)."""

    list_display = ["received_at", "source", "name", "error"]
    list_filter = ["source"]
    search_fields = ["name", "error"]
    readonly_fields = ["received_at", "source", "name", "error", "raw"]
    fields = readonly_fields
    actions = None

    def has_module_permission(self, request):
        return workflow.is_editor(request.user)

    def has_view_permission(self, request, obj=None):
        return workflow.is_editor(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return workflow.is_editor(request.user)


# --- the story page's wire panel -----------------------------------------------------------


def wire_panel(request, article):
    """The "From the wire" panel of a story made from an item, or None."""
    link = WireStory.objects.select_related("item").filter(article=article).first()
    if link is None or not services.may_use_wire(request.user):
        return None
    html = render_to_string(
        "admin/wire/_story_panel.html",
        {
            "link": link,
            "item": link.item,
            "can_acknowledge": link.kill_pending and workflow.is_editor(request.user),
            "can_dismiss": bool(link.update_diff) and workflow.can_edit(request.user, article),
            "embargoed": link.item.embargo is not None and link.item.embargoed_at(services.now()),
        },
        request=request,
    )
    return html, PANEL_MEDIA


@require_POST
def acknowledge_view(request, link_id):
    link = get_object_or_404(WireStory.objects.select_related("item", "article"), pk=link_id)
    services.acknowledge_kill(link, by=request.user)
    messages.success(
        request, _("Kill acknowledged: the story may be published again if the desk decides so.")
    )
    return redirect("admin:articles_article_change", link.article_id)


@require_POST
def dismiss_view(request, link_id):
    link = get_object_or_404(WireStory.objects.select_related("item", "article"), pk=link_id)
    services.dismiss_update(link, by=request.user)
    messages.success(request, _("Marked as read."))
    return redirect("admin:articles_article_change", link.article_id)


story_admin_extensions.add(panels=[wire_panel])
