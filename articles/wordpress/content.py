"""WordPress post content → HTML for the story body (before the project's allow-list).

WordPress stores posts in two shapes, and both must read right once imported:

* **Classic editor** content has no ``<p>`` tags (WordPress adds them on display with
  ``wpautop``): paragraphs are separated by blank lines and line breaks are bare newlines.
  Images with captions are ``[caption id=… align=… width=…]<img …/> Caption[/caption]``
  shortcodes. :func:`autop` does what ``wpautop`` does for the shapes that matter.
* **Block editor** content is already HTML, wrapped in ``<!-- wp:… -->`` comments, with
  images as ``<figure class="wp-block-image">``.

Captions become ``<figure>``/``<figcaption>``; ``<!--more-->``, ``<!--nextpage-->``, block
comments and shortcodes never reach the page as raw text. The result still goes through
``articles.sanitize.clean_html`` when the story is saved.
"""

import html
import re

# Shortcodes of WordPress itself and of common plugins. A bracketed word that is not
# one of these and has neither attributes nor a closing tag ("[sic]", "[1]") is ordinary
# text, as it is in WordPress, which also shows unregistered shortcodes as written.
KNOWN_SHORTCODES = {
    "audio", "caption", "wp_caption", "embed", "gallery", "playlist", "video",
    "youtube", "vimeo", "twitter", "tweet", "instagram", "soundcloud", "googlemaps",
    "contact-form", "contact-form-7", "contact-field", "code", "sourcecode", "source",
    "archives", "polldaddy", "ratemypost", "ratemypost-result", "wpforms", "gravityform",
    "ad", "adsense", "slideshow", "scribd", "dailymotion", "ted", "recipe", "fvplayer",
}  # fmt: skip
# Shortcodes whose content is a URL: the URL becomes a link instead of vanishing.
URL_SHORTCODES = {"embed", "audio", "video", "youtube", "vimeo", "soundcloud"}
# Shortcodes whose content is code: kept as a <pre> block.
CODE_SHORTCODES = {"code", "sourcecode", "source"}

_MORE = re.compile(r"<!--\s*(?:more\b.*?|nextpage|noteaser)\s*-->", re.I | re.S)
_BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:.*?-->", re.S)
_CAPTION = re.compile(r"\[(?:wp_)?caption\b([^\]]*)\](.*?)\[/(?:wp_)?caption\]", re.S | re.I)
_ATTR = re.compile(r"""(\w+)\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+))""")
_IMG = re.compile(r"<img\b[^>]*>", re.I)
_LINKED_IMG = re.compile(r"<a\b[^>]*>\s*(<img\b[^>]*>)\s*</a>", re.I)
_SHORTCODE = re.compile(
    r"\[(\[?)(/?)([A-Za-z][\w-]*)(\s[^\]]*?)?(/?)\](\]?)"  # [[escaped]], [/close], [x a=1 /]
)
_URL_ONLY = re.compile(r"^\s*(https?://\S+)\s*$")

# Block-level tags, after which wpautop starts a new paragraph.
_BLOCK_TAGS = (
    "address|article|aside|blockquote|caption|col|colgroup|dd|details|div|dl|dt|fieldset|"
    "figcaption|figure|footer|form|h[1-6]|header|hgroup|hr|li|main|menu|nav|ol|p|pre|"
    "section|summary|table|tbody|td|tfoot|th|thead|tr|ul|iframe|object|script|style"
)
_BLOCK_OPEN = re.compile(rf"(<(?:{_BLOCK_TAGS})\b[^>]*>)", re.I)
_BLOCK_CLOSE = re.compile(rf"(</(?:{_BLOCK_TAGS})>)", re.I)
_STARTS_WITH_BLOCK = re.compile(rf"^\s*</?(?:{_BLOCK_TAGS})\b", re.I)
_ENDS_WITH_BLOCK = re.compile(rf"</?(?:{_BLOCK_TAGS})\b[^>]*>\s*$", re.I)
# Kept whole by autop: preformatted text, and figures (a caption's image and its text).
_KEPT_WHOLE = re.compile(r"<(pre|figure)\b.*?</\1>", re.I | re.S)


def is_block_content(content):
    return "<!-- wp:" in content


def to_html(content, *, shortcodes_seen=None, gallery=None):
    """The HTML of a post's ``content:encoded``, classic or block.

    ``shortcodes_seen`` (a Counter), when given, counts the shortcodes removed, by name.
    ``gallery(attributes)``, when given, returns the HTML that replaces a ``[gallery]``
    (its images as figures); without it a gallery is removed.
    """
    if not content:
        return ""
    text = content.replace("\r\n", "\n").replace("\r", "\n")
    text = _MORE.sub("\n\n", text)
    blocks = is_block_content(text)
    if blocks:
        text = _BLOCK_COMMENT.sub("", text)
    text = _CAPTION.sub(_caption_to_figure, text)
    text = _replace_shortcodes(text, shortcodes_seen, gallery)
    if not blocks:
        text = autop(text)
    return _embed_urls_to_links(text)


def _attributes(raw):
    return {
        m.group(1).lower(): html.unescape(m.group(2) or m.group(3) or m.group(4) or "")
        for m in _ATTR.finditer(raw or "")
    }


