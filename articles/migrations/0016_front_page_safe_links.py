"""The breaking-news link takes http(s) or site-relative addresses only; a link already
stored that is neither (``javascript:…``, ``data:…``) is emptied, so the banner shows as
plain text. Rendering never outputs one either (``FrontPage.breaking_link``)."""

from django.db import migrations, models

import newsroom.links


def empty_unsafe_links(apps, schema_editor):
    FrontPage = apps.get_model("articles", "FrontPage")
    for page in FrontPage.objects.exclude(breaking_url=""):
        if not newsroom.links.is_safe_link(page.breaking_url):
            page.breaking_url = ""
            page.save(update_fields=["breaking_url"])


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0015_tags_without_slug'),
    ]

    operations = [
        migrations.AlterField(
            model_name='frontpage',
            name='breaking_url',
            field=models.CharField(blank=True, help_text='Where the banner leads: an address on this site such as /story/some-story/, or one starting with https:// (optional).', max_length=300, validators=[newsroom.links.LinkValidator()], verbose_name='breaking news link'),
        ),
        migrations.RunPython(empty_unsafe_links, migrations.RunPython.noop),
    ]
