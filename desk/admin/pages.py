"""The front page (lead story, breaking banner, its stories) and the site's own pages."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_prose_editor.fields import ProseEditorFormField

from articles import frontpage
from articles.models import (
    Article,
    FrontPage,
    FrontPageStory,
    InfoPage,
)
from articles.sanitize import clean_html
from desk.editor import BodyEditorWidget
from desk.forms import BODY_EDITOR_EXTENSIONS

from .widgets import IdAutocompleteMixin


def _must_be_live(article):
    """Only stories readers can see (or will, once scheduled) go on the front page."""
    if article is not None and article.status not in Article.LIVE_STATUSES:
        raise ValidationError(_("Only published or scheduled stories can go on the front page."))
    return article


class FrontPageForm(forms.ModelForm):
    class Meta:
        model = FrontPage
        fields = ["lead", "lead_until", "breaking_text", "breaking_url", "breaking_until"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The automatic lead's rule, from the front page model (it depends on a setting).
        self.fields["lead"].help_text = FrontPage.automatic_lead_rule()

    def clean_lead(self):
        return _must_be_live(self.cleaned_data.get("lead"))


class FrontPageStoryForm(forms.ModelForm):
    class Meta:
        model = FrontPageStory
        fields = ["position", "article", "until"]

    def clean_article(self):
        return _must_be_live(self.cleaned_data.get("article"))


class FrontPageStoryInline(IdAutocompleteMixin, admin.TabularInline):
    model = FrontPageStory
    form = FrontPageStoryForm
    extra = 1
    autocomplete_fields = ["article"]
    fields = ["position", "article", "until"]


@admin.register(FrontPage)
class FrontPageAdmin(IdAutocompleteMixin, admin.ModelAdmin):
    """One front page: the list goes straight to its form."""

    form = FrontPageForm
    autocomplete_fields = ["lead"]
    inlines = [FrontPageStoryInline]
    fieldsets = [
        (gettext_lazy("Lead story"), {"fields": ["lead", "lead_until"]}),
        (
            gettext_lazy("Breaking news banner"),
            {"fields": ["breaking_text", "breaking_url", "breaking_until"]},
        ),
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        page = FrontPage.current()
        return redirect(reverse("admin:articles_frontpage_change", args=[page.pk]))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # What the home page shows now, read by the home page's own function.
        page = self.get_object(request, object_id)
        context = {}
        if page is not None:
            home = frontpage.build_home(language=page.language)
            context = {
                "home_now": home,
                "lead_chosen": home.lead is not None and home.lead.pk == page.lead_id,
                # "Front page" once, not "Change front page" over "Front page".
                "title": str(page),
                "subtitle": None,
            }
        context.update(extra_context or {})
        return super().change_view(request, object_id, form_url, context)


class InfoPageForm(forms.ModelForm):
    body = ProseEditorFormField(
        label=gettext_lazy("Text"),
        extensions=BODY_EDITOR_EXTENSIONS,
        sanitize=clean_html,
        widget=BodyEditorWidget,
    )

    class Meta:
        model = InfoPage
        fields = ["title", "slug", "body", "in_footer", "position"]


@admin.register(InfoPage)
class InfoPageAdmin(admin.ModelAdmin):
    form = InfoPageForm
    list_display = ["title", "slug", "in_footer", "position", "updated_at"]
    list_editable = ["in_footer", "position"]
    prepopulated_fields = {"slug": ["title"]}
    search_fields = ["title", "body"]
