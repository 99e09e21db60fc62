"""Small WXR exports written for the tests, in the shapes real WordPress exports have.

``export(*items, https=False)`` wraps items in a channel (authors, categories, tags) the way
Tools → Export writes it; ``post(...)`` and ``attachment(...)`` write one ``<item>`` each.
"""

SITE = "https://maple.example"


def php_string(value):
    return f's:{len(value.encode())}:"{value}";'


def attachment_metadata(file, credit=""):
    """``_wp_attachment_metadata`` as WordPress serialises it, with an IPTC credit."""
    image_meta = (
        "a:4:{"
        + php_string("aperture") + 'd:4;'
        + php_string("credit") + php_string(credit)
        + php_string("camera") + php_string("Canon EOS R5")
        + php_string("caption") + 's:0:"";'
        + "}"
    )  # fmt: skip
    return (
        'a:5:{s:5:"width";i:1200;s:6:"height";i:800;'
        + php_string("file") + php_string(file)
        + php_string("sizes")
        + 'a:1:{s:9:"thumbnail";a:2:{s:4:"file";s:11:"x-150x1.jpg";s:5:"width";i:150;}}'
        + php_string("image_meta") + image_meta
        + "}"
    )  # fmt: skip


def meta(key, value):
    return (
        f"<wp:postmeta><wp:meta_key><![CDATA[{key}]]></wp:meta_key>"
        f"<wp:meta_value><![CDATA[{value}]]></wp:meta_value></wp:postmeta>"
    )


def post(
    wp_id,
    title="A story",
    content="Body text.",
    *,
    status="publish",
    date="2026-01-06 14:30:00",
    slug=None,
    link=None,
    creator="jdoe",
    excerpt="",
    categories=(("news", "News"),),
    tags=(),
    password="",
    thumbnail=None,
    ratings=None,
    post_type="post",
    extra="",
):
    slug = slug if slug is not None else f"story-{wp_id}"
    link = link if link is not None else f"{SITE}/{date[:10].replace('-', '/')}/{slug}/"
    terms = "".join(
        f'<category domain="category" nicename="{nice}"><![CDATA[{name}]]></category>'
        for nice, name in categories
    ) + "".join(
        f'<category domain="post_tag" nicename="{name.lower()}"><![CDATA[{name}]]></category>'
        for name in tags
    )
    metas = ""
    if thumbnail:
        metas += meta("_thumbnail_id", thumbnail)
    if ratings:
        metas += meta("rmp_vote_count", ratings[0]) + meta("rmp_rating_val_sum", ratings[1])
        metas += meta("rmp_avg_rating", round(ratings[1] / ratings[0], 1))
    return f"""
	<item>
		<title><![CDATA[{title}]]></title>
		<link>{link}</link>
		<pubDate>Tue, 06 Jan 2026 14:30:00 +0000</pubDate>
		<dc:creator><![CDATA[{creator}]]></dc:creator>
		<guid isPermaLink="false">{SITE}/?p={wp_id}</guid>
		<description></description>
		<content:encoded><![CDATA[{content}]]></content:encoded>
		<excerpt:encoded><![CDATA[{excerpt}]]></excerpt:encoded>
		<wp:post_id>{wp_id}</wp:post_id>
		<wp:post_date><![CDATA[{date}]]></wp:post_date>
		<wp:post_date_gmt><![CDATA[{date}]]></wp:post_date_gmt>
		<wp:comment_status><![CDATA[open]]></wp:comment_status>
		<wp:post_name><![CDATA[{slug}]]></wp:post_name>
		<wp:status><![CDATA[{status}]]></wp:status>
		<wp:post_parent>0</wp:post_parent>
		<wp:menu_order>0</wp:menu_order>
		<wp:post_type><![CDATA[{post_type}]]></wp:post_type>
		<wp:post_password><![CDATA[{password}]]></wp:post_password>
		<wp:is_sticky>0</wp:is_sticky>
		{terms}
		{metas}
		{extra}
	</item>"""


def attachment(wp_id, file, *, caption="", alt="", credit=""):
    return f"""
	<item>
		<title><![CDATA[{file.rsplit("/", 1)[-1]}]]></title>
		<link>{SITE}/?attachment_id={wp_id}</link>
		<dc:creator><![CDATA[jdoe]]></dc:creator>
		<content:encoded><![CDATA[]]></content:encoded>
		<excerpt:encoded><![CDATA[{caption}]]></excerpt:encoded>
		<wp:post_id>{wp_id}</wp:post_id>
		<wp:post_date><![CDATA[2026-01-05 10:00:00]]></wp:post_date>
		<wp:post_date_gmt><![CDATA[2026-01-05 15:00:00]]></wp:post_date_gmt>
		<wp:post_name><![CDATA[photo-{wp_id}]]></wp:post_name>
		<wp:status><![CDATA[inherit]]></wp:status>
		<wp:post_type><![CDATA[attachment]]></wp:post_type>
		<wp:attachment_url><![CDATA[{SITE}/wp-content/uploads/{file}]]></wp:attachment_url>
		{meta("_wp_attached_file", file)}
		{meta("_wp_attachment_metadata", attachment_metadata(file, credit))}
		{meta("_wp_attachment_image_alt", alt) if alt else ""}
	</item>"""


