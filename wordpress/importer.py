"""Mapping a WordPress export onto stories, and the report of what happened.

Two passes over the file, both streamed:

1. **Check**: the whole file is parsed once before anything is written. A file that is
   not XML, is cut short or is not a WordPress export is refused here, so nothing is
   imported from it. The pass also collects what posts refer to but may come after
   them in the file: the attachments (featured images), authors and categories.
2. **Import**: posts are written in batches of ``BATCH_SIZE``, one transaction per batch
   with a fixed number of statements (bulk inserts), so a failure leaves no half-imported
   story and an interrupted run resumes where it stopped (posts already imported and
   unchanged are skipped by their remembered WordPress id and digest). When a post of a
   batch fails, the batch is rolled back and imported again one post per transaction, so
   only that post is refused.

``--dry-run`` runs the same code inside one transaction that is rolled back at the end,
and copies no files: the report is the one a real run would print.
"""

import hashlib
import html
import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from taggit.models import Tag

from articles.images import EXTENSIONS, delete_files, identify, validate_image_upload
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
from articles.search import update_search_vectors
from ratings.models import check_imported_totals, create_imported_totals, set_imported_totals

from . import content as wp_content
from .models import LegacyAddress, WordPressAttachment, WordPressAuthor, WordPressPost
from .phpdata import PHPDataError, unserialize
from .report import Report
from .wxr import Channel, WXRError, parse_wp_date, read

# Posts written per transaction, with what they share looked up together (remembered ids,
# slugs taken, tags). Larger batches gain little more; smaller ones pay a commit and a dozen
# statements more often.
BATCH_SIZE = 250
# Bumped when the mapping changes, so the next run re-imports posts it had skipped.
# 2: inline images pass the photo checks (bodies imported before are rewritten).
MAPPING_VERSION = 2

