FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
# Exact versions, each checked against its hash (regenerate with `make lock`).
COPY requirements.lock .
RUN pip install --no-cache-dir --require-hashes -r requirements.lock
COPY . .
# Static files are served by the app itself (whitenoise): intranets have no CDN.
RUN SECRET_KEY=build-only python manage.py collectstatic --no-input
RUN useradd --system chainparty && mkdir -p /data/media && chown chainparty /data/media
USER chainparty
EXPOSE 8000
