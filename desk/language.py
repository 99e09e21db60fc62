"""A journalist's choice of the desk's language (``/admin/desk-language/``).

Stored in ``DeskPreference`` and copied into the session, where the locale middleware's
staff branch reads it (``newsroom.locale.DESK_LANGUAGE_SESSION_KEY``) without a query per
page. Signing in copies it again, so the choice follows the journalist to any browser.
Readers' pages never read it: their language is their address's.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from newsroom.locale import DESK_LANGUAGE_SESSION_KEY

from .models import DeskPreference


class DeskLanguageForm(forms.Form):
    language = forms.ChoiceField(
        label=gettext_lazy("Desk language"),
        choices=[("", gettext_lazy("As my browser says")), *settings.LANGUAGES],
        required=False,
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "The language of the desk's menus, buttons and messages. Stories keep their own "
            "language; readers' pages follow their address."
        ),
    )


def remember(request, language):
    """Make ``language`` (``""``: the browser's) the desk's from the next page on."""
    if language:
        request.session[DESK_LANGUAGE_SESSION_KEY] = language
    else:
        request.session.pop(DESK_LANGUAGE_SESSION_KEY, None)


def on_sign_in(sender, request, user, **kwargs):
    """``user_logged_in``: the journalist's stored choice, into the new session."""
    if request is None or not hasattr(request, "session"):
        return
    language = DeskPreference.objects.filter(user=user).values_list("language", flat=True).first()
    remember(request, language or "")


@never_cache
def desk_language(request):
    preference = DeskPreference.objects.filter(user=request.user).first()
    form = DeskLanguageForm(
        request.POST or None, initial={"language": preference.language if preference else ""}
    )
    if request.method == "POST" and form.is_valid():
        language = form.cleaned_data["language"]
        DeskPreference.objects.update_or_create(user=request.user, defaults={"language": language})
        remember(request, language)
        # Said in the language just chosen: it is the desk's from the next page on.
        with translation.override(language or translation.get_language()):
            messages.success(request, _("The desk's language is saved."))
        return redirect("desk-language")
    context = {
        **admin.site.each_context(request),
        "title": _("Desk language"),
        "form": form,
    }
    return TemplateResponse(request, "admin/desk_language.html", context)
