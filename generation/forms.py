"""Forms parse and validate only: one params form per job kind."""

from __future__ import annotations

from django import forms


class WorkerCheckParams(forms.Form):
    """The worker check takes no parameters."""


class TestStepsParams(forms.Form):
    steps = forms.IntegerField(min_value=1, max_value=1000, required=False)
    step_seconds = forms.FloatField(min_value=0.0, max_value=5.0, required=False)
    fail_at_step = forms.IntegerField(min_value=1, max_value=1000, required=False)
    crash_on_attempts = forms.IntegerField(min_value=0, max_value=10, required=False)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("steps") is None and "steps" not in self.errors:
            data["steps"] = 20
        if data.get("step_seconds") is None and "step_seconds" not in self.errors:
            data["step_seconds"] = 0.1
        steps = data.get("steps")
        fail_at = data.get("fail_at_step")
        if isinstance(steps, int) and isinstance(fail_at, int) and fail_at > steps:
            self.add_error("fail_at_step", "Must be within the number of steps.")
        return data
