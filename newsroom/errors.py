"""``handler403``: a refusal looks like the part of the site it happened in.

In the admin, a staff member who opens something their role does not allow (a reporter
following a link to the ratings report, say) gets the admin's own page, with its header
and navigation and a sentence saying why, instead of Django's bare "403 Forbidden".
Everywhere else the public 403 page (``templates/403.html``) is used.
"""

from django.contrib import admin
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import defaults


def permission_denied(request, exception=None):
    user = getattr(request, "user", None)
    in_admin = request.path.startswith(reverse("admin:index"))
    if in_admin and user is not None and user.is_active and user.is_staff:
        context = {
            **admin.site.each_context(request),
            "title": _("Your role does not open this page"),
        }
        response = TemplateResponse(request, "admin/403.html", context, status=403)
        response["Cache-Control"] = "private, no-store"
        return response.render()
    return defaults.permission_denied(request, exception)
