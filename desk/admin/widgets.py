"""Widgets of the desk's forms: autocompletes that survive bad ids, the photo chooser."""

from django.contrib.admin.widgets import AutocompleteSelect, ForeignKeyRawIdWidget

from newsroom.params import positive_int


class IdAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete select, for a foreign key to an integer id, that survives a
    posted value which is no id ("abc", "1.5", 10^20, a NUL).

    The form already answers such a value with "Select a valid choice"; Django's widget then
    looks the value up again to redisplay it, and that query fails (a 500). Values that
    cannot be an id are left out of the redisplay instead.
    """

    def optgroups(self, name, value, attr=None):
        groups = super().optgroups(name, [v for v in value if positive_int(v) is not None], attr)
        # The blank choice is an empty <option>, which HTML does not allow without a label;
        # the attribute satisfies it without showing text in the box (select2 shows none).
        for _group, options, _index in groups:
            for option in options:
                if option["value"] in ("", None) and not option["label"]:
                    option["attrs"]["label"] = "—"
        return groups


class IdAutocompleteMixin:
    """Use ``IdAutocompleteSelect`` for every field in ``autocomplete_fields``."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request) and "widget" not in kwargs:
            kwargs["widget"] = IdAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class PhotoChooserWidget(ForeignKeyRawIdWidget):
    """The story form's lead photo: the chosen photo shown with its caption, "Change" (the
    photo library's grid in a dialog inside the page, photo_chooser.js) and "Remove", and a
    place to drop a new photo, which goes into the form's own upload field (so the upload
    takes the same checks and service as any other). Without JavaScript the photo's number
    is typed in."""

    template_name = "admin/widgets/photo_chooser.html"

    class Media:
        css = {"all": ["desk/photo_library.css"]}
        js = ["desk/photo_chooser.js"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.attrs.setdefault("inputmode", "numeric")
        self.attrs.setdefault("size", 8)

    def label_and_url_for_value(self, value):
        # Django's raw-id widget looks the object up for a link; the card below shows the
        # photo itself from its own lookup, one query, not two.
        return "", ""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        photo = None
        if positive_int(value) is not None:
            photo = self.rel.model._default_manager.using(self.db).filter(pk=value).first()
        context["photo"] = photo
        # The whole photo (not the cards' 3:2 crop): the journalist checks what it shows.
        context["photo_url"] = photo.rendition_url(320) if photo is not None and photo.image else ""
        # The library in picker mode (Django's lookup flag), fetched into the dialog.
        related_url = context.get("related_url") or ""
        joiner = "&" if "?" in related_url else "?"
        context["library_url"] = f"{related_url}{joiner}_popup=1" if related_url else ""
        return context
