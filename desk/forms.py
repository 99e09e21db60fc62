"""The story form the newsroom writes in.

It carries more than the model's fields: the workflow move the user asked for, the
lead photo and its caption, credit and alt text (uploaded in place), tags typed as
text, and the version of the story the form was opened on, so a second editor's save
never silently replaces the first.
"""

import copy
import operator
from functools import reduce

from django import forms
from django.db.models import Q
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.text import format_lazy, slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_prose_editor.fields import ProseEditorFormField
from taggit.models import Tag

from articles import languages, workflow
from articles.embeds import PROVIDERS
from articles.images import ImageUploadField
from articles.models import Article, Photo
from articles.models.record import CHANGE_KINDS, PUBLIC_TEXT, Change, Kind, Plan
from articles.sanitize import clean_html
from desk.editor import BodyEditorWidget

# What the body's editor offers; the server-side allow-list in sanitize.py is the one
# that counts, so the editor never offers anything that list would strip.
BODY_EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Strike": True,
    "Subscript": True,
    "Superscript": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto", "tel"]},
    "History": True,
    "HTML": True,
    # Video and audio embeds (desk/static/desk/prose_embed.js); the editor asks the desk
    # whether a pasted address is one (articles.embeds is the only parser).
    "Embed": {"lookupUrl": reverse_lazy("desk-embed-lookup")},
    # “Curly” quotes, apostrophes and dashes as journalists type, by the story's language
    # (desk/static/desk/prose_typography.js).
    "SmartTypography": True,
}


def normalise_tag_name(name):
    """One spelling per tag: surrounding and repeated whitespace removed."""
    return " ".join(name.split())


