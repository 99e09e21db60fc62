"""Mapping a WordPress export onto stories, and the report of what happened.

Two passes over the file, both streamed:

1. **Check**: the whole file is parsed once before anything is written. A file that is
   not XML, is cut short or is not a WordPress export is refused here, so nothing is
   imported from it. The pass also collects what posts refer to but may come after
   them in the file: the attachments (featured images), authors and categories.
2. **Import**: each post becomes a story in its own transaction, so a failure leaves no
   half-imported story and an interrupted run resumes where it stopped (posts already
   imported and unchanged are skipped by their remembered WordPress id and digest).

``--dry-run`` runs the same code inside one transaction that is rolled back at the end,
and copies no files: the report is the one a real run would print.
"""

import hashlib
import html
import json
import re
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from taggit.models import Tag

from articles.images import validate_image_upload
from articles.models import (
    Article,
    Author,
    Byline,
    Photo,
    Section,
    SlugRedirect,
    TaggedArticle,
)
from articles.sanitize import html_to_text
from ratings.models import set_imported_totals

from . import content as wp_content
from .models import LegacyAddress, WordPressAttachment, WordPressAuthor, WordPressPost
from .phpdata import PHPDataError, unserialize
from .report import Report
from .wxr import Channel, WXRError, parse_wp_date, read

# Posts read ahead to look up together what they share (remembered ids, slugs taken).
CHUNK_SIZE = 200
# Bumped when the mapping changes, so the next run re-imports posts it had skipped.
MAPPING_VERSION = 1

HEADLINE_MAX = Article._meta.get_field("headline").max_length
STANDFIRST_MAX = 400
TAG_MAX = Tag._meta.get_field("name").max_length
UNCATEGORIZED = ("uncategorized", "Uncategorized")
PRIMARY_CATEGORY_META = ("_yoast_wpseo_primary_category", "rank_math_primary_category")
# "… on Tuesday. (THE CANADIAN PRESS/Jane Doe)": a wire credit at the end of a caption.
TRAILING_CREDIT = re.compile(r"\s*\(([^()]*?(?:/|\bPRESS\b|\bPHOTO\b)[^()]*)\)\s*\.?\s*$")
_IMG_SRC = re.compile(r"""(<img\b[^>]*?\ssrc=)(["'])(.*?)\2[^>]*>""", re.I | re.S)
_EMPTY_FIGURE = re.compile(r"<figure>\s*</figure>", re.I)

STATUS_MAP = {
    "publish": Article.Status.PUBLISHED,
    "future": Article.Status.SCHEDULED,
    "draft": Article.Status.DRAFT,
    "pending": Article.Status.IN_REVIEW,
    "private": Article.Status.UNPUBLISHED,
    "trash": Article.Status.UNPUBLISHED,
}


@dataclass
class Attachment:
    """What a post needs of its featured image's attachment item (kept from the check pass)."""

    wp_id: int
    file: str
    url: str
    caption: str
    alt: str
    credit: str
    parent: int = 0

    def digest_parts(self):
        return [self.file, self.caption, self.alt, self.credit]


def run(path, *, media_dir=None, dry_run=False, progress=None):
    """Import the export at ``path``; return the :class:`Report`.

    Raises ``WXRError`` (one sentence) before writing anything when the file is not a
    complete WordPress export. ``progress(done, total)`` is called as posts go by.
    """
    channel, attachments, total_posts, skipped = check(path)
    importer = Importer(channel, attachments, media_dir=media_dir, dry_run=dry_run)
    importer.report.total_posts = total_posts
    importer.report.skipped.update(skipped)
    if dry_run:
        with transaction.atomic():
            importer.import_posts(path, progress)
            transaction.set_rollback(True)
    else:
        with _commits_without_waiting_for_disk():
            importer.import_posts(path, progress)
    return importer.report


@contextmanager
def _commits_without_waiting_for_disk():
    """On PostgreSQL, one post's commit does not wait for its WAL to reach the disk.

    Each post is its own transaction, and waiting for the disk at every one of 50,000
    commits was most of the import's time on a busy machine. A crash can lose at most the
    last fraction of a second of commits (never half a post: each stays atomic), and
    running the import again re-imports exactly those posts.
    """
    postgres = connection.vendor == "postgresql"
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        if postgres:
            with connection.cursor() as cursor:
                cursor.execute("SET synchronous_commit TO DEFAULT")


