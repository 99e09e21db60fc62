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
from bisect import bisect_left

from django.utils.translation import gettext as _

from articles.embeds import embed_for_url

from . import code, players
from .scanning import find_close

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
# Shortcodes of players: their address (in an attribute, as their content, after "=" as
# WordPress.com wrote [youtube=URL], or a video id) becomes an embed or a link.
PLAYER_SHORTCODES = {
    "embed", "audio", "video", "youtube", "vimeo", "dailymotion", "soundcloud", "ted",
    "wpvideo", "videopress", "fvplayer", "twitter", "tweet", "instagram", "googlemaps",
    "scribd", "slideshow", "playlist", "polldaddy", "recipe",
}  # fmt: skip
# Shortcodes of forms, ads and widgets: readers lose no content when they go, but the
# report says so ("left out").
WIDGET_SHORTCODES = {
    "contact-form", "contact-form-7", "contact-field", "wpforms", "gravityform",
    "ratemypost", "ratemypost-result", "ad", "adsense", "archives",
}  # fmt: skip
# Shortcodes whose content is code: kept as <pre><code>, its text and indentation as
# written. WordPress's own [code] and [sourcecode], and the language shortcodes of
# SyntaxHighlighter Evolved ([php]…[/php]); the language ones only when closed.
KNOWN_SHORTCODES |= PLAYER_SHORTCODES | WIDGET_SHORTCODES | code.CODE_SHORTCODES

# Every pattern here runs on text of any size (a 10 MB post): none may scan to the end of
# the text from each of many starting points. Comments, captions and kept blocks are found
# by the scanners below (each closing mark is looked for once), and each pattern's
# repeated part stops at a character that ends it ("[^<>]*" stops at the next "<" or ">"),
# so each character is scanned a bounded number of times.
_COMMENT_BODY_MORE = re.compile(r"\s*more\b", re.I)
_COMMENT_BODY_PAGE = re.compile(r"\s*(?:nextpage|noteaser)\s*", re.I)
_COMMENT_BODY_BLOCK = re.compile(r"\s*/?wp:")
_CAPTION_OPEN = re.compile(r"\[(?:wp_)?caption\b", re.I)
_CAPTION_CLOSE = re.compile(r"\[/(?:wp_)?caption\]", re.I)
# A quote left open runs to the end (rather than being looked for again from each "=").
_ATTR = re.compile(r"""\b(\w+)\s*=\s*(?:"([^"]*)(?:"|$)|'([^']*)(?:'|$)|(\S+))""")
_IMG = re.compile(r"<img\b[^<>]*>", re.I)
_LINKED_IMG = re.compile(r"<a\b[^<>]*>\s*(<img\b[^<>]*>)\s*</a>", re.I)
_EMPTY_LINK = re.compile(r"<a\b[^<>]*>\s*</a>", re.I)
_SHORTCODE = re.compile(
    # [[escaped]], [/close], [x a=1 /], and WordPress.com's [youtube=URL]
    r"\[(\[?)(/?)([A-Za-z][\w-]*)((?:\s|=)[^\[\]]*?)?(/?)\](\]?)"
)
# An attribute written as shortcodes write them (name="value"): a bracket of prose with an
# "=" in it ("[… ?story=2008 …]") is not reported as a shortcode kept as text.
_SHORTCODE_ATTRIBUTE = re.compile(r"""^\s+[\w-]+\s*=\s*["']""")
_CLOSING_SHORTCODE = re.compile(r"\[/([A-Za-z][\w-]*)\]")
_OPENING_NAME = re.compile(r"\[([A-Za-z][\w-]*)[\s\]]")
_RIGHT_BRACKET = re.compile(r"\]")
_URL_ONLY = re.compile(r"^\s*(https?://\S+)\s*$")
_URL_INNER = re.compile(r"\s*(https?://\S+)\s*")

