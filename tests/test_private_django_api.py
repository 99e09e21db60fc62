"""The project uses Django's public API only: private names break on upgrades (style §13).

A name is private to Django when it starts with one underscore and Django itself defines or
reads it as an attribute (``qs._result_cache``, ``query._filtered_relations``…). Any project
file that reads such an attribute, imports such a name from Django, or spells it in a string
(``__dict__["_prefetched_objects_cache"]``) fails this test, unless the project defines a
name of its own by that spelling. Also refused: the SQL compiler's internals, which have
public-looking names, and in application code any attribute of a queryset's ``query``
(``qs.query.annotations``, ``qs.query.where``…): the ``Query`` object is undocumented
internals whatever its names look like. The few underscore names Django documents as public
are allowed.
"""

import re
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
APPLICATION_FOLDERS = ["articles", "ratings", "newsroom", "desk", "wordpress"]
PROJECT_FOLDERS = [*APPLICATION_FOLDERS, "tests", "bench", "scripts"]

# Documented as public API despite the underscore: "Model _meta API"; "Model._state" in the
# model instance reference; "Model._default_manager" / "_base_manager" in Managers.
DOCUMENTED = {"_meta", "_state", "_default_manager", "_base_manager"}
# The SQL compiler and row conversion: internals with public-looking names.
COMPILER_INTERNALS = re.compile(
    r"\b(get_compiler|get_converters|apply_converters|results_iter|execute_sql|"
    r"get_select|setup_query|pre_sql_setup)\s*\("
)
# Reading or calling anything on a queryset's Query object (``.query.annotations``).
QUERY_ATTRIBUTE = re.compile(r"\.query\.([A-Za-z_][A-Za-z0-9_]*)")

ATTRIBUTE = re.compile(r"\.(_[A-Za-z][A-Za-z0-9_]*)\b")
DEFINITION = re.compile(
    r"(?:\bdef\s+|\bclass\s+|^\s*|\.)(_[A-Za-z][A-Za-z0-9_]*)\s*(?:\(|:|=(?!=))", re.M
)
IMPORTED = re.compile(r"^\s*from\s+django[\w.]*\s+import\s+([^\n]+)", re.M)
QUOTED = re.compile(r"""["'](_[A-Za-z][A-Za-z0-9_]*)["']""")


def _project_files():
    for folder in PROJECT_FOLDERS:
        yield from (ROOT / folder).rglob("*.py")
    yield ROOT / "manage.py"


def _django_private_names():
    names = set()
    for path in Path(django.__file__).parent.rglob("*.py"):
        text = path.read_text(encoding="utf-8", errors="replace")
        names.update(ATTRIBUTE.findall(text))
        names.update(DEFINITION.findall(text))
    return names


def _project_definitions(texts):
    return {name for text in texts.values() for name in DEFINITION.findall(text)}


def _private_uses(text, private, application=False):
    for number, line in enumerate(text.splitlines(), start=1):
        if application:
            for name in QUERY_ATTRIBUTE.findall(line):
                yield number, f"query.{name}"
        names = set(ATTRIBUTE.findall(line)) | set(QUOTED.findall(line))
        for imported in IMPORTED.findall(line):
            names.update(n.strip(" ()") for n in re.split(r"[,\s]+as\s+\w+|,", imported))
        for name in sorted(names & private):
            yield number, name
        if COMPILER_INTERNALS.search(line):
            yield number, COMPILER_INTERNALS.search(line).group(1)


def test_no_project_file_uses_a_private_django_name():
    texts = {
        path: path.read_text(encoding="utf-8")
        for path in _project_files()
        if path.resolve() != Path(__file__).resolve()
    }
    private = _django_private_names() - _project_definitions(texts) - DOCUMENTED
    found = [
        f"{path.relative_to(ROOT)}:{number}: {name}"
        for path, text in sorted(texts.items())
        for number, name in _private_uses(
            text, private, application=path.relative_to(ROOT).parts[0] in APPLICATION_FOLDERS
        )
    ]
    assert found == [], "Private Django API in use:\n" + "\n".join(found)


def test_the_check_finds_what_it_is_for():
    private = _django_private_names() - DOCUMENTED
    sample = (
        "queryset._result_cache = rows\n"
        "story.__dict__['_prefetched_objects_cache'] = {}\n"
        "compiler = qs.query.get_compiler(using='default')\n"
        "from django.db.models.base import _has_contribute_to_class\n"
        "fields = Article._meta.concrete_fields\n"
    )
    assert [name for _, name in _private_uses(sample, private)] == [
        "_result_cache",
        "_prefetched_objects_cache",
        "get_compiler",
        "_has_contribute_to_class",
    ]


def test_the_check_refuses_the_query_objects_attributes_in_application_code():
    """``qs.query.annotations`` and its kind are internals, whatever their names look like."""
    sample = (
        'if "is_mine" in queryset.query.annotations:\n'
        "    where = qs.query.where\n"
        "print(str(qs.query))\n"
    )
    assert [name for _, name in _private_uses(sample, set(), application=True)] == [
        "query.annotations",
        "query.where",
    ]
