from django.contrib import admin

from .models import Article, Author, Byline, Photo, Section


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