# Block-level tags, after which wpautop starts a new paragraph.
_BLOCK_TAGS = (
    "address|article|aside|blockquote|caption|col|colgroup|dd|details|div|dl|dt|fieldset|"
    "figcaption|figure|footer|form|h[1-6]|header|hgroup|hr|li|main|menu|nav|ol|p|pre|"
    "section|summary|table|tbody|td|tfoot|th|thead|tr|ul|iframe|object|script|style"
)
_BLOCK_NAMES = {
    name
    for tag in _BLOCK_TAGS.split("|")
    for name in ([tag] if tag != "h[1-6]" else [f"h{n}" for n in range(1, 7)])
}
# Any tag, its name checked against _BLOCK_NAMES afterwards: trying forty alternatives at
# each "<" made a body of "<<<…" take seconds per megabyte.
_OPEN_TAG = re.compile(r"<([A-Za-z][A-Za-z0-9]*)\b[^<>]*>")
_TAG_AT_END = re.compile(r"</?([A-Za-z][A-Za-z0-9]*)\b[^<>]*>")
_BLOCK_CLOSE = re.compile(rf"(</(?:{_BLOCK_TAGS})>)", re.I)
_STARTS_WITH_BLOCK = re.compile(rf"^\s*</?(?:{_BLOCK_TAGS})\b", re.I)
# Kept whole by autop: preformatted text, and figures (a caption's image and its text).
_KEPT_OPEN = re.compile(r"<(pre|figure)\b", re.I)
_KEPT_CLOSE = {tag: re.compile(rf"</{tag}>", re.I) for tag in ("pre", "figure")}
_KEPT_MARKER = re.compile(r"<!--kept-(\d{1,9})-->")
# The private-use characters this module's scanners use as marks (code.set_aside_code,
# media), removed from the content first.
_MARKS = re.compile("[\ue000-\ue002]")
# <h1> is the page's headline: a subhead of the body is an <h2>. <h5> and <h6> are <h4>,
# the smallest subhead the body allows.
_SUBHEAD = re.compile(r"<(/?)h([156])\b", re.I)
_SUBHEAD_LEVEL = {"1": "2", "5": "4", "6": "4"}
# Tags the body's allow-list does not have, whose text the sanitiser would run together:
# a definition list becomes paragraphs (its terms in bold), a table's footer more rows.
_RESHAPED = re.compile(r"<(/?)(dl|dt|dd|tfoot)\b[^<>]*>", re.I)
_RESHAPED_AS = {
    ("", "dl"): "",
    ("/", "dl"): "",
    ("", "dt"): "<p><strong>",
    ("/", "dt"): "</strong></p>",
    ("", "dd"): "<p>",
    ("/", "dd"): "</p>",
    ("", "tfoot"): "<tbody>",
    ("/", "tfoot"): "</tbody>",
}
_SCRIPT = re.compile(r"<script\b([^<>]*)>", re.I)


def is_block_content(content):
    return "<!-- wp:" in content


def to_html(content, *, shortcodes_seen=None, gallery=None, findings=None):
    """The HTML of a post's ``content:encoded``, classic or block.

    ``shortcodes_seen`` (a Counter), when given, counts the shortcodes removed, by name.
    ``gallery(attributes)``, when given, returns the HTML that replaces a ``[gallery]``
    (its images as figures); without it a gallery is removed. ``findings``
    (``wordpress.fidelity.Findings``), when given, receives what was changed or lost.
    """
    if not content:
        return ""
    text = content.replace("\r\n", "\n").replace("\r", "\n")
    text = _MARKS.sub("", text)
    text, codes = code.set_aside_code(text)
    text = replace_comments(text, _is_more_comment, "\n\n")
    blocks = is_block_content(text)
    if blocks:
        text = replace_comments(text, _COMMENT_BODY_BLOCK.match, "")
    text = players.replace_players(text, findings)
    text = _captions_to_figures(text)
    text = _replace_shortcodes(text, shortcodes_seen, gallery, findings)
    if not blocks:
        text = autop(text, findings)
    text = players.replace_block_embeds(text, findings)
    text = _SUBHEAD.sub(lambda m: f"<{m.group(1)}h{_SUBHEAD_LEVEL[m.group(2)]}", text)
    text = _RESHAPED.sub(lambda m: _RESHAPED_AS[(m.group(1), m.group(2).lower())], text)
    if findings is not None:
        for script in _SCRIPT.finditer(text):
            # A widget drawn by a script (a poll, a map, a tweet's card) is not imported.
            source = players.first_url(script.group(1)) or "<script>"
            findings.left_out(_("a script (and what it drew on the page) was left out"), source)
    return code.restore_code(text, codes)


def _is_more_comment(text, start, end):
    """``<!--more-->`` (with or without a teaser text), ``<!--nextpage-->``, ``<!--noteaser-->``."""
    return _COMMENT_BODY_MORE.match(text, start, end) or _COMMENT_BODY_PAGE.fullmatch(
        text, start, end
    )


def replace_comments(text, wanted, replacement):
    """``text`` with each HTML comment replaced whose body ``wanted(text, start, end)`` accepts.

    A comment runs from ``<!--`` to the first ``-->`` after it. When it is not wanted, a
    ``<!--`` inside it may start one that is (as a regular expression would find it). Each
    ``-->`` is looked for once, so this is linear whatever the text: a regular expression
    scanned to the end of the text again from each unclosed ``<!--``.
    """
    out, done, position, close = [], 0, 0, -1
    while (start := text.find("<!--", position)) != -1:
        if close < start + 4:
            close = text.find("-->", start + 4)
            if close == -1:
                break  # no comment can end after here
        if wanted(text, start + 4, close):
            out.append(text[done:start])
            out.append(replacement)
            done = position = close + 3
        else:
            position = start + 1
    out.append(text[done:])
    return "".join(out)


