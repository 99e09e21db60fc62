# Shared by scripts/serve and scripts/test: a virtualenv in .venv with the project installed.
# Re-installs only when pyproject.toml changes.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "Creating the virtual environment in .venv…"
  "$PYTHON" -m venv .venv
fi
stamp=$(sha256sum pyproject.toml | cut -c1-16)
if [ "$(cat .venv/.deps-stamp 2>/dev/null)" != "$stamp" ]; then
  echo "Installing Newsroom and its dependencies…"
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e ".[dev]"
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