HEADLINE_MAX = Article._meta.get_field("headline").max_length
STANDFIRST_MAX = 400
TAG_MAX = Tag._meta.get_field("name").max_length
UNCATEGORIZED = ("uncategorized", "Uncategorized")
PRIMARY_CATEGORY_META = ("_yoast_wpseo_primary_category", "rank_math_primary_category")
# "… on Tuesday. (THE CANADIAN PRESS/Jane Doe)": a wire credit at the end of a caption.
# Found without a pattern anchored at the end: "\s*\.?\s*$" is quadratic on a long run
# of spaces, and a lazy "[^()]*?" before alternatives on a long parenthesis.
_CREDIT_SIGN = re.compile(r"/|\bPRESS\b|\bPHOTO\b")
# Every <img> of a body is rewritten (or removed): none may keep an address we did not check.
# "[^<>]*" stops at the next tag, so a body of unclosed "<img " is read in linear time.
_IMG_TAG = re.compile(r"<img\b[^<>]*>", re.I)
_IMG_ATTR = re.compile(r"""\s([a-z]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.I)
_EMPTY_FIGURE = re.compile(r"<figure>\s*</figure>", re.I)

# What an import may change in a story it imported before.
UPDATED_FIELDS = [
    "headline",
    "standfirst",
    "body",
    "excerpt",
    "word_count",
    "status",
    "publish_at",
    "section",
    "lead_photo",
    "version",
    "updated_at",
]

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


def run(path, *, media_dir=None, dry_run=False, progress=None, batch_size=None):
    """Import the export at ``path``; return the :class:`Report`.

    Raises ``WXRError`` (one sentence) before writing anything when the file is not a
    complete WordPress export. ``progress(done, total)`` is called as posts go by.
    ``batch_size`` posts are written per transaction (default ``BATCH_SIZE``).
    """
    channel, attachments, total_posts, skipped = check(path)
    importer = Importer(
        channel, attachments, media_dir=media_dir, dry_run=dry_run, batch_size=batch_size
    )
    importer.report.total_posts = total_posts
    importer.report.skipped.update(skipped)
    if dry_run:
        with transaction.atomic():
            importer.import_posts(path, progress)
            transaction.set_rollback(True)
    else:
        importer.import_posts(path, progress)
    return importer.report


def check(path):
    """The first pass: validate the whole file and collect what posts refer to.

    Returns ``(channel, attachments by id, number of posts, skipped items by reason)``.
    """
    channel, attachments, skipped, posts = Channel(), {}, Counter(), 0
    for item in read(path, channel, full={"attachment"}):
        if item.post_type == "post":
            posts += 1
            continue
        if item.post_type == "attachment" and item.wp_id:  # no id: nothing can refer to it
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
    text = text or ""
    if "<" not in text and "&" not in text:
        # Most titles and excerpts: the sanitiser would only collapse the whitespace (two
        # sanitiser passes saved per post).
        return " ".join(text.split())
    return html_to_text(text)


@dataclass
class _Write:
    """One post's story, ready to be written together with the rest of its batch."""

    item: object
    article: Article
    known: object  # its WordPressPost when imported before, else None
    digest: str
    author: object  # the byline's Author, or None
    tags: list
    address: str  # the old path that redirects to it, or ""
    ratings: tuple | None  # Rate My Post's (count, total), when the post has them


class Importer:
    def __init__(self, channel, attachments, *, media_dir=None, dry_run=False, batch_size=None):
        self.channel = channel
        self.site = channel.site
        self.attachments = attachments
        self.media_dir = Path(media_dir).resolve() if media_dir else None
        self.dry_run = dry_run
        self.batch_size = batch_size or BATCH_SIZE
        self.report = Report(dry_run=dry_run)
        # Caches of rows looked up or created during this run (valid in a dry run too:
        # it is one transaction). Emptied when a batch is rolled back.
        self._authors = {}
        self._sections = {}
        self._tags = {}
        self._photos = {}
        self._copied = {}
        # Looked up for the batch being written (see _prefetch).
        self._known, self._taken, self._checked = {}, set(), set()
        self._tag_rows, self._known_attachments = {}, {}
        # Written with the batch: photos whose files are stored, their attachment rows.
        self._new_photos, self._new_attachments, self._stored = [], {}, []
        self._done = 0
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
        batch = []
        for item in read(path, full={"post"}):
            if item.post_type != "post":
                continue
            batch.append(item)
            if len(batch) == self.batch_size:
                self._import_batch(batch)
                batch = []
                self._show(progress)
        if batch:
            self._import_batch(batch)
            self._show(progress)

    def _show(self, progress):
        if progress:
            progress(self._done, self.report.total_posts)

    def _import_batch(self, items):
        """The batch's posts in one transaction; if any of them fails, one post at a time.

        One transaction and a dozen statements per batch, instead of one transaction and
        eight or more statements per post, is what brings a 50,000-post archive within
        minutes. A post that fails rolls its whole batch back; the batch is then imported
        again post by post, each in its own transaction, so only the bad post is refused and
        none is half-imported.
        """
        checkpoint = self.report.checkpoint()
        try:
            with transaction.atomic():
                self._write_batch(items)
        except Exception:
            self.report.restore(checkpoint)
            self._rolled_back()
            for item in items:
                self._import_alone(item)
        self._done += len(items)

    def _import_alone(self, item):
        checkpoint = self.report.checkpoint()
        try:
            with transaction.atomic():
                self._write_batch([item])
        except Exception as exc:  # one bad post must not stop the other 49,999
            self.report.restore(checkpoint)
            self._rolled_back()
            self.report.posts["refused"] += 1
            self.report.refuse(item, f"{type(exc).__name__}: {exc}"[:200])

    def _rolled_back(self):
        """Rows created in a rolled-back transaction are gone: look everything up again, and
        remove the photo files stored for them (nothing names them any more)."""
        self._authors.clear()
        self._sections.clear()
        self._tags.clear()
        self._photos.clear()
        self._copied.clear()  # so that files refused are listed again when posts are retried
        delete_files(self._stored)
        self._stored = []

    def _write_batch(self, items):
        """Map the posts to stories, then write them all with a fixed number of statements."""
        self._new_photos, self._new_attachments, self._stored = [], {}, []
        self._prefetch(items)
        writes = []
        for item in items:
            if item.status in {"auto-draft", "inherit"}:
                self.report.skipped[_("automatic drafts")] += 1
                continue
            if not item.wp_id:
                # Posts are remembered by their id: without a real one, every such post
                # would overwrite the last.
                self.report.posts["refused"] += 1
                self.report.refuse(
                    item,
                    _("its post id “%(id)s” is not a WordPress id (a whole number from 1)")
                    % {"id": (item.raw_id or "").strip()[:30]},
                )
                continue
            if item.terms_dropped:
                self.report.notes[
                    _("posts with over 1,000 categories and tags (the rest left out)")
                ] += 1
            write = self._prepare(item)
            if write is not None:
                writes.append(write)
        if writes:
            self._write(writes)

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
        bases = {self._slug_base(item) for item in items if item.wp_id not in self._known}
        self._taken = set(Article.objects.filter(slug__in=bases).values_list("slug", flat=True))
        self._taken |= set(
            SlugRedirect.objects.filter(old_slug__in=bases).values_list("old_slug", flat=True)
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
        thumbnails = {_to_int(item.meta.get("_thumbnail_id")) for item in items}
        wanted = [i for i in thumbnails if i in self.attachments and i not in self._photos]
        self._known_attachments = {}
        if wanted:
            self._known_attachments = {
                known.wp_id: known
                for known in WordPressAttachment.objects.filter(
                    site=self.site, wp_id__in=wanted
                ).select_related("photo")
            }

    def _prepare(self, item):
        """The post's story with every field set, or None when there is nothing to write."""
        report = self.report
        attachment = self.attachments.get(_to_int(item.meta.get("_thumbnail_id")))
        digest = self._digest(item, attachment)
        known = self._known.get(item.wp_id)
        if known and known.source_digest == digest:
            report.posts["unchanged"] += 1
            self._count_outcome(item, known.article)
            return None
        if known and known.article.version != known.imported_version:
            # Someone edited the story here since it was imported: their work wins.
            report.posts["kept"] += 1
            return None

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
        if known:
            article.version += 1
            article.updated_at = timezone.now()  # bulk_update leaves auto_now fields alone
        else:
            article.slug = self._free_slug(item, headline)
        if attachment is not None:
            article.lead_photo = self._photo(attachment)
        else:
            report.photos[_("posts without a featured image")] += 1
            article.lead_photo = None
        # What Article.save() derives (clean body, excerpt, word count), without its
        # per-story after-commit work (search vector, page cache, related lists): the
        # batch's search vectors are written with it, the rest is done once at the end
        # (derived.after_import).
        article.derive_fields()
        report.posts["updated" if known else "created"] += 1
        self._count_outcome(item, article)
        login = item.creator.strip()
        return _Write(
            item=item,
            article=article,
            known=known,
            digest=digest,
            author=self._author(login) if login else None,
            tags=[self._tag(name) for name in self._tag_names(item)],
            address=self._old_path(item),
            ratings=self._ratings(item),
        )

    def _write(self, writes):
        """The batch's rows, a few statements per kind of row whatever the batch's size."""
        new = [w for w in writes if w.known is None]
        old = [w for w in writes if w.known is not None]
        old_ids = [w.article.pk for w in old]
        Photo.objects.bulk_create(self._new_photos)
        Article.objects.bulk_create([w.article for w in new])
        if old:
            Article.objects.bulk_update([w.article for w in old], UPDATED_FIELDS)
            # The bylines and tags of updated stories are written again, like new ones.
            Byline.objects.filter(article_id__in=old_ids).delete()
            TaggedArticle.objects.filter(content_object_id__in=old_ids).delete()
        Byline.objects.bulk_create(
            [
                Byline(article_id=w.article.pk, author_id=w.author.pk, position=0)
                for w in writes
                if w.author
            ]
        )
        TaggedArticle.objects.bulk_create(
            [
                TaggedArticle(content_object_id=w.article.pk, tag_id=tag.pk)
                for w in writes
                for tag in w.tags
            ]
        )
        # One statement: insert, or point an address already known at its new story (the
        # last post with an address wins, as it would one post at a time).
        addresses = {w.address: w.article.pk for w in writes if w.address}
        LegacyAddress.objects.bulk_create(
            [LegacyAddress(path=path, article_id=pk) for path, pk in addresses.items()],
            update_conflicts=True,
            unique_fields=["path"],
            update_fields=["article"],
        )
        create_imported_totals({w.article.pk: w.ratings for w in new if w.ratings})
        for w in old:
            if w.ratings:
                set_imported_totals(w.article.pk, *w.ratings)
        WordPressAttachment.objects.bulk_create(
            self._new_attachments.values(),
            update_conflicts=True,
            unique_fields=["site", "wp_id"],
            update_fields=["photo", "source_digest"],
        )
        WordPressPost.objects.bulk_create(
            [
                WordPressPost(
                    site=self.site,
                    wp_id=w.item.wp_id,
                    article=w.article,
                    source_digest=w.digest,
                    imported_version=w.article.version,
                )
                for w in new
            ]
        )
        if old:
            now = timezone.now()
            for w in old:
                w.known.source_digest, w.known.imported_version = w.digest, w.article.version
                w.known.derived_pending, w.known.imported_at = True, now
            WordPressPost.objects.bulk_update(
                [w.known for w in old],
                ["source_digest", "imported_version", "derived_pending", "imported_at"],
            )
        # Search finds the stories as soon as the batch commits (one UPDATE on PostgreSQL).
        update_search_vectors([w.article.pk for w in writes])

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
        if "<img" in body.lower():
            body = _IMG_TAG.sub(lambda match: self._local_image(item, match.group(0)), body)
            body = _EMPTY_FIGURE.sub("", body)
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

    def _local_image(self, item, tag):
        """An inline image copied from the uploads folder into our media, checked as any
        upload is; the tag rewritten to point at the copy, or "" when there is none."""
        attributes = {}
        for found in _IMG_ATTR.finditer(tag):
            value = found.group(2) if found.group(2) is not None else found.group(3)
            value = value if value is not None else found.group(4)
            attributes.setdefault(found.group(1).lower(), html.unescape(value))
        src = attributes.get("src", "")
        found = self._find_upload(_uploads_path(src)) if self.media_dir and src else None
        if found is None:
            self.report.inline_images[_("inline images not found (left out)")] += 1
            return ""
        name = self._copied.get(found)
        if name is None:
            name = self._copy_checked(item, found)
            self._copied[found] = name
        if not name:
            self.report.inline_images[
                _("inline images refused by the photo checks (left out)")
            ] += 1
            return ""
        self.report.inline_images[_("inline images copied")] += 1
        url = settings.MEDIA_URL + name if self.dry_run else default_storage.url(name)
        kept = "".join(
            f' {key}="{html.escape(attributes[key])}"'
            for key in ("alt", "width", "height")
            if key in attributes and (key == "alt" or attributes[key].isdigit())
        )
        return f'<img src="{html.escape(url)}"{kept}>'

    def _copy_checked(self, item, found):
        """Store a file of the uploads folder if it passes the checks every photo upload
        passes (a real JPEG, PNG or WebP within the size and pixel limits, that decodes),
        under a name ending with its real format's extension. Returns the stored name, or
        "" when the file is refused (then listed in the report, and never stored)."""
        relative = found.relative_to(self.media_dir)
        with found.open("rb") as handle:
            upload = File(handle, name=found.name)
            try:
                validate_image_upload(upload)
                image_format, _size = identify(upload)
            except ValidationError as exc:
                self.report.refuse_file(item, relative.as_posix(), " ".join(exc.messages))
                return ""
            name = f"wordpress/{_checked_name(relative, image_format)}"
            if not self.dry_run and not default_storage.exists(name):
                handle.seek(0)
                name = default_storage.save(name, File(handle, name=PurePosixPath(name).name))
        return name

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

    def _primary_category(self, item):
        """The (nicename, name) of the category that becomes the story's section."""
        categories = [(nice, name) for domain, nice, name in item.terms if domain == "category"]
        primary = None
        for key in PRIMARY_CATEGORY_META:
            nicename = self._term_ids.get(_to_int(item.meta.get(key)))
            if nicename:
                primary = next((c for c in categories if c[0] == nicename), None)
                break
        return primary or (categories[0] if categories else UNCATEGORIZED)

    def _section(self, item):
        nicename, name = self._primary_category(item)
        return self._section_for(nicename, html.unescape(name) or nicename)

    def _section_for(self, nicename, name):
        slug = _section_slug(nicename, name)
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

    def _tag(self, name):
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
                tag = Tag.objects.create(name=name)
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

    def _old_path(self, item):
        """The old address of the post (its <link> path), which leads to the story from now
        on, or "" when it has none of its own (``?p=`` ids are answered from WordPressPost)."""
        parts = urlsplit(item.link.strip())
        path = unquote(parts.path)
        self.report.redirects[_("old ?p= post ids")] += 1
        if not path or path == "/" or "p=" in parts.query or len(path) > 500:
            return ""
        self.report.redirects[_("old post addresses")] += 1
        return path

    def _ratings(self, item):
        """Rate My Post's totals, ``(count, total)``; None when the post has none, or
        impossible, out-of-range or unreadable ones (refused and reported: the story is
        imported without them)."""
        raw_count = item.meta.get("rmp_vote_count")
        raw_total = item.meta.get("rmp_rating_val_sum")
        if raw_count is None and raw_total is None:
            return None
        count, total = _count(raw_count), _count(raw_total)
        try:
            if count is None or total is None:
                unreadable = raw_count if count is None else raw_total
                raise ValueError(
                    _("“%(value)s” is not a number of votes or stars")
                    % {"value": unreadable.strip()[:40]}
                )
            check_imported_totals(count, total)
        except ValueError as exc:
            self.report.ratings[_("stories whose ratings were refused")] += 1
            self.report.refuse(item, _("Rate My Post totals refused: %(why)s") % {"why": exc})
            return None
        if count:
            self.report.ratings[_("stories with imported ratings")] += 1
            self.report.ratings[_("imported votes")] += count
        return count, total

    # --- photos -------------------------------------------------------------------------

    def _photo(self, attachment):
        """The lead photo for a featured image: found under --media-dir, or None (reported).

        A new photo's file is stored at once; its row is inserted with the batch (before
        the stories that show it).
        """
        report = self.report
        if attachment.wp_id in self._photos:  # the same image as an earlier post's
            photo, outcome = self._photos[attachment.wp_id]
            report.photos[outcome] += 1
            return photo
        caption, credit = attachment.caption, attachment.credit
        if not credit:
            caption, credit = split_trailing_credit(caption)
        digest = hashlib.sha256(json.dumps(attachment.digest_parts()).encode()).hexdigest()
        known = self._known_attachments.get(attachment.wp_id)
        photo, outcome = None, _("found")
        if known and known.source_digest == digest:
            photo = known.photo
        elif self.media_dir is None:
            outcome = _("missing: no --media-dir given")
        else:
            source = self._find_upload(attachment.file or _uploads_path(attachment.url))
            if source is None:
                outcome = _("missing: file not in --media-dir")
            elif not self.dry_run:  # a dry run counts the photo as found and stores nothing
                try:
                    photo = store_photo(source, caption=caption, credit=credit, alt=attachment.alt)
                except ValidationError as exc:
                    outcome = _("missing: not a JPEG, PNG or WebP within the limits")
                    relative = source.relative_to(self.media_dir).as_posix()
                    self.report.refuse_file(attachment, relative, " ".join(exc.messages))
                if photo is not None:
                    self._stored.append(photo.image.name)
                    self._new_photos.append(photo)
                    self._new_attachments[attachment.wp_id] = WordPressAttachment(
                        site=self.site, wp_id=attachment.wp_id, photo=photo, source_digest=digest
                    )
        report.photos[outcome] += 1
        self._photos[attachment.wp_id] = (photo, outcome)
        return photo


def store_photo(source, *, caption, credit, alt):
    """A new Photo from a file of the old uploads folder, its file stored, its row not yet.

    ``photo.image.save()`` stores the file under a random name with its real format's
    extension and measures it, as for any upload; the importer inserts the batch's photos
    in one statement. Their renditions are the worker's job, queued once for the whole
    import by ``derived.after_import``.
    """
    with source.open("rb") as handle:
        upload = File(handle, name=source.name)
        validate_image_upload(upload)
        handle.seek(0)
        photo = Photo(caption=caption, credit=credit[:200], alt_text=alt[:300])
        photo.image.save(source.name, upload, save=False)
    return photo


def split_trailing_credit(caption):
    """``(caption, credit)``: a wire credit in brackets at the end split off, else
    ``(caption, "")``. "… Tuesday. (THE CANADIAN PRESS/Jane Doe)" → the credit in brackets."""
    text = caption.rstrip()
    if text.endswith("."):
        text = text[:-1].rstrip()
    if not text.endswith(")"):
        return caption, ""
    start = text.rfind("(", 0, len(text) - 1)
    inner = text[start + 1 : -1]
    if start == -1 or ")" in inner or not _CREDIT_SIGN.search(inner):
        return caption, ""
    return text[:start].strip(), inner.strip()


def _section_slug(nicename, name):
    return slugify(unquote(nicename))[:80] or slugify(name)[:80] or "section"


def _uploads_path(url):
    """The part of an image address after ``/uploads/`` (or ``files.wordpress.com/``)."""
    path = unquote(urlsplit(url.strip()).path)
    for marker in ("/wp-content/uploads/", "/uploads/", "/files/"):
        if marker in path:
            return path.split(marker, 1)[1]
    return path.lstrip("/")  # files.wordpress.com/2008/06/x.jpg


def _checked_name(relative, image_format):
    """The stored name of a checked file: its path in the uploads folder, ending with the
    extension of the format found in its bytes (``x.gif`` that is a PNG: ``x.gif.png``),
    so that nothing serving it by its name can take it for something else."""
    extension = EXTENSIONS[image_format]
    suffix = relative.suffix.lower()
    if suffix == extension or (image_format == "JPEG" and suffix == ".jpeg"):
        return relative.as_posix()
    return f"{relative.as_posix()}{extension}"


def _is_image(name):
    return name.lower().rsplit(".", 1)[-1] in {"jpg", "jpeg", "png", "gif", "webp"}


def _count(text):
    """A count from post meta: 0 when empty, None when it is not a whole number ≥ 0."""
    text = (text or "").strip()
    if not text:
        return 0
    # Up to 100 digits read as a number (refused later as too large); longer is not a count.
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 100 else None


def _to_int(value):
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return 0


__all__ = ["WXRError", "Report", "run", "check", "store_photo"]
