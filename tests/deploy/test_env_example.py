""".env.example lists every variable of the settings reference, and nothing else.

The reference (docs/settings.md) is itself checked against the code
(tests/test_settings_reference.py), so the example cannot drift from what is read.
"""

import re

from devtools.cluster import ROOT

EXAMPLE = ROOT / ".env.example"
REFERENCE = ROOT / "docs" / "settings.md"


def reference_rows():
    """``{name: meaning}`` of the reference's table."""
    rows = {}
    for line in REFERENCE.read_text().splitlines():
        if line.startswith("| `"):
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            for name in re.findall(r"`([A-Z][A-Z0-9_]*)`", cells[0]):
                rows[name] = cells[2]
    return rows


def example_names():
    """Names set (``NAME=``) or shown with their default (``# NAME=``) in .env.example."""
    return re.findall(r"^(?:# )?([A-Z][A-Z0-9_]*)=", EXAMPLE.read_text(), re.MULTILINE)


def test_the_example_lists_every_variable_of_the_reference_once():
    listed = example_names()
    wanted = {
        name for name, meaning in reference_rows().items() if not meaning.startswith("tests:")
    }
    assert sorted(set(listed)) == sorted(wanted), (
        f"missing from .env.example: {sorted(wanted - set(listed))}; "
        f"not in docs/settings.md: {sorted(set(listed) - wanted)}"
    )
    assert len(listed) == len(set(listed)), "a variable is listed twice in .env.example"


def test_secrets_are_left_empty_so_nothing_starts_with_a_known_one():
    values = dict(re.findall(r"^([A-Z][A-Z0-9_]*)=(.*)$", EXAMPLE.read_text(), re.MULTILINE))
    for name in ("SECRET_KEY", "POSTGRES_PASSWORD", "AWS_SECRET_ACCESS_KEY"):
        assert values[name] == "", f"{name} has a value in .env.example"
