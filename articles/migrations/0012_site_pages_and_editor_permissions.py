"""The pages every outlet has, a first text for each, and the Editor group's rights on them.

Editors rewrite these texts in the admin ("Site pages"); the front page's single row is
created here so the admin's "Front page" opens straight on its form.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PAGES = [
    (
        "About us",
        "about",
        "<p>The Maple Ledger is an independent Canadian news outlet. Our reporters cover "
        "Parliament, the provinces and city halls, business and the economy, the world with "
        "a Canadian eye, sports and the arts.</p>"
        "<h2>Our standards</h2><p>We check what we publish, name our sources wherever we can, "
        "and correct our mistakes openly. Opinion pieces are labelled as such.</p>",
    ),
    (
        "Contact us",
        "contact",
        "<p>News tips, questions and complaints reach the newsroom at "
        '<a href="mailto:newsroom@example.ca">newsroom@example.ca</a>.</p>'
        "<h2>Corrections</h2><p>If you see an error in one of our stories, write to "
        '<a href="mailto:corrections@example.ca">corrections@example.ca</a> with the '
        "story's address and what is wrong.</p>",
    ),
    (
        "Corrections policy",
        "corrections",
        "<p>When we get something wrong, we fix it and say so. A correction note at the end "
        "of the story says what was wrong and when it was corrected; the story shows when it "
        "was updated.</p><p>We do not remove published stories except for legal reasons or "
        "to protect someone's safety.</p>",
    ),
    (
        "Privacy",
        "privacy",
        "<p>We do not use advertising trackers or third-party scripts. Our pages set no "
        "cookies when you read them.</p><h2>Star ratings</h2><p>When you rate a story, your "
        "browser keeps a random identifier in a cookie so that voting again changes your vote "
        "instead of adding one. We keep a one-way code made from your network address to "
        "limit abuse, never the address itself.</p>",
    ),
]

EDITOR_MODELS = ["frontpage", "frontpagestory", "infopage"]


def forwards(apps, schema_editor):
    InfoPage = apps.get_model("articles", "InfoPage")
    for position, (title, slug, body) in enumerate(PAGES):
        InfoPage.objects.get_or_create(
            slug=slug, defaults={"title": title, "body": body, "position": position}
        )
    apps.get_model("articles", "FrontPage").objects.get_or_create(pk=1)

    app_config = apps.get_app_config("articles")
    models_module = getattr(app_config, "models_module", None)
    app_config.models_module = models_module or True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editor = Group.objects.filter(name="Editor").first()
    if editor is not None:
        editor.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="articles", content_type__model__in=EDITOR_MODELS
            )
        )


def backwards(apps, schema_editor):
    apps.get_model("articles", "InfoPage").objects.filter(
        slug__in=[slug for _, slug, _ in PAGES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("articles", "0011_front_page_and_site_pages")]

    operations = [migrations.RunPython(forwards, backwards)]
