"""Exports written to mimic real sites of each era, with what readers saw on them.

Each era is a whole export (``ERAS[name]()`` returns its text), built with the helpers of
``tests.wordpress.exports``; the uploads folder they share is written by
:func:`write_uploads`. Nothing here comes from a third-party export: the shapes are those
WordPress and its plugins wrote (WordPress.com's ``[youtube=URL]`` and undeclared
``atom:`` prefix, SyntaxHighlighter's ``[php]``, WP-Syntax's ``<pre lang>``, block-editor
``wp:embed`` figures…).
"""

import io

from PIL import Image

from .exports import SITE, attachment, export, meta, post

UPLOADS = f"{SITE}/wp-content/uploads"
IMAGES = {
    "2011/05/canon.jpg": (1200, 800),
    "2026/01/fire.jpg": (1200, 800),
    "2026/01/fire-300x200.jpg": (300, 200),
    "2026/01/bridge.png": (800, 600),
}


def write_uploads(folder):
    """The old site's wp-content/uploads, with every image the eras' posts show."""
    for name, size in IMAGES.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        buffer = io.BytesIO()
        Image.new("RGB", size, (90, 120, 60)).save(
            buffer, "PNG" if name.endswith("png") else "JPEG"
        )
        target.write_bytes(buffer.getvalue())
    return folder


def comment(number, text, approved="1"):
    return (
        f"<wp:comment><wp:comment_id>{number}</wp:comment_id>"
        f"<wp:comment_author><![CDATA[Reader {number}]]></wp:comment_author>"
        f"<wp:comment_date>2026-01-07 10:00:00</wp:comment_date>"
        f"<wp:comment_content><![CDATA[{text}]]></wp:comment_content>"
        f"<wp:comment_approved>{approved}</wp:comment_approved>"
        f"<wp:comment_type></wp:comment_type><wp:comment_parent>0</wp:comment_parent>"
        f"</wp:comment>"
    )


def tag_term(nicename, name):
    return f'<category domain="post_tag" nicename="{nicename}"><![CDATA[{name}]]></category>'


# WordPress.com, 2011: WXR 1.0, an atom:link whose prefix the file never declares, videos as
# [youtube=URL], a caption in the old caption="…" form, [sourcecode], comments.
WPCOM_2011_VIDEO = (
    "Le festival a ouvert hier soir.\n\n"
    "[youtube=http://www.youtube.com/watch?v=dQw4w9WgXcQ&amp;w=425&amp;h=350]\n\n"
    '[caption id="attachment_7" align="alignnone" width="300" caption="Canon EOS 60D"]'
    '<a href="http://maple.files.wordpress.com/2011/05/canon.jpg">'
    '<img class="size-medium" src="http://maple.files.wordpress.com/2011/05/canon.jpg?w=300"'
    ' alt="" width="300" height="200" /></a>[/caption]\n\n'
    "Merci à lui [et au gars qui a posté ceci :: "
    '<a href="http://forum.example/?story=2008">le fil</a> …] j\'ai enfin compris.'
)
WPCOM_2011_CODE = (
    "The template:\n\n"
    '[sourcecode language="php"]\n<?php\nfunction hello() {\n    echo "<title>Hi</title>";\n}\n'
    "?>\n[/sourcecode]\n\nThat is all."
)


def wpcom_2011():
    atom = (
        '<atom:link rel="search" type="application/opensearchdescription+xml" '
        'href="http://maple.wordpress.com/osd.xml" title="Maple" />\n'
        '\t<atom:link rel="hub" href="http://maple.wordpress.com/?pushpress=hub"/>'
    )
    return export(
        post(
            201,
            "Vidéo du festival",
            WPCOM_2011_VIDEO,
            date="2011-05-14 20:00:00",
            extra=comment(1, "Bravo") + comment(2, "Merci") + comment(3, "spam!", "spam"),
        ),
        post(202, "Code", WPCOM_2011_CODE, date="2011-05-15 20:00:00"),
        version="1.0",
        channel=atom,
    )


