"""The animatic's job params forms (parse and validate only)."""

from __future__ import annotations

from typing import Any

from django import forms

from generation.forms import ProjectBound


class RenderAnimaticParams(ProjectBound):
    size = forms.TypedChoiceField(choices=[(640, "640x360 (fast)"), (1280, "1280x720")], coerce=int, required=False)
    voices = forms.TypedChoiceField(
        choices=[("yes", "Scratch voices"), ("no", "No voices")], coerce=lambda v: v == "yes", required=False
    )
    burn_captions = forms.TypedChoiceField(
        choices=[("no", "Captions as files"), ("yes", "Burn captions into the picture")],
        coerce=lambda v: v == "yes",
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("size"):
            data["size"] = 640
        if data.get("voices") in (None, ""):
            data["voices"] = True
        if data.get("burn_captions") in (None, ""):
            data["burn_captions"] = False
        return data
