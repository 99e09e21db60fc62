"""Running an import: posts written in batches, and the report of what happened.

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

The run is here; what a post becomes is in ``mapping`` (stories, sections, tags, bylines,
old addresses), ``media`` (featured and inline images) and ``rate_my_post`` (ratings).
"""

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from articles import languages
from articles.images import delete_files
from articles.models import Article, Byline, Photo, TaggedArticle
from articles.models.record import record_bulk_writes
from articles.search import update_search_vectors
from ratings.models import create_imported_totals, set_imported_totals

from . import rate_my_post
from .fidelity import REFUSED, Finding, Findings, PostFindings
from .languages import LanguagePlan, default_language
from .mapping import HEADLINE_MAX, STANDFIRST_MAX, PostMapping, plain_text, skip_reason, to_int
from .media import MediaCopier, attachment_from_item, is_image, split_trailing_credit, store_photo
from .models import LegacyAddress, LegacyTermAddress, WordPressAttachment, WordPressPost
from .pairing import link_sections, link_translations
from .report import Report, not_in_export
from .wxr import Channel, WXRError, read

# Posts written per transaction, with what they share looked up together (remembered ids,
# slugs taken, tags). Larger batches gain little more; smaller ones pay a commit and a dozen
# statements more often.
BATCH_SIZE = 250

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
    "language",
    "lead_photo",
    "version",
    "updated_at",
]


