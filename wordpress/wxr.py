"""Reading a WordPress eXtended RSS (WXR) export as a stream.

The file is never loaded whole: lxml's ``iterparse`` hands over one element at a time;
each is read when it ends (an ``<item>``'s fields into an :class:`Item`, a site-wide
element into the :class:`Channel`) and then cleared from the tree, at every depth and
outside items as well as inside them, so memory stays flat whatever the export holds.
Only the post meta the importer uses is kept. The parser is hardened: no DTD loading, no
entity substitution (so no external entities and no "billion laughs"), no network, and
libxml2's default limits on huge text nodes.

WXR 1.0, 1.1 and 1.2 are read, whether their namespace is spelled ``http://`` or
``https://wordpress.org/export/…/`` (both occur in real exports).
"""

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from lxml import etree

WP_NAMESPACES = {
    f"{scheme}://wordpress.org/export/{version}/"
    for scheme in ("http", "https")
    for version in ("1.0", "1.1", "1.2")
}
EXCERPT_NAMESPACES = {f"{ns}excerpt/" for ns in WP_NAMESPACES}
PREFIXES = {
    **dict.fromkeys(WP_NAMESPACES, "wp"),
    **dict.fromkeys(EXCERPT_NAMESPACES, "excerpt"),
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
}


class WXRError(Exception):
    """The file cannot be imported: not XML, cut short, or not a WordPress export."""


def _name(tag):
    """``{http://wordpress.org/export/1.2/}post_id`` → ``wp:post_id`` (any spelling)."""
    if not isinstance(tag, str):  # comments and processing instructions
        return None
    if tag.startswith("{"):
        namespace, _, local = tag[1:].partition("}")
        prefix = PREFIXES.get(namespace)
        return f"{prefix}:{local}" if prefix else f"{{{namespace}}}{local}"
    return tag


def _text(element):
    return element.text or ""


@dataclass
class Item:
    """One ``<item>`` of the export: a post, page, attachment, menu item…"""

    wp_id: int
    post_type: str
    status: str = ""
    title: str = ""
    link: str = ""
    creator: str = ""
    content: str = ""
    excerpt: str = ""
    post_name: str = ""
    post_date: str = ""
    post_date_gmt: str = ""
    password: str = ""
    parent: int = 0
    attachment_url: str = ""
    # (domain, nicename, name) for each <category>: domain "category" or "post_tag".
    terms: list = field(default_factory=list)
    meta: dict = field(default_factory=dict)
    comments: int = 0  # approved comments (those readers saw), none of them imported
    line: int = 0
    # The text of wp:post_id when it is not a usable id (wp_id is then 0), else None.
    raw_id: str | None = None
    terms_dropped: int = 0  # categories and tags beyond MAX_TERMS, left out

    @property
    def published_gmt(self):
        """``wp:post_date_gmt`` as an aware UTC datetime, None when WordPress left it empty."""
        return parse_wp_date(self.post_date_gmt, UTC)


def parse_wp_date(value, tz):
    if not value or value.startswith("0000"):
        return None
    try:
        parsed = datetime.strptime(value.strip(), "%Y-%m-%d %H:%M:%S").replace(tzinfo=tz)
        parsed.astimezone(UTC)  # 9999-12-31 in a zone west of UTC is past year 9999 in UTC
    except (ValueError, OverflowError):
        return None
    return parsed


_ITEM_FIELDS = {
    "title": "title",
    "link": "link",
    "dc:creator": "creator",
    "content:encoded": "content",
    "excerpt:encoded": "excerpt",
    "wp:post_name": "post_name",
    "wp:post_date": "post_date",
    "wp:post_date_gmt": "post_date_gmt",
    "wp:status": "status",
    "wp:post_type": "post_type",
    "wp:post_password": "password",
    "wp:attachment_url": "attachment_url",
}


