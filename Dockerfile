# syntax=docker/dockerfile:1
# One image for every Newsroom process: the web servers (gunicorn, the default command), the
# workers, the beat and the one-shot migrations; compose.yaml picks the command of each
# (docs/how-to/compose.md). No container engine runs on the development machines or CI, so
# tests/deploy/test_image.py runs this file's RUN lines and compose.yaml's commands as a
# script in a fresh folder instead (its docstring says what that proves and what it does not).
#
# The base is pinned to an exact release; to pin its digest too, write
# python:3.11.13-slim-bookworm@sha256:<digest> (`docker buildx imagetools inspect` prints it).
ARG PYTHON_IMAGE=python:3.11.13-slim-bookworm

# ---------------------------------------------------------------- build: the venv, .mo, static
FROM ${PYTHON_IMAGE} AS build
# Extras to install besides the site's own dependencies, e.g. --build-arg EXTRAS="--extra sentry".
ARG EXTRAS=""
ENV VIRTUAL_ENV=/opt/venv \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    UV_PYTHON_DOWNLOADS=never \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    PIP_DISABLE_PIP_VERSION_CHECK=1
# GNU gettext's msgfmt compiles the French catalogue; only this stage has it.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# The lock first, so a change to the code alone reuses the installed layer.
COPY pyproject.toml uv.lock ./
# uv at the version uv.lock names, then exactly the locked versions (--locked: a lock that
# disagrees with pyproject.toml stops the build). Not the project itself: it runs from /app.
RUN python -m pip install --no-cache-dir \
        "uv==$(sed -n '/^name = "uv"$/{n;s/^version = "\(.*\)"$/\1/p;}' uv.lock)"
# hadolint ignore=SC2086
RUN --mount=type=cache,target=/root/.cache/uv uv sync --locked --no-install-project $EXTRAS
COPY . .
RUN for po in locale/*/LC_MESSAGES/*.po; do msgfmt --check -o "${po%.po}.mo" "$po"; done
# Static files with whitenoise's manifest, as production serves them. The key is thrown away:
# collectstatic reads no secret, but production settings refuse to load without one.
RUN DJANGO_ENV=production ALLOWED_HOSTS=build STATIC_ROOT=/app/staticfiles \
    SECRET_KEY="build-only-$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
    "$VIRTUAL_ENV/bin/python" manage.py collectstatic --noinput --verbosity 0

# ---------------------------------------------------------------- runtime: slim, not root
FROM ${PYTHON_IMAGE} AS runtime
RUN groupadd --system --gid 10001 newsroom \
    && useradd --system --uid 10001 --gid newsroom --home-dir /app --shell /usr/sbin/nologin newsroom
ENV VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/app \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_ENV=production \
    STATIC_ROOT=/app/staticfiles \
    BIND=0.0.0.0:8000 \
    LOG_FORMAT=json \
    PROMETHEUS_MULTIPROC_DIR=/tmp/newsroom-metrics
COPY --from=build /opt/venv /opt/venv
COPY --from=build --chown=root:root /app /app
WORKDIR /app
USER 10001:10001
EXPOSE 8000
# The web server; compose.yaml gives the workers, the beat and the migrations their commands.
CMD ["gunicorn", "-c", "newsroom/gunicorn.conf.py"]
