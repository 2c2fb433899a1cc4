# Production image: gunicorn (web), Celery worker and beat all run from this one image.
# Build: docker compose build   (see docker-compose.yml and README.md)

# --- Front-end packages, exactly as package-lock.json says (runtime ones only) -----------
FROM node:20-bookworm-slim AS frontend
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

# --- Application ---------------------------------------------------------------------------
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    APP_VAR_DIR=/data/var \
    APP_MEDIA_ROOT=/data/uploads

# WeasyPrint's libraries (Pango with HarfBuzz subsetting) and a font for the PDFs.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first, pinned by requirements.lock, so code changes reuse this layer.
# pyproject.toml installs no package of its own (the apps run from /app).
COPY pyproject.toml requirements.lock ./
RUN pip install -c requirements.lock .

COPY . .
COPY --from=frontend /build/node_modules ./node_modules

RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin app \
    && mkdir -p /data/var/staticfiles /data/var/celery /data/uploads \
    && chown -R app:app /data

USER app
EXPOSE 8000

CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
