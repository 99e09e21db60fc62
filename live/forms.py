"""The composer's form: an entry's text (the story body's editor and sanitiser), an optional
photo from the library or a link, and the key point and pin flags."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy
from django_prose_editor.fields import ProseEditorFormField
from django_prose_editor.widgets import AdminProseEditorWidget

from articles.models import Photo
from articles.sanitize import clean_html
from desk.admin.widgets import PhotoChooserWidget
from desk.forms import BODY_EDITOR_EXTENSIONS

from .models import LiveEntry


class EntryForm(forms.Form):
    prefix = "live"

    body = ProseEditorFormField(
        label=gettext_lazy("Update"),
        required=False,
        extensions=BODY_EDITOR_EXTENSIONS,
        sanitize=clean_html,
        widget=AdminProseEditorWidget,
    )
    photo = forms.ModelChoiceField(
        label=gettext_lazy("Photo"),
        queryset=Photo.objects.all(),
        required=False,
        help_text=gettext_lazy("Its number in the photo library; “Choose” opens the library."),
    )
    link = forms.URLField(
        label=gettext_lazy("Link or embed address"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=gettext_lazy("A post, video or document: readers get a link to it."),
    )
    key_point = forms.BooleanField(label=gettext_lazy("Key point"), required=False)
    pinned = forms.BooleanField(label=gettext_lazy("Pin to the top"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photo"].widget = PhotoChooserWidget(
            LiveEntry._meta.get_field("photo").remote_field, admin.site
        )

    def values(self):
        data = self.cleaned_data
        return {
            "body": data["body"] or "",
            "photo": data["photo"],
            "link": data["link"] or "",
            "key_point": data["key_point"],
            "pinned": data["pinned"],
        }

    @classmethod
    def for_entry(cls, entry, **kwargs):
        return cls(
            initial={
                "body": entry.body,
                "photo": entry.photo_id,
                "link": entry.link,
                "key_point": entry.key_point,
                "pinned": entry.pinned,
            },
            **kwargs,
        )