# Self-hosted, classic editor, WXR 1.2: every kind of player, code blocks, captions with and
# without their image, a linked image, a subhead in <h1>, bracketed prose, tags whose slugs
# differ from their names, Rate My Post totals no votes could give.
CLASSIC_PLAYERS = (
    "Avant\n\n"
    '<iframe width="560" height="315" src="https://www.youtube.com/embed/dQw4w9WgXcQ"'
    ' frameborder="0" allowfullscreen></iframe>\n\n'
    "Après\n\n"
    '<iframe src="//player.vimeo.com/video/76979871?title=0" width="500"></iframe>\n\n'
    '<iframe frameborder="0" width="480" height="270"'
    ' src="//www.dailymotion.com/embed/video/x7tgad0"></iframe>\n\n'
    '<object width="425" height="344"><param name="movie"'
    ' value="http://www.youtube.com/v/abcDEF12345&amp;hl=fr"></param>'
    '<embed src="http://www.youtube.com/v/abcDEF12345&amp;hl=fr"'
    ' type="application/x-shockwave-flash" width="425" height="344"></embed></object>\n\n'
    '<embed src="http://www.dailymotion.com/swf/x2abcd" width="420" height="339"></embed>\n\n'
    '<iframe src="https://player.tv-locale.example/embed/99" width="600"></iframe>\n\n'
    "[youtube dQw4w9WgXcQ]\n\n[dailymotion x7tgad0]\n\n[vimeo 76979871]\n\n"
    "[embed]https://vimeo.com/76979871[/embed]\n\n"
    "https://www.youtube.com/watch?v=abcDEF12345\n\n"
    "La fin."
)
CLASSIC_CODE = (
    "Configuration :\n\n"
    '<pre lang="php"><?php\n$conf = 1;\n    page.5.wrap = <title>Mon site</title>\n?></pre>\n\n'
    '[php]\n<?php\n  $a = $b[1];\n\n  echo "ok";\n?>\n[/php]\n\n'
    '[java]\npublic class A {\n    String s = "<b>";\n}\n[/java]\n\n'
    "[bash]\nfor f in *.jpg; do\n  echo $f\ndone\n[/bash]\n\n"
    "[code]\nif (a < b && c > d) {}\n[/code]\n\n"
    "<h1>Un intertitre</h1>\n\nFin."
)
CLASSIC_IMAGES = (
    '[caption id="attachment_77" align="aligncenter" width="300"]'
    f'<a href="{UPLOADS}/2026/01/fire.jpg"><img class="size-medium wp-image-77"'
    f' src="{UPLOADS}/2026/01/fire-300x200.jpg" alt="Crews at the fire line" width="300"'
    ' height="200" /></a> Crews work the fire line near Kelowna.[/caption]\n\n'
    '[caption id="" align="alignnone" width="1"]The photo that was here is gone.[/caption]\n\n'
    f'<a href="{UPLOADS}/2026/01/bridge.png"><img src="{UPLOADS}/2026/01/bridge.png"'
    ' alt="The bridge" /></a>\n\n'
    "Thanks to him [and the guy who posted this :: "
    '<a href="http://forum.example/?story=2008">the thread</a> …] I now finally get it.'
)


def classic_12():
    return export(
        post(
            301,
            "Deux vidéos",
            CLASSIC_PLAYERS,
            extra=tag_term("mustread", "Must Read") + comment(4, "Super"),
        ),
        post(302, "Du code", CLASSIC_CODE, extra=tag_term("web-dev", "Web dev")),
        post(303, "Fire", CLASSIC_IMAGES, thumbnail=77, ratings=(3, 50)),
        post(304, "A draft", "Not yet.", status="draft"),
        attachment(77, "2026/01/fire.jpg", caption="Crews at the fire line.", alt="Fire"),
    )


