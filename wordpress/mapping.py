"""Posts → stories: the fields of a story, its section, tags, byline and old address.

``PostMapping`` is one part of :class:`wordpress.importer.Importer` (the run, its batches and
writes are there; the images in ``wordpress.media``): its methods read the importer's state
(``self.report``, ``self.site``, ``self.channel`` and the caches of the run and the batch that
``Importer.__init__`` and ``Importer._prefetch`` fill).
"""

import hashlib
import html
import json
import re
from urllib.parse import unquote, urlsplit

from django.db.models.functions import Lower
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from taggit.models import Tag

from articles import languages
from articles.models import Article, Author, Section, SlugRedirect
from articles.sanitize import html_to_text

from . import content as wp_content
from .languages import post_group
from .models import WordPressAttachment, WordPressAuthor, WordPressPost
from .wxr import parse_wp_date

HEADLINE_MAX = Article._meta.get_field("headline").max_length
STANDFIRST_MAX = 400
TAG_MAX = Tag._meta.get_field("name").max_length
UNCATEGORIZED = ("uncategorized", "Uncategorized")
# Bumped when the mapping changes, so the next run re-imports posts it had skipped.
# 2: inline images pass the photo checks (bodies imported before are rewritten).
# 3: players, code blocks, subheads, captions without images, links to copied images, the
#    fidelity findings and old tag and category addresses.
MAPPING_VERSION = 3
TAG_SLUG_MAX = Tag._meta.get_field("slug").max_length
# What the tag page's address takes (articles.urls.TagSlugConverter).
_TAG_SLUG = re.compile(r"[-\w]+")
PRIMARY_CATEGORY_META = ("_yoast_wpseo_primary_category", "rank_math_primary_category")

STATUS_MAP = {
    "publish": Article.Status.PUBLISHED,
    "future": Article.Status.SCHEDULED,
    "draft": Article.Status.DRAFT,
    "pending": Article.Status.IN_REVIEW,
    "private": Article.Status.UNPUBLISHED,
    "trash": Article.Status.UNPUBLISHED,
}


def skip_reason(item):
    """Why an item of the export that is not a post is not imported (a line of the report)."""
    labels = {
        "page": _("pages"),
        "attachment": _("attachments (read for featured images)"),
        "nav_menu_item": _("menu items"),
        "revision": _("revisions"),
        "wp_block": _("reusable blocks"),
        "wp_navigation": _("navigation menus"),
        "wp_global_styles": _("theme styles"),
        "wp_template": _("theme templates"),
        "wp_template_part": _("theme templates"),
        "custom_css": _("theme styles"),
        "": _("items without a post type"),
    }
    if item.post_type in labels:
        return labels[item.post_type]
    return _("custom post type “%(type)s”") % {"type": item.post_type[:40]}


