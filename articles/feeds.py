"""RSS 2.0 and Atom feeds: the latest stories, those of a section, a tag or an author, and
the corrections.

One base class says how a story becomes a feed entry; each subclass only says which
stories and what the feed is called. Every feed exists in both formats: the URLconf
instantiates a feed class with ``atom=True`` for the Atom version.

Feeds are served as feeds, ``application/rss+xml`` and ``application/atom+xml``, with no
stylesheet: browsers are dropping XSLT, so readers who open a feed's address learn what a
feed is from the feeds page (``/feeds/``, ``feeds_page`` in ``articles.views``), which
lists every feed.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.files.storage import default_storage
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.translation import gettext as _

from . import languages
from .models import Article, Author, Section, StoryChange, public_tags
from .structured_data import absolute_url

MEDIA_RSS_NS = "http://search.yahoo.com/mrss/"
FEED_LENGTH = 30
# Lead photos go out at about this width: big enough for readers' cards, small to fetch.
ENCLOSURE_WIDTH = 960


class MediaRSSMixin:
    """Adds a Media RSS ``<media:content>`` element for the lead photo of each entry."""

    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:media": MEDIA_RSS_NS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        image = item.get("media_image")
        if not image:
            return
        handler.startElement(
            "media:content",
            {
                "url": image["url"],
                "type": "image/jpeg",
                "medium": "image",
                "width": str(image["width"]),
                "height": str(image["height"]),
            },
        )
        if image["description"]:
            handler.addQuickElement("media:description", image["description"])
        if image["credit"]:
            handler.addQuickElement("media:credit", image["credit"])
        handler.endElement("media:content")


class StoryRssFeed(MediaRSSMixin, Rss201rev2Feed):
    pass


class StoryAtomFeed(MediaRSSMixin, Atom1Feed):
    pass


class StoryFeed(Feed):
    """The base of every story feed; subclasses set ``url_name`` and override a few methods."""

    url_name = None  # e.g. "articles:feed-latest"; "-rss" or "-atom" is added

    def __init__(self, atom=False):
        super().__init__()
        self.atom = atom
        self.feed_type = StoryAtomFeed if atom else StoryRssFeed

    def stories(self, obj):
        return Article.objects.all()

    def items(self, obj):
        # The feed's language is its address's (its <language> says so: Feed.language).
        stories = self.stories(obj).in_language(languages.current())
        return stories.published().with_related_data().latest_first()[:FEED_LENGTH]

    def url_args(self, obj):
        return []

    def feed_url(self, obj):
        suffix = "atom" if self.atom else "rss"
        return absolute_url(reverse(f"{self.url_name}-{suffix}", args=self.url_args(obj)))

    def subtitle(self, obj):
        return self.description(obj)

    # One entry per story.
    def item_title(self, article):
        return article.headline

    def item_description(self, article):
        return article.standfirst or article.excerpt

    def item_link(self, article):
        return absolute_url(article.get_absolute_url())

    def item_pubdate(self, article):
        return article.publish_at

    def item_updateddate(self, article):
        return article.revised_at if article.was_revised else article.publish_at

    def item_author_name(self, article):
        return ", ".join(author.name for author in article.byline_authors()) or None

    def item_categories(self, article):
        return [article.section.name, *(tag.name for tag in article.tags.all())]

    def item_enclosures(self, article):
        image = lead_image(article)
        if not image:
            return []
        return [Enclosure(image["url"], str(image["length"]), "image/jpeg")]

    def item_extra_kwargs(self, article):
        return {"media_image": lead_image(article)}


def lead_image(article):
    """The lead photo's feed rendition: absolute URL, size in bytes and pixels, or None."""
    photo = article.lead_photo
    if photo is None or not photo.image:
        return None
    cached = getattr(article, "_feed_image", None)
    if cached is not None:
        return cached
    renditions = photo.renditions or []
    if renditions:
        best = min(renditions, key=lambda r: abs(r["width"] - ENCLOSURE_WIDTH))
        path, width, height = best["jpeg"], best["width"], best["height"]
    else:
        path, width, height = photo.image.name, photo.width, photo.height
    try:
        length = default_storage.size(path)
    except (OSError, NotImplementedError):
        length = 0  # RSS allows 0 when the size is unknown
    article._feed_image = {
        "url": absolute_url(f"{settings.MEDIA_URL}{path}"),
        "length": length,
        "width": width,
        "height": height,
        "description": photo.page_alt_text or photo.page_caption,
        "credit": photo.page_credit,
    }
    return article._feed_image


