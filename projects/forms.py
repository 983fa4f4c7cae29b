"""Forms parse and validate only."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm

from projects.models import Project, Role


class SignupForm(UserCreationForm):  # type: ignore[type-arg]
    email = forms.EmailField(required=True, help_text="Teammates can invite you by this address.")

    class Meta(UserCreationForm.Meta):  # type: ignore[name-defined,misc]
        model = get_user_model()
        fields = ("username", "email")

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("An account with this email already exists.")
        return email


class ProjectForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Project
        fields = ("title", "logline")
        widgets = {"logline": forms.Textarea(attrs={"rows": 2})}


class InviteForm(forms.Form):
    identifier = forms.CharField(max_length=254, label="Username or email")
    role = forms.ChoiceField(choices=Role.choices, initial=Role.EDITOR)


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)


class CharacterCreateForm(forms.Form):
    name = forms.CharField(max_length=200, help_text="As the script cues them, e.g. EDWARD BLOOM.")
    description = forms.CharField(required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))


class CharacterSheetForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    description = forms.CharField(required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))
    look = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Hair, skin, lighting, surroundings: the face designer steers by these words.",
    )
    personality = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    wants = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    needs = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    key_actions = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    notes = forms.CharField(required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": 3}))


class TrainingUploadForm(forms.Form):
    name = forms.CharField(min_length=3, max_length=80, help_text="What your team will see when choosing it.")
    license_note = forms.CharField(
        min_length=5,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Whose images these are and under what terms, e.g. “Our own concept art, © 2026 Studio X”.",
    )
    steps = forms.IntegerField(min_value=5, max_value=20_000, initial=300, required=False)
    start = forms.ChoiceField(
        choices=[("default", "Fine-tune the default face model"), ("scratch", "Train from scratch")],
        initial="default",
        required=False,
    )


CAMERA_ANGLES = [(a, a) for a in ("eye level", "low angle", "high angle", "overhead", "dutch angle")]


class ShotForm(forms.Form):
    """One row of a shot list edited by hand."""

    shot_type = forms.ChoiceField(choices=[])
    camera_angle = forms.ChoiceField(choices=CAMERA_ANGLES, initial="eye level")
    lens_mm = forms.IntegerField(min_value=8, max_value=300, initial=35)
    subjects = forms.CharField(max_length=500, required=False, help_text="Names, comma-separated.")
    description = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    start_line = forms.IntegerField(min_value=0, required=False, widget=forms.HiddenInput)
    end_line = forms.IntegerField(min_value=0, required=False, widget=forms.HiddenInput)

    def __init__(self, *args: object, **kwargs: object) -> None:
        from projects.models import ShotType

        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["shot_type"].choices = ShotType.choices  # type: ignore[attr-defined]

    def clean_subjects(self) -> list[str]:
        return [n.strip().upper() for n in str(self.cleaned_data.get("subjects") or "").split(",") if n.strip()]


ShotListFormSet = forms.formset_factory(ShotForm, extra=1, can_delete=True, max_num=40, validate_max=True)