def run(path, *, media_dir=None, dry_run=False, progress=None, batch_size=None):
    """Import the export at ``path``; return the :class:`Report`.

    Raises ``WXRError`` (one sentence) before writing anything when the file is not a
    complete WordPress export. ``progress(done, total)`` is called as posts go by.
    ``batch_size`` posts are written per transaction (default ``BATCH_SIZE``).
    """
    channel, attachments, total_posts, skipped, plan = check(path)
    importer = Importer(
        channel,
        attachments,
        plan=plan,
        media_dir=media_dir,
        dry_run=dry_run,
        batch_size=batch_size,
    )
    importer.report.total_posts = total_posts
    importer.report.recovered = channel.recovered
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

    Returns ``(channel, attachments by id, number of posts, skipped items by reason,
    language plan)``: the plan holds each post's language and the translation pairs
    (``wordpress.languages``), which may name posts further on in the file.
    """
    channel, attachments, skipped, posts = Channel(), {}, Counter(), 0
    plan, post_ids = LanguagePlan(), set()
    for item in read(path, channel, full={"attachment", "post"}):
        if item.post_type == "post":
            posts += 1
            plan.add(item)
            if item.wp_id:
                post_ids.add(item.wp_id)
            continue
        if item.post_type == "attachment" and item.wp_id:  # no id: nothing can refer to it
            attachments[item.wp_id] = attachment_from_item(item)
        skipped[skip_reason(item)] += 1
    plan.default = default_language(channel)
    plan.finish(channel, post_ids)
    return channel, attachments, posts, skipped, plan


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
    findings: list  # what was changed or lost of the post (wordpress.fidelity)
    term_paths: dict  # old tag and category paths → (tag, section)


class Importer(PostMapping, MediaCopier):
    """One run of the import: its state, its batches and what it writes.

    What a post becomes is worked out by the methods of ``PostMapping`` (``mapping``) and
    ``MediaCopier`` (``media``), which read the state set here.
    """

    def __init__(
        self, channel, attachments, *, plan=None, media_dir=None, dry_run=False, batch_size=None
    ):
        self.channel = channel
        self.plan = plan if plan is not None else LanguagePlan()
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
        self._findings = Findings()  # the findings of the post being mapped
        self._written = set()  # wp ids of the posts written by this run (pairs: up to date)
        self._children = {}  # post id → its attached images, for [gallery] without ids
        for found in attachments.values():
            if found.parent and is_image(found.url or found.file):
                self._children.setdefault(found.parent, []).append(found)
        self._term_names = {nicename: name for nicename, (name, _, _) in channel.categories.items()}
        self._term_ids = {
            term_id: nicename for nicename, (_, term_id, _) in channel.categories.items()
        }

    def import_posts(self, path, progress=None):
        batch = []
        for item in read(path, Channel(), full={"post"}):
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
        # Pairs may span batches (a translation may even come before its original in the
        # file): they are linked once every post is written, in one transaction.
        with transaction.atomic():
            link_translations(self)
            link_sections(self)

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
            self._written.discard(item.wp_id)
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
            if self.plan.language(item.wp_id) is None:
                self.report.posts["refused"] += 1
                self.report.refuse(item, self.plan.refusal(item.wp_id))
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

    def _prepare(self, item):
        """The post's story with every field set, or None when there is nothing to write."""
        report = self.report
        attachment = self.attachments.get(to_int(item.meta.get("_thumbnail_id")))
        digest = self._digest(item, attachment)
        known = self._known.get(item.wp_id)
        self._count_comments(item)
        if known and known.source_digest == digest:
            report.posts["unchanged"] += 1
            self._count_outcome(item, known.article)
            self._repeat_findings(item, known)
            return None
        if known and known.article.version != known.imported_version:
            # Someone edited the story here since it was imported: their work wins.
            report.posts["kept"] += 1
            self._repeat_findings(item, known)
            return None
        findings = self._findings = Findings()

        article = known.article if known else Article()
        status, publish_at = self._status(item)
        headline = plain_text(item.title)[:HEADLINE_MAX].strip()
        if not headline:
            headline = _("Untitled WordPress post %(id)s") % {"id": item.wp_id}
            report.notes[_("empty titles given a placeholder headline")] += 1
        article.headline = headline
        article.standfirst = plain_text(item.excerpt)[:STANDFIRST_MAX]
        article.body = self._body(item, findings)
        article.status = status
        article.publish_at = publish_at
        article.language = self.plan.language(item.wp_id)
        article.section = self._section(item)
        if known:
            article.version += 1
            article.updated_at = timezone.now()  # bulk_update leaves auto_now fields alone
        else:
            article.slug = self._free_slug(item, headline)
        thumbnail_id = to_int(item.meta.get("_thumbnail_id"))
        if attachment is not None:
            article.lead_photo = self._photo(attachment)
            outcome = self._photos[attachment.wp_id][1]
            if outcome != _("found"):
                findings.lost(
                    _("the featured image was left out (%(why)s)") % {"why": outcome},
                    attachment.file or attachment.url,
                )
        elif thumbnail_id:
            # Tools → Export → "Posts" leaves the attachments out: the post names its image,
            # the export does not hold it.
            report.photos[not_in_export()] += 1
            findings.lost(
                _(
                    "the featured image is not in the export: a full export is needed "
                    "(Tools → Export → All content, not Posts only); import it again"
                ),
                f"#{thumbnail_id}",
            )
            article.lead_photo = None
        else:
            report.photos[_("posts without a featured image")] += 1
            article.lead_photo = None
        # What Article.save() derives (clean body, excerpt, word count), without its
        # per-story after-commit work (search vector, page cache, related lists): the
        # batch's search vectors are written with it, the rest is done once at the end
        # (derived.after_import).
        article.derive_fields()
        report.posts["updated" if known else "created"] += 1
        self._written.add(item.wp_id)
        if self.plan.bilingual:
            self.report.translations[
                _("stories in %(language)s") % {"language": languages.name(article.language)}
            ] += 1
        self._count_outcome(item, article)
        login = item.creator.strip()
        if item.comments:
            findings.left_out(
                ngettext(
                    "%(n)s comment was not imported",
                    "%(n)s comments were not imported",
                    item.comments,
                )
                % {"n": item.comments}
            )
        slugs = self._term_slugs(item)
        tags = [self._tag(name, slugs.get(name.lower(), "")) for name in self._tag_names(item)]
        write = _Write(
            item=item,
            article=article,
            known=known,
            digest=digest,
            author=self._author(login) if login else None,
            tags=tags,
            address=self._old_path(item, status),
            ratings=rate_my_post.totals(item, self.report, findings),
            findings=findings,
            term_paths=self._term_paths(item, article.section, tags),
        )
        self._list_findings(item, article, findings)
        return write

    def _count_comments(self, item):
        if item.comments:
            report = self.report
            report.comments[_("posts with approved comments")] += 1
            report.comments[_("approved comments, not imported")] += item.comments

    def _list_findings(self, item, article, findings):
        """The post's findings in the report (and the file an editor opens)."""
        if findings:
            self.report.fidelity.append(
                PostFindings(
                    wp_id=item.wp_id,
                    title=plain_text(item.title)[:200],
                    link=item.link.strip()[:500],
                    story=article.get_absolute_url() if article.slug else "",
                    findings=list(findings),
                )
            )

    def _repeat_findings(self, item, known):
        """A post not written again: what its import changed, lost or refused is listed again,
        and what was refused is refused again (the exit status says so each time)."""
        findings = [Finding.from_stored(value) for value in known.fidelity or []]
        for finding in findings:
            if finding.kind == REFUSED:
                self.report.refuse(item, finding.what)
                self.report.ratings[_("stories whose ratings were refused")] += 1
        self._list_findings(item, known.article, findings)

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
        self._write_term_addresses(writes)
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
                    fidelity=[f.stored() for f in w.findings],
                )
                for w in new
            ]
        )
        if old:
            now = timezone.now()
            for w in old:
                w.known.source_digest, w.known.imported_version = w.digest, w.article.version
                w.known.derived_pending, w.known.imported_at = True, now
                w.known.fidelity = [f.stored() for f in w.findings]
            WordPressPost.objects.bulk_update(
                [w.known for w in old],
                ["source_digest", "imported_version", "derived_pending", "imported_at", "fidelity"],
            )
        # Each live story's public record: its first publication, or an update when a
        # re-import changed a public story's text (Article.save() is bypassed here).
        record_bulk_writes([w.article.pk for w in writes])
        # Search finds the stories as soon as the batch commits (one UPDATE on PostgreSQL).
        update_search_vectors([w.article.pk for w in writes])

    def _write_term_addresses(self, writes):
        """The batch's old tag and category addresses, in one statement (a section wins over
        a tag for the same category path; the last post's wins otherwise)."""
        rows = {}
        for w in writes:
            for path, (tag, section) in w.term_paths.items():
                if section is None and path in rows and rows[path].section_id is not None:
                    continue
                rows[path] = LegacyTermAddress(
                    path=path,
                    tag_id=tag.pk if tag else None,
                    section_id=section.pk if section else None,
                    language=w.article.language,
                )
        if rows:
            LegacyTermAddress.objects.bulk_create(
                rows.values(),
                update_conflicts=True,
                unique_fields=["path"],
                update_fields=["tag", "section", "language"],
            )


__all__ = ["WXRError", "Report", "run", "check", "store_photo", "split_trailing_credit"]
