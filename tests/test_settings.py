"""Settings from the environment: production passes check --deploy; the secret key persists."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def manage(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


def clean_env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(extra)
    return env


def test_production_settings_pass_check_deploy(tmp_path: Path) -> None:
    env = clean_env(
        DEBUG="0",
        SECRET_KEY="k" * 20 + "Zq8#mP2$vL9@xR4&nT7!wB3%yF6^hJ1*cD5",
        ALLOWED_HOSTS="films.example.com",
        FILMSTUDIO_VAR_DIR=str(tmp_path),
    )
    result = manage(["check", "--deploy", "--fail-level", "DEBUG"], env)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout


def test_a_generated_secret_key_is_kept_under_var(tmp_path: Path) -> None:
    env = clean_env(DEBUG="1", FILMSTUDIO_VAR_DIR=str(tmp_path))
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    first = manage(["shell", "--no-imports", "-c", code], env)
    second = manage(["shell", "--no-imports", "-c", code], env)
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout and len(first.stdout.strip()) >= 50
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_database_and_redis_come_from_the_environment(tmp_path: Path) -> None:
    code = (
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME'], s.CELERY_BROKER_URL)"
    )
    env = clean_env(
        DEBUG="1",
        FILMSTUDIO_VAR_DIR=str(tmp_path),
        DATABASE_URL="postgres://u@db.example:5432/films",
        REDIS_URL="redis://cache.example:6379/2",
    )
    out = manage(["shell", "--no-imports", "-c", code], env).stdout.split()
    assert out == ["django.db.backends.postgresql", "films", "redis://cache.example:6379/2"]
    env = clean_env(DEBUG="1", FILMSTUDIO_VAR_DIR=str(tmp_path))
    env.pop("REDIS_URL", None)
    out = manage(["shell", "--no-imports", "-c", code], env).stdout.split()
    assert out[0] == "django.db.backends.sqlite3" and out[1] == str(tmp_path / "filmstudio.sqlite3")
    assert out[2] == f"redis+socket://{tmp_path}/redis/redis.sock"


def test_var_and_the_database_are_readable_by_the_studio_user_only(tmp_path: Path) -> None:
    var = tmp_path / "var"
    env = clean_env(DEBUG="1", FILMSTUDIO_VAR_DIR=str(var))
    result = manage(["migrate", "--noinput"], env)
    assert result.returncode == 0, result.stderr
    database = var / "filmstudio.sqlite3"
    assert var.stat().st_mode & 0o777 == 0o700
    assert database.stat().st_mode & 0o777 == 0o600
    # A var/ left open by an older version is closed at the next start.
    var.chmod(0o755)
    database.chmod(0o644)
    assert manage(["check"], env).returncode == 0
    assert var.stat().st_mode & 0o777 == 0o700
    assert database.stat().st_mode & 0o777 == 0o600
