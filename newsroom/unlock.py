"""The editors' "Unlock sign-in" page in the admin (``/admin/unlock-sign-in/``).

Lists the staff accounts locked out by the sign-in throttle with an Unlock button each,
and takes any username (an account may be locked under a spelling that differs in case).
Open to holders of ``newsroom.unlock_signin`` (the Editor group); the command line has
``python manage.py unlock_login``.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from . import login_throttle


class UnlockForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("Username"), max_length=150)


@never_cache
def unlock_sign_in(request):
    if not request.user.has_perm("newsroom.unlock_signin"):
        raise PermissionDenied
    form = UnlockForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        login_throttle.unlock([username])
        messages.success(request, _("%(username)s can sign in again now.") % {"username": username})
        return redirect("unlock-sign-in")
    context = {
        **admin.site.each_context(request),
        "title": _("Unlock sign-in"),
        "form": form,
        "locked": login_throttle.locked_accounts(),
    }
    return TemplateResponse(request, "admin/unlock_sign_in.html", context)
