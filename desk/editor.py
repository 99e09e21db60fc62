"""The rich-text body editor of stories and site pages, with video and audio embeds.

django-prose-editor's admin widget, plus ``desk/prose_embed.js``: an embed shows as a card,
and pasting the address of an allowed video or audio on an empty line inserts one. The
editor asks :func:`embed_lookup` whether an address is an embed, so ``articles.embeds``
stays the only parser.
"""

from django.http import JsonResponse
from django.templatetags.static import static
from django.views.decorators.http import require_GET
from django_prose_editor.widgets import AdminProseEditorWidget
from js_asset import Media

from articles.embeds import embed_for_url

MAX_ADDRESS = 2000


class BodyEditorWidget(AdminProseEditorWidget):
    """The body editor; loads the embed extension when ``Embed`` is among its extensions,
    and the typographic quotes and dashes (``desk/prose_typography.js``) when
    ``SmartTypography`` is."""

    MODULES = {"Embed": "desk/prose_embed.js", "SmartTypography": "desk/prose_typography.js"}

    def get_config(self):
        config = super().get_config()
        extensions = config.get("extensions", {})
        modules = [static(path) for name, path in self.MODULES.items() if name in extensions]
        if modules:
            config["js_modules"] = [*config.get("js_modules", []), *modules]
        return config

    @property
    def media(self):
        return super().media + Media(css={"all": ["desk/prose_embed.css"]})


@require_GET
def embed_lookup(request):
    """``?url=…`` → ``{"embed": {"provider", "id", "href", "label"}}``, or
    ``{"embed": null}`` when the address is not a video or audio of an allowed host.

    Behind the admin's sign-in (``newsroom/urls.py``). Parsing only, no fetch.
    """
    address = request.GET.get("url", "")
    embed = embed_for_url(address) if len(address) <= MAX_ADDRESS else None
    if embed is None:
        return JsonResponse({"embed": None})
    return JsonResponse(
        {
            "embed": {
                "provider": embed.provider,
                "id": embed.media_id,
                "href": embed.url,
                "label": embed.label,
            }
        }
    )