def check(path):
    """The first pass: validate the whole file and collect what posts refer to.

    Returns ``(channel, attachments by id, number of posts, skipped items by reason)``.
    """
    channel, attachments, skipped, posts = Channel(), {}, Counter(), 0
    for item in read(path, channel, full={"attachment"}):
        if item.post_type == "post":
            posts += 1
            continue
        if item.post_type == "attachment":
            attachments[item.wp_id] = _attachment(item)
        skipped[_skip_reason(item)] += 1
    return channel, attachments, posts, skipped


def _skip_reason(item):
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


def _attachment(item):
    meta = item.meta
    credit = ""
    raw = meta.get("_wp_attachment_metadata", "")
    if raw:
        try:
            data = unserialize(raw)
        except PHPDataError:
            data = None
        if isinstance(data, dict) and isinstance(data.get("image_meta"), dict):
            credit = str(data["image_meta"].get("credit") or "").strip()
    return Attachment(
        wp_id=item.wp_id,
        file=meta.get("_wp_attached_file", "").strip(),
        url=item.attachment_url.strip(),
        caption=_plain(item.excerpt),
        alt=_plain(meta.get("_wp_attachment_image_alt", "")),
        credit=_plain(credit),
        parent=item.parent,
    )


def _plain(text):
    """Text without HTML tags or entities, whitespace collapsed."""
    return html_to_text(text or "")


