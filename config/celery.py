"""Celery application. The broker comes from settings: Redis when REDIS_URL is set,
otherwise kombu's filesystem transport so the quick start needs no server."""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
