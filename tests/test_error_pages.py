"""The 500 page renders on its own and obeys the Content-Security-Policy (no inline style)."""

from django.template.loader import render_to_string


def test_server_error_page_renders_without_context_or_inline_code():
    html = render_to_string("500.html")
    assert "Something went wrong on our end" in html
    assert "<style" not in html and "<script" not in html and ' style="' not in html
    assert "css/site" in html
