"""The studio's models live with their stage (teams, script, characters, storyboard, animatic); this module
re-exports them, so the app label and the migrations stay `projects`."""

from projects.animatic.models import Animatic, MusicTrack
from projects.characters.models import CHARACTER_NAME_LENGTH, Character, Portrait, PortraitKind
from projects.script.models import (
    LOCATION_NAME_LENGTH,
    Location,
    Revision,
    RevisionSet,
    RevisionSource,
    Scene,
    Screenplay,
    ScriptNote,
    ScriptNoteReply,
    ScriptUpdate,
    pages_display,
)
from projects.storyboard.models import Frame, FrameComment, RenderMode, Shot, ShotType
from projects.teams.models import ROLE_RANK, Membership, Project, Role

__all__ = [
    "CHARACTER_NAME_LENGTH",
    "LOCATION_NAME_LENGTH",
    "ROLE_RANK",
    "Animatic",
    "Character",
    "Frame",
    "FrameComment",
    "Location",
    "Membership",
    "MusicTrack",
    "Portrait",
    "PortraitKind",
    "Project",
    "RenderMode",
    "Revision",
    "RevisionSet",
    "RevisionSource",
    "Role",
    "Scene",
    "Screenplay",
    "ScriptNote",
    "ScriptNoteReply",
    "ScriptUpdate",
    "Shot",
    "ShotType",
    "pages_display",
]
