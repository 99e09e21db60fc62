"""French demo content: the words of ``topics`` and ``shapes`` for the French site.

``fr.topics`` and ``fr.shapes`` have every name of the English modules, with the same topic
labels (so a French story and an English one of a topic can be paired as translations), the
same number of shapes per topic and the same photos (same index, same composition: the image
is shared, the caption is French). The generator uses them in two ways. A French-only story
is written from ``fr.shapes.SHAPES`` (original French news, in francophone places from
``fr.shapes.TOPIC_PLACES`` or ``fr.topics.PLACES``) and ``fr.topics.TOPICS`` for its body,
exactly as an English story is written from the English modules. A translated pair is the
English story of shape ``i`` plus a French story written from ``fr.shapes.TRANSLATED_SHAPES``
at the same index ``i``: same photo, same opinion flag, the English place turned into its
French name with ``fr.shapes.PLACE_NAMES`` and the same numbers, while the body comes from
``fr.topics.TOPICS`` as for any French story. The fixed sentences the generator writes around
the facts (and the reporters’ job titles) are in ``fr.topics.BODY`` and ``fr.topics.BEATS``.

The French filler fills the placeholders of ``PLACEHOLDERS`` (and no others), in French style:
the text already carries the no-break space before ``%`` and ``$`` and between digit groups,
so the filler gives bare numbers with a decimal comma. Headlines that contain any province
form count as variable for the generator’s retelling rule, like ``{province}`` in English.
Place names used as tags (``Montréal``) slugify to the English tag’s slug (``montreal``):
the generator must look such tags up by slug, or keep tags per language.
"""

# Placeholder → what the French filler puts there (every one the French text uses).
PLACEHOLDERS = {
    "place": "the French name of the place: « Montréal », « Québec », « London, en Ontario »",
    "de_place": "« de » + place, elided before a vowel or mute h: « de Laval », « d’Ottawa »",
    "province": "the place’s province with its article: « le Québec », « l’Ontario »",
    "en_province": "the province after « en/au/aux/à »: fr.shapes.PROVINCE_FORMS[province][0]",
    "de_province": "the province after « de »: fr.shapes.PROVINCE_FORMS[province][1]",
    "n": "a bare integer 2–9, as in English ({n} 000 hectares, {n} milliards de dollars)",
    "pct": "a bare number with a decimal comma and no sign: « 2,4 », « 6 », « 2,75 »",
    "money": "an amount with no-break spaces between groups and before $: « 450 000 $ »",
}

# What fr.topics.BODY also uses: the person quoted in the story, and the author’s years.
BODY_PLACEHOLDERS = {
    "speaker": "the quoted person’s full name, from fr.topics.FIRST_NAMES and LAST_NAMES",
    "role": "one of fr.topics.ROLES, as it follows the name: « porte-parole de la Ville »",
    "first_name": "the quoted person’s (or in author_bio the author’s) first name",
    "years": "a bare integer, how many years the author has covered the region",
}