def _captions_to_figures(text):
    """``[caption …]<img …> Text[/caption]`` → a figure, in one pass over the text."""
    out, done, position = [], 0, 0
    bracket, closing = [None], [None]
    while (opening := _CAPTION_OPEN.search(text, position)) is not None:
        end_of_open = find_close(_RIGHT_BRACKET, text, opening.end(), bracket)
        if end_of_open is None:
            break
        close = find_close(_CAPTION_CLOSE, text, end_of_open.end(), closing)
        if close is None:
            break
        out.append(text[done : opening.start()])
        out.append(
            _caption_to_figure(
                text[opening.end() : end_of_open.start()], text[end_of_open.end() : close.start()]
            )
        )
        done = position = close.end()
    out.append(text[done:])
    return "".join(out)


def _attributes(raw):
    return {
        m.group(1).lower(): html.unescape(m.group(2) or m.group(3) or m.group(4) or "")
        for m in _ATTR.finditer(raw or "")
    }


def _caption_to_figure(raw_attributes, inner):
    attributes = _attributes(raw_attributes)
    inner = _LINKED_IMG.sub(r"\1", inner)  # the link round an image usually points to the file
    images = _IMG.findall(inner)
    caption = _IMG.sub("", inner)
    caption = _EMPTY_LINK.sub("", caption).strip()
    if not caption and attributes.get("caption"):  # the old form: caption="…"
        caption = html.escape(attributes["caption"])
    if not images:
        # A caption without its image: its text stays, as a paragraph (no empty figure).
        if not caption:
            return "\n\n"
        return f"\n\n{caption}\n\n" if "<p" in caption.lower() else f"\n\n<p>{caption}</p>\n\n"
    figcaption = f"<figcaption>{caption}</figcaption>" if caption else ""
    return f"\n\n<figure>{''.join(images)}{figcaption.strip()}</figure>\n\n"


def _replace_shortcodes(text, seen, gallery=None, findings=None):
    """Remove shortcodes, keeping what a reader should still see of them.

    One pass: where each name's closing tags are and where each name is first opened are
    found once, up front (looking them up again after every shortcode was quadratic).
    """
    closings = {}  # lower-case name → start positions of its [/name] tags, in order
    closing_end = {}  # start of a [/name] → its end
    for found in _CLOSING_SHORTCODE.finditer(text):
        closings.setdefault(found.group(1).lower(), []).append(found.start())
        closing_end[found.start()] = found.end()
    first_opened = {}  # lower-case name → where its first "[name " or "[name]" ends
    for found in _OPENING_NAME.finditer(text):
        first_opened.setdefault(found.group(1).lower(), found.end())

    def closing_after(lowered, position):
        """The start of the first [/name] at or after ``position``, or None."""
        starts = closings.get(lowered, ())
        index = bisect_left(starts, position)
        return starts[index] if index < len(starts) else None

    out, position = [], 0
    while True:
        match = _SHORTCODE.search(text, position)
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
        # A shortcode is one WordPress or a common plugin registers, or an opening and a
        # closing tag of one name ([su_note]…[/su_note]): anything else in brackets is shown
        # as written, as WordPress shows unregistered shortcodes, "=" or not.
        is_shortcode = (
            lowered in KNOWN_SHORTCODES
            or (not closing and closing_after(lowered, position) is not None)
            or (closing and first_opened.get(lowered, position + 1) <= match.start())
        )
        if not is_shortcode:
            out.append(match.group(0))
            if findings is not None and attrs and _SHORTCODE_ATTRIBUTE.match(attrs):
                if "<" not in attrs:
                    findings.changed(
                        _("an unknown shortcode was kept as written"), match.group(0)[:120]
                    )
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
        end = closing_after(lowered, position)
        if lowered in PLAYER_SHORTCODES:
            inner_url = None
            if end is not None:
                inner = _URL_INNER.fullmatch(text, position, end)
                inner_url = inner.group(1) if inner else _id_url(lowered, text[position:end])
            url = _player_address(lowered, attrs) or inner_url
            if inner_url and end is not None:
                position = closing_end[end]
            if url:
                out.append(players.player(url, findings))
            elif findings is not None:
                findings.lost(
                    _("a [%(name)s] with no address was left out") % {"name": lowered},
                    match.group(0)[:120],
                )
            continue
        if findings is not None:
            if lowered in WIDGET_SHORTCODES:
                findings.left_out(
                    _("a form, ad or widget ([%(name)s]) was left out") % {"name": lowered}
                )
            elif lowered == "gallery":
                findings.lost(_("a gallery whose images are not in the export was left out"))
            elif lowered not in {"caption", "wp_caption"} and lowered in KNOWN_SHORTCODES:
                findings.lost(
                    _("a [%(name)s] shortcode was left out") % {"name": lowered},
                    match.group(0)[:120],
                )
        if end is not None and lowered in code.CODE_SHORTCODES:
            # Only when the code could not be set aside (a [code] inside another code).
            inner = text[position:end]
            out.append(
                f"\n\n<pre><code>{html.escape(html.unescape(inner.strip()))}</code></pre>\n\n"
            )
            position = closing_end[end]
        # Else an enclosing shortcode ([su_note]…[/su_note]) whose text is the content: the
        # text is read on from here, and its closing tag goes when it comes.
    return "".join(out)


