# The browser libraries of package-lock.json (npm ci), from Debian's node and npm; only the files the
# app serves are copied into the image.
FROM python:3.11-slim AS assets
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
WORKDIR /assets
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
# Exact versions, each checked against its hash (regenerate with `make lock`).
COPY requirements.lock .
RUN pip install --no-cache-dir --require-hashes -r requirements.lock
COPY . .
COPY --from=assets /assets/node_modules/echarts/dist/echarts.min.js static/vendor/echarts/echarts.min.js
# Static files are served by the app itself (whitenoise): intranets have no CDN.
RUN SECRET_KEY=build-only python manage.py collectstatic --no-input
RUN useradd --system chainparty && mkdir -p /data/media && chown chainparty /data/media
USER chainparty
EXPOSE 8000