def _caption_to_figure(match):
    attributes, inner = _attributes(match.group(1)), match.group(2)
    inner = _LINKED_IMG.sub(r"\1", inner)  # the link round an image usually points to the file
    images = _IMG.findall(inner)
    caption = _IMG.sub("", inner)
    caption = re.sub(r"<a\b[^>]*>\s*</a>", "", caption).strip()
    if not caption and attributes.get("caption"):  # the old form: caption="…"
        caption = html.escape(attributes["caption"])
    figcaption = f"<figcaption>{caption}</figcaption>" if caption else ""
    return f"\n\n<figure>{''.join(images)}{figcaption.strip()}</figure>\n\n"


def _replace_shortcodes(text, seen, gallery=None):
    """Remove shortcodes, keeping what a reader should still see of them."""

    def closing_exists(name, position):
        return re.search(rf"\[/{re.escape(name)}\]", text[position:], re.I) is not None

    out, position = [], 0
    pattern = _SHORTCODE
    while True:
        match = pattern.search(text, position)
        if match is None:
            out.append(text[position:])
            break
        escaped_open, closing, name, attrs, _self_closing, escaped_close = match.groups()
        lowered = name.lower()
        out.append(text[position : match.start()])
        position = match.end()
        if escaped_open and escaped_close:  # [[gallery]] is how WordPress shows "[gallery]"
            out.append(match.group(0)[1:-1])
            continue
        is_shortcode = (
            lowered in KNOWN_SHORTCODES
            or bool(attrs and "=" in attrs)
            or (not closing and closing_exists(name, position))
            or (closing and lowered in {n.lower() for n in _open_names(text, match.start())})
        )
        if not is_shortcode:
            out.append(match.group(0))
            continue
        if closing:
            continue
        if lowered == "gallery" and gallery is not None:
            replacement = gallery(_attributes(attrs))
            if replacement:
                out.append(f"\n\n{replacement}\n\n")
                continue
        if seen is not None:
            seen[lowered] += 1
        end = re.search(rf"\[/{re.escape(name)}\]", text[position:], re.I)
        if end is None:
            # Self-closing: an [embed src=…] or [audio mp3=…] keeps its address as a link.
            url = _first_url(attrs)
            if lowered in URL_SHORTCODES and url:
                out.append(_link(url))
            continue
        inner = text[position : position + end.start()]
        position += end.end()
        if lowered in CODE_SHORTCODES:
            out.append(
                f"\n\n<pre><code>{html.escape(html.unescape(inner.strip()))}</code></pre>\n\n"
            )
        elif lowered in URL_SHORTCODES and _URL_ONLY.match(inner):
            out.append(_link(inner.strip()))
        else:
            # An unknown enclosing shortcode ([su_note]…[/su_note]): its text is the content.
            out.append(_replace_shortcodes(inner, seen))
    return "".join(out)


def _first_url(attrs):
    """The address in ``src=…``, ``mp3=…`` and the like, or a bare one ([audio https://…])."""
    found = re.search(r"""https?://[^\s"'\]]+""", attrs or "")
    return html.unescape(found.group(0)) if found else None


def _open_names(text, before):
    return re.findall(r"\[([A-Za-z][\w-]*)[\s\]]", text[:before])


def _link(url):
    url = html.escape(url, quote=True)
    return f'\n\n<p><a href="{url}">{url}</a></p>\n\n'


def _embed_urls_to_links(text):
    """A block embed's bare URL (YouTube, a tweet…) becomes a link readers can follow."""

    def replace(match):
        url = html.unescape(match.group(1).strip())
        return _link(url) if url.startswith(("http://", "https://")) else ""

    return re.sub(
        r'<div class="wp-block-embed__wrapper">\s*(\S+?)\s*</div>', replace, text, flags=re.I
    )


def autop(text):
    """Paragraphs from blank lines and line breaks from newlines, as ``wpautop`` does."""
    if not text.strip():
        return ""
    # <pre> blocks keep their newlines and figures their structure: set them aside.
    kept = []

    def keep(match):
        kept.append(match.group(0))
        return f"\n\n<!--kept-{len(kept) - 1}-->\n\n"

    text = _KEPT_WHOLE.sub(keep, text)
    # Every block-level tag starts and ends a paragraph of its own.
    text = _BLOCK_OPEN.sub(r"\n\n\1", text)
    text = _BLOCK_CLOSE.sub(r"\1\n\n", text)
    chunks = [c.strip() for c in re.split(r"\n\s*\n", text)]
    out = []
    for chunk in chunks:
        if not chunk:
            continue
        if chunk.startswith("<!--kept-"):
            out.append(kept[int(chunk[9:-3])])
        elif _STARTS_WITH_BLOCK.match(chunk) or _ENDS_WITH_BLOCK.search(chunk):
            out.append(chunk)
        elif _URL_ONLY.match(chunk):
            # A bare address on its own line is an embed (video, post) in WordPress.
            out.append(_link(html.unescape(chunk.strip())).strip())
        else:
            out.append("<p>" + re.sub(r"\s*\n\s*", "<br>\n", chunk) + "</p>")
    return "\n".join(out)