def _channel_terms():
    cdata = "<![CDATA[{}]]>".format
    authors = [
        ("2", "jdoe", "Jane Doe", "Jane", "Doe"),
        ("3", "pmartin", "Pierre Martin", "Pierre", "Martin"),
    ]
    lines = [
        f"<wp:author><wp:author_id>{aid}</wp:author_id>"
        f"<wp:author_login>{cdata(login)}</wp:author_login>"
        f"<wp:author_email>{cdata(login + '@maple.example')}</wp:author_email>"
        f"<wp:author_display_name>{cdata(name)}</wp:author_display_name>"
        f"<wp:author_first_name>{cdata(first)}</wp:author_first_name>"
        f"<wp:author_last_name>{cdata(last)}</wp:author_last_name></wp:author>"
        for aid, login, name, first, last in authors
    ]
    categories = [("4", "news", "", "News"), ("5", "politics", "news", "Politics &amp; Government")]
    lines += [
        f"<wp:category><wp:term_id>{tid}</wp:term_id>"
        f"<wp:category_nicename>{cdata(nice)}</wp:category_nicename>"
        f"<wp:category_parent>{cdata(parent)}</wp:category_parent>"
        f"<wp:cat_name>{cdata(name)}</wp:cat_name></wp:category>"
        for tid, nice, parent, name in categories
    ]
    lines.append(
        "<wp:tag><wp:term_id>9</wp:term_id><wp:tag_slug><![CDATA[ottawa]]></wp:tag_slug>"
        "<wp:tag_name><![CDATA[Ottawa]]></wp:tag_name></wp:tag>"
    )
    return "\n\t".join(lines)


def export(*items, https=False, version="1.2", channel="", language="en-CA"):
    """A whole export file around ``items``, with the namespace spelled as asked;
    ``channel`` is added to the channel's terms (``category``, ``polylang_group``) and
    ``language`` is the site's ``<language>``."""
    scheme = "https" if https else "http"
    ns = f"{scheme}://wordpress.org/export/{version}/"
    head = f"""<?xml version="1.0" encoding="UTF-8" ?>
<!-- This is a WordPress eXtended RSS file generated by WordPress as an export of your site. -->
<!-- generator="WordPress/6.7.1" created="2026-01-10 02:58" -->
<rss version="2.0"
\txmlns:excerpt="{ns}excerpt/"
\txmlns:content="http://purl.org/rss/1.0/modules/content/"
\txmlns:wfw="http://wellformedweb.org/CommentAPI/"
\txmlns:dc="http://purl.org/dc/elements/1.1/"
\txmlns:wp="{ns}"
>
<channel>
\t<title>The Maple Example</title>
\t<link>{SITE}</link>
\t<description>News from somewhere</description>
\t<language>{language}</language>
\t<wp:wxr_version>{version}</wp:wxr_version>
\t<wp:base_site_url>{SITE}</wp:base_site_url>
\t<wp:base_blog_url>{SITE}</wp:base_blog_url>
\t{_channel_terms()}
\t{channel}
\t<generator>https://wordpress.org/?v=6.7.1</generator>
"""
    return head + "".join(items) + "\n</channel>\n</rss>\n"


# Bilingual sites ------------------------------------------------------------------------


def category(term_id, nicename, name, parent=""):
    """A category of the channel (``<wp:category>``), as Tools → Export lists it."""
    return (
        f"<wp:category><wp:term_id>{term_id}</wp:term_id>"
        f"<wp:category_nicename><![CDATA[{nicename}]]></wp:category_nicename>"
        f"<wp:category_parent><![CDATA[{parent}]]></wp:category_parent>"
        f"<wp:cat_name><![CDATA[{name}]]></wp:cat_name></wp:category>"
    )


LANGUAGE_NAMES = {"en": "English", "fr": "Français", "de": "Deutsch"}


def polylang(language, group=None):
    """A post's Polylang terms, for ``post(extra=…)``: its ``language`` term and, when it
    has translations, its ``post_translations`` group."""
    terms = (
        f'<category domain="language" nicename="{language}">'
        f"<![CDATA[{LANGUAGE_NAMES.get(language, language)}]]></category>"
    )
    if group:
        terms += (
            f'<category domain="post_translations" nicename="{group}">'
            f"<![CDATA[{group}]]></category>"
        )
    return terms


def polylang_group(slug, members, *, taxonomy="post_translations", term_id=900):
    """A Polylang translation group in the channel (``<wp:term>``): its description is the
    PHP-serialised ``{language: post id}`` (``term_translations``: category term ids)."""
    description = (
        f"a:{len(members)}:{{"
        + "".join(php_string(code) + f"i:{member};" for code, member in members.items())
        + "}"
    )
    return (
        f"<wp:term><wp:term_id>{term_id}</wp:term_id>"
        f"<wp:term_taxonomy><![CDATA[{taxonomy}]]></wp:term_taxonomy>"
        f"<wp:term_slug><![CDATA[{slug}]]></wp:term_slug>"
        f"<wp:term_parent><![CDATA[]]></wp:term_parent>"
        f"<wp:term_name><![CDATA[{slug}]]></wp:term_name>"
        f"<wp:term_description><![CDATA[{description}]]></wp:term_description></wp:term>"
    )


def wpml(language, group, source=""):
    """The post meta WPML Export and Import adds to a post, for ``post(extra=…)``."""
    metas = meta("_wpml_import_language_code", language)
    metas += meta("_wpml_import_translation_group", group)
    if source:
        metas += meta("_wpml_import_source_language_code", source)
    return metas
