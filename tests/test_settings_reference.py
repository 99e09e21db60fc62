"""The settings reference (docs/settings.md) lists exactly the environment variables read.

The code is read, not run: Python modules are parsed with ``ast`` for ``env()``-style calls,
``os.environ.get``, ``os.environ[...]`` and ``os.getenv`` with a literal name; the shell
scripts for ``${NAME:-default}`` / ``${NAME-default}`` reads.
"""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "docs" / "settings.md"
# Where configuration is read: the apps and the project package (settings, gunicorn config,
# commands), manage.py, the scripts, and the tests (their few knobs are listed too, marked).
PYTHON_SOURCES = [
    "newsroom", "articles", "ratings", "desk", "wordpress", "live", "cdn", "newsletters",
    "tests", "deploy", "manage.py",
]  # fmt: skip
SHELL_SOURCES = ["scripts"]
# compose.yaml's own variables (``${NAME}``, ``${NAME:-default}``, ``${NAME:?error}``).
COMPOSE_SOURCES = ["compose.yaml"]
# The settings module's helpers (newsroom/settings.py), all taking the name first.
ENV_HELPERS = {"env", "env_int", "env_bool", "env_list", "env_float"}
# The system's own variables, read to find programs and temporary folders, not configuration.
SYSTEM = {"PATH", "TMPDIR", "HOME"}
# Listed because operators set them, but read by a library on our behalf, not by our code.
READ_BY_LIBRARIES = {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}  # boto3


def _is_os_environ(node):
    return (
        isinstance(node, ast.Attribute)
        and node.attr == "environ"
        and isinstance(node.value, ast.Name)
        and node.value.id == "os"
    )


def _literal(node):
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def names_read_by_python(source):
    """Every literal variable name the module reads from the environment."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and node.args:
            func = node.func
            helper = isinstance(func, ast.Name) and func.id in ENV_HELPERS
            environ_get = (
                isinstance(func, ast.Attribute)
                and func.attr == "get"
                and _is_os_environ(func.value)
            )
            getenv = (
                isinstance(func, ast.Attribute)
                and func.attr == "getenv"
                and isinstance(func.value, ast.Name)
                and func.value.id == "os"
            )
            if (helper or environ_get or getenv) and _literal(node.args[0]):
                names.add(_literal(node.args[0]))
        elif (
            isinstance(node, ast.Subscript)
            and isinstance(node.ctx, ast.Load)
            and _is_os_environ(node.value)
            and _literal(node.slice)
        ):
            names.add(_literal(node.slice))
    return names


COMPOSE_READ = re.compile(r"(?<!\$)\$\{([A-Z][A-Z0-9_]*)(?:[:]?[-?][^}]*)?\}")


def names_read_by_compose(source):
    """Variables compose.yaml interpolates (``$${NAME}`` is the container's, not compose's)."""
    return set(COMPOSE_READ.findall(source))


SHELL_READ = re.compile(r"\$\{([A-Z][A-Z0-9_]*)[:]?-")


def names_read_by_shell(source):
    """Variables a script reads with a default (``${NAME:-…}``): its configuration."""
    return set(SHELL_READ.findall(source))


def names_read():
    names = set()
    for place in PYTHON_SOURCES:
        path = ROOT / place
        files = [path] if path.is_file() else sorted(path.rglob("*.py"))
        for file in files:
            names |= names_read_by_python(file.read_text())
    for place in SHELL_SOURCES:
        for file in sorted((ROOT / place).iterdir()):
            if file.is_file():
                names |= names_read_by_shell(file.read_text())
    for place in COMPOSE_SOURCES:
        names |= names_read_by_compose((ROOT / place).read_text())
    return names - SYSTEM


def names_listed():
    """The backticked names in the first cell of each row of the reference's table."""
    names = set()
    for line in REFERENCE.read_text().splitlines():
        if line.startswith("| `"):
            first_cell = line.split("|")[1]
            names |= set(re.findall(r"`([A-Z][A-Z0-9_]*)`", first_cell))
    return names


def test_every_environment_variable_read_is_in_the_settings_reference():
    """A variable the code reads but docs/settings.md does not list fails, named."""
    missing = names_read() - names_listed()
    assert not missing, f"Add a row to docs/settings.md for: {', '.join(sorted(missing))}"


def test_the_settings_reference_lists_no_variable_nothing_reads():
    """A row for a variable no code reads (renamed, removed) fails, named."""
    unread = names_listed() - names_read() - READ_BY_LIBRARIES
    assert not unread, f"Nothing reads these, remove their rows: {', '.join(sorted(unread))}"


def test_the_reader_finds_each_way_of_reading_the_environment():
    """The parser sees env helpers, os.environ.get, os.environ[...], os.getenv and ${X:-}."""
    source = (
        "import os\n"
        "A = env('ONE', 1)\nB = env_float('TWO', 2)\n"
        "C = os.environ.get('THREE')\nD = os.environ['FOUR']\nE = os.getenv('FIVE')\n"
        "os.environ.setdefault('NOT_A_READ', 'x')\nos.environ['NOT_A_READ_EITHER'] = 'y'\n"
    )
    assert names_read_by_python(source) == {"ONE", "TWO", "THREE", "FOUR", "FIVE"}
    assert names_read_by_compose("a: ${EIGHT:-x}\nb: ${NINE:?say}\nc: $${NOT_COMPOSE}") == {
        "EIGHT",
        "NINE",
    }
    assert names_read_by_shell('x=${SIX:-1}\ny="${SEVEN-2}"\necho "$NOT_CONFIG"') == {
        "SIX",
        "SEVEN",
    }
