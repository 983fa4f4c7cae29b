"""The script: the shared screenplay, its updates and revisions, and its breakdown (scenes, locations)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from projects.fountain.revisions import revision_colour
from projects.teams.models import Project


class Screenplay(models.Model):
    """A project's script: the CRDT document (snapshot + update log) and its current Fountain text."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="screenplay")
    text = models.TextField(blank=True)
    # CRDT state: a snapshot (a Yjs update encoding the whole document) covering every
    # ScriptUpdate with id <= compacted_through; later updates are applied on top when loading.
    ydoc_snapshot = models.BinaryField(default=b"", blank=True)
    compacted_through = models.BigIntegerField(default=0)
    title_page = models.JSONField(default=dict, blank=True)
    parsed_at = models.DateTimeField(null=True, blank=True)
    # The breakdown is rebuilt in short batches after the text settles (projects/script/breakdown.py):
    # each rebuild takes the next version, so an older one still running stops; a finished one
    # records the sha256 of the text it was built from, so an interrupted one is done again.
    breakdown_version = models.PositiveBigIntegerField(default=0)
    breakdown_of = models.CharField(max_length=64, blank=True)
    # Production: locked numbers are written into the text as forced numbers (#12#); these are every
    # number locked so far, so a scene that is gone prints as "12 OMITTED" (projects/fountain/revisions.py).
    scene_numbers_locked = models.BooleanField(default=False)
    locked_numbers = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Screenplay of {self.project}"


class ScriptUpdate(models.Model):
    """One CRDT update as a client (or the server) sent it: the log that loses no edit."""

    screenplay = models.ForeignKey(Screenplay, on_delete=models.CASCADE, related_name="updates")
    data = models.BinaryField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"update {self.pk} ({len(self.data)} bytes)"


class RevisionSource(models.TextChoices):
    EDIT = "edit", "Edited"
    IMPORT = "import", "Imported"
    RESTORE = "restore", "Restored"
    GENERATION = "generation", "Generated"
    NUMBERS = "numbers", "Scene numbers"
    REVISION_SET = "revision_set", "Revision set"


class Revision(models.Model):
    """A Fountain snapshot of the script, written as edits settle (throttled) and on import/restore."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    screenplay = models.ForeignKey(Screenplay, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    text = models.TextField(blank=True)
    source = models.CharField(max_length=12, choices=RevisionSource.choices, default=RevisionSource.EDIT)
    note = models.CharField(max_length=300, blank=True)
    authors = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["screenplay", "number"], name="one_revision_number_per_script")]

    def __str__(self) -> str:
        return f"r{self.number} of {self.screenplay.project}"


class RevisionSet(models.Model):
    """A production revision set (Blue, Pink, ...): from when it started, changed lines print with "*"
    and revised pages carry its colour and date. Number 0 is the White draft, before any set."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    screenplay = models.ForeignKey(Screenplay, on_delete=models.CASCADE, related_name="revision_sets")
    number = models.PositiveIntegerField()
    # The script as the set started (a revision of its own, never coalesced with later edits).
    base = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="+")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["screenplay", "number"], name="one_revision_set_number_per_script")
        ]

    def __str__(self) -> str:
        return f"{self.name} revisions of {self.screenplay.project}"

    @property
    def name(self) -> str:
        return revision_colour(self.number)

    @property
    def date_display(self) -> str:
        day = timezone.localdate(self.started_at)
        return f"{day.day} {day:%b %Y}"


# Names longer than their column are fitted with projects.fountain.names.fit_name.
LOCATION_NAME_LENGTH = 300


def pages_display(eighths: int) -> str:
    """Script length the industry way: 2 3/8 (pages and eighths), 5/8, 1."""
    pages, rest = divmod(eighths, 8)
    parts = [str(pages)] if pages else []
    if rest or not parts:
        parts.append(f"{rest}/8")
    return " ".join(parts)


class Scene(models.Model):
    """A scene of the breakdown, rebuilt from the Fountain text each time it settles."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="scenes")
    position = models.PositiveIntegerField()
    number = models.CharField(max_length=20)
    heading = models.CharField(max_length=500)
    int_ext = models.CharField(max_length=20, blank=True)
    location = models.CharField(max_length=LOCATION_NAME_LENGTH, blank=True)
    time_of_day = models.CharField(max_length=100, blank=True)
    eighths = models.PositiveIntegerField(default=0)
    start_line = models.PositiveIntegerField()
    end_line = models.PositiveIntegerField()
    characters = models.JSONField(default=list, blank=True)
    content_hash = models.CharField(max_length=64, blank=True)
    synopsis = models.TextField(blank=True)

    class Meta:
        ordering = ["project", "position"]
        constraints = [models.UniqueConstraint(fields=["project", "position"], name="one_scene_per_position")]

    def __str__(self) -> str:
        return f"{self.number}. {self.heading}"

    @property
    def length_display(self) -> str:
        return pages_display(self.eighths)


class Location(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="locations")
    name = models.CharField(max_length=LOCATION_NAME_LENGTH)
    scene_count = models.PositiveIntegerField(default=0)
    scene_numbers = models.JSONField(default=list, blank=True)
    int_ext = models.JSONField(default=list, blank=True)
    times_of_day = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["project", "-scene_count", "name"]
        constraints = [models.UniqueConstraint(fields=["project", "name"], name="one_location_name_per_project")]

    def __str__(self) -> str:
        return self.name


class ScriptNote(models.Model):
    """A note on a range of the script, anchored by two Yjs relative positions so it follows edits.

    `start` and `end` are Yjs-encoded relative positions (`Y.encodeRelativePosition`, pycrdt's
    `StickyIndex.encode`): the start sticks to the first character of the range, the end to the last,
    so text typed before the range moves it and text typed inside it grows it.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    screenplay = models.ForeignKey(Screenplay, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField(max_length=5000)
    start = models.BinaryField(max_length=64)
    end = models.BinaryField(max_length=64)
    quote = models.CharField(max_length=300, blank=True)  # the words noted, as they read when the note was made
    mentions = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="script_note_mentions")
    resolved = models.BooleanField(default=False)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["screenplay", "created_at", "id"]

    def __str__(self) -> str:
        return f"note on “{self.quote[:40]}”"


class ScriptNoteReply(models.Model):
    """A reply in a note's thread."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    note = models.ForeignKey(ScriptNote, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField(max_length=5000)
    mentions = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="script_reply_mentions")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["note", "created_at", "id"]
        verbose_name_plural = "script note replies"

    def __str__(self) -> str:
        return f"reply to {self.note}"
