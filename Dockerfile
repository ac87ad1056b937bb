FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
# Static files are served by the app itself (whitenoise): intranets have no CDN.
RUN SECRET_KEY=build-only python manage.py collectstatic --no-input
RUN useradd --system chainparty && mkdir -p /data/media && chown chainparty /data/media
USER chainparty
EXPOSE 8000
