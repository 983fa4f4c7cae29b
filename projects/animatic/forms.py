"""The animatic's job params forms (parse and validate only)."""

from __future__ import annotations

import dataclasses
from typing import Any

from django import forms

from generation.forms import ProjectBound
from projects.animatic.selectors import latest_music_track

MUSIC_CHOICES = [("yes", "Music under each scene"), ("own", "Your track under the whole film"), ("no", "No music")]


@dataclasses.dataclass(frozen=True, kw_only=True)
class RenderAnimatic:
    size: int = 640  # width; 640x360 or 1280x720
    voices: bool = True  # scratch voices for the dialogue
    burn_captions: bool = False  # captions in the picture, not only as files
    music: bool = True  # a score bed per scene, ducked under the dialogue
    track: str = ""  # a MusicTrack's public_id: that upload under the whole film instead of the packaged beds


class RenderAnimaticParams(ProjectBound):
    params_type = RenderAnimatic
    size = forms.TypedChoiceField(
        choices=[(640, "640x360 (fast)"), (1280, "1280x720 (camera moves need 1280×720 frames)")],
        coerce=int,
        required=False,
    )
    voices = forms.TypedChoiceField(
        choices=[("yes", "Scratch voices"), ("no", "No voices")], coerce=lambda v: v == "yes", required=False
    )
    burn_captions = forms.TypedChoiceField(
        choices=[("no", "Captions as files"), ("yes", "Burn captions into the picture")],
        coerce=lambda v: v == "yes",
        required=False,
    )
    # "own": the project's latest uploaded track (recorded in `track`, so a retry plays the same file).
    music = forms.ChoiceField(choices=MUSIC_CHOICES, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        choice = data.get("music")
        data["track"] = ""
        if choice == "own":
            track = latest_music_track(self.project) if self.project is not None else None
            if track is None:
                self.add_error("music", "Upload a music track first, or choose the packaged music.")
            else:
                data["track"] = str(track.public_id)
        data["music"] = choice != "no"
        return data
