# Shared by scripts/serve, scripts/test and scripts/worker: a virtualenv in .venv holding
# exactly the versions in uv.lock (the lock file the image installs too), and the project.
# Re-installs only when pyproject.toml or uv.lock changes.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "Creating the virtual environment in .venv…"
  "$PYTHON" -m venv .venv
fi
stamp=$(cat pyproject.toml uv.lock | sha256sum | cut -c1-16)
if [ "$(cat .venv/.deps-stamp 2>/dev/null)" != "$stamp" ]; then
  echo "Installing Newsroom and the versions in uv.lock…"
  # uv itself comes from PyPI, at the version the lock names (it is in the dev extra, so
  # the sync below keeps it).
  uv_version=$(sed -n '/^name = "uv"$/{n;s/^version = "\(.*\)"$/\1/p;}' uv.lock)
  if [ "$(.venv/bin/uv --version 2>/dev/null | cut -d' ' -f2)" != "$uv_version" ]; then
    .venv/bin/python -m pip --version >/dev/null 2>&1 || .venv/bin/python -m ensurepip --quiet
    .venv/bin/python -m pip install --quiet "uv==$uv_version"
  fi
  # --locked: refuse, saying so, when pyproject.toml and uv.lock disagree (run `uv lock` and
  # commit both). Exact: whatever the lock does not list is removed. Never a Python of uv's
  # own: the system's.
  UV_PYTHON_DOWNLOADS=never UV_PROJECT_ENVIRONMENT=.venv .venv/bin/uv sync --quiet --locked \
    --extra dev --python .venv/bin/python
  echo "$stamp" > .venv/.deps-stamp
fi
export PATH="$PWD/.venv/bin:$PATH"
# The interface's translations: Django reads the compiled catalogues (locale/*/LC_MESSAGES/*.mo,
# not committed), so compile each .po that is newer than its .mo (a no-op otherwise).
for po in locale/*/LC_MESSAGES/*.po; do
  [ -e "$po" ] || continue
  mo="${po%.po}.mo"
  if [ ! -e "$mo" ] || [ "$po" -nt "$mo" ]; then
    if command -v msgfmt >/dev/null; then
      msgfmt --check -o "$mo" "$po"
    else
      echo "Note: GNU gettext's msgfmt is missing, so $po is not compiled and the site stays in" >&2
      echo "English (install it: apt-get install gettext; then run this script again)." >&2
      break
    fi
  fi
done