class PostMapping:
    """What a post's story, section, tags, byline and old address are."""

    def _prefetch(self, items):
        """What the batch's posts refer to, looked up together (a handful of queries):
        their remembered ids, the slugs already taken, their tags, their featured images."""
        ids = [item.wp_id for item in items]
        self._known = {
            known.wp_id: known
            for known in WordPressPost.objects.filter(site=self.site, wp_id__in=ids).select_related(
                "article"
            )
        }
        # Slugs and old slugs (SlugRedirect) are unique per language: (language, slug) pairs.
        bases = {
            (self.plan.language(item.wp_id), self._slug_base(item))
            for item in items
            if item.wp_id not in self._known
        }
        slugs = {slug for _language, slug in bases}
        self._taken = set(Article.objects.filter(slug__in=slugs).values_list("language", "slug"))
        self._taken |= set(
            SlugRedirect.objects.filter(old_slug__in=slugs).values_list("language", "old_slug")
        )
        self._checked = bases
        # Tags by lower-case name; a name missing here is created when first used.
        keys = {name.lower() for item in items for name in self._tag_names(item)}
        keys -= self._tags.keys()
        self._tag_rows = dict.fromkeys(keys)
        if keys:
            found = (
                Tag.objects.annotate(key=Lower("name")).filter(key__in=keys).order_by("-pk")
            )  # the oldest last, so it wins (as the one-at-a-time lookup would choose it)
            self._tag_rows.update((tag.key, tag) for tag in found)
        thumbnails = {to_int(item.meta.get("_thumbnail_id")) for item in items}
        wanted = [i for i in thumbnails if i in self.attachments and i not in self._photos]
        self._known_attachments = {}
        if wanted:
            self._known_attachments = {
                known.wp_id: known
                for known in WordPressAttachment.objects.filter(
                    site=self.site, wp_id__in=wanted
                ).select_related("photo")
            }

    def _digest(self, item, attachment):
        parts = [
            MAPPING_VERSION,
            item.title,
            item.content,
            item.excerpt,
            item.status,
            item.post_date,
            item.post_date_gmt,
            item.password != "",
            item.post_name,
            item.link,
            item.creator,
            self.channel.authors.get(item.creator, ""),
            sorted(item.terms),
            item.meta.get("rmp_vote_count", ""),
            item.meta.get("rmp_rating_val_sum", ""),
            attachment.digest_parts() if attachment else None,
            str(self.media_dir or ""),
        ]
        # A bilingual export's language and group (Polylang's terms are above, WPML's are
        # post meta): appended only for such exports, so the digests of others stay as they
        # were, and a bilingual site imported before languages were read is imported again.
        if self.plan.bilingual:
            parts.append([self.plan.language(item.wp_id), post_group(item)])
        return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()

    def _count_outcome(self, item, article):
        wp_status = item.status + (" (password)" if item.password else "")
        self.report.statuses[(wp_status, article.get_status_display())] += 1

    def _status(self, item):
        """The story's status and publish time for the post's WordPress status."""
        publish_at = item.published_gmt or parse_wp_date(
            item.post_date, timezone.get_default_timezone()
        )
        if item.password:
            # A password-protected post is never readable by the public.
            self.report.notes[_("password-protected posts imported as drafts")] += 1
            return Article.Status.DRAFT, publish_at
        status = STATUS_MAP.get(item.status)
        if status is None:
            raise ValueError(_("unknown WordPress status “%(status)s”") % {"status": item.status})
        if item.status in {"private", "trash"}:
            self.report.notes[
                _("private or trashed posts imported as unpublished (not public)")
            ] += 1
        if status in Article.LIVE_STATUSES and publish_at is None:
            publish_at = timezone.now()
        return status, publish_at

    def _body(self, item, findings):
        """The post's content as the story's body, its images copied (``wordpress.media``).

        Words the body gains (a player's "Video (youtube.com):") are in the story's language.
        """
        with translation.override(languages.django_code(self.plan.language(item.wp_id))):
            body = wp_content.to_html(
                item.content,
                shortcodes_seen=self.report.shortcodes,
                gallery=lambda attributes: self._gallery(item, attributes),
                findings=findings,
            )
        return self._local_images(item, body)

    def _slug_base(self, item):
        base = slugify(unquote(item.post_name))[:180].strip("-")
        return base or slugify(plain_text(item.title))[:180].strip("-") or "story"

    def _free_slug(self, item, headline):
        """The post's WordPress slug if it is free here in the post's language, else the
        slug with a number."""
        language = self.plan.language(item.wp_id)
        base = self._slug_base(item)
        if (language, base) in self._checked and (language, base) not in self._taken:
            self._taken.add((language, base))
            return base
        slug, n = base, 2
        while (
            (language, slug) in self._taken
            or Article.objects.filter(language=language, slug=slug).exists()
            or SlugRedirect.objects.filter(language=language, old_slug=slug).exists()
        ):
            slug, n = f"{base}-{n}", n + 1
        self._taken.add((language, slug))
        return slug

    def _primary_category(self, item):
        """The (nicename, name) of the category that becomes the story's section."""
        categories = [(nice, name) for domain, nice, name in item.terms if domain == "category"]
        primary = None
        for key in PRIMARY_CATEGORY_META:
            nicename = self._term_ids.get(to_int(item.meta.get(key)))
            if nicename:
                primary = next((c for c in categories if c[0] == nicename), None)
                break
        return primary or (categories[0] if categories else UNCATEGORIZED)

    def _section(self, item):
        nicename, name = self._primary_category(item)
        language = self.plan.language(item.wp_id)
        return self._section_for(nicename, html.unescape(name) or nicename, language)

    def _section_for(self, nicename, name, language=languages.DEFAULT):
        """The section in ``language`` (a story's section is in the story's language): a
        category used by posts of both languages becomes one section in each."""
        slug = _section_slug(nicename, name)
        section = self._sections.get((language, slug))
        if section is None:
            in_language = Section.objects.filter(language=language)
            section = (
                in_language.filter(slug=slug).first()
                or in_language.filter(name__iexact=name[:80]).first()
            )
            if section is None:
                # New sections stay out of the navigation until an editor puts them there:
                # a blog's dozens of categories would swamp the menu.
                section = Section.objects.create(
                    name=name[:80], slug=slug, language=language, in_navigation=False
                )
                self.report.sections["created"] += 1
            self._sections[(language, slug)] = section
            self.report.sections["used"] += 1
        return section

    def _tag_names(self, item):
        """Tag names: the post's tags, then its categories other than the section's."""
        section_slug = None
        if any(t[0] == "category" for t in item.terms):
            nicename, name = self._primary_category(item)
            section_slug = _section_slug(nicename, html.unescape(name) or nicename)
        names = []
        for domain, nicename, name in item.terms:
            if domain == "post_tag":
                names.append(name)
            elif domain == "category":
                slug = slugify(unquote(nicename))[:80]
                if slug != section_slug:
                    names.append(self._term_names.get(nicename, name))
        unique, seen = [], set()
        for raw in names:
            name = " ".join(html.unescape(raw).split())[:TAG_MAX]
            if not name or name.lower() in seen:
                continue
            seen.add(name.lower())
            unique.append(name)
        return unique

    def _term_slugs(self, item):
        """WordPress's slug of each of the post's tag names (lower-case name → slug)."""
        slugs = {}
        for domain, nicename, name in item.terms:
            if domain in {"post_tag", "category"} and nicename:
                key = " ".join(html.unescape(name).split())[:TAG_MAX].lower()
                slugs.setdefault(key, unquote(nicename).strip().lower())
        return slugs

    def _term_paths(self, item, section, tags):
        """The old tag and category addresses of the post's terms: ``{path: (tag, section)}``.

        ``/tag/<slug>/`` of each tag, ``/category/<slug>/`` (and with its parents,
        ``/category/<parent>/<slug>/``) of each category: to the section when the category
        became the story's section, else to the tag it became. On a bilingual site, a post
        not in the default language has Polylang's language prefix (``/fr/tag/…``).
        """
        language = self.plan.language(item.wp_id)
        prefix = f"/{language}" if self.plan.bilingual and language != self.plan.default else ""
        by_name = {tag.name.lower(): tag for tag in tags}
        section_nicename = self._primary_category(item)[0]
        paths = {}
        for domain, nicename, name in item.terms:
            nicename = unquote(nicename).strip().lower()
            if not nicename or "/" in nicename:
                continue
            tag = by_name.get(" ".join(html.unescape(name).split())[:TAG_MAX].lower())
            if domain == "post_tag" and tag is not None:
                paths[f"{prefix}/tag/{nicename}/"] = (tag, None)
            elif domain == "category":
                target = (None, section) if nicename == section_nicename.lower() else (tag, None)
                if target == (None, None):
                    continue
                for path in self._category_paths(nicename):
                    paths[f"{prefix}{path}"] = target
        return {path: target for path, target in paths.items() if len(path) <= 500}

    def _category_paths(self, nicename):
        """``/category/<slug>/`` and, for a child category, its path with its parents."""
        chain, current = [nicename], nicename
        for _depth in range(10):
            parent = self.channel.categories.get(current, ("", 0, ""))[2]
            if not parent or parent in chain:
                break
            chain.insert(0, unquote(parent).lower())
            current = parent
        paths = [f"/category/{nicename}/"]
        if len(chain) > 1:
            paths.append(f"/category/{'/'.join(chain)}/")
        return paths

    def _tag(self, name, wp_slug=""):
        key = name.lower()
        tag = self._tags.get(key)
        if tag is None:
            # Case-insensitive merge with tags already on the site ("Ukraine" = "ukraine"):
            # looked up for the whole batch by _prefetch, else here.
            if key in self._tag_rows:
                tag = self._tag_rows[key]
            else:
                tag = Tag.objects.filter(name__iexact=name).order_by("pk").first()
            if tag is None:
                # WordPress's slug, so that /tag/<slug>/ still finds it, when the tag page's
                # address takes it and no other tag has it; else taggit makes one.
                slug = wp_slug[:TAG_SLUG_MAX]
                if not _TAG_SLUG.fullmatch(slug) or Tag.objects.filter(slug=slug).exists():
                    slug = ""
                tag = Tag.objects.create(name=name, slug=slug) if slug else None
                tag = tag or Tag.objects.create(name=name)
                self.report.tags["created"] += 1
            self._tags[key] = tag
            self.report.tags["used"] += 1
        return tag

    def _author(self, login):
        author = self._authors.get(login)
        if author is None:
            known = (
                WordPressAuthor.objects.filter(site=self.site, login=login)
                .select_related("author")
                .first()
            )
            if known:
                author = known.author
            else:
                name = plain_text(self.channel.authors.get(login, login))[:120] or login[:120]
                base = slugify(name)[:110] or slugify(login)[:110] or "author"
                slug, n = base, 2
                while Author.objects.filter(slug=slug).exists():
                    slug, n = f"{base}-{n}", n + 1
                author = Author.objects.create(name=name, slug=slug)
                WordPressAuthor.objects.create(site=self.site, login=login, author=author)
                self.report.authors["created"] += 1
            self._authors[login] = author
            self.report.authors["used"] += 1
        return author

    def _old_path(self, item, status):
        """The old address of the post (its <link> path), which leads to the story from now
        on, or "" when it has none of its own (``?p=`` ids are answered from WordPressPost).

        Only a published story's addresses are counted as answering 301: a draft's stay
        404 until it is published (``wordpress.redirects``).
        """
        parts = urlsplit(item.link.strip())
        path = unquote(parts.path)
        live = status == Article.Status.PUBLISHED
        if live:
            self.report.redirects[_("old ?p= post ids")] += 1
        if not path or path == "/" or "p=" in parts.query or len(path) > 500:
            return ""
        if live:
            self.report.redirects[_("old post addresses")] += 1
        return path


def _section_slug(nicename, name):
    return slugify(unquote(nicename))[:80] or slugify(name)[:80] or "section"


def plain_text(text):
    """Text without HTML tags or entities, whitespace collapsed."""
    text = text or ""
    if "<" not in text and "&" not in text:
        # Most titles and excerpts: the sanitiser would only collapse the whitespace (two
        # sanitiser passes saved per post).
        return " ".join(text.split())
    return html_to_text(text)


def to_int(value):
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return 0
