"""Editors' HTML is cleaned on save: structure stays, anything executable goes."""

import pytest

from articles.sanitize import clean_html, html_to_text
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_script_and_event_handlers_are_removed_on_save(client):
    article = ArticleFactory(
        body=(
            "<p>Intro</p><script>alert('x')</script>"
            '<p><img src="x" onerror="alert(1)">Text</p>'
            '<h2 onclick="steal()">Subhead</h2>'
            '<a href="javascript:alert(1)">bad link</a>'
        )
    )
    article.refresh_from_db()
    for forbidden in ("<script", "alert(", "onerror", "onclick", "javascript:", "<img"):
        assert forbidden not in article.body
    assert "<h2>Subhead</h2>" in article.body
    page = client.get(article.get_absolute_url()).content.decode()
    assert "onerror" not in page and "alert('x')" not in page


def test_structure_of_a_story_survives():
    html = (
        '<h2>Subhead</h2><p>Text with <a href="https://gov.ca/x" title="t">a link</a>.</p>'
        "<blockquote><p>A quote</p></blockquote><ul><li>One</li></ul><ol><li>Two</li></ol>"
    )
    cleaned = clean_html(html)
    for kept in ("<h2>Subhead</h2>", "<blockquote>", "<ul><li>One</li></ul>", "<ol>"):
        assert kept in cleaned
    assert '<a href="https://gov.ca/x" title="t" rel="noopener noreferrer">' in cleaned


def test_word_processor_junk_is_dropped():
    pasted = (
        '<p class="MsoNormal" style="margin:0cm"><span style="font-family:Calibri">Hello'
        "</span><o:p></o:p></p><p>&nbsp;</p><style>p{color:red}</style>"
    )
    assert clean_html(pasted) == "<p>Hello</p>"


def test_plain_text_keeps_words_apart():
    assert html_to_text("<p>One</p><h2>Two</h2><p>A &amp; B</p>") == "One Two A & B"


def test_excerpt_and_word_count_are_derived():
    article = ArticleFactory(standfirst="", body="<p>" + "word " * 100 + "</p>")
    assert article.word_count == 100
    assert article.excerpt.endswith("…")
    assert len(article.excerpt.split()) == 40
