from __future__ import annotations

from datetime import datetime

from django import template

register = template.Library()


@register.filter
def when(value: str | datetime | None) -> str:
    """An ISO timestamp (as job states carry them) or a datetime, shown as `2026-11-24 09:15:44 UTC`."""
    if not value:
        return "—"
    if isinstance(value, datetime):
        moment = value
    else:
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
    return moment.strftime("%Y-%m-%d %H:%M:%S ") + (moment.tzname() or "")
