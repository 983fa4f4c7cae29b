"""`manage.py demo`: the demo project comes with its film, made by the real pipeline once."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from generation.models import GenerationJob, JobStatus
from projects.models import Animatic, Character, Frame, Project

pytestmark = [pytest.mark.heavy, pytest.mark.timeout(900)]


@pytest.mark.django_db(transaction=True)
def test_demo_makes_the_whole_film_once() -> None:
    out = io.StringIO()
    call_command("demo", "--scale", "25", stdout=out)
    printed = out.getvalue()
    user = get_user_model().objects.get(username="demo")
    project = Project.objects.get(memberships__user=user)
    assert "writing the screenplay" in printed and "%" in printed and "password:" in printed
    characters = Character.objects.filter(project=project)
    assert {c.name for c in characters} >= {"IDA", "NOAH"} and all(c.identity_id for c in characters)
    frames = Frame.objects.filter(project=project)
    assert frames.count() >= 3 and all(f.image for f in frames)
    film = Animatic.objects.get(project=project)
    assert film.voices and len(film.timeline["music"]) == 3 and film.duration_seconds > 10
    assert any(c["move"] != "static" for c in film.timeline["clips"])
    jobs = GenerationJob.objects.filter(project=project).count()
    assert GenerationJob.objects.filter(project=project).exclude(status=JobStatus.SUCCEEDED).count() == 0

    again = io.StringIO()
    call_command("demo", stdout=again)
    assert "rendering" not in again.getvalue() and "password:" in again.getvalue()
    assert GenerationJob.objects.filter(project=project).count() == jobs
    assert Animatic.objects.filter(project=project).count() == 1
