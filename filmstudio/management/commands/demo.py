"""Create (once) a demo account and project, and print how to log in."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from projects.models import Project
from projects.teams.services import project_create


class Command(BaseCommand):
    help = "Create a demo account and project (idempotent) and print the credentials."

    def handle(self, *args: Any, **options: Any) -> None:
        User = get_user_model()
        creds = settings.VAR_DIR / "demo_credentials"
        with transaction.atomic():
            user = User.objects.filter(username="demo").first()
            if user is None or not creds.exists():
                password = secrets.token_urlsafe(9)
                if user is None:
                    user = User.objects.create_user("demo", email="demo@example.com", password=password)
                else:
                    user.set_password(password)
                    user.save(update_fields=["password"])
                creds.parent.mkdir(parents=True, exist_ok=True)
                creds.write_text(password)
                creds.chmod(0o600)
            password = creds.read_text().strip()
            if not Project.objects.filter(memberships__user=user).exists():
                project_create(
                    user=user,
                    title="Demo film",
                    logline="A projectionist discovers the last reel of a lost film is still being shot.",
                )
        bar = "=" * 60
        self.stdout.write(
            f"\n{bar}\n filmstudio demo account\n   username: demo\n   password: {password}\n"
            f"   open:     http://127.0.0.1:8000/\n{bar}\n"
        )
