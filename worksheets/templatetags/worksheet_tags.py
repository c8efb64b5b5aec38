import datetime

from django import template
from django.utils import timezone
from django.utils.timesince import timesince

register = template.Library()


@register.filter
def saved_when(moment: datetime.datetime) -> str:
    """'just now' under a minute (never '0 minutes ago'), else '3 hours ago'."""
    if not moment:
        return ""
    if timezone.now() - moment < datetime.timedelta(minutes=1):
        return "just now"
    return f"{timesince(moment, depth=1)} ago"


try:  # the design system's icons, when it is installed
    from devboard.templatetags.design import role_icon as _design_role_icon
except ImportError:  # pragma: no cover
    _design_role_icon = None


@register.simple_tag
def role_mark(role):
    """The role's icon from the design system (decorative), or nothing where there is none."""
    return _design_role_icon(role) if _design_role_icon else ""


@register.filter
def strongest(reasons: list[dict]) -> list[str]:
    """The reasons that added the most points, each saying something new (see worksheets.result)."""
    from worksheets.result import strongest_reasons

    return strongest_reasons(reasons or [])
