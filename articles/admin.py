from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Article, Author, Byline, Photo, RelatedExclusion, RelatedPin, Section


class BylineInline(admin.TabularInline):
    model = Byline
    extra = 1
    autocomplete_fields = ["author"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["headline", "status", "section", "publish_at"]
    list_filter = ["status", "section"]
    search_fields = ["headline"]
    prepopulated_fields = {"slug": ["headline"]}
    inlines = [BylineInline]
    list_select_related = ["section"]
    raw_id_fields = ["lead_photo"]


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "position", "in_navigation"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "job_title", "user"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    list_display = ["__str__", "credit", "width", "height"]
    search_fields = ["caption", "credit"]


# Related stories: editors pin stories (shown first, in order) and exclude others.
class _RelatedChoiceForm(forms.ModelForm):
    def clean_related(self):
        related = self.cleaned_data["related"]
        if related and related.pk == self.instance.article_id:
            raise forms.ValidationError(_("A story cannot be related to itself."))
        return related


class RelatedPinInline(admin.TabularInline):
    model = RelatedPin
    form = _RelatedChoiceForm
    fk_name = "article"
    extra = 0
    autocomplete_fields = ["related"]
    fields = ["related", "position"]


class RelatedExclusionInline(admin.TabularInline):
    model = RelatedExclusion
    form = _RelatedChoiceForm
    fk_name = "article"
    extra = 0
    autocomplete_fields = ["related"]


ArticleAdmin.inlines = [*ArticleAdmin.inlines, RelatedPinInline, RelatedExclusionInline]
