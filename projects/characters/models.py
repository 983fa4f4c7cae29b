"""Characters and their designed faces."""

from __future__ import annotations

import uuid

from django.db import models

from projects.teams.models import Project

# Names longer than their column are fitted with projects.fountain.names.fit_name.
CHARACTER_NAME_LENGTH = 200


class Character(models.Model):
    """A character found in the script (or added by hand); kept across re-parses by name."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="characters")
    name = models.CharField(max_length=CHARACTER_NAME_LENGTH)
    in_script = models.BooleanField(default=True)
    added_by_hand = models.BooleanField(default=False)
    first_scene = models.CharField(max_length=20, blank=True)
    scene_count = models.PositiveIntegerField(default=0)
    dialogue_lines = models.PositiveIntegerField(default=0)
    dialogue_words = models.PositiveIntegerField(default=0)
    extensions = models.JSONField(default=list, blank=True)
    description = models.TextField(blank=True)
    # The bio the script generator derives from the script (editable); the character designer reads it.
    look = models.TextField(blank=True)
    personality = models.TextField(blank=True)
    wants = models.TextField(blank=True)
    needs = models.TextField(blank=True)
    key_actions = models.TextField(blank=True)
    bio_provenance = models.JSONField(default=dict, blank=True)
    notes = models.TextField(blank=True)
    # The scratch voice: a Piper preset key, "espeak", or "" to let the name pick one (generation.engines.voices).
    voice = models.CharField(max_length=40, blank=True)
    # The chosen face: its latent is the character's identity; frames and the animatic use it.
    identity = models.ForeignKey(
        "Portrait", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_constraint=True
    )
    # Bumped by every save of the sheet, so two people saving at once can't overwrite each other.
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True, null=True)

    class Meta:
        ordering = ["project", "-dialogue_words", "name"]
        constraints = [models.UniqueConstraint(fields=["project", "name"], name="one_character_name_per_project")]

    def __str__(self) -> str:
        return self.name


class PortraitKind(models.TextChoices):
    CANDIDATE = "candidate", "Candidate"
    VARIATION = "variation", "Variation"
    BLEND = "blend", "Blend"


class Portrait(models.Model):
    """A face the character GAN drew for a character: its latent, the model and seed, its picture."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    character = models.ForeignKey(Character, on_delete=models.CASCADE, related_name="portraits")
    kind = models.CharField(max_length=12, choices=PortraitKind.choices, default=PortraitKind.CANDIDATE)
    job = models.ForeignKey(
        "generation.GenerationJob", null=True, blank=True, on_delete=models.SET_NULL, related_name="portraits"
    )
    model = models.ForeignKey(
        "generation.ModelEntry", null=True, blank=True, on_delete=models.SET_NULL, related_name="portraits"
    )
    model_name = models.CharField(max_length=120)
    model_sha256 = models.CharField(max_length=64, blank=True)
    latent = models.JSONField()
    seed = models.BigIntegerField(default=0)
    index = models.PositiveIntegerField(default=0)
    # Paths under the project's media folder.
    image = models.CharField(max_length=300)
    upscaled = models.CharField(max_length=300, blank=True)
    upscaler = models.CharField(max_length=120, blank=True)
    score = models.FloatField(null=True, blank=True)
    matched = models.JSONField(default=list, blank=True)
    missed = models.JSONField(default=list, blank=True)
    # A variation's source, or a blend's two ends and where between them it lies.
    parents = models.JSONField(default=dict, blank=True)
    # Who the face is: dlib's 128-number face descriptor (generation.engines.face_identity); [] until measured.
    fingerprint = models.JSONField(default=list, blank=True)
    chosen_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["character", "-created_at", "index"]
        constraints = [
            models.UniqueConstraint(fields=["job", "index"], name="one_portrait_per_job_index"),
        ]
        indexes = [models.Index(fields=["character", "job"], name="portrait_character_job")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.index + 1} of {self.character}"

    @property
    def best_image(self) -> str:
        return self.upscaled or self.image
