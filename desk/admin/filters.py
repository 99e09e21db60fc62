"""The story list's filters and its ordering (a reporter's own stories first)."""

from django.contrib import admin
from django.contrib.admin.views.main import ORDER_VAR, ChangeList
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles import languages, workflow
from articles.models import (
    Article,
    Author,
    Byline,
    Section,
)
from newsroom.params import positive_int


class MyStoriesFilter(admin.SimpleListFilter):
    title = gettext_lazy("whose stories")
    parameter_name = "mine"

    def lookups(self, request, model_admin):
        return [("1", _("My stories"))]

    def queryset(self, request, queryset):
        if self.value() == "1":
            user = request.user
            mine = Article.objects.filter(Q(created_by=user) | Q(bylines__author__user=user))
            return queryset.filter(pk__in=mine.values("pk"))
        return queryset


class AuthorFilter(admin.SimpleListFilter):
    title = gettext_lazy("author")
    parameter_name = "author"

    def lookups(self, request, model_admin):
        return list(Author.objects.order_by("name").values_list("pk", "name"))

    def queryset(self, request, queryset):
        if self.value():
            # ?author=abc (a hand-edited address) is no author: no stories, not a 500.
            author_id = positive_int(self.value())
            if author_id is None:
                return queryset.none()
            return queryset.filter(pk__in=Byline.objects.filter(author=author_id).values("article"))
        return queryset


class LanguageFilter(admin.SimpleListFilter):
    title = gettext_lazy("language")
    parameter_name = "language"
    field = "language"  # the story's language field, as the listed model reaches it

    def lookups(self, request, model_admin):
        return languages.CHOICES

    def queryset(self, request, queryset):
        # An unknown ?language=xx (a hand-edited address) lists nothing rather than a 500.
        if self.value():
            return queryset.filter(**{self.field: self.value()})
        return queryset


class OutOfDateFilter(admin.SimpleListFilter):
    title = gettext_lazy("translation")
    parameter_name = "translation"

    def lookups(self, request, model_admin):
        return [
            ("out-of-date", _("Out of date")),
            ("translations", _("Translations")),
            ("untranslated", _("Not translated yet")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "out-of-date":
            # Article.is_out_of_date, in SQL: the original's version is past the one the
            # translation was last brought up to date with (none yet counts as 0).
            return queryset.filter(translation_of__isnull=False).filter(
                Q(translated_version__isnull=True)
                | Q(translated_version__lt=F("translation_of__version"))
            )
        if value == "translations":
            return queryset.filter(translation_of__isnull=False)
        if value == "untranslated":
            return queryset.filter(translation_of__isnull=True, translations__isnull=True)
        return queryset


class StoryChangeList(ChangeList):
    """Newest first, a story without a publish time (a draft, one in review) by its last
    change, so the one just submitted is at the top; a reporter's own stories before
    others. Sorting by a column header replaces both."""

    def get_ordering(self, request, queryset):
        ordering = super().get_ordering(request, queryset)
        if ORDER_VAR not in self.params:
            ordering = [Coalesce("publish_at", "updated_at").desc(), "-pk"]
        # ArticleAdmin.get_queryset annotates "is_mine" for everyone but editors (who own no
        # stories in particular): asked of the same rule, not of the query's internals.
        if not workflow.is_editor(request.user) and ORDER_VAR not in self.params:
            return ["-is_mine", *ordering]
        return ordering


def section_label(section):
    """A section as the desk names it: "Canada (EN)", "Canada (FR)". Both languages have a
    "Canada", a "Sports" and an "Opinion"; the bare name does not say which one is meant."""
    return f"{section.name} ({section.language.upper()})"


class SectionFilter(admin.RelatedFieldListFilter):
    """The story list's section filter, each section with its language (see section_label)."""

    def field_choices(self, field, request, model_admin):
        return [(s.pk, section_label(s)) for s in Section.objects.order_by("language", "name")]
