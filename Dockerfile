# CivicDesk app image: the web process (gunicorn, the default command) and the worker (`civicdesk worker`).
# docs/deploy/scale-out.md: `docker compose up` runs PostgreSQL, Redis, two app servers, the worker and nginx.
# Not built in CI or on the project's machine (no Docker daemon there): build and try it before relying on it.

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
RUN mkdir -p /app/media /app/var/assistant && chown -R civicdesk:civicdesk /app/media /app/var
USER civicdesk
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"
CMD ["gunicorn", "-c", "/app/gunicorn.conf.py", "civicdesk.wsgi"]
