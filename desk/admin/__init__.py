"""The newsroom's working surface in Django's admin, one module per kind of thing edited.

``stories`` (with ``story_columns``, ``story_pages``, ``filters``, ``widgets``), ``photos``,
``people`` (sections, authors), ``record`` (the corrections list, the story's public record)
and ``pages`` (the front page, the site's pages). The models
keep their ``articles`` app label, so addresses stay ``admin:articles_article_change`` etc.
"""

from django.conf import settings
from django.contrib import admin
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from . import pages, people, photos, record, stories  # noqa: F401  (each registers its ModelAdmins)

admin.site.site_header = format_lazy("{} · {}", settings.SITE_NAME, gettext_lazy("Newsroom"))
admin.site.site_title = admin.site.site_header
admin.site.index_title = gettext_lazy("Today's desk")
