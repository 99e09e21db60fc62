"""``{% related_stories article as stories %}``: the "You may also like" list, one query."""

from django import template

from ..related.queries import related_for

register = template.Library()

THUMBNAIL_WIDTH = 320


def _thumbnail(photo):
    """The smallest rendition at least ``THUMBNAIL_WIDTH`` wide, with its real size."""
    if photo is None or not photo.renditions:
        return None
    wide_enough = [r for r in photo.renditions if r["width"] >= THUMBNAIL_WIDTH]
    chosen = wide_enough[0] if wide_enough else photo.renditions[-1]
    return {
        "url": photo.rendition_url(chosen["width"]),
        "width": chosen["width"],
        "height": chosen["height"],
    }


@register.simple_tag
def related_stories(article, count=None):
    stories = related_for(article, count)
    for story in stories:
        story.thumbnail = _thumbnail(story.lead_photo)
    return stories
