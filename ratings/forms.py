import unicodedata

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import FEEDBACK_MAX_LENGTH

STARS_ERROR = _("Choose a rating from 1 to 5 stars.")


class VoteForm(forms.Form):
    stars = forms.TypedChoiceField(
        choices=[(str(n), str(n)) for n in range(1, 6)],
        coerce=int,
        error_messages={"required": STARS_ERROR, "invalid_choice": STARS_ERROR},
    )
    feedback = forms.CharField(
        required=False,
        max_length=FEEDBACK_MAX_LENGTH,
        error_messages={
            "max_length": _(
                "Your feedback is too long: please keep it under %(limit_value)d characters "
                "(it has %(show_value)d)."
            )
        },
    )

    def clean_feedback(self):
        """Plain text only: drop control characters (keeping line breaks)."""
        text = self.cleaned_data["feedback"]
        return "".join(
            ch for ch in text if ch in "\n\t" or not unicodedata.category(ch).startswith("C")
        ).strip()

    def first_error(self):
        for errors in self.errors.values():
            return errors[0]
        return ""
