"""The Jinja2 environment of the public site's templates (``templates/jinja2/``).

Readers' pages are rendered with Jinja2 rather than Django's template language: the story
page is the one page rendered fresh for every story in the archive, and Jinja2 compiles a
template to Python once where Django's engine walks its nodes on every render (about three
quarters of an uncached story page's time went there; docs/benchmarks.md, "A busy story"). The admin
and the desk keep Django's templates.

Translations: ``_()`` takes a string literal, so ``makemessages`` finds it (it reads
``{{ _("…") }}`` in any ``.html`` file) and the fr-CA catalogue keeps its message ids. A
literal in a template is trusted HTML, as with ``{% translate %}``; values put into it
with ``|format(name=value)`` are escaped. Plural sentences are built in Python with
``ngettext`` (``makemessages`` does not read Jinja2's plural blocks).

What the pages call beyond the basics, each app registers in its ``AppConfig.ready()``
(``register(globals=..., filters=...)``): this module imports no app.
"""

import weakref

from django.contrib.humanize.templatetags.humanize import intcomma
from django.templatetags.static import static
from django.utils import formats, timezone
from django.utils.text import Truncator
from django.utils.translation import get_language, gettext, ngettext
from jinja2 import ChainableUndefined, Environment, pass_context
from markupsafe import Markup

# (language, literal) → its translation, trusted. Bounded: the templates' literals, in each
# language; a page asking Django's gettext some forty times cost a fifth of its render.
_TRANSLATED = {}


@pass_context
def translate(context, message):
    """``{% translate %}``: the literal in the reader's language, trusted like the template."""
    language = context.get("LANGUAGE_CODE") or get_language()
    try:
        return _TRANSLATED[language, message]
    except KeyError:
        text = Markup(gettext(message))  # noqa: S704 - literals of our own templates, see above
        if len(_TRANSLATED) < 10_000:  # a variable passed by mistake cannot grow it for ever
            _TRANSLATED[language, message] = text
        return text


def truncatewords(value, count):
    return Truncator(value).words(count, truncate=" …")


def linebreaksbr(value):
    """Line breaks as ``<br>``, the text itself escaped."""
    return Markup("<br>").join(str(value).splitlines())


def date(value, format_name):
    """``|date:"DATETIME_FORMAT"``: a moment in the site's time zone, in the locale's format."""
    return formats.date_format(timezone.localtime(value), format_name)


def results_found(count):
    """ "12,345 stories found.": a plural sentence, so built here (see the module's docstring)."""
    return ngettext("%(n)s story found.", "%(n)s stories found.", count) % {"n": intcomma(count)}


# What the apps' pages call, registered in their ready(): register().
_GLOBALS = {}
_FILTERS = {}
_environments = weakref.WeakSet()

# Place on every page ("footer") → templates the apps add there: register_page_part().
_PAGE_PARTS = {}


def register_page_part(place, template_name):
    """Include ``template_name`` at ``place`` of every reader's page (``base.html`` says where:
    ``page_parts("footer")``). The template must be the same for every reader: pages are cached."""
    parts = _PAGE_PARTS.setdefault(place, [])
    if template_name not in parts:
        parts.append(template_name)


def page_parts(place):
    """The templates the apps add at ``place``, in registration order."""
    return _PAGE_PARTS.get(place, ())


def register(globals=None, filters=None):  # noqa: A002 - Jinja2's own word
    """Make these functions callable (``globals``) or usable as ``|filters`` in templates."""
    _GLOBALS.update(globals or {})
    _FILTERS.update(filters or {})
    for env in _environments:  # an environment made before the registration gets them too
        env.globals.update(globals or {})
        env.filters.update(filters or {})


def environment(**options):
    # ChainableUndefined: a missing variable or attribute renders as nothing, as in
    # Django's templates, instead of raising in front of a reader.
    options["undefined"] = ChainableUndefined
    options.pop("autoescape", None)  # always on, whatever the settings say
    env = Environment(autoescape=True, **options)
    env.globals.update(
        _=translate,
        static=static,
        now=timezone.localtime,
        date=date,
        results_found=results_found,
        page_parts=page_parts,
    )
    # Each app says what its pages call (register(), from its ready()).
    env.globals.update(_GLOBALS)
    env.filters.update(
        truncatewords=truncatewords,
        linebreaksbr=linebreaksbr,
    )
    env.filters.update(_FILTERS)
    _environments.add(env)
    return env
