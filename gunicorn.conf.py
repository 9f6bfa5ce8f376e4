"""Gunicorn settings, read from the environment so one command serves everywhere.

`gunicorn 'app:create_app()'` loads this file from the working directory:
Docker, the end-to-end tests and the load scripts all run that same command.
"""
import os

bind = f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
accesslog = "-"
errorlog = "-"
# Requests are CPU-bound and short; a worker stuck for 30 s is broken.
timeout = 30
