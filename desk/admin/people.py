"""Sections and authors."""

from django.contrib import admin

from articles.models import (
    Author,
    Section,
)


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "position", "in_navigation"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "job_title", "user"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
