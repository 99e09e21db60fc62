"""``{% photo_tiles cl as tiles %}``: the photo library's grid, from the changelist's page.

Each tile links to the photo's form, or, in the story form's picker (``_popup``), hands
the photo back to the field that opened it (Django's ``data-popup-opener``, with its
caption, credit and alt text in ``data-words``). Thumbnails
are the stored 3:2 crops; nothing is resized while the page is served.
"""

import json

from django import template
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from articles.models import Photo

register = template.Library()

TILE_WIDTH = 320


@register.simple_tag
def photo_tiles(cl):
    tiles = []
    for photo in cl.result_list:
        opener = None
        if cl.is_popup:
            opener = str(photo.serializable_value(cl.to_field) if cl.to_field else photo.pk)
        tiles.append(
            {
                "photo": photo,
                "pk": photo.pk,
                "url": cl.url_for_result(photo),
                "opener": opener,
                "thumbnail": photo.crop(TILE_WIDTH) if photo.image else None,
                "title": photo.caption or photo.original_filename or str(photo),
                "uploaded": date_format(localtime(photo.uploaded_at), "DATE_FORMAT"),
                "uses": _uses(photo),
                # The picker hands the photo's own words to the story form's fields, in
                # both languages (the form takes those of the story's).
                "words": (
                    json.dumps({language: photo.text_in(language) for language in ("en", "fr")})
                    if cl.is_popup
                    else ""
                ),
            }
        )
    return tiles


def _uses(photo):
    """ "Lead photo of 3 stories" (the library's count, from its page query), or "Not used"."""
    count = getattr(photo, "lead_uses", None)
    if count is None:
        return ""
    if not count:
        return _("Not a lead photo")
    return ngettext("Lead photo of %(count)d story", "Lead photo of %(count)d stories", count) % {
        "count": count
    }


@register.simple_tag
def published_stories_showing(photos):
    """``{% published_stories_showing object as stories %}``: the published stories that show
    these photos (one photo, or the queryset of a bulk delete), for the delete confirmation.

    Django lists only what a deletion removes; a story loses its lead photo (SET NULL) or an
    inline image silently, so the editor is told which live pages will change.
    """
    from articles.models import Article

    if isinstance(photos, Photo):
        photos = [photos]
    ids = set()
    for photo in photos:
        ids.update(photo.stories_using().values_list("pk", flat=True))
    return list(Article.objects.published().filter(pk__in=ids).order_by("-publish_at", "-pk"))
