# One image for web, worker and beat (docker-compose.yml), so all three run the same code and settings.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=tracker.settings.production
WORKDIR /app
COPY pyproject.toml README.md ./
COPY tracker tracker
COPY recommendations recommendations
COPY responses responses
RUN pip install --no-cache-dir .
COPY . .
RUN SECRET_KEY=build-only python manage.py collectstatic --noinput
RUN useradd --create-home tracker && mkdir -p /app/var && chown -R tracker /app/var
USER tracker
EXPOSE 8000
CMD ["gunicorn", "tracker.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