# The only post meta the importer reads: other keys (page builders keep megabytes there) are
# dropped as they go by, so an item's size in memory does not grow with them.
WANTED_META = {
    "_thumbnail_id",
    "_yoast_wpseo_primary_category",
    "rank_math_primary_category",
    "rmp_vote_count",
    "rmp_rating_val_sum",
    "_wp_attached_file",
    "_wp_attachment_metadata",
    "_wp_attachment_image_alt",
    # WPML Export and Import: the post's language and translation group (wordpress.languages).
    "_wpml_import_language_code",
    "_wpml_import_source_language_code",
    "_wpml_import_translation_group",
}
# The taxonomies of ``<wp:term>`` kept from the channel: Polylang's translation groups of
# posts and of categories, whose descriptions list their members (wordpress.languages).
KEPT_TERM_TAXONOMIES = {"post_translations", "term_translations"}
# More categories and tags than this on one post are left out (and counted): no real post
# has them, and each one kept costs memory while the item is read.
MAX_TERMS = 1000
# The site-wide lists kept while reading (authors, categories) are refused beyond this: a
# real site has hundreds, and an export that lists millions would fill the memory.
MAX_CHANNEL_ENTRIES = 200_000
# WordPress ids are unsigned 64-bit in MySQL; ours are PostgreSQL's signed bigint.
MAX_WP_ID = 2**63 - 1


def _to_int(text):
    try:
        return int(text.strip())
    except (ValueError, AttributeError):
        return 0


