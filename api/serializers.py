"""The API's JSON: what a story, section, tag and author look like to apps and partners.

Read-only, and only from the published querysets (``api.queries``). Field names are the
API's contract (docs/architecture/api.md): add, never rename.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from articles import languages

from . import addresses


def language_tag(code):
    return languages.tag(code)


class SectionRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.CharField()
    url = serializers.SerializerMethodField(help_text="The section's page.")

    def get_url(self, section) -> str:
        return addresses.page_url(section)


class AuthorRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.CharField()
    url = serializers.SerializerMethodField(help_text="The author's page in the story's language.")

    def get_url(self, author) -> str:
        return addresses.author_url(author.slug, self.context["story_language"])


class TagRefSerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.CharField()
    url = serializers.SerializerMethodField(help_text="The tag's page in the story's language.")

    def get_url(self, tag) -> str:
        return addresses.tag_url(tag.slug, self.context["story_language"])


class PhotoSerializer(serializers.Serializer):
    url = serializers.URLField(help_text="About 960 pixels wide (JPEG).")
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    caption = serializers.CharField()
    credit = serializers.CharField()
    alt_text = serializers.CharField()


class StorySerializer(serializers.Serializer):
    """A story in a list: everything but its body."""

    id = serializers.IntegerField(help_text="Stable: never reused, kept when the story is renamed.")
    api_url = serializers.SerializerMethodField(help_text="This story in the API (by id).")
    url = serializers.SerializerMethodField(help_text="The story's canonical page.")
    language = serializers.SerializerMethodField(help_text="BCP 47: en-CA or fr-CA.")
    slug = serializers.CharField()
    headline = serializers.CharField()
    standfirst = serializers.CharField()
    excerpt = serializers.CharField()
    published_at = serializers.DateTimeField(source="publish_at")
    revised_at = serializers.SerializerMethodField(
        help_text="The last correction, clarification or update readers were told of, if any."
    )
    word_count = serializers.IntegerField()
    section = SectionRefSerializer()
    authors = serializers.SerializerMethodField()
    tags = serializers.SerializerMethodField()
    lead_photo = serializers.SerializerMethodField()

    def get_api_url(self, story) -> str:
        return addresses.story_api_url(story.pk)

    def get_url(self, story) -> str:
        return addresses.page_url(story)

    def get_language(self, story) -> str:
        return language_tag(story.language)

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_revised_at(self, story):
        if not story.was_revised:
            return None
        return serializers.DateTimeField().to_representation(story.revised_at)

    def _story_context(self, story):
        return {**self.context, "story_language": story.language}

    @extend_schema_field(AuthorRefSerializer(many=True))
    def get_authors(self, story):
        return AuthorRefSerializer(
            story.byline_authors(), many=True, context=self._story_context(story)
        ).data

    @extend_schema_field(TagRefSerializer(many=True))
    def get_tags(self, story):
        return TagRefSerializer(
            story.tag_list(), many=True, context=self._story_context(story)
        ).data

    @extend_schema_field(PhotoSerializer(allow_null=True))
    def get_lead_photo(self, story):
        photo = story.lead_photo
        if photo is None:
            return None
        shown = photo.fallback
        words = photo.text_in(story.language)
        return {
            "url": addresses.media_url(shown["url"]),
            "width": shown["width"],
            "height": shown["height"],
            **words,
        }


class NoteSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="Correction, clarification or update.")
    note = serializers.CharField()
    at = serializers.DateTimeField()


class TranslationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    language = serializers.CharField()
    api_url = serializers.URLField()
    url = serializers.URLField()


class StoryDetailSerializer(StorySerializer):
    """A story with its body (sanitised HTML, as the page shows it) and public record."""

    body = serializers.CharField(help_text="HTML, sanitised when the story was saved.")
    notes = serializers.SerializerMethodField(
        help_text="The public record's notes, newest first, as the story page lists them."
    )
    translations = serializers.SerializerMethodField(
        help_text="The story's published versions in the other language."
    )

    @extend_schema_field(NoteSerializer(many=True))
    def get_notes(self, story):
        return [
            {
                "kind": str(kind),
                "note": note,
                "at": serializers.DateTimeField().to_representation(at),
            }
            for kind, note, at in story.listed_notes()
        ]

    @extend_schema_field(TranslationSerializer(many=True))
    def get_translations(self, story):
        return [
            {
                "id": other.pk,
                "language": language_tag(code),
                "api_url": addresses.story_api_url(other.pk),
                "url": addresses.page_url(other),
            }
            for code, other in sorted(story.published_translations().items())
        ]


class RetractedSerializer(serializers.Serializer):
    """What a retracted story's address shows: the notice, never the story."""

    id = serializers.IntegerField()
    status = serializers.CharField(default="retracted")
    headline = serializers.CharField()
    url = serializers.URLField()
    published_at = serializers.DateTimeField()
    retracted_at = serializers.DateTimeField()
    retraction_note = serializers.CharField()


class SectionSerializer(SectionRefSerializer):
    language = serializers.SerializerMethodField()
    description = serializers.CharField()
    story_count = serializers.IntegerField(help_text="Published stories in the section.")

    def get_language(self, section) -> str:
        return language_tag(section.language)


def _urls(obj, page_url):
    """Its page in each language it has a published story in (the ``has_<code>`` annotations
    of ``api.queries``)."""
    return {
        language_tag(code): page_url(obj.slug, code)
        for code in languages.CODES
        if getattr(obj, f"has_{code}", False)
    }


URLS_FIELD = serializers.DictField(child=serializers.URLField())
URLS_HELP = "Its page in each language it has a published story in (BCP 47 → address)."
COUNT_HELP = "Published stories (in the language asked for, if any)."


class TagSerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.CharField()
    story_count = serializers.IntegerField(help_text=COUNT_HELP)
    urls = serializers.SerializerMethodField(help_text=URLS_HELP)

    @extend_schema_field(URLS_FIELD)
    def get_urls(self, tag):
        return _urls(tag, addresses.tag_url)


class AuthorSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.CharField()
    job_title = serializers.CharField()
    bio = serializers.CharField()
    story_count = serializers.IntegerField(help_text=COUNT_HELP)
    urls = serializers.SerializerMethodField(help_text=URLS_HELP)

    @extend_schema_field(URLS_FIELD)
    def get_urls(self, author):
        return _urls(author, addresses.author_url)
