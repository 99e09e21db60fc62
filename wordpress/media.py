"""The old site's images: featured images become photos, inline images are copied.

Every file read from ``--media-dir`` passes the checks any photo upload passes
(``articles.images.validate_image_upload``) before it is stored; a file refused is listed in
the report and never stored. Nothing outside the folder is ever read.

``MediaCopier`` is one part of :class:`wordpress.importer.Importer`: its methods read the
importer's state (``self.report``, ``self.site``, ``self.media_dir``, ``self.dry_run``,
``self.attachments`` and the caches of the run and the batch).
"""

import hashlib
import html
import json
import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from articles.images import EXTENSIONS, identify, validate_image_upload
from articles.models import Photo

from .mapping import plain_text, to_int
from .models import WordPressAttachment
from .phpdata import PHPDataError, unserialize
from .players import is_upload

# "… on Tuesday. (THE CANADIAN PRESS/Jane Doe)": a wire credit at the end of a caption.
# Found without a pattern anchored at the end: "\s*\.?\s*$" is quadratic on a long run
# of spaces, and a lazy "[^()]*?" before alternatives on a long parenthesis.
_CREDIT_SIGN = re.compile(r"/|\bPRESS\b|\bPHOTO\b")
# Every <img> of a body is rewritten (or removed): none may keep an address we did not check.
# "[^<>]*" stops at the next tag, so a body of unclosed "<img " is read in linear time.
_IMG_TAG = re.compile(r"<img\b[^<>]*>", re.I)
_IMG_ATTR = re.compile(r"""\s([a-z-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.I)
_EMPTY_FIGURE = re.compile(r"<figure>\s*</figure>", re.I)
# Where an image was left out, until its debris is swept: the link round it (a link with no
# name for screen readers) and its figure with the caption of a photo that is not there.
_LEFT_OUT = "\ue002"
_LINK_ROUND_LEFT_OUT = re.compile(r"<a\b[^<>]*>\s*\ue002\s*</a>", re.I)
# The caption's text stops at the next figure or caption tag (so each is read once).
_FIGURE_OF_LEFT_OUT = re.compile(
    r"<figure\b[^<>]*>\s*\ue002\s*"
    r"(?:<figcaption\b[^<>]*>[^<]*(?:<(?!/?fig)[^<]*)*</figcaption>\s*)?</figure>",
    re.I,
)
_EMPTY_LINK = re.compile(r"<a\b[^<>]*>\s*</a>", re.I)
# A link's opening tag, and the image it holds when it holds only that.
_LINK = re.compile(r"<a\b([^<>]*)>(\s*<img\b[^<>]*>\s*</a>)?", re.I)
_HREF = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.I)
_SRC = re.compile(r"\bsrc\s*=\s*\"([^\"]*)\"", re.I)


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


def attachment_from_item(item):
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
        caption=plain_text(item.excerpt),
        alt=plain_text(meta.get("_wp_attachment_image_alt", "")),
        credit=plain_text(credit),
        parent=item.parent,
    )


class MediaCopier:
    """Featured images → photos, a body's images → checked copies, [gallery] → figures."""

    def _local_images(self, item, body):
        """Every <img> of a body pointed at a checked copy in our media, or removed with the
        link and figure that held it; links to the old site's uploads pointed at copies."""
        lowered = body.lower()
        if "<img" in lowered:
            body = _IMG_TAG.sub(lambda match: self._local_image(item, match.group(0)), body)
            if _LEFT_OUT in body:
                body = _LINK_ROUND_LEFT_OUT.sub(_LEFT_OUT, body)
                body = _FIGURE_OF_LEFT_OUT.sub("", body)
                body = _EMPTY_LINK.sub("", body.replace(_LEFT_OUT, ""))
            body = _EMPTY_FIGURE.sub("", body)
        if "<a" in lowered:
            body = _LINK.sub(lambda match: self._local_link(item, match), body)
        return body

    def _local_link(self, item, match):
        """A link to a file of the old site's uploads, pointed at its checked copy.

        The link round an image usually opens the full-size file: when that file cannot be
        copied, the link opens the copy of the image shown instead. A link to a file that is
        not an image (a PDF) is left pointing at the old site, and reported.
        """
        found = _HREF.search(match.group(1))
        if found is None:
            return match.group(0)
        href = html.unescape(next(g for g in found.groups() if g is not None)).strip()
        if not is_upload(href):
            return match.group(0)
        name = self._copy_upload(item, href) if is_image(urlsplit(href).path) else ""
        if name:
            self.report.inline_images[_("links to images pointed at their copies")] += 1
            return f'<a href="{html.escape(self._media_url(name))}">' + (match.group(2) or "")
        image = match.group(2) and _SRC.search(match.group(2))
        if image and image.group(1).startswith(settings.MEDIA_URL):
            return f'<a href="{image.group(1)}">' + match.group(2)
        self._findings.changed(
            _("a link to a file left on the old site (it breaks when the old site goes off)"),
            href,
        )
        return match.group(0)

    def _copy_upload(self, item, url):
        """The stored name of the checked copy of an uploads file, or "" (not found, or
        refused by the photo checks)."""
        found = self._find_upload(_uploads_path(url)) if self.media_dir else None
        if found is None:
            return ""
        name = self._copied.get(found)
        if name is None:
            name = self._copy_checked(item, found)
            self._copied[found] = name
        return name

    def _media_url(self, name):
        return settings.MEDIA_URL + name if self.dry_run else default_storage.url(name)

    def _gallery(self, item, attributes):
        """A [gallery]'s images as figures: its ``ids``, else the images attached to the post."""
        ids = [to_int(i) for i in re.split(r"[,\s]+", attributes.get("ids", "")) if i]
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
        # Lazy-loading plugins keep the real address in data-src (the src is a placeholder).
        src = attributes.get("data-lazy-src") or attributes.get("data-src") or ""
        src = src if src.startswith(("http", "/")) else attributes.get("src", "")
        found = self._find_upload(_uploads_path(src)) if self.media_dir and src else None
        if found is None:
            self.report.inline_images[_("inline images not found (left out)")] += 1
            why = (
                _("an image was left out: its file is not in --media-dir")
                if self.media_dir
                else _("an image was left out: no --media-dir was given")
            )
            self._findings.lost(why, src)
            return _LEFT_OUT
        name = self._copied.get(found)
        if name is None:
            name = self._copy_checked(item, found)
            self._copied[found] = name
        if not name:
            self.report.inline_images[
                _("inline images refused by the photo checks (left out)")
            ] += 1
            self._findings.lost(_("an image was left out: it failed the photo checks"), src)
            return _LEFT_OUT
        self.report.inline_images[_("inline images copied")] += 1
        url = self._media_url(name)
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


def is_image(name):
    return name.lower().rsplit(".", 1)[-1] in {"jpg", "jpeg", "png", "gif", "webp"}
