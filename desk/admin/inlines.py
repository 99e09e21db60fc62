"""The story form's inlines: bylines, and the related stories editors pin or exclude."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext as _

from articles.models import (
    Byline,
    RelatedExclusion,
    RelatedPin,
)

from .widgets import IdAutocompleteMixin


class BylineInline(IdAutocompleteMixin, admin.TabularInline):
    model = Byline
    autocomplete_fields = ["author"]

    def get_extra(self, request, obj=None, **kwargs):
        # A new story gets one row (the writer's own byline, StoryPagesMixin's initial);
        # a saved one no empty row: "Add another byline" adds one when it is wanted.
        return 1 if obj is None else 0


# Related stories: editors pin stories (shown first, in order) and exclude others.
class _RelatedChoiceForm(forms.ModelForm):
    def clean_related(self):
        related = self.cleaned_data["related"]
        if related and related.pk == self.instance.article_id:
            raise forms.ValidationError(_("A story cannot be related to itself."))
        return related


class RelatedPinInline(IdAutocompleteMixin, admin.TabularInline):
    model = RelatedPin
    form = _RelatedChoiceForm
    fk_name = "article"
    extra = 0
    autocomplete_fields = ["related"]
    fields = ["related", "position"]


class RelatedExclusionInline(IdAutocompleteMixin, admin.TabularInline):
    model = RelatedExclusion
    form = _RelatedChoiceForm
    fk_name = "article"
    extra = 0
    autocomplete_fields = ["related"]
