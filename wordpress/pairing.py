"""Linking the translation pairs once every post of the run is written.

A translation may come before its original in the file, or in another batch, so the links
are written at the end of the run, in one transaction, with the checks of
``Article.clean()`` done beforehand so that no link is refused half-way (each pair that
cannot be linked is left standing alone and reported). See ``wordpress.languages`` for the
rules.
"""

from django.utils.translation import gettext as _

from articles.models import Article, Section

from .languages import group_members, language_code
from .mapping import _section_slug
from .models import WordPressPost

CHUNK = 2000


def _stories(site, wp_ids):
    """``{wp id: story}`` of the posts imported from ``site`` (earlier runs included)."""
    found, wp_ids = {}, sorted(wp_ids)
    for start in range(0, len(wp_ids), CHUNK):
        rows = WordPressPost.objects.filter(
            site=site, wp_id__in=wp_ids[start : start + CHUNK]
        ).select_related("article")
        found.update((row.wp_id, row.article) for row in rows)
    return found


def link_translations(importer):
    """Each translation → its original (``translation_of``), up to date when written now.

    A pair already linked keeps its ``translated_version`` unless this run wrote the
    translation (then WordPress had it in step with its original); a translation edited
    here since the import is thus shown out of date when its original changes.
    """
    plan, report = importer.plan, importer.report
    for key, sentence in plan.problems:
        report.refuse_group(key, sentence)
    if plan.alone:
        report.translations[_("translation groups of one post (imported alone)")] += plan.alone
    originals = plan.originals
    if not originals:
        return
    stories = _stories(importer.site, set(originals) | set(originals.values()))
    changed, claimed = [], set()
    for translation_id, original_id in sorted(originals.items()):
        translation, original = stories.get(translation_id), stories.get(original_id)
        if translation is None or original is None:
            missing = translation_id if translation is None else original_id
            report.refuse_group(
                f"#{original_id} ↔ #{translation_id}",
                _("post #%(id)s was not imported: the other stands alone") % {"id": missing},
            )
            continue
        if translation.translation_of_id == original.pk:
            if translation_id in importer._written:
                translation.translated_version = original.version
                changed.append(translation)
            report.translations[_("pairs linked")] += 1
            continue
        if translation_id not in importer._written:
            # Not linked, and not written by this run: an editor unlinked it here (the
            # story was edited, so the import keeps it as it is).
            report.translations[_("pairs left unlinked: edited here")] += 1
            continue
        problem = _problem(translation, original, claimed)
        if problem:
            report.refuse_group(f"#{original_id} ↔ #{translation_id}", problem)
            continue
        translation.translation_of = original
        translation.translated_version = original.version
        claimed.add((original.pk, translation.language))
        changed.append(translation)
        report.translations[_("pairs linked")] += 1
    # Neither the version nor updated_at: linking is not an edit (an import's own story
    # stays "unchanged since the import" for the next run).
    Article.objects.bulk_update(changed, ["translation_of", "translated_version"])


def _problem(translation, original, claimed):
    """Why the pair cannot be linked (the rules of ``Article.clean()``), or None."""
    if translation.translation_of_id is not None:
        return _("the translation was linked to another story here: left as it is")
    if original.translation_of_id is not None:
        return _("the original is itself a translation here: left standing alone")
    if translation.translations.exists():
        return _("the translation has translations of its own here: left standing alone")
    taken = (original.pk, translation.language) in claimed
    if taken or original.translations.filter(language=translation.language).exists():
        return _("the original already has a translation in this language: left standing alone")
    return None


def link_sections(importer):
    """Sections paired (``translation_of``) when Polylang's term translations pair their
    categories: the default language's section is the original."""
    groups = importer.channel.translation_terms.get("term_translations", {})
    if not groups:
        return
    names = importer._term_names
    default = importer.plan.default
    for description in groups.values():
        members = {}
        for raw, term_id in (group_members(description) or {}).items():
            code, nicename = language_code(raw), importer._term_ids.get(term_id)
            if code and nicename:
                slug = _section_slug(nicename, names.get(nicename, nicename))
                section = Section.objects.filter(language=code, slug=slug).first()
                if section is not None:
                    members[code] = section
        if len(members) < 2:
            continue  # not a category group, or a language without stories
        original = members.get(default) or min(members.values(), key=lambda s: s.pk)
        for section in members.values():
            if section == original:
                continue
            if section.translation_of_id == original.pk:
                importer.report.sections[_("paired (already)")] += 1
                continue
            if (
                section.translation_of_id is not None
                or original.translation_of_id is not None
                or original.translations.filter(language=section.language).exists()
                or section.translations.exists()
            ):
                importer.report.sections[_("not paired: paired otherwise here")] += 1
                continue
            section.translation_of = original
            section.save(update_fields=["translation_of"])
            importer.report.sections[_("paired (Polylang's category translations)")] += 1
