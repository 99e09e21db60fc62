"""Reading a WordPress eXtended RSS (WXR) export as a stream.

The file is never loaded whole: lxml's ``iterparse`` hands over one ``<item>`` at a
time, which is turned into an :class:`Item` and then cleared from the tree, so memory
stays flat whatever the size of the export. The parser is hardened: no DTD loading, no
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
    comments: int = 0
    line: int = 0

    @property
    def published_gmt(self):
        """``wp:post_date_gmt`` as an aware UTC datetime, None when WordPress left it empty."""
        return parse_wp_date(self.post_date_gmt, UTC)


def parse_wp_date(value, tz):
    if not value or value.startswith("0000"):
        return None
    try:
        return datetime.strptime(value.strip(), "%Y-%m-%d %H:%M:%S").replace(tzinfo=tz)
    except ValueError:
        return None


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


def _to_int(text):
    try:
        return int(text.strip())
    except (ValueError, AttributeError):
        return 0


def item_from_element(element):
    values = {"wp_id": 0, "post_type": "", "terms": [], "meta": {}, "comments": 0}
    for child in element:
        name = _name(child.tag)
        if name in _ITEM_FIELDS:
            values[_ITEM_FIELDS[name]] = _text(child)
        elif name == "wp:post_id":
            values["wp_id"] = _to_int(_text(child))
        elif name == "wp:post_parent":
            values["parent"] = _to_int(_text(child))
        elif name == "category":
            values["terms"].append(
                (child.get("domain", ""), child.get("nicename", ""), _text(child).strip())
            )
        elif name == "wp:postmeta":
            key = value = None
            for part in child:
                part_name = _name(part.tag)
                if part_name == "wp:meta_key":
                    key = _text(part)
                elif part_name == "wp:meta_value":
                    value = _text(part)
            if key is not None:
                values["meta"].setdefault(key, value or "")
        elif name == "wp:comment":
            values["comments"] += 1
    values["post_type"] = values["post_type"].strip()
    values["status"] = values.get("status", "").strip()
    return Item(line=element.sourceline or 0, **values)


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
    # slug → name
    tags: dict = field(default_factory=dict)
    uses_wp_namespace: bool = False

    @property
    def site(self):
        """The old site's address, which keys the remembered WordPress ids."""
        return (self.base_blog_url or self.link or self.base_site_url).rstrip("/")[:200]

    def read(self, element):
        name = _name(element.tag)
        if name and name.startswith("wp:"):
            self.uses_wp_namespace = True
        children = {_name(child.tag): _text(child) for child in element}
        if name == "title":
            self.title = _text(element)
        elif name == "link":
            self.link = _text(element).strip()
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
                self.authors[login] = display or login
        elif name == "wp:category":
            nicename = children.get("wp:category_nicename", "").strip()
            if nicename:
                self.categories[nicename] = (
                    children.get("wp:cat_name", "").strip() or nicename,
                    _to_int(children.get("wp:term_id", "")),
                    children.get("wp:category_parent", "").strip(),
                )
        elif name == "wp:tag":
            slug = children.get("wp:tag_slug", "").strip()
            if slug:
                self.tags[slug] = children.get("wp:tag_name", "").strip() or slug


def _syntax_error_sentence(path, exc):
    """One sentence for a parse error, saying whether the file looks cut short."""
    message = re.sub(r",? line \d+, column \d+$", "", (exc.msg or str(exc)).strip()).rstrip(".")
    where = f" at line {exc.lineno}" if exc.lineno else ""
    not_xml = ("Document is empty", "Start tag expected", "no element found")
    if any(sign in message for sign in not_xml):
        return f"This file is not XML ({message}{where})."
    with open(path, "rb") as source:
        lines = sum(chunk.count(b"\n") for chunk in iter(lambda: source.read(1 << 20), b""))
    if exc.lineno and exc.lineno >= lines:
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


def _post_type(element):
    for child in element:
        if _name(child.tag) == "wp:post_type":
            return _text(child).strip()
    return ""


def read(path, channel=None, full=None):
    """Yield every :class:`Item` of the export at ``path``, in file order.

    ``channel`` (a :class:`Channel`) is filled in as its elements go by. ``full``, a set of
    post types, says which items are read whole; the others come with their post type only
    (reading a post's content costs time when only attachments are wanted). Raises
    ``WXRError`` with one sentence when the file is not well-formed XML or not WXR.
    """
    channel = channel if channel is not None else Channel()
    depth = 0
    try:
        for event, element in _iterparse(path):
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
                continue
            depth -= 1
            if depth != 2:  # only the channel's children are handled (and then cleared)
                continue
            if _name(element.tag) == "item":
                if full is None or (post_type := _post_type(element)) in full:
                    item = item_from_element(element)
                else:
                    item = Item(wp_id=0, post_type=post_type, line=element.sourceline or 0)
                if item.post_type or item.wp_id:
                    channel.uses_wp_namespace = True
                yield item
            else:
                channel.read(element)
            element.clear()
            parent = element.getparent()
            while element.getprevious() is not None:
                del parent[0]
    except etree.XMLSyntaxError as exc:
        raise WXRError(_syntax_error_sentence(path, exc)) from None
    except OSError as exc:
        raise WXRError(f"The export cannot be read: {exc.strerror or exc}.") from None
    if depth != 0:
        raise WXRError("The export is cut short (truncated). Export it again.")
    if not channel.wxr_version and not channel.uses_wp_namespace:
        raise WXRError(
            "This is an RSS feed, not a WordPress export: it has no wp:wxr_version "
            "(use Tools → Export in WordPress)."
        )
