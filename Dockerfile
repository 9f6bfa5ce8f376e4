# The explainer for a classroom: docker build -t pooling . && docker run -p 8000:8000 pooling
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Dependencies first, so this layer stays cached until requirements.txt changes.
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

# The code belongs to root; the server runs as a user who cannot change it.
# A home directory, because gunicorn keeps its control socket in ~/.gunicorn.
RUN useradd --create-home --uid 10001 explainer
# .dockerignore lets through only what the server needs.
COPY . .
USER explainer

EXPOSE 8000
# No curl in the slim image: ask /healthz with Python's own urllib.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '8000'), timeout=4)"]

# gunicorn.conf.py sets bind (HOST/PORT), workers (WEB_CONCURRENCY), gevent workers that
# outlast slow and idle clients, and the timeouts (each from the environment, each with
# its reason), and logs to stdout. Its graceful_timeout (8 s) ends before docker stop's
# SIGKILL (10 s after SIGTERM). The end-to-end and resilience tests start exactly this command.
CMD ["gunicorn", "app:create_app()"]
