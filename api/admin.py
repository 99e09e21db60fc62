"""Partners' API keys in the desk: editors create them (the key is shown once, on the page
that follows) and revoke them; nobody reads a key back or deletes the record. Every change
goes through ``api.keys``."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles import workflow

from . import keys
from .models import ApiKey


class StateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("active", _("active")), ("revoked", _("revoked"))]

    def queryset(self, request, queryset):
        if self.value() == "active":
            return queryset.filter(revoked_at__isnull=True)
        if self.value() == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        return queryset


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ("name", "state", "prefix", "limit", "created_at")
    list_filter = (StateFilter,)
    search_fields = ("name", "prefix")
    actions = ["revoke_selected"]
    fields = ("name", "requests_per_minute")
    readonly_fields = ()

    class Media:
        css = {"all": ["api/keys.css"]}

    # Editors only: reporters get neither the menu nor the pages.
    def has_module_permission(self, request):
        return workflow.is_editor(request.user)

    def has_view_permission(self, request, obj=None):
        return workflow.is_editor(request.user)

    def has_add_permission(self, request):
        return workflow.is_editor(request.user)

    def has_change_permission(self, request, obj=None):
        return workflow.is_editor(request.user) and (obj is None or obj.is_active)

    def has_delete_permission(self, request, obj=None):
        return False  # revoked, never deleted: the record says who had access and when

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return ("prefix", "created_at", "created_by", "revoked_at", "revoked_by")

    def get_fields(self, request, obj=None):
        if obj is None:
            return self.fields
        return (*self.fields, *self.get_readonly_fields(request, obj))

    @admin.display(description=_("requests per minute"))
    def limit(self, key):
        return key.limit_per_minute()

    @admin.display(description=_("state"))
    def state(self, key):
        return _("active") if key.is_active else _("revoked")

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        try:
            created, raw = keys.create_key(
                obj.name, by=request.user, requests_per_minute=obj.requests_per_minute
            )
        except ValidationError as error:  # permissions were checked; kept for other paths
            raise PermissionDenied(" ".join(error.messages)) from error
        obj.pk, obj.prefix, obj.created_at = created.pk, created.prefix, created.created_at
        request.api_key_shown_once = raw

    def response_add(self, request, obj, post_url_continue=None):
        """The new key, on this page only: it is not stored, nor sent through messages."""
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("New API key"),
            "key": obj,
            "raw_key": request.api_key_shown_once,
        }
        response = TemplateResponse(request, "admin/api/apikey/created.html", context)
        response["Cache-Control"] = "no-store"
        return response

    @admin.action(description=_("Revoke the selected keys"))
    def revoke_selected(self, request, queryset):
        try:
            count = keys.revoke_keys(list(queryset), by=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return
        self.message_user(
            request,
            ngettext(
                "%(count)d key revoked: it opens the API no more.",
                "%(count)d keys revoked: they open the API no more.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
