"""`{% jobform %}` and `{% jobfield %}`: job-start forms whose fields come from the kind's params form.

    {% load jobs %}
    {% jobform project "design_candidates" id="design-candidates-form" class="stack" ids="cand" %}
      {% jobfield "character" value=character.public_id %}
      {% jobfield "count" label="Faces in the grid" %}
      {% jobfield "seed" placeholder="random" help="The same seed draws the same faces." %}
      {% jobfield "model" choices=gan_models %}
      <button class="primary">Draw faces</button>
    {% endjobform %}

`jobform` writes the <form> that posts to the job view (htmx into the jobs panel, a plain POST
without JavaScript), its CSRF token and the kind. `jobfield` renders one field of that kind's
params form through the form's own widget, so min, max, step, minlength, maxlength, required and
the choices are the server's: the browser and the server cannot disagree. Defaults come from the
kind's params dataclass. With `ids="cand"` fields get ids (`id_cand_count`) and labels; without, a field
is labelled by aria-label (inline forms). A field name the kind does not have is a template error.
"""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.template.base import FilterExpression, NodeList, Parser, Token, token_kwargs
from django.template.context import Context
from django.template.loader import render_to_string
from django.urls import reverse

from generation import kinds

register = template.Library()

FORM_TEMPLATE = "projects/_job_form.html#form"
FIELD_TEMPLATE = "projects/_job_form.html#field"
_FORM_OPTIONS = {"id", "class", "ids"}
# jobfield options; any other keyword is an HTML attribute of the input, `_` written as `-` (hx_preserve).
_FIELD_OPTIONS = {"label", "value", "help", "choices", "hidden", "range", "show_value"}


class RangeInput(forms.NumberInput):
    """A slider; a NumberInput still, so number fields give it their min, max and step."""

    input_type = "range"


class _JobForm:
    """What a jobform's fields render from: the kind's params form, and the fields already rendered."""

    def __init__(self, kind: kinds.JobKind, ids: str) -> None:
        self.kind = kind
        initial = kind.params_form.initial_values()
        self.form = kind.params_form(auto_id=f"id_{ids}_%s" if ids else False, initial=initial)
        self.rendered: set[str] = set()

    def bound_field(self, name: str) -> forms.BoundField:
        if name not in self.form.fields:
            known = ", ".join(self.form.fields) or "none"
            raise template.TemplateSyntaxError(f"Job kind {self.kind.name!r} has no field {name!r} (it has: {known}).")
        if name in self.rendered:
            raise template.TemplateSyntaxError(f"The {self.kind.name} form renders {name!r} twice.")
        self.rendered.add(name)
        return self.form[name]


def _kwargs(parser: Parser, bits: list[str], tag: str) -> dict[str, FilterExpression]:
    found = token_kwargs(bits, parser, support_legacy=False)
    if bits:
        raise template.TemplateSyntaxError(f"{tag} takes keyword arguments after its positional ones, not {bits[0]!r}.")
    return found


@register.tag("jobform")
def jobform(parser: Parser, token: Token) -> JobFormNode:
    bits = token.split_contents()
    if len(bits) < 3:
        raise template.TemplateSyntaxError(
            'Use {% jobform project "kind" id=... class=... ids=... %}...{% endjobform %}.'
        )
    project, kind = parser.compile_filter(bits[1]), parser.compile_filter(bits[2])
    options = _kwargs(parser, bits[3:], "jobform")
    unknown = set(options) - _FORM_OPTIONS
    if unknown:
        raise template.TemplateSyntaxError(
            f"jobform has no option {', '.join(sorted(unknown))}; fields go in jobfield."
        )
    nodelist = parser.parse(("endjobform",))
    parser.delete_first_token()
    return JobFormNode(project, kind, options, nodelist)


class JobFormNode(template.Node):
    def __init__(
        self,
        project: FilterExpression,
        kind: FilterExpression,
        options: dict[str, FilterExpression],
        nodelist: NodeList,
    ) -> None:
        self.project, self.kind, self.options, self.nodelist = project, kind, options, nodelist

    def render(self, context: Context) -> str:
        options = {name: value.resolve(context) for name, value in self.options.items()}
        job_form = _JobForm(kinds.get_kind(str(self.kind.resolve(context))), str(options.get("ids") or ""))
        with context.push(job_form=job_form):
            body = self.nodelist.render(context)
        project = self.project.resolve(context)
        values = {
            "url": reverse("jobs:create", kwargs={"project_id": project.public_id}),
            "kind": job_form.kind.name,
            "form_id": options.get("id", ""),
            "form_class": options.get("class", ""),
            "body": body,
            "csrf_token": context.get("csrf_token"),
        }
        return render_to_string(FORM_TEMPLATE, values)


@register.tag("jobfield")
def jobfield(parser: Parser, token: Token) -> JobFieldNode:
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError('Use {% jobfield "name" label=... value=... %} inside a jobform.')
    return JobFieldNode(parser.compile_filter(bits[1]), _kwargs(parser, bits[2:], "jobfield"))


class JobFieldNode(template.Node):
    def __init__(self, name: FilterExpression, options: dict[str, FilterExpression]) -> None:
        self.name, self.options = name, options

    def render(self, context: Context) -> str:
        job_form = context.get("job_form")
        if not isinstance(job_form, _JobForm):
            raise template.TemplateSyntaxError("jobfield belongs inside a jobform.")
        name = str(self.name.resolve(context))
        options = {key: value.resolve(context) for key, value in self.options.items()}
        if "value" in options:
            job_form.form.initial[name] = options["value"]
        field = job_form.bound_field(name)
        attrs = {key.replace("_", "-"): value for key, value in options.items() if key not in _FIELD_OPTIONS}
        if options.get("hidden") or (field.is_hidden and "choices" not in options):
            # A fixed value: no id (a page may hold many such forms) and nothing to label.
            return field.as_hidden(attrs={**attrs, "id": False})
        label = str(options.get("label") or field.label)
        widget = field.field.widget
        if "choices" in options:
            widget = forms.Select(choices=[_choice(item) for item in options["choices"]])
        elif options.get("range"):
            widget = RangeInput()
        if widget is not field.field.widget:
            widget.attrs.update(field.field.widget_attrs(widget))
        if not field.auto_id:
            attrs["aria-label"] = label
        # The page shows its own help (or none): Django's aria-describedby then points at that, not the form's.
        field.help_text = str(options.get("help") or "")
        help_id = f"{field.auto_id}_helptext" if field.auto_id and field.help_text else ""
        if options.get("show_value"):
            attrs["data-show-value"] = True  # static/js/filmstudio.js mirrors the value into the label's <output>
        values = {
            "id": field.id_for_label if field.auto_id else "",
            "label": label,
            "input": field.as_widget(widget=widget, attrs=attrs),
            "help": field.help_text,
            "help_id": help_id,
            "show_value": options.get("show_value", False),
            "value": field.value(),
        }
        return render_to_string(FIELD_TEMPLATE, values)


def _choice(item: Any) -> tuple[str, str]:
    """A select option from a (value, label) pair or a row with a public_id (a model, a character)."""
    if isinstance(item, tuple | list):
        return str(item[0]), str(item[1])
    return str(item.public_id), str(item)
