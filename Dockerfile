# CivicDesk app image: the web process (gunicorn, the default command) and the worker (`civicdesk worker`).
# docs/deploy/scale-out.md: `docker compose up` runs PostgreSQL, Redis, two app servers, the worker and nginx.
# Built and run with podman 4.3 on the project's machine on 2026-12-07 (docs/deploy/scale-out.md, "Containers"),
# on a Debian-bookworm stand-in for python:3.11-slim (no Docker Hub there); not built in CI. Build it with podman
# using `--format docker`; podman's default OCI format drops the HEALTHCHECK.

# Build stage: the exact versions and hashes of requirements.lock (as `make install`), then the package itself.
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
COPY requirements.lock pyproject.toml README.md ./
# One lock for everything (the app and the dev tools, as `make lock` writes it): the image carries the dev tools
# too, which keeps it byte-for-byte the tested set at the cost of size.
RUN pip install --require-hashes -r requirements.lock
COPY civicdesk ./civicdesk
RUN pip install --no-deps --no-build-isolation . \
    # The static files, hashed and compressed (whitenoise's manifest storage in production), baked into the image.
    && CIVICDESK_ENV=production CIVICDESK_VAR=/app/var ALLOWED_HOSTS=build \
       SECRET_KEY=build-only-not-a-secret-build-only-not-a-secret-build-only-0000 \
       civicdesk collectstatic --noinput --verbosity 0

FROM python:3.11-slim
ENV PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 PATH=/opt/venv/bin:$PATH \
    CIVICDESK_ENV=production CIVICDESK_HOME=/app CIVICDESK_VAR=/app/var MEDIA_ROOT=/app/media \
    GUNICORN_BIND=0.0.0.0:8000
RUN groupadd --system --gid 10001 civicdesk \
    && useradd --system --uid 10001 --gid civicdesk --home-dir /app --shell /usr/sbin/nologin civicdesk
WORKDIR /app
COPY --from=build /opt/venv /opt/venv
COPY --from=build --chown=civicdesk:civicdesk /app/var /app/var
COPY docs/deploy/gunicorn.conf.py /app/gunicorn.conf.py
# gunicorn (25.1+) opens its control socket in $HOME/.gunicorn (HOME is /app, owned by root): give it a directory
# of its own, or every start logs "Control server error: Permission denied: '/app/.gunicorn'".
RUN mkdir -p /app/media /app/var/assistant /app/.gunicorn \
    && chown -R civicdesk:civicdesk /app/media /app/var /app/.gunicorn
USER civicdesk
EXPOSE 8000
# The port gunicorn listens on (GUNICORN_BIND, 0.0.0.0:8000 unless overridden), not a fixed 8000.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
    CMD python -c "import os, urllib.request; h, _, p = os.environ.get('GUNICORN_BIND', '0.0.0.0:8000').rpartition(':'); \
h = '127.0.0.1' if h in ('', '0.0.0.0', '[::]') else h; urllib.request.urlopen(f'http://{h}:{p}/healthz', timeout=4)"
CMD ["gunicorn", "-c", "/app/gunicorn.conf.py", "civicdesk.wsgi"]
