"""The animatic's job params forms (parse and validate only)."""

from __future__ import annotations

import dataclasses

from django import forms

from generation.forms import ProjectBound


@dataclasses.dataclass(frozen=True, kw_only=True)
class RenderAnimatic:
    size: int = 640  # width; 640x360 or 1280x720
    voices: bool = True  # scratch voices for the dialogue
    burn_captions: bool = False  # captions in the picture, not only as files
    music: bool = True  # a score bed per scene, ducked under the dialogue


class RenderAnimaticParams(ProjectBound):
    params_type = RenderAnimatic
    size = forms.TypedChoiceField(choices=[(640, "640x360 (fast)"), (1280, "1280x720")], coerce=int, required=False)
    voices = forms.TypedChoiceField(
        choices=[("yes", "Scratch voices"), ("no", "No voices")], coerce=lambda v: v == "yes", required=False
    )
    burn_captions = forms.TypedChoiceField(
        choices=[("no", "Captions as files"), ("yes", "Burn captions into the picture")],
        coerce=lambda v: v == "yes",
        required=False,
    )
    music = forms.TypedChoiceField(
        choices=[("yes", "Music under each scene"), ("no", "No music")], coerce=lambda v: v == "yes", required=False
    )
