"""Factories for test data: published stories by default, photos with real pixels."""

import io
from datetime import timedelta
from importlib import import_module

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image
from taggit.models import Tag

from articles.models import Article, Author, Byline, Photo, Section


def image_bytes(fmt="JPEG", size=(1200, 800), colour=(120, 90, 60)):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, fmt)
    return buffer.getvalue()


# Every staff member the factories make signs in with this.
PASSWORD = "correct horse battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password(PASSWORD)


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section
        django_get_or_create = ("slug", "language")

    name = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.Sequence(lambda n: f"section-{n}")
    language = "en"


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author

    name = factory.Sequence(lambda n: f"Reporter {n}")
    slug = factory.Sequence(lambda n: f"reporter-{n}")


class PhotoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Photo
        skip_postgeneration_save = True

    image = factory.LazyFunction(lambda: ContentFile(image_bytes(), name="photo.jpg"))
    caption = "Firefighters work on a hot spot near Kelowna, B.C., on Tuesday."
    credit = "THE CANADIAN PRESS/Darryl Dyck"
    alt_text = "Firefighters spray water on a smouldering hillside"

    @factory.post_generation
    def rendered(photo, create, extracted, **kwargs):
        """As the worker leaves it: renditions made (``rendered=False``: not yet)."""
        if create and extracted is not False:
            photo.refresh_renditions()


class ArticleFactory(factory.django.DjangoModelFactory):
    """A published story with one byline, no tags and no photo unless asked."""

    class Meta:
        model = Article
        skip_postgeneration_save = True

    headline = factory.Sequence(lambda n: f"Story number {n} makes the news")
    standfirst = "A short summary of what happened."
    body = "<p>First paragraph of the story.</p><h2>A subhead</h2><p>More detail.</p>"
    language = "en"
    # A section in the story's language (``language="fr"`` makes a French section too).
    section = factory.SubFactory(SectionFactory, language=factory.SelfAttribute("..language"))
    status = Article.Status.PUBLISHED
    publish_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))

    @factory.post_generation
    def authors(self, create, extracted, **kwargs):
        if not create:
            return
        authors = extracted if extracted is not None else [AuthorFactory()]
        for position, author in enumerate(authors):
            Byline.objects.create(article=self, author=author, position=position)

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.add(*extracted)

    @factory.post_generation
    def correction(self, create, extracted, **kwargs):
        """``correction="An earlier version…"``: the published story is then corrected
        (a second save, through the public record: ``Article.describe_change``)."""
        if create and extracted:
            self.describe_change("correction", extracted)
            self.save()


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Tag {n}")
    slug = factory.LazyAttribute(lambda t: t.name.lower().replace(" ", "-"))


class StaffFactory(UserFactory):
    """A newsroom account: staff, in the group named by ``group`` ("Reporter" or "Editor")."""

    is_staff = True

    @factory.post_generation
    def group(self, create, extracted, **kwargs):
        if not create:
            return
        self.save()  # keeps the password set above, so force_login sessions stay valid
        if extracted:
            if not Group.objects.filter(name=extracted).exists():
                # Transactional tests flush the groups the data migration made: remake them.
                from django.apps import apps

                import_module("articles.migrations.0003_newsroom_groups").create_groups(apps, None)
                import_module(
                    "ratings.migrations.0002_editor_ratings_permissions"
                ).give_editors_the_ratings_tools(apps, None)
                import_module("articles.migrations.0006_editors_unlock_sign_in").let_editors_unlock(
                    apps, None
                )
            self.groups.add(Group.objects.get(name=extracted))
