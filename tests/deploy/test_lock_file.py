"""uv.lock is the one list of versions installed, and it says what pyproject.toml asks for.

``uv sync --locked`` (scripts/_env.sh, the Dockerfile) would refuse a stale lock at install
time, but only after asking PyPI; these tests read the two files and fail at once, offline:
uv records in the lock the requirements it was resolved from (the project's ``requires-dist``),
so a dependency added, removed or given other bounds in pyproject.toml without ``uv lock``
shows as a difference here.
"""

import re
import tomllib

from packaging.requirements import Requirement

from devtools.cluster import ROOT


def _name(value):
    return re.sub(r"[-_.]+", "-", value).lower()


def declared():
    """Every requirement of pyproject.toml as (name, extras, specifier, extra it belongs to)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    groups = [(None, project["dependencies"])]
    groups += list(project.get("optional-dependencies", {}).items())
    found = set()
    for extra, requirements in groups:
        for line in requirements:
            requirement = Requirement(line)
            found.add(
                (
                    _name(requirement.name),
                    tuple(sorted(requirement.extras)),
                    str(requirement.specifier),
                    extra,
                )
            )
    return found


def locked_project():
    lock = tomllib.loads((ROOT / "uv.lock").read_text())
    (package,) = [p for p in lock["package"] if p["name"] == "newsroom"]
    return lock, package


def recorded(package):
    """The requirements uv resolved the lock from, in the same shape as ``declared()``."""
    found = set()
    for entry in package["metadata"]["requires-dist"]:
        marker = entry.get("marker", "")
        extra = re.fullmatch(r"extra == '([^']+)'", marker)
        assert marker == "" or extra, f"a marker this test does not know: {marker!r}"
        found.add(
            (
                _name(entry["name"]),
                tuple(sorted(entry.get("extras", ()))),
                str(Requirement(f"x{entry.get('specifier', '')}").specifier),
                extra.group(1) if extra else None,
            )
        )
    return found


def test_the_lock_was_made_from_the_requirements_in_pyproject():
    _, package = locked_project()
    missing = declared() - recorded(package)
    stale = recorded(package) - declared()
    assert not missing and not stale, (
        "pyproject.toml and uv.lock disagree: run `uv lock` and commit uv.lock.\n"
        f"In pyproject.toml, not in the lock: {sorted(missing, key=str)}\n"
        f"In the lock, not in pyproject.toml: {sorted(stale, key=str)}"
    )


def test_every_locked_version_satisfies_its_requirement():
    lock, package = locked_project()
    versions = {}
    for each in lock["package"]:
        versions.setdefault(_name(each["name"]), []).append(each["version"])
    for name, _extras, specifier, _extra in declared():
        assert name in versions, f"{name} is required but not in uv.lock"
        requirement = Requirement(f"{name}{specifier}")
        assert any(requirement.specifier.contains(v) for v in versions[name]), (
            f"uv.lock has {name} {versions[name]}, outside {specifier}"
        )


def test_the_environment_and_the_image_install_from_the_lock():
    env_script = (ROOT / "scripts/_env.sh").read_text()
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "uv sync" in env_script and "--locked" in env_script
    assert "pip install -e" not in env_script  # nothing resolved afresh behind the lock's back
    assert "uv.lock" in dockerfile and "uv sync" in dockerfile and "--locked" in dockerfile
