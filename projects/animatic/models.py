"""The finished film: rendered animatics."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from projects.teams.models import Project


class Animatic(models.Model):
    """A rendered animatic of the film: the video, its captions and timeline, and how it was cut."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="animatics")
    job = models.ForeignKey(
        "generation.GenerationJob", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Files under the project's media folder.
    video = models.CharField(max_length=300, blank=True)
    captions_vtt = models.CharField(max_length=300, blank=True)
    captions_srt = models.CharField(max_length=300, blank=True)
    edl = models.CharField(max_length=300, blank=True)
    fcpxml = models.CharField(max_length=300, blank=True)
    duration_seconds = models.FloatField(default=0.0)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    fps = models.PositiveSmallIntegerField(default=24)
    burn_captions = models.BooleanField(default=False)
    voices = models.BooleanField(default=True)
    # The cut as rendered: clips (frame, start, duration, transition), captions and voice lines.
    timeline = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project", "-created_at"]

    def __str__(self) -> str:
        return f"animatic of {self.project} ({self.duration_seconds:.1f} s)"


class MusicTrack(models.Model):
    """A member's own music file for the animatic's score, checked as decodable audio and kept in the project's media.

    The render's Music choice "Your track" lays the latest one under the whole film in place of the packaged beds;
    the credits name its file and who supplied it (on their own terms)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="music_tracks")
    name = models.CharField(max_length=200)  # the uploaded file's own name, as the credits give it
    file = models.CharField(max_length=300)  # under the project's media folder
    size_bytes = models.PositiveBigIntegerField(default=0)
    duration_seconds = models.FloatField(default=0.0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project", "-created_at"]

    def __str__(self) -> str:
        return self.name

    @property
    def supplied_by(self) -> str:
        return self.uploaded_by.get_username() if self.uploaded_by is not None else "a former member"
