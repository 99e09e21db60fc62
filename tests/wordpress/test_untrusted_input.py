"""An export and its uploads folder are untrusted input: bad parts are refused and reported,
never stored, never a crash."""

import io
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError
from PIL import Image

from articles.models import Photo
from ratings.models import RatingSummary
from wordpress.media import split_trailing_credit
from wordpress.models import WordPressPost

from .exports import SITE, attachment, meta, post

pytestmark = pytest.mark.django_db

HTML = b"<html><script>alert(document.cookie)</script></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def story(wp_id):
    return WordPressPost.objects.select_related("article").get(wp_id=wp_id).article


def stored_files():
    root = Path(settings.MEDIA_ROOT)
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def image_bytes(fmt, size=(40, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 20, 30)).save(buffer, fmt)
    return buffer.getvalue()


def img(name):
    return f'<img src="{SITE}/wp-content/uploads/2026/01/{name}" alt="A {name}">'


def test_inline_files_that_fail_the_photo_checks_are_not_stored_and_their_img_goes(
    run_import, uploads
):
    """evil.html, evil.svg, an HTML evil.gif and a real GIF are refused, listed, left out."""
    folder = uploads / "2026" / "01"
    (folder / "evil.html").write_bytes(HTML)
    (folder / "evil.svg").write_bytes(SVG)
    (folder / "evil.gif").write_bytes(HTML)
    (folder / "real.gif").write_bytes(image_bytes("GIF"))
    (folder / "jpeg-named.png").write_bytes(image_bytes("JPEG"))
    body = "".join(
        f"<p>{img(name)}</p>\n\n"
        for name in ("evil.html", "evil.svg", "evil.gif", "real.gif", "fire.jpg", "jpeg-named.png")
    )
    out, _ = run_import(post(1, "Pictures", body), media_dir=uploads)

    article = story(1)
    assert article.status == article.Status.PUBLISHED
    assert article.body.count("<img") == 2
    assert 'src="/media/wordpress/2026/01/fire.jpg"' in article.body
    assert 'src="/media/wordpress/2026/01/jpeg-named.png.jpg"' in article.body
    for bad in ("evil", "real.gif"):
        assert bad not in article.body
    assert stored_files() == ["wordpress/2026/01/fire.jpg", "wordpress/2026/01/jpeg-named.png.jpg"]
    assert "inline images refused by the photo checks (left out)" in out
    assert "Files refused by the photo checks (not stored)" in out
    for name in ("evil.html", "evil.svg", "evil.gif", "real.gif"):
        assert f"#1 2026/01/{name}" in out


def test_a_featured_image_that_is_not_an_image_is_listed_and_not_stored(run_import, uploads):
    """A featured image that is HTML named .jpg gives no lead photo, is listed and not stored."""
    (uploads / "2026" / "01" / "page.jpg").write_bytes(HTML)
    out, _ = run_import(
        attachment(90, "2026/01/page.jpg"), post(1, "Lead", thumbnail=90), media_dir=uploads
    )
    assert story(1).lead_photo is None
    assert not Photo.objects.exists() and stored_files() == []
    assert "#90 2026/01/page.jpg" in out


@pytest.mark.parametrize(
    ("count", "total"),
    [(10**12, 3 * 10**12), (2**31, 2**32), (2**31 - 1, 2**31 - 1), (10**30, 10**30)],
)
def test_rate_my_post_totals_out_of_range_are_refused_and_the_story_imported(
    run_import, count, total
):
    """Totals beyond what a story can hold: the story is imported without them, reported."""
    with pytest.raises(CommandError, match="refused"):
        run_import(post(1, "Rated", ratings=(count, total)), post(2, "Next"))
    assert story(1).headline == "Rated" and story(2).headline == "Next"
    assert not RatingSummary.objects.exists()
    assert "Rate My Post totals refused" in run_import.last_stdout
    assert "votes are more than the 100,000,000 a story can hold" in run_import.last_stdout


@pytest.mark.parametrize(("count", "total"), [("many", "12"), ("3", "4.5 stars"), ("-3", "-9")])
def test_rate_my_post_totals_that_are_not_numbers_are_reported_not_zero(run_import, count, total):
    """Non-numeric totals are reported (the story imported without them), not read as 0."""
    with pytest.raises(CommandError, match="refused"):
        run_import(
            post(
                1, "Rated", extra=meta("rmp_vote_count", count) + meta("rmp_rating_val_sum", total)
            )
        )
    assert story(1).headline == "Rated"
    assert not RatingSummary.objects.exists()
    assert "is not a number of votes or stars" in run_import.last_stdout


def test_posts_without_a_usable_id_are_refused_not_merged(run_import):
    """Posts whose ids are missing, words or out of range are refused one by one, with the id."""
    bad = [
        post(1, "Word id").replace("<wp:post_id>1<", "<wp:post_id>abc<"),
        post(2, "Huge id").replace("<wp:post_id>2<", f"<wp:post_id>{2**64}<"),
        post(3, "No id").replace("<wp:post_id>3</wp:post_id>", ""),
    ]
    with pytest.raises(CommandError, match="3 item"):
        run_import(*bad, post(4, "Good"))
    assert list(WordPressPost.objects.values_list("wp_id", flat=True)) == [4]
    out = run_import.last_stdout
    assert "its post id “abc” is not a WordPress id" in out
    assert f"its post id “{2**64}” is not a WordPress id" in out


def test_dates_out_of_range_and_tags_without_letters_do_not_refuse_a_post(run_import):
    """A local date of 9999-12-31 (no GMT date) and tags such as "!!!" import the post."""
    far = post(1, "Far future", date="9999-12-31 23:59:59", tags=("!!!", "🔥"))
    far = far.replace(
        "<wp:post_date_gmt><![CDATA[9999-12-31 23:59:59]]>",
        "<wp:post_date_gmt><![CDATA[0000-00-00 00:00:00]]>",
    )
    run_import(far)
    article = story(1)
    assert article.headline == "Far future"
    assert sorted(article.tags.names()) == ["!!!", "🔥"]


def test_a_wire_credit_is_split_from_a_caption_in_linear_time():
    """The trailing credit is found at once, even after a long run of spaces or slashes."""
    assert split_trailing_credit("Fire on Tuesday. (THE CANADIAN PRESS/Jane Doe).") == (
        "Fire on Tuesday.",
        "THE CANADIAN PRESS/Jane Doe",
    )
    assert split_trailing_credit("Mayor (left) speaks") == ("Mayor (left) speaks", "")
    started = time.perf_counter()
    long = "(" + "a/" * 200_000 + ") x" + " " * 200_000 + "y"
    assert split_trailing_credit(long) == (long, "")
    assert time.perf_counter() - started < 1
