"""Where each photo is used (its page, the library's tiles) and a warning when the same
picture is uploaded again (same bytes, or the same look after re-encoding)."""

import io

import pytest
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image, ImageDraw

from articles.models import Article, Photo
from tests.admin.story_form import change_url, form_errors, story_form_data
from tests.factories import ArticleFactory, PhotoFactory

pytestmark = pytest.mark.django_db


def picture(seed=0, size=(900, 600), fmt="JPEG", quality=90):
    """A photo-like picture: shapes whose places depend on ``seed``."""
    image = Image.new("RGB", size, (200, 210, 220))
    draw = ImageDraw.Draw(image)
    w, h = size
    for i in range(6):
        x = (seed * 97 + i * 131) % w
        y = (seed * 53 + i * 89) % h
        draw.ellipse([x, y, x + w // 4, y + h // 3], fill=(30 * i % 255, 60, 120 + 20 * i))
    draw.rectangle([0, h * 2 // 3, w // (2 + seed % 3), h], fill=(20, 20, 20))
    buffer = io.BytesIO()
    image.save(buffer, fmt, **({"quality": quality} if fmt == "JPEG" else {}))
    return buffer.getvalue()


def upload(client, data, name="upload.jpg"):
    return client.post(
        reverse("admin:articles_photo_add"),
        {"image": SimpleUploadedFile(name, data), "caption": "c", "credit": "", "alt_text": ""},
    )


def warnings(response):
    return [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]


def test_the_same_bytes_uploaded_again_are_named_but_kept(editor_client):
    first = Photo.objects.create(image=ContentFile(picture(1), name="a.jpg"), caption="Mayor")
    response = upload(editor_client, picture(1))
    assert response.status_code == 302
    said = warnings(response)
    assert len(said) == 1 and "already in the library" in said[0]
    assert reverse("admin:articles_photo_change", args=[first.pk]) in said[0]
    assert Photo.objects.count() == 2


def test_a_resized_re_encoded_copy_is_recognised_by_its_look(editor_client):
    Photo.objects.create(image=ContentFile(picture(2), name="a.jpg"), caption="Rally")
    resized = io.BytesIO()
    Image.open(io.BytesIO(picture(2))).resize((450, 300)).save(resized, "PNG")
    copy = resized.getvalue()
    assert "already in the library" in " ".join(warnings(upload(editor_client, copy, "b.png")))


def test_another_picture_and_a_plain_one_raise_no_warning(editor_client):
    Photo.objects.create(image=ContentFile(picture(3), name="a.jpg"))
    PhotoFactory()  # a flat colour: its look says nothing
    assert warnings(upload(editor_client, picture(4))) == []
    flat = io.BytesIO()
    Image.new("RGB", (300, 200), (10, 200, 10)).save(flat, "JPEG")
    assert warnings(upload(editor_client, flat.getvalue())) == []


def test_the_story_forms_upload_warns_of_a_duplicate_too(reporter_client, own_draft):
    Photo.objects.create(image=ContentFile(picture(5), name="a.jpg"), caption="Ice")
    data = story_form_data(own_draft)
    data["photo_upload"] = SimpleUploadedFile("again.jpg", picture(5))
    response = reporter_client.post(change_url(own_draft), data)
    assert response.status_code == 302, form_errors(response)
    assert "already in the library" in " ".join(warnings(response))


def test_the_photos_page_lists_every_story_using_it(editor_client, reporter, section):
    photo = PhotoFactory()
    lead = ArticleFactory(headline="Lead story", lead_photo=photo, section=section)
    inline = ArticleFactory(
        headline="Inline story",
        body=f'<p><img src="/media/{photo.image.name}" alt="x"></p>',
        section=section,
        status=Article.Status.DRAFT,
        publish_at=None,
    )
    removed = ArticleFactory(
        headline="Removed story", lead_photo=photo, section=section, status=Article.Status.REMOVED
    )
    ArticleFactory(headline="Unrelated story", section=section)
    address = reverse("admin:articles_photo_change", args=[photo.pk])
    html = editor_client.get(address).content.decode()
    assert "Used in 3 stories" in html
    for story in (lead, inline, removed):
        assert reverse("admin:articles_article_change", args=[story.pk]) in html
    assert "Unrelated story" not in html and "(Draft)" in html
    reporter_client = Client()
    reporter_client.force_login(reporter)
    html = reporter_client.get(address).content.decode()
    assert "Used in 2 stories" in html and "Removed story" not in html


def test_the_library_counts_uses_in_one_query_for_the_page(
    editor_client, section, django_assert_num_queries
):
    used, unused = PhotoFactory(caption="Used"), PhotoFactory(caption="Unused")
    ArticleFactory(lead_photo=used, section=section, slug="one")
    ArticleFactory(lead_photo=used, section=section, slug="two")
    url = reverse("admin:articles_photo_changelist")
    html = editor_client.get(url).content.decode()
    assert "Lead photo of 2 stories" in html and "Not a lead photo" in html
    before = queries_for(editor_client, url)
    for n in range(5):
        ArticleFactory(lead_photo=PhotoFactory(), section=section, slug=f"more-{n}")
    # Five more used photos on the page: not one more query.
    with django_assert_num_queries(before):
        editor_client.get(url)
    assert unused.pk


def queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return len(queries)


def test_the_command_fingerprints_photos_from_before(capsys):
    photo = Photo.objects.create(image=ContentFile(picture(6), name="a.jpg"))
    Photo.objects.filter(pk=photo.pk).update(content_hash="", look_hash="")
    call_command("fingerprint_photos")
    photo.refresh_from_db()
    assert len(photo.content_hash) == 64 and len(photo.look_hash) == 16
    assert "1 photo(s) fingerprinted" in capsys.readouterr().out