class TagNamesField(forms.CharField):
    """Tags typed as "Wildfires, British Columbia": commas separate, case never duplicates.

    A name that matches an existing tag apart from case or spacing becomes that tag,
    so "ukraine " joins "Ukraine" instead of starting a near-duplicate.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text",
            gettext_lazy(
                "Separate tags with commas. Existing tags are suggested as you type; "
                "new ones are created."
            ),
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if value is None or isinstance(value, str):
            return value or ""
        names = [getattr(item, "name", None) or getattr(item.tag, "name", "") for item in value]
        return ", ".join(sorted(names, key=str.lower))

    def clean(self, value):
        value = super().clean(value)
        wanted = []
        for raw in (value or "").split(","):
            name = normalise_tag_name(raw)
            if name and name.lower() not in {w.lower() for w in wanted}:
                wanted.append(name)
        if not wanted:
            return []
        existing = {}
        matching = reduce(operator.or_, (Q(name__iexact=name) for name in wanted))
        for tag in Tag.objects.filter(matching):
            existing.setdefault(tag.name.lower(), tag.name)
        return [existing.get(name.lower(), name) for name in wanted]


# The lead photo's own fields the story form edits in place.
PHOTO_DETAILS = ("caption", "credit", "alt_text")


class ArticleAdminForm(forms.ModelForm):
    """The admin's story form; the admin sets ``user`` on the class it builds per request."""

    user = None

    body = ProseEditorFormField(
        label=gettext_lazy("Body"),
        required=False,
        help_text=format_lazy(
            gettext_lazy(
                "To show a video or audio, paste its address on a line of its own ({hosts})."
            ),
            hosts=", ".join(provider.name for provider in PROVIDERS.values()),
        ),
        extensions=BODY_EDITOR_EXTENSIONS,
        sanitize=clean_html,
        widget=BodyEditorWidget,
    )
    tags = TagNamesField(label=gettext_lazy("Tags"))
    # Not rendered: the workflow buttons send ``_transition``; a raw ``status`` in a
    # crafted POST lands here too and goes through the same checks.
    status = forms.CharField(required=False)
    loaded_version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    photo_upload = ImageUploadField(
        label=gettext_lazy("Upload a photo"),
        required=False,
        help_text=gettext_lazy("JPEG, PNG or WebP. Replaces the current lead photo."),
    )
    photo_caption = forms.CharField(
        label=gettext_lazy("Caption"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=Photo._meta.get_field("caption").help_text,
    )
    photo_credit = forms.CharField(
        label=gettext_lazy("Credit"),
        required=False,
        max_length=200,
        help_text=Photo._meta.get_field("credit").help_text,
    )
    photo_alt_text = forms.CharField(
        label=gettext_lazy("Alt text"),
        required=False,
        max_length=300,
        help_text=Photo._meta.get_field("alt_text").help_text,
    )

    # Asked when the story is public (see __init__); Article.save() checks it again.
    change_kind = forms.ChoiceField(
        label=gettext_lazy("Kind of change"),
        required=False,
        choices=[("", "---------"), *((k.value, k.label) for k in map(Kind, CHANGE_KINDS))],
        help_text=gettext_lazy(
            "The story is public. Correction: a fact was wrong. Clarification: it could be "
            "misread. Update: the news developed. Minor edit: spelling or style, not listed "
            "for readers."
        ),
    )
    change_note = forms.CharField(
        label=gettext_lazy("Note for readers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Shown under the story and in its history, e.g. “An earlier version of this story "
            "misstated the date of the vote.” Needed for a correction or clarification."
        ),
    )

    class Meta:
        model = Article
        # The admin narrows this to its fieldsets; listed here so the form stands alone.
        fields = [
            "headline",
            "slug",
            "standfirst",
            "body",
            "social_headline",
            "social_description",
            "language",
            "section",
            "tags",
            "lead_photo",
            "publish_at",
            "featured",
        ]
        # The counters (article_form.js) measure against what search results and social
        # cards show before cutting the text off; the field's max_length is the hard stop.
        widgets = {
            # Two lines that grow: a normal headline is read whole while it is written.
            "headline": forms.Textarea(attrs={"rows": 2}),
            "social_headline": forms.TextInput(attrs={"data-count-limit": "70"}),
            "social_description": forms.Textarea(attrs={"rows": 3, "data-count-limit": "160"}),
        }
        help_texts = {
            "publish_at": gettext_lazy(
                "Toronto time. When the story goes live; leave empty to publish now."
            ),
        }
        labels = {
            "social_headline": gettext_lazy("Headline for search and social"),
            "social_description": gettext_lazy("Description for search and social"),
        }

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and data.get("_transition"):
            data = data.copy()
            data["status"] = data["_transition"]
        super().__init__(data, *args, **kwargs)
        self.conflict = None
        instance = self.instance
        if self.is_bound and not self.data.get("status"):
            # No move asked for: the story keeps its status.
            self.data = self.data.copy()
            self.data["status"] = instance.status
        self.initial.setdefault("status", instance.status)
        self.initial["loaded_version"] = instance.version if instance.pk else None
        # The photo's words in the story's language (a French story edits caption_fr…):
        # what its readers see and what the publish check asks for (Photo.text_in).
        suffix = "" if instance.language == languages.ENGLISH else f"_{instance.language}"
        self.photo_attrs = {key: f"{key}{suffix}" for key in PHOTO_DETAILS}
        if suffix:
            language = languages.name(instance.language)
            for key in PHOTO_DETAILS:
                field = self.fields[f"photo_{key}"]
                field.label = format_lazy("{} ({})", field.label, language)
        photo = instance.lead_photo if instance.lead_photo_id else None
        if photo is not None:
            self.initial.update(
                {f"photo_{key}": getattr(photo, attr) for key, attr in self.photo_attrs.items()}
            )
            if not workflow.can_edit_photo(self.user, photo):
                # Shown, not editable: a crafted POST gets the photo's own values back.
                for key in PHOTO_DETAILS:
                    self.fields[f"photo_{key}"].disabled = True
                self.fields["photo_caption"].help_text = _(
                    "Read-only: this photo is also used by a story you cannot edit. Upload a "
                    "new photo to describe it your way."
                )
        self.photo_details = {}
        if instance.pk:
            self.initial["tags"] = ", ".join(
                sorted((t.name for t in instance.tags.all()), key=str.lower)
            )

    @property
    def changed_data(self):
        # Status moves are logged in words by the admin; the version is bookkeeping.
        return [n for n in super().changed_data if n not in ("status", "loaded_version")]

    # --- validation -------------------------------------------------------------

    def clean_headline(self):
        # Typed in a box that wraps: a line break (Enter, or pasted) is a space.
        return " ".join((self.cleaned_data.get("headline") or "").split())

    def clean(self):
        cleaned = super().clean()
        instance = self.instance
        old = instance.status if instance.pk else Article.Status.DRAFT
        new = cleaned.get("status") or old
        cleaned["status"] = new
        if new not in Article.Status.values:
            # Checked here rather than by a choice field: that error would sit on a field
            # the page does not show.
            self.add_error(None, _("“%(status)s” is not a story status.") % {"status": new})
            return cleaned
        if instance.pk:
            self._check_conflict(cleaned)
            self._follow_headline(cleaned)
        try:
            workflow.check_transition(self.user, instance, old, new)
        except forms.ValidationError as refusal:
            # A refused move saves nothing at all, not even the text around it.
            self.add_error(None, refusal)
            return cleaned
        # Other apps' vetoes (the wire's embargoes and kills): the service asks them again.
        for problem in workflow.guard_problems(instance, old, new, cleaned.get("publish_at")):
            self.add_error(None, problem)
        self._clean_photo_details(cleaned)
        self._check_publishable(cleaned, new)
        self._check_change(cleaned)
        return cleaned

    def _check_change(self, cleaned):
        """A public story's new text says what kind of change it is: the rule
        ``Article.save()`` applies (articles.models.record), shown on the form's fields."""
        kind, note = cleaned.get("change_kind") or "", cleaned.get("change_note") or ""
        self.change = None
        if kind or note:
            change = Change(kind, note)
            try:
                change.check()
            except forms.ValidationError as problem:
                on_note = problem.code in ("note_required", "note_not_shown")
                field = "change_note" if on_note else "change_kind"
                self._add_change_error(field, problem)
                return
            self.change = change
        if self.errors:
            return  # the candidate below needs every field's clean value
        candidate = copy.copy(self.instance)
        for field in PUBLIC_TEXT:
            if field in cleaned:
                setattr(candidate, field, cleaned[field])
        candidate.status = cleaned["status"]
        if "publish_at" in cleaned:
            candidate.publish_at = cleaned["publish_at"]
        candidate.derive_fields()
        try:
            Plan(candidate, self.change, timezone.now())
        except forms.ValidationError as problem:
            self._add_change_error("change_kind", problem)

    def _add_change_error(self, field, problem):
        self.add_error(field if field in self.fields else None, problem)

    def _check_conflict(self, cleaned):
        loaded = cleaned.get("loaded_version")
        # Lock the row so two saves that both pass this check cannot interleave.
        current = (
            Article.objects.select_for_update(of=("self",))
            .select_related("last_edited_by", "section")
            .filter(pk=self.instance.pk)
            .first()
        )
        if current is None or loaded == current.version:
            return  # (a form without a version is treated as stale: it cannot prove otherwise)
        self.conflict = current
        who = current.last_edited_by.get_username() if current.last_edited_by else _("someone")
        self.add_error(
            None,
            forms.ValidationError(
                _(
                    "%(who)s saved this story while you were editing it (version %(theirs)s; "
                    "you started from version %(yours)s). Nothing of yours was saved. Their "
                    "text is shown below and kept in the history; your text is still in the "
                    "form. Merge what you need, then save again to keep your version."
                )
                % {"who": who, "theirs": current.version, "yours": loaded or "?"},
                code="edit_conflict",
            ),
        )
        # Saving again after seeing the conflict is a deliberate choice, so the next
        # submission is measured against the version just shown.
        self.data = self.data.copy()
        self.data["loaded_version"] = current.version

    def _follow_headline(self, cleaned):
        """While a story is being written, its slug keeps following a changed headline.

        Only a slug that still reads like the old headline follows; one the writer set
        by hand stays. Once a story is out the admin shows the slug read-only.
        """
        instance = self.instance
        if "slug" not in self.fields or instance.status not in workflow.WRITING_STATUSES:
            return
        headline = cleaned.get("headline")
        if not headline or headline == instance.headline or cleaned.get("slug") != instance.slug:
            return
        if instance.slug.startswith(slugify(instance.headline)[:180].strip("-") or "story"):
            cleaned["slug"] = ""  # Article.save() makes a fresh, unique one

    def _clean_photo_details(self, cleaned):
        """What the lead photo's caption, credit and alt text will be after this save.

        A new upload takes the fields as typed (blank where they showed a read-only
        photo's). An existing photo takes only what the writer changed in this form;
        the rest stays as the photo has it now, so choosing another photo in the list
        keeps its own caption instead of taking the one the form showed. Changing a
        photo used by a story this user may not edit is refused; repeating its own words
        is not a change.
        """
        typed = {key: (cleaned.get(f"photo_{key}") or "").strip() for key in PHOTO_DETAILS}
        if cleaned.get("photo_upload"):
            self.photo_details = {
                key: "" if self.fields[f"photo_{key}"].disabled else value
                for key, value in typed.items()
            }
            return
        photo = cleaned.get("lead_photo")
        if photo is None:
            self.photo_details = {}
            return
        # Changed: differs from what the photo says now, not only from what the form showed
        # (the chooser fills in the chosen photo's own words; keeping them changes nothing).
        changed = [
            key
            for key in PHOTO_DETAILS
            if f"photo_{key}" in self.changed_data
            and typed[key] != getattr(photo, self.photo_attrs[key])
        ]
        if changed and not workflow.can_edit_photo(self.user, photo):
            for key in changed:
                self.add_error(
                    f"photo_{key}",
                    _(
                        "This photo is also used by a story you cannot edit, so its caption, "
                        "credit and alt text cannot be changed here. Put back its own text "
                        "(“%(value)s”), or upload the photo again as a new one."
                    )
                    % {"value": getattr(photo, self.photo_attrs[key])},
                )
            changed = []
        self.photo_details = {
            key: typed[key] if key in changed else getattr(photo, self.photo_attrs[key])
            for key in PHOTO_DETAILS
        }

    def _check_publishable(self, cleaned, status):
        upload = cleaned.get("photo_upload")
        photo_present = bool(upload or cleaned.get("lead_photo"))
        details = self.photo_details
        problems = workflow.publish_problems(
            status=status,
            publish_at=cleaned.get("publish_at"),
            photo_present=photo_present,
            caption=details.get("caption"),
            credit=details.get("credit"),
            alt_text=details.get("alt_text"),
        )
        for field, message in problems.items():
            form_field = field if field == "publish_at" else f"photo_{field}"
            if form_field in self.fields:
                self.add_error(form_field, message)
            else:
                self.add_error(None, message)

    # --- saving -----------------------------------------------------------------

    def save(self, commit=True):
        article = super().save(commit=False)
        article.status = self.cleaned_data["status"]
        if getattr(self, "change", None) is not None:
            article.describe_change(self.change.kind, self.change.note)
        self._save_photo(article)
        if commit:
            article.save()
            self._save_m2m()
        return article

    def _save_photo(self, article):
        details = self.photo_details
        upload = self.cleaned_data.get("photo_upload")
        if upload:
            words = {self.photo_attrs[key]: value for key, value in details.items()}
            article.lead_photo = Photo.objects.create(image=upload, **words)
            return
        photo = article.lead_photo
        if photo is None:
            return
        changed = [
            self.photo_attrs[key]
            for key, value in details.items()
            if getattr(photo, self.photo_attrs[key]) != value
        ]
        if changed:
            for key, value in details.items():
                setattr(photo, self.photo_attrs[key], value)
            photo.save(update_fields=changed)