def wp_id(text):
    """A WordPress id (1 … 2^63 − 1) from its text, or None when it is missing or not one."""
    text = (text or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 19:
        return None
    value = int(text)
    return value if 0 < value <= MAX_WP_ID else None


class _ItemBuilder:
    """An ``<item>`` read child by child as the parser hands each one over.

    Each child is read when it ends and then cleared from the tree, so whatever an item
    holds (a thousand comments, a page builder's meta), only the values kept here stay in
    memory, never the elements.
    """

    def __init__(self, line):
        self.line = line
        self.values = {"wp_id": 0, "post_type": "", "terms": [], "meta": {}, "comments": 0}
        self.raw_id = None
        self.terms_dropped = 0
        self.meta_key = self.meta_value = None
        self.comment_approved = None

    def comment_part(self, name, text):
        """A field of the ``wp:comment`` being read: only whether it was approved is kept."""
        if name == "wp:comment_approved":
            self.comment_approved = text.strip()

    def meta_part(self, name, text):
        """A ``wp:meta_key`` or ``wp:meta_value`` of the ``wp:postmeta`` being read."""
        if name == "wp:meta_key":
            self.meta_key = text
        elif name == "wp:meta_value":
            self.meta_value = text

    def child(self, element):
        name, values = _name(element.tag), self.values
        if name in _ITEM_FIELDS:
            values[_ITEM_FIELDS[name]] = _text(element)
        elif name == "wp:post_id":
            self.raw_id = _text(element)
            values["wp_id"] = wp_id(self.raw_id) or 0
        elif name == "wp:post_parent":
            values["parent"] = wp_id(_text(element)) or 0
        elif name == "category":
            if len(values["terms"]) < MAX_TERMS:
                values["terms"].append(
                    (element.get("domain", ""), element.get("nicename", ""), _text(element).strip())
                )
            else:
                self.terms_dropped += 1
        elif name == "wp:postmeta":
            key, value = self.meta_key, self.meta_value
            self.meta_key = self.meta_value = None
            if key is not None and key in WANTED_META:
                values["meta"].setdefault(key, value or "")
        elif name == "wp:comment":
            # Pending, spam and trashed comments were never shown to readers.
            if self.comment_approved == "1":
                values["comments"] += 1
            self.comment_approved = None

    def item(self, full):
        values = self.values
        values["post_type"] = values["post_type"].strip()
        if full is not None and values["post_type"] not in full:
            return Item(wp_id=0, post_type=values["post_type"], line=self.line)
        values["status"] = values.get("status", "").strip()
        return Item(line=self.line, raw_id=self.raw_id, terms_dropped=self.terms_dropped, **values)


@dataclass
class Channel:
    """What the export says about the site, before or between its items."""

    title: str = ""
    link: str = ""
    wxr_version: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""
    # login → display name
    authors: dict = field(default_factory=dict)
    # nicename → (name, term_id, parent nicename)
    categories: dict = field(default_factory=dict)
    # The site's language as WordPress wrote it (``<language>``: "en-CA", "fr-FR"…).
    language: str = ""
    # Polylang's groups: taxonomy → {group slug: its description (a PHP-serialised array)}
    translation_terms: dict = field(default_factory=dict)
    uses_wp_namespace: bool = False
    # Why the file needed recovery ("" when it did not): WordPress.com exports of 2011–2012
    # use an ``atom:`` prefix they never declare, which WordPress's own importer tolerates.
    recovered: str = ""

    @property
    def site(self):
        """The old site's address, which keys the remembered WordPress ids."""
        return (self.base_blog_url or self.link or self.base_site_url).rstrip("/")[:200]

    def read(self, element, children):
        """One child of ``<channel>``; ``children`` maps its children's names to their text."""
        name = _name(element.tag)
        if name and name.startswith("wp:"):
            self.uses_wp_namespace = True
        if name == "title":
            self.title = _text(element)
        elif name == "link":
            self.link = _text(element).strip()
        elif name == "language":
            self.language = _text(element).strip()[:20]
        elif name == "wp:wxr_version":
            self.wxr_version = _text(element).strip()
        elif name == "wp:base_site_url":
            self.base_site_url = _text(element).strip()
        elif name == "wp:base_blog_url":
            self.base_blog_url = _text(element).strip()
        elif name == "wp:author":
            login = children.get("wp:author_login", "").strip()
            if login:
                display = children.get("wp:author_display_name", "").strip()
                self._check_size(self.authors, "authors", element)
                self.authors[login] = display or login
        elif name == "wp:category":
            nicename = children.get("wp:category_nicename", "").strip()
            if nicename:
                self._check_size(self.categories, "categories", element)
                self.categories[nicename] = (
                    children.get("wp:cat_name", "").strip() or nicename,
                    _to_int(children.get("wp:term_id", "")),
                    children.get("wp:category_parent", "").strip(),
                )
        elif name == "wp:term":
            taxonomy = children.get("wp:term_taxonomy", "").strip()
            slug = children.get("wp:term_slug", "").strip()
            if taxonomy in KEPT_TERM_TAXONOMIES and slug:
                terms = self.translation_terms.setdefault(taxonomy, {})
                self._check_size(terms, "translation groups", element)
                terms[slug] = children.get("wp:term_description", "")
        # wp:tag and other wp:term are not kept: a post's own <category> elements name its
        # tags.

    @staticmethod
    def _check_size(entries, what, element):
        if len(entries) >= MAX_CHANNEL_ENTRIES:
            raise WXRError(
                f"The export lists more than {MAX_CHANNEL_ENTRIES:,} {what} "
                f"(line {element.sourceline}); this is not an export we can import."
            )


def _syntax_error_sentence(path, raw_message, lineno):
    """One sentence for a parse error, saying whether the file looks cut short."""
    message = re.sub(r",? line \d+, column \d+$", "", raw_message.strip()).rstrip(".")
    where = f" at line {lineno}" if lineno else ""
    not_xml = ("Document is empty", "Start tag expected", "no element found")
    if any(sign in message for sign in not_xml):
        return f"This file is not XML ({message}{where})."
    with open(path, "rb") as source:
        lines = sum(chunk.count(b"\n") for chunk in iter(lambda: source.read(1 << 20), b""))
    if lineno and lineno >= lines:
        return (
            f"The export is cut short: the XML stops in the middle{where} ({message}); "
            "export it again."
        )
    return f"The export is not well-formed XML{where}: {message}."


def _iterparse(path):
    return etree.iterparse(
        str(path),
        events=("start", "end"),
        # Hardening: no DTD, no entity substitution, no network, default size limits.
        load_dtd=False,
        no_network=True,
        resolve_entities=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def _tolerated(parser, channel):
    """Whether the parse error just raised is one WordPress's importer reads past.

    An undeclared namespace prefix (``<atom:link>`` in WordPress.com's exports of 2011–2012)
    is an error libxml2 reports without stopping: every element has been handed over when
    it is raised, at the end of the file. Anything fatal (a tag cut short, a bad
    character…) is not tolerated. The first tolerated error is kept in ``channel.recovered``
    for the report.
    """
    errors = list(parser.error_log)
    if not errors or any(e.domain_name != "NAMESPACE" or e.level_name == "FATAL" for e in errors):
        return False
    first = errors[0]
    channel.recovered = f"{first.message.strip().rstrip('.')} (line {first.line})"
    return True


def _first_fatal(parser, exc):
    """The message and line of the error that stopped the parser (not an earlier warning)."""
    for error in parser.error_log:
        if error.level_name == "FATAL":
            return error.message, error.line
    return exc.msg or str(exc), exc.lineno


def _forget(element):
    """Clear an element that has been read, and remove the siblings read before it.

    The element itself stays (empty) until its next sibling ends: libxml2 may still be
    adding text after it. So at every depth at most one empty element is left, and memory
    stays flat whatever the export holds, inside items or outside them.
    """
    element.clear()
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


def read(path, channel=None, full=None):
    """Yield every :class:`Item` of the export at ``path``, in file order.

    ``channel`` (a :class:`Channel`) is filled in as its elements go by. ``full``, a set of
    post types, says which items are read whole; the others come with their post type only.
    Raises ``WXRError`` with one sentence when the file is not well-formed XML or not WXR.

    Depths: 1 ``<rss>``, 2 ``<channel>``, 3 an ``<item>`` or a site-wide element
    (``wp:author``…), 4 their fields, 5 the parts of a ``wp:postmeta``. Every element is
    read when it ends and then cleared, so nothing that was read stays in the tree.
    """
    channel = channel if channel is not None else Channel()
    depth = 0
    builder = None  # the item being read
    children = {}  # the fields of the site-wide element being read
    parent_name = None  # the name of the depth-4 element being read
    parser = None
    try:
        parser = _iterparse(path)
        for event, element in parser:
            if event == "start":
                depth += 1
                if depth == 1 and _name(element.tag) != "rss":
                    raise WXRError(
                        "This is XML but not a WordPress export: its root element is "
                        f"<{etree.QName(element).localname}>, not <rss> "
                        f"(line {element.sourceline})."
                    )
                if depth == 2 and _name(element.tag) != "channel":
                    raise WXRError(
                        "This is RSS but not a WordPress export: <rss> does not start with "
                        f"<channel> (line {element.sourceline})."
                    )
                if depth == 3:
                    children = {}
                    is_item = _name(element.tag) == "item"
                    builder = _ItemBuilder(element.sourceline or 0) if is_item else None
                elif depth == 4:
                    parent_name = _name(element.tag)
                continue
            depth -= 1
            if depth >= 5:  # deeper than anything read: dropped as it ends
                _forget(element)
                continue
            if depth == 4:
                if builder is not None and parent_name == "wp:postmeta":
                    builder.meta_part(_name(element.tag), _text(element))
                elif builder is not None and parent_name == "wp:comment":
                    builder.comment_part(_name(element.tag), _text(element))
            elif depth == 3:
                if builder is not None:
                    builder.child(element)
                else:
                    children[_name(element.tag)] = _text(element)
            elif depth == 2:
                if builder is not None:
                    item = builder.item(full)
                    if item.post_type or item.wp_id or item.raw_id:
                        channel.uses_wp_namespace = True
                    builder = None
                    yield item
                else:
                    channel.read(element, children)
                    children = {}
            _forget(element)
    except etree.XMLSyntaxError as exc:
        if not _tolerated(parser, channel):
            raise WXRError(_syntax_error_sentence(path, *_first_fatal(parser, exc))) from None
    except OSError as exc:
        raise WXRError(f"The export cannot be read: {exc.strerror or exc}.") from None
    if depth != 0:
        raise WXRError("The export is cut short (truncated). Export it again.")
    if not channel.wxr_version and not channel.uses_wp_namespace:
        raise WXRError(
            "This is an RSS feed, not a WordPress export: it has no wp:wxr_version "
            "(use Tools → Export in WordPress)."
        )
