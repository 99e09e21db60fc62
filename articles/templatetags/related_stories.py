"""``{% related_stories article as stories %}``: the "You may also like" list, one query."""

from django import template

from ..related.queries import related_for

register = template.Library()

THUMBNAIL_WIDTH = 320


def _thumbnail(photo):
    """The smallest 3:2 crop (or rendition) at least ``THUMBNAIL_WIDTH`` wide, with its size."""
    if photo is None or not photo.renditions:
        return None
    return photo.crop(THUMBNAIL_WIDTH)


@register.simple_tag
def related_stories(article, count=None):
    stories = related_for(article, count)
    for story in stories:
        story.thumbnail = _thumbnail(story.lead_photo)
    return stories
