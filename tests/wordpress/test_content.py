"""WordPress content shapes → body HTML (before the allow-list)."""

from collections import Counter

from articles.wordpress.content import autop, to_html


def test_blank_lines_make_paragraphs_and_single_newlines_line_breaks():
    assert autop("One\ntwo\n\nThree") == "<p>One<br>\ntwo</p>\n<p>Three</p>"


def test_block_tags_are_not_wrapped_in_paragraphs():
    html = autop("Intro\n<ul>\n<li>One</li>\n</ul>\n\n<h2>Subhead</h2>\nAfter")
    assert "<p><ul>" not in html and "<p><h2>" not in html
    assert "<li>One</li>" in html and "<p>After</p>" in html


def test_preformatted_text_keeps_its_blank_lines():
    assert "<pre>a\n\nb</pre>" in autop("<pre>a\n\nb</pre>")


def test_old_caption_attribute_form_is_understood():
    html = to_html('[caption id="a1" caption="Old style caption"]<img src="/x.jpg" />[/caption]')
    assert (
        html.strip()
        == '<figure><img src="/x.jpg" /><figcaption>Old style caption</figcaption></figure>'
    )


def test_unknown_shortcodes_go_but_bracketed_words_stay():
    seen = Counter()
    html = to_html(
        '[contact-form-7 id="5"]\n\nHe said [sic] it was [1] fine.\n\n[[gallery]]',
        shortcodes_seen=seen,
    )
    assert "contact-form" not in html
    assert "[sic]" in html and "[1]" in html
    assert "[gallery]" in html, "WordPress shows [[gallery]] as the text [gallery]"
    assert seen == Counter({"contact-form-7": 1})


def test_embeds_become_links():
    classic = to_html("[embed]https://www.youtube.com/watch?v=abc[/embed]")
    assert '<a href="https://www.youtube.com/watch?v=abc">' in classic
    block = to_html(
        '<!-- wp:embed {"url":"https://youtu.be/abc"} -->\n<figure class="wp-block-embed">'
        '<div class="wp-block-embed__wrapper">\nhttps://youtu.be/abc\n</div></figure>\n'
        "<!-- /wp:embed -->"
    )
    assert '<a href="https://youtu.be/abc">' in block


def test_code_shortcodes_become_preformatted_text():
    html = to_html('[code lang="php"]<?php echo "hi"; ?>[/code]')
    assert "<pre><code>&lt;?php echo &quot;hi&quot;; ?&gt;</code></pre>" in html
