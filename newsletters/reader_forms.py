"""The readers' forms: signing up (footer, story page, a list's page) and choosing lists."""

from django import forms
from django.utils.translation import gettext_lazy as _

EMAIL_REQUIRED = _("Enter your email address.")
EMAIL_INVALID = _("Enter a valid email address, like name@example.com.")
NO_SUCH_LIST = _("This newsletter is not offered any more. Choose another one below.")
SOURCE_MAX_LENGTH = 300


class SignupForm(forms.Form):
    """An address and the list it signs up to, with the page the form was on.

    ``lists`` is the queryset of lists offered on the page's language's pages: a slug
    from another language, or of a list no longer active, is a form error.
    """

    email = forms.EmailField(
        max_length=254,
        error_messages={"required": EMAIL_REQUIRED, "invalid": EMAIL_INVALID},
    )
    newsletter = forms.SlugField(max_length=100, error_messages={"required": NO_SUCH_LIST})
    source = forms.CharField(required=False, max_length=2000)

    def __init__(self, *args, lists, **kwargs):
        super().__init__(*args, **kwargs)
        self.lists = lists

    def clean_email(self):
        return self.cleaned_data["email"].strip()

    def clean_newsletter(self):
        chosen = self.lists.filter(slug=self.cleaned_data["newsletter"]).first()
        if chosen is None:
            raise forms.ValidationError(NO_SUCH_LIST)
        return chosen

    def clean_source(self):
        """The path of the page the form was on, for the consent record: a path of this site
        only (anything else, such as a full address, is not kept)."""
        source = self.cleaned_data["source"].strip()
        if not source.startswith("/") or source.startswith("//") or "\\" in source:
            return ""
        return source[:SOURCE_MAX_LENGTH]

    def first_error(self):
        for errors in self.errors.values():
            return errors[0]
        return ""


class PreferencesForm(forms.Form):
    """The lists a subscriber wants, among those offered."""

    newsletters = forms.ModelMultipleChoiceField(
        queryset=None, required=False, to_field_name="slug"
    )

    def __init__(self, *args, lists, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["newsletters"].queryset = lists