class Importer:
    def __init__(self, channel, attachments, *, media_dir=None, dry_run=False):
        self.channel = channel
        self.site = channel.site
        self.attachments = attachments
        self.media_dir = Path(media_dir).resolve() if media_dir else None
        self.dry_run = dry_run
        self.report = Report(dry_run=dry_run)
        # Caches of rows looked up or created during this run (valid in a dry run too:
        # it is one transaction).
        self._authors = {}
        self._sections = {}
        self._tags = {}
        self._photos = {}
        self._copied = {}
        self._known, self._taken, self._checked, self._done = {}, set(), set(), 0
        self._children = {}  # post id → its attached images, for [gallery] without ids
        for found in attachments.values():
            if found.parent and _is_image(found.url or found.file):
                self._children.setdefault(found.parent, []).append(found)
        self._term_names = {nicename: name for nicename, (name, _, _) in channel.categories.items()}
        self._term_ids = {
            term_id: nicename for nicename, (_, term_id, _) in channel.categories.items()
        }

    # --- the run ------------------------------------------------------------------------

    def import_posts(self, path, progress=None):
        chunk = []
        for item in read(path, full={"post"}):
            if item.post_type != "post":
                continue
            chunk.append(item)
            if len(chunk) == CHUNK_SIZE:
                self._import_chunk(chunk, progress)
                chunk = []
        if chunk:
            self._import_chunk(chunk, progress)

    def _import_chunk(self, items, progress):
        """Import posts one transaction each, with what they share looked up together."""
        self._prefetch(items)
        for item in items:
            if item.status in {"auto-draft", "inherit"}:
                self.report.skipped[_("automatic drafts")] += 1
            else:
                try:
                    with transaction.atomic():
                        self.import_post(item)
                except Exception as exc:  # one bad post must not stop the other 49,999
                    self.report.posts["refused"] += 1
                    self.report.refuse(item, f"{type(exc).__name__}: {exc}"[:200])
                    self._forget_cached_rows()
            self._done += 1
            if progress:
                progress(self._done, self.report.total_posts)

    def _prefetch(self, items):
        """The chunk's remembered posts and the slugs already taken, in three queries."""
        ids = [item.wp_id for item in items]
        self._known = {
            known.wp_id: known
            for known in WordPressPost.objects.filter(site=self.site, wp_id__in=ids).select_related(
                "article"
            )
        }
        bases = {self._slug_base(item) for item in items if item.wp_id not in self._known}
        self._taken = set(Article.objects.filter(slug__in=bases).values_list("slug", flat=True))
        self._taken |= set(
            SlugRedirect.objects.filter(old_slug__in=bases).values_list("old_slug", flat=True)
        )
        self._checked = bases

    def _forget_cached_rows(self):
        # Rows created in a rolled-back transaction are gone: look everything up again.
        self._authors.clear()
        self._sections.clear()
        self._tags.clear()
        self._photos.clear()

    def import_post(self, item):
        report = self.report
        attachment = self.attachments.get(_to_int(item.meta.get("_thumbnail_id")))
        digest = self._digest(item, attachment)
        known = self._known.get(item.wp_id)
        if known and known.source_digest == digest:
            report.posts["unchanged"] += 1
            self._count_outcome(item, known.article)
            return
        if known and known.article.version != known.imported_version:
            # Someone edited the story here since it was imported: their work wins.
            report.posts["kept"] += 1
            return

        article = known.article if known else Article()
        status, publish_at = self._status(item)
        headline = _plain(item.title)[:HEADLINE_MAX].strip()
        if not headline:
            headline = _("Untitled WordPress post %(id)s") % {"id": item.wp_id}
            report.notes[_("empty titles given a placeholder headline")] += 1
        article.headline = headline
        article.standfirst = _plain(item.excerpt)[:STANDFIRST_MAX]
        article.body = self._body(item)
        article.status = status
        article.publish_at = publish_at
        article.section = self._section(item)
        if not article.pk:
            article.slug = self._free_slug(item, headline)
        if attachment is not None:
            article.lead_photo = self._photo(attachment)
        else:
            report.photos[_("posts without a featured image")] += 1
            article.lead_photo = None
        # Model.save() without Article.save(): the same derived fields, but no
        # per-story after-commit work (search vector, page cache, related lists). For tens
        # of thousands of stories that work is done once at the end (derived.after_import).
        article.derive_fields()
        if article.pk:
            article.version += 1
        models.Model.save(article)

        self._byline(article, item, new=not known)
        self._set_tags(article, self._tag_objects(item), new=not known)
        self._addresses(article, item)
        self._ratings(article, item, new=not known)

        if known:
            known.source_digest, known.imported_version = digest, article.version
            known.derived_pending = True
            known.save(
                update_fields=[
                    "source_digest",
                    "imported_version",
                    "imported_at",
                    "derived_pending",
                ]
            )
        else:
            WordPressPost.objects.create(
                site=self.site,
                wp_id=item.wp_id,
                article=article,
                source_digest=digest,
                imported_version=article.version,
            )
        report.posts["updated" if known else "created"] += 1
        self._count_outcome(item, article)

    def _count_outcome(self, item, article):
        wp_status = item.status + (" (password)" if item.password else "")
        self.report.statuses[(wp_status, article.get_status_display())] += 1

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
        return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()

    # --- fields -------------------------------------------------------------------------

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

    def _body(self, item):
        body = wp_content.to_html(
            item.content,
            shortcodes_seen=self.report.shortcodes,
            gallery=lambda attributes: self._gallery(item, attributes),
        )
        if "<img" in body:
            body = _EMPTY_FIGURE.sub("", _IMG_SRC.sub(self._local_image, body))
        return body

    def _gallery(self, item, attributes):
        """A [gallery]'s images as figures: its ``ids``, else the images attached to the post."""
        ids = [_to_int(i) for i in re.split(r"[,\s]+", attributes.get("ids", "")) if i]
        images = [self.attachments[i] for i in ids if i in self.attachments]
        if not ids:
            images = self._children.get(item.wp_id, [])
        figures = []
        for image in images:
            caption = (
                f"<figcaption>{html.escape(image.caption)}</figcaption>" if image.caption else ""
            )
            figures.append(
                f'<figure><img src="{html.escape(image.url)}" alt="{html.escape(image.alt)}">'
                f"{caption}</figure>"
            )
        if figures:
            self.report.notes[_("galleries turned into figures")] += 1
        return "\n".join(figures)

    def _local_image(self, match):
        """Copy an inline image from the uploads folder into our media; point at the copy."""
        src = html.unescape(match.group(3))
        found = self._find_upload(_uploads_path(src)) if self.media_dir else None
        if found is None:
            self.report.inline_images[_("inline images not found (left out)")] += 1
            return ""
        name = self._copied.get(found)
        if name is None:
            relative = found.relative_to(self.media_dir).as_posix()
            name = f"wordpress/{relative}"
            if not self.dry_run and not default_storage.exists(name):
                with found.open("rb") as source:
                    name = default_storage.save(name, File(source))
            self._copied[found] = name
        self.report.inline_images[_("inline images copied")] += 1
        url = settings.MEDIA_URL + name if self.dry_run else default_storage.url(name)
        tag = match.group(0)
        return tag.replace(
            match.group(2) + match.group(3) + match.group(2), f'"{html.escape(url)}"', 1
        )

    def _find_upload(self, relative):
        """The file under ``--media-dir`` for an uploads path, or None.

        Multisite addresses carry ``sites/2/`` before the year: shorter and shorter tails
        of the path are tried, and nothing outside the folder is ever read.
        """
        if not relative:
            return None
        parts = [p for p in PurePosixPath(relative).parts if p not in {"", ".", "..", "/"}]
        for start in range(len(parts)):
            candidate = self.media_dir.joinpath(*parts[start:]).resolve()
            if candidate.is_file() and candidate.is_relative_to(self.media_dir):
                return candidate
        return None

    def _slug_base(self, item):
        base = slugify(unquote(item.post_name))[:180].strip("-")
        return base or slugify(_plain(item.title))[:180].strip("-") or "story"

    def _free_slug(self, item, headline):
        """The post's WordPress slug if it is free here, else the slug with a number."""
        base = self._slug_base(item)
        if base in self._checked and base not in self._taken:
            self._taken.add(base)
            return base
        slug, n = base, 2
        while (
            slug in self._taken
            or Article.objects.filter(slug=slug).exists()
            or SlugRedirect.objects.filter(old_slug=slug).exists()
        ):
            slug, n = f"{base}-{n}", n + 1
        self._taken.add(slug)
        return slug

    def _section(self, item):
        categories = [(nice, name) for domain, nice, name in item.terms if domain == "category"]
        primary = None
        for key in PRIMARY_CATEGORY_META:
            nicename = self._term_ids.get(_to_int(item.meta.get(key)))
            if nicename:
                primary = next((c for c in categories if c[0] == nicename), None)
                break
        nicename, name = primary or (categories[0] if categories else UNCATEGORIZED)
        return self._section_for(nicename, html.unescape(name) or nicename)

    def _section_for(self, nicename, name):
        slug = slugify(unquote(nicename))[:80] or slugify(name)[:80] or "section"
        section = self._sections.get(slug)
        if section is None:
            section = (
                Section.objects.filter(slug=slug).first()
                or Section.objects.filter(name__iexact=name[:80]).first()
            )
            if section is None:
                # New sections stay out of the navigation until an editor puts them there:
                # a blog's dozens of categories would swamp the menu.
                section = Section.objects.create(name=name[:80], slug=slug, in_navigation=False)
                self.report.sections["created"] += 1
            self._sections[slug] = section
            self.report.sections["used"] += 1
        return section

    def _tag_objects(self, item):
        """Tags: the post's tags, then its categories other than the section's."""
        section_slug = None
        categories = [t for t in item.terms if t[0] == "category"]
        if categories:
            section_slug = self._section(item).slug
        names = []
        for domain, nicename, name in item.terms:
            if domain == "post_tag":
                names.append(name)
            elif domain == "category":
                slug = slugify(unquote(nicename))[:80]
                if slug != section_slug:
                    names.append(self._term_names.get(nicename, name))
        tags, seen = [], set()
        for raw in names:
            name = " ".join(html.unescape(raw).split())[:TAG_MAX]
            if not name or name.lower() in seen:
                continue
            seen.add(name.lower())
            tags.append(self._tag(name))
        return tags

    @staticmethod
    def _set_tags(article, tags, new):
        """The story's tags become ``tags`` (rows written directly: no per-story signals)."""
        wanted = {tag.pk for tag in tags}
        current = set()
        if not new:
            current = set(
                TaggedArticle.objects.filter(content_object=article).values_list(
                    "tag_id", flat=True
                )
            )
        if current - wanted:
            TaggedArticle.objects.filter(
                content_object=article, tag_id__in=current - wanted
            ).delete()
        TaggedArticle.objects.bulk_create(
            [TaggedArticle(content_object=article, tag_id=pk) for pk in wanted - current]
        )

    def _tag(self, name):
        key = name.lower()
        tag = self._tags.get(key)
        if tag is None:
            # Case-insensitive merge with tags already on the site ("Ukraine" = "ukraine").
            tag = Tag.objects.filter(name__iexact=name).order_by("pk").first()
            if tag is None:
                tag = Tag.objects.create(name=name)
                self.report.tags["created"] += 1
            self._tags[key] = tag
            self.report.tags["used"] += 1
        return tag

    def _byline(self, article, item, new):
        login = item.creator.strip()
        if not login:
            if not new:
                Byline.objects.filter(article=article).delete()
            return
        author = self._author(login)
        if new:
            Byline.objects.create(article=article, author=author, position=0)
        elif Byline.objects.filter(article=article).exclude(author=author).delete()[0] or not (
            Byline.objects.filter(article=article, author=author).exists()
        ):
            Byline.objects.create(article=article, author=author, position=0)

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
                name = _plain(self.channel.authors.get(login, login))[:120] or login[:120]
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

    def _addresses(self, article, item):
        """The old address of the post (its <link> path) leads to the story from now on."""
        parts = urlsplit(item.link.strip())
        path = unquote(parts.path)
        self.report.redirects[_("old ?p= post ids")] += 1
        if not path or path == "/" or "p=" in parts.query or len(path) > 500:
            return
        # One statement: insert, or point an address already known at this story.
        LegacyAddress.objects.bulk_create(
            [LegacyAddress(path=path, article=article)],
            update_conflicts=True,
            unique_fields=["path"],
            update_fields=["article"],
        )
        self.report.redirects[_("old post addresses")] += 1

    def _ratings(self, article, item, new):
        """Rate My Post's totals become the story's imported rating totals."""
        count = _to_int(item.meta.get("rmp_vote_count"))
        total = _to_int(item.meta.get("rmp_rating_val_sum"))
        if not count and not total and "rmp_vote_count" not in item.meta:
            return
        try:
            set_imported_totals(article.pk, count, total, new_story=new)
        except ValueError as exc:
            self.report.ratings[_("stories whose ratings were refused")] += 1
            self.report.refuse(item, _("Rate My Post totals refused: %(why)s") % {"why": exc})
            return
        if count:
            self.report.ratings[_("stories with imported ratings")] += 1
            self.report.ratings[_("imported votes")] += count

    # --- photos -------------------------------------------------------------------------

    def _photo(self, attachment):
        """The lead photo for a featured image: found under --media-dir, or None (reported)."""
        report = self.report
        if attachment.wp_id in self._photos:  # the same image as an earlier post's
            photo, outcome = self._photos[attachment.wp_id]
            report.photos[outcome] += 1
            return photo
        caption, credit = attachment.caption, attachment.credit
        if not credit:
            found = TRAILING_CREDIT.search(caption)
            if found:
                caption, credit = caption[: found.start()].strip(), found.group(1).strip()
        digest = hashlib.sha256(json.dumps(attachment.digest_parts()).encode()).hexdigest()
        known = (
            WordPressAttachment.objects.filter(site=self.site, wp_id=attachment.wp_id)
            .select_related("photo")
            .first()
        )
        photo, outcome = None, _("found")
        if known and known.source_digest == digest:
            photo = known.photo
        elif self.media_dir is None:
            outcome = _("missing: no --media-dir given")
        else:
            source = self._find_upload(attachment.file or _uploads_path(attachment.url))
            if source is None:
                outcome = _("missing: file not in --media-dir")
            elif self.dry_run:
                photo = Photo(caption=caption)  # stands in for the photo a real run stores
            else:
                try:
                    photo = store_photo(source, caption=caption, credit=credit, alt=attachment.alt)
                except ValidationError:
                    outcome = _("missing: not a JPEG, PNG or WebP within the limits")
                if photo is not None:
                    WordPressAttachment.objects.update_or_create(
                        site=self.site,
                        wp_id=attachment.wp_id,
                        defaults={"photo": photo, "source_digest": digest},
                    )
        if photo is not None and photo.pk is None:  # dry run: found, nothing stored
            photo = None
        report.photos[outcome] += 1
        self._photos[attachment.wp_id] = (photo, outcome)
        return photo


def store_photo(source, *, caption, credit, alt):
    """A new Photo from a file of the old uploads folder, the ordinary Django way.

    ``photo.image.save()`` stores the file under a random name with its real format's
    extension and measures it; the renditions are the worker's job (queued once the post's
    transaction commits, and again by ``derived.after_import``; duplicates coalesce).
    """
    with source.open("rb") as handle:
        upload = File(handle, name=source.name)
        validate_image_upload(upload)
        handle.seek(0)
        photo = Photo(caption=caption, credit=credit[:200], alt_text=alt[:300])
        photo.image.save(source.name, upload)
    return photo


def _uploads_path(url):
    """The part of an image address after ``/uploads/`` (or ``files.wordpress.com/``)."""
    path = unquote(urlsplit(url.strip()).path)
    for marker in ("/wp-content/uploads/", "/uploads/", "/files/"):
        if marker in path:
            return path.split(marker, 1)[1]
    return path.lstrip("/")  # files.wordpress.com/2008/06/x.jpg


def _is_image(name):
    return name.lower().rsplit(".", 1)[-1] in {"jpg", "jpeg", "png", "gif", "webp"}


def _to_int(value):
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return 0


__all__ = ["WXRError", "Report", "run", "check", "store_photo"]