class LatestStoriesFeed(StoryFeed):
    url_name = "articles:feed-latest"

    def title(self, obj):
        return _("%(site)s: latest stories") % {"site": settings.SITE_NAME}

    def link(self, obj):
        return absolute_url(reverse("articles:home"))

    def description(self, obj):
        return _("The newest stories from %(site)s.") % {"site": settings.SITE_NAME}


class SectionFeed(StoryFeed):
    url_name = "articles:feed-section"

    def get_object(self, request, slug):
        return get_object_or_404(Section.objects.public(), slug=slug, language=languages.current())

    def stories(self, section):
        return Article.objects.in_section(section)

    def url_args(self, section):
        return [section.slug]

    def title(self, section):
        return f"{settings.SITE_NAME}: {section.name}"

    def link(self, section):
        return absolute_url(section.get_absolute_url())

    def description(self, section):
        return section.description or _("The newest stories in %(section)s.") % {
            "section": section.name
        }


class TagFeed(StoryFeed):
    url_name = "articles:feed-tag"

    def get_object(self, request, slug):
        # Only what readers may see has a feed: a draft-only tag or byline is a 404.
        return get_object_or_404(public_tags(languages.current()), slug=slug)

    def stories(self, tag):
        return Article.objects.tagged(tag)

    def url_args(self, tag):
        return [tag.slug]

    def title(self, tag):
        return _("%(site)s: stories tagged %(tag)s") % {"site": settings.SITE_NAME, "tag": tag}

    def link(self, tag):
        return absolute_url(reverse("articles:tag", args=[tag.slug]))

    def description(self, tag):
        return _("The newest stories about %(tag)s.") % {"tag": tag.name}


class AuthorFeed(StoryFeed):
    url_name = "articles:feed-author"

    def get_object(self, request, slug):
        return get_object_or_404(Author.objects.public(languages.current()), slug=slug)

    def stories(self, author):
        return Article.objects.by_author(author)

    def url_args(self, author):
        return [author.slug]

    def title(self, author):
        return _("%(site)s: stories by %(author)s") % {
            "site": settings.SITE_NAME,
            "author": author.name,
        }

    def link(self, author):
        return absolute_url(author.get_absolute_url())

    def description(self, author):
        return _("The newest stories by %(author)s.") % {"author": author.name}


class CorrectionsFeed(Feed):
    """Corrections and clarifications, newest first: each entry links to the story's
    history, where the note sits beside the words that changed."""

    def __init__(self, atom=False):
        super().__init__()
        self.atom = atom
        self.feed_type = CorrectionsAtomFeed if atom else CorrectionsRssFeed

    def items(self):
        changes = StoryChange.objects.corrections()
        return changes.filter(article__language=languages.current())[:FEED_LENGTH]

    def title(self):
        return _("%(site)s: corrections and clarifications") % {"site": settings.SITE_NAME}

    def link(self):
        return absolute_url(reverse("articles:corrections"))

    def description(self):
        return _("Every correction and clarification of a story on %(site)s.") % {
            "site": settings.SITE_NAME
        }

    subtitle = description

    def feed_url(self):
        suffix = "atom" if self.atom else "rss"
        return absolute_url(reverse(f"articles:feed-corrections-{suffix}"))

    def item_title(self, change):
        return _("%(kind)s: %(story)s") % {
            "kind": change.get_kind_display(),
            "story": change.article.headline,
        }

    def item_description(self, change):
        return change.note

    def item_link(self, change):
        return absolute_url(history_anchor(change))

    def item_guid(self, change):
        return self.item_link(change)

    item_guid_is_permalink = True

    def item_pubdate(self, change):
        return change.at


def history_anchor(change):
    """The address of a change on its story's history page."""
    history = reverse("articles:history", args=[change.article.slug])
    return f"{history}#change-{change.pk}"


class CorrectionsRssFeed(Rss201rev2Feed):
    pass


class CorrectionsAtomFeed(Atom1Feed):
    pass
