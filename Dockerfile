# One image for web, worker and beat (docker-compose.yml), so all three run the same code and settings.

# GOV.UK Frontend's compiled assets, built by the same Makefile step the run command uses.
FROM node:20-bookworm-slim AS assets
RUN apt-get update && apt-get install -y --no-install-recommends make && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json Makefile ./
RUN make static/govuk/.installed

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=tracker.settings.production
WORKDIR /app
# pg_dump and pg_restore for `manage.py backup`/`restore` (Debian bookworm's are PostgreSQL 15's, as the server's).
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-client && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml README.md ./
COPY tracker tracker
COPY recommendations recommendations
COPY responses responses
RUN pip install --no-cache-dir .
COPY . .
COPY --from=assets /app/static/govuk static/govuk
RUN SECRET_KEY=build-only python manage.py collectstatic --noinput
RUN useradd --create-home tracker && mkdir -p /app/var && chown -R tracker /app/var
USER tracker
EXPOSE 8000
CMD ["gunicorn", "tracker.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
