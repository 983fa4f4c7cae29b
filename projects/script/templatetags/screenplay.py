# SPDX-License-Identifier: GPL-3.0-or-later
"""`|fountain_html`: a script element's text with its emphasis, for the preview (escaped, then tagged)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from projects.fountain.html import emphasis_html

register = template.Library()


@register.filter
def fountain_html(text: str) -> SafeString:
    return mark_safe(emphasis_html(str(text)))  # noqa: S308 - emphasis_html escapes every character of the text