def _player_address(name, attrs):
    """A player shortcode's address from its attributes: [youtube=URL], src="…", mp3="…",
    a bare address, or a video id ([youtube ID], [vimeo id=123])."""
    attrs = attrs or ""
    if attrs.startswith("="):  # WordPress.com: [youtube=http://www.youtube.com/watch?v=…]
        value = html.unescape(attrs[1:].strip())
        return value if value.startswith(("http://", "https://", "//")) else _id_url(name, value)
    url = _first_url(attrs)
    if url:
        return url
    attributes = _attributes(attrs)
    if attributes.get("id"):
        return _id_url(name, attributes["id"])
    bare = attrs.split()
    return _id_url(name, bare[0]) if bare and "=" not in bare[0] else None


def _id_url(name, value):
    return players.url_for_id(name, html.unescape(value or ""))


def _first_url(attrs):
    """The address in ``src=…``, ``mp3=…`` and the like, or a bare one ([audio https://…])."""
    found = re.search(r"""https?://[^\s"'\]]+""", attrs or "")
    return html.unescape(found.group(0)) if found else None


def _link(url):
    url = html.escape(url, quote=True)
    return f'\n\n<p><a href="{url}">{url}</a></p>\n\n'


def _set_aside_kept(text):
    """``text`` with each ``<pre>…</pre>`` and ``<figure>…</figure>`` replaced by a marker,
    and the list of what was set aside. One pass: each tag's closing is looked for once."""
    kept, out, done, position = [], [], 0, 0
    closings = {tag: [None] for tag in _KEPT_CLOSE}
    while (opening := _KEPT_OPEN.search(text, position)) is not None:
        tag = opening.group(1).lower()
        close = find_close(_KEPT_CLOSE[tag], text, opening.end(), closings[tag])
        if close is None:
            position = opening.end()  # unclosed: stays where it is, as text
            continue
        out.append(text[done : opening.start()])
        kept.append(text[opening.start() : close.end()])
        out.append(f"\n\n<!--kept-{len(kept) - 1}-->\n\n")
        done = position = close.end()
    out.append(text[done:])
    return "".join(out), kept


def _paragraph_before_block(match):
    tag = match.group(0)
    return "\n\n" + tag if match.group(1).lower() in _BLOCK_NAMES else tag


def _ends_with_block(chunk):
    """Whether ``chunk`` ends with a block-level tag (opening or closing)."""
    end = len(chunk.rstrip())
    start = chunk.rfind("<", 0, end)
    if start == -1:
        return False
    tag = _TAG_AT_END.fullmatch(chunk, start, end)
    return tag is not None and tag.group(1).lower() in _BLOCK_NAMES


def autop(text, findings=None):
    """Paragraphs from blank lines and line breaks from newlines, as ``wpautop`` does."""
    if not text.strip():
        return ""
    # <pre> blocks keep their newlines and figures their structure: set them aside.
    text, kept = _set_aside_kept(text)
    # Every block-level tag starts and ends a paragraph of its own.
    text = _OPEN_TAG.sub(_paragraph_before_block, text)
    text = _BLOCK_CLOSE.sub(r"\1\n\n", text)
    chunks = [c.strip() for c in re.split(r"\n\s*\n", text)]
    out = []
    for chunk in chunks:
        if not chunk:
            continue
        if (marker := _KEPT_MARKER.fullmatch(chunk)) and int(marker.group(1)) < len(kept):
            out.append(kept[int(marker.group(1))])
        elif _STARTS_WITH_BLOCK.match(chunk) or _ends_with_block(chunk):
            out.append(chunk)
        elif _URL_ONLY.match(chunk):
            # A bare address on its own line is an embed (video, post) in WordPress.
            url = html.unescape(chunk.strip())
            if players.is_oembed(url) or embed_for_url(url):
                out.append(players.player(url, findings).strip())
            else:
                out.append(_link(url).strip())
        else:
            # Split rather than re.sub(r"\s*\n\s*"), which is quadratic on a long run of
            # spaces (tried again from each one).
            out.append("<p>" + "<br>\n".join(line.strip() for line in chunk.split("\n")) + "</p>")
    return "\n".join(out)
