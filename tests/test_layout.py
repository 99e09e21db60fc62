"""The layout the restructure (issue 22) settled on, kept so by tests: small modules, apps that
say their job, and after-save work wired one way."""

import ast
from pathlib import Path

import pytest
from django.apps import apps

ROOT = Path(__file__).resolve().parent.parent
APP_FOLDERS = ("newsroom", "articles", "desk", "ratings", "wordpress", "demo")
MAX_LINES = 600
# Word lists, not code: the demo's patterns in English and French.
WORD_LISTS = {"demo/topics.py", "demo/shapes.py", "demo/fr/topics.py", "demo/fr/shapes.py"}


def application_modules():
    for folder in APP_FOLDERS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" not in relative and relative not in WORD_LISTS:
                yield relative, path


def test_no_module_of_application_code_is_over_600_lines():
    """A module past 600 lines holds more than one concern: split it by concern."""
    long = {
        name: count
        for name, path in application_modules()
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


@pytest.mark.parametrize("folder", APP_FOLDERS)
def test_every_app_says_its_job_in_its_app_config(folder):
    """Each app's AppConfig has a docstring: a newcomer reads there what the app is for."""
    config = next(c for c in apps.get_app_configs() if c.name == folder)
    assert (type(config).__doc__ or "").strip(), f"{folder}/apps.py: say the app's job"


def test_signals_are_connected_only_in_signal_handlers_modules():
    """After-save work is wired one way: ``connect()`` in each app's signal_handlers.py only.

    No ``@receiver`` decorators (they connect on import, so correctness would hang on what
    happened to be imported) and no ``.connect(`` anywhere else in application code.
    """
    misplaced = []
    for name, path in application_modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef):
                for decorator in node.decorator_list:
                    target = decorator.func if isinstance(decorator, ast.Call) else decorator
                    if getattr(target, "id", getattr(target, "attr", None)) == "receiver":
                        misplaced.append(f"{name}:{node.lineno} @receiver")
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "connect"
                # ``signal_handlers.connect()`` from ready() is the one way in.
                and getattr(node.func.value, "id", None) != "signal_handlers"
                and not name.endswith("/signal_handlers.py")
            ):
                misplaced.append(f"{name}:{node.lineno} .connect(")
    assert misplaced == []
