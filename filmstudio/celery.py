"""The Celery app. Models run on the `gpu` queue: one worker process per GPU, prefetch 1."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "filmstudio.settings")
# Workers never reach a model hub: weights come from packages and local folders.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

app = Celery("filmstudio")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