# Self-hosted, block editor (WordPress 6): embed blocks, a code block, an image block linked to
# its file, a video block playing a file of the uploads folder.
BLOCKS = (
    "<!-- wp:paragraph -->\n<p>Before the video.</p>\n<!-- /wp:paragraph -->\n\n"
    '<!-- wp:embed {"url":"https://www.youtube.com/watch?v=dQw4w9WgXcQ","type":"video",'
    '"providerNameSlug":"youtube"} -->\n'
    '<figure class="wp-block-embed is-type-video is-provider-youtube wp-block-embed-youtube">'
    '<div class="wp-block-embed__wrapper">\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ\n'
    "</div><figcaption>The launch.</figcaption></figure>\n<!-- /wp:embed -->\n\n"
    '<!-- wp:embed {"url":"https://vimeo.com/76979871","type":"video"} -->\n'
    '<figure class="wp-block-embed is-type-video wp-block-embed-vimeo">'
    '<div class="wp-block-embed__wrapper">\nhttps://vimeo.com/76979871\n</div></figure>\n'
    "<!-- /wp:embed -->\n\n"
    "<!-- wp:code -->\n"
    '<pre class="wp-block-code"><code>&lt;?php\n    echo "hi";\n?&gt;</code></pre>\n'
    "<!-- /wp:code -->\n\n"
    '<!-- wp:image {"id":78,"linkDestination":"media"} -->\n'
    f'<figure class="wp-block-image"><a href="{UPLOADS}/2026/01/bridge.png">'
    f'<img src="{UPLOADS}/2026/01/bridge.png" alt="The old bridge" class="wp-image-78"/></a>'
    '<figcaption class="wp-element-caption">The bridge at dusk.</figcaption></figure>\n'
    "<!-- /wp:image -->\n\n"
    '<!-- wp:video {"id":90} -->\n'
    f'<figure class="wp-block-video"><video controls src="{UPLOADS}/2026/01/clip.mp4">'
    "</video></figure>\n<!-- /wp:video -->\n\n"
    '<!-- wp:heading {"level":1} -->\n<h1 class="wp-block-heading">A big subhead</h1>\n'
    "<!-- /wp:heading -->"
)


def blocks():
    return export(
        post(401, "Block post", BLOCKS, thumbnail=78),
        attachment(78, "2026/01/bridge.png", caption="The bridge.", alt="Bridge"),
    )


# WordPress.com, 2015: WXR 1.2, [youtube URL], [vimeo URL], a gallery by ids, an audio file,
# VideoPress.
WPCOM_2015_BODY = (
    "The week in pictures.\n\n"
    '[gallery ids="77,78" columns="2"]\n\n'
    "[youtube https://www.youtube.com/watch?v=dQw4w9WgXcQ]\n\n"
    "[vimeo https://vimeo.com/76979871]\n\n"
    "[wpvideo OcobLTqC]\n\n"
    f"[audio {UPLOADS}/2026/01/interview.mp3]\n\n"
    "The end."
)


def wpcom_2015():
    return export(
        post(501, "The week", WPCOM_2015_BODY, extra=tag_term("photos-2", "Photos")),
        attachment(77, "2026/01/fire.jpg", caption="Fire.", alt="Fire"),
        attachment(78, "2026/01/bridge.png", caption="Bridge.", alt="Bridge"),
    )


# Tools → Export → Posts: the posts name their featured images, the file does not hold them.
def posts_only():
    return export(
        post(601, "Lead photo left behind", "Text.", thumbnail=77),
        post(602, "No lead photo", "More text."),
    )


ERAS = {
    "wordpress.com 2011 (WXR 1.0)": wpcom_2011,
    "classic editor (WXR 1.2)": classic_12,
    "block editor": blocks,
    "wordpress.com 2015": wpcom_2015,
    "posts-only export": posts_only,
}

__all__ = ["ERAS", "comment", "meta", "tag_term", "write_uploads"]
