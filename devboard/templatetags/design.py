"""The design system in templates: role icons and colours, status styles, the error summary.

Registered as a builtin (settings.TEMPLATES), so every template can use these without {% load %}.
"""

import functools

from django import template
from django.forms import BaseForm, BaseFormSet
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# Simple 24×24 line drawings, stroked in the current text colour.
ROLE_ICONS = {
    # a signpost: someone further along the path who points the way
    "mentor": (
        '<path d="M12 3v3M12 11v2M12 18v3"/><path d="M5 6h11l3 2.5-3 2.5H5z"/><path d="M19 13H8l-3 2.5L8 18h11z"/>'
    ),
    # an open door and a way through it: someone who opens doors
    "sponsor": (
        '<path d="M3 21h11"/>'
        '<path d="M5 21V3h8v18"/>'
        '<path d="M5 3l5 2v15.5L5 21"/>'
        '<path d="M16 12h6M19.5 9.5 22 12l-2.5 2.5"/>'
    ),
    # a speech bubble with a question: someone who helps you think it through
    "coach": (
        '<path d="M4 4h16v12h-9l-5 4v-4H4z"/>'
        '<path d="M10 8.6a2 2 0 1 1 2.9 1.8c-.6.3-.9.8-.9 1.4"/>'
        '<path d="M12 14h.01"/>'
    ),
    # a light bulb: someone with the answer to a specific question
    "advisor": (
        '<path d="M9.5 18h5M10.5 21h3"/>'
        '<path d="M12 3a6 6 0 0 0-3.5 10.9c.6.5 1 1.2 1 2v.1h5v-.1c0-.8.4-1.5 1-2A6 6 0 0 0 12 3z"/>'
    ),
}
# a person, for roles the guide may add later
OTHER_ICON = '<circle cx="12" cy="8" r="4"/><path d="M4 21c0-4.4 3.6-7 8-7s8 2.6 8 7"/>'


def _slug(role) -> str:
    if role is None:
        return ""
    return str(getattr(role, "slug", role) or "").lower()


@register.filter
def role_class(role) -> str:
    """'role-coach' for the coach (or its slug): sets --db-role to the role's colour."""
    slug = _slug(role)
    return f"role-{slug}" if slug in ROLE_ICONS else "role-other"


@register.simple_tag
def role_icon(role, label: str = "") -> SafeString:
    """The role's icon as inline SVG; decorative unless a label is given."""
    paths = ROLE_ICONS.get(_slug(role), OTHER_ICON)
    a11y = format_html('role="img" aria-label="{}"', label) if label else mark_safe('aria-hidden="true"')
    return format_html(
        '<svg class="role-icon" {} focusable="false" viewBox="0 0 24 24" width="24" height="24" fill="none" '
        'stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">{}</svg>',
        a11y,
        mark_safe(paths),
    )


@register.simple_tag
def role_chip(role, outline: bool = False) -> SafeString:
    """The role's name with its icon on its colour: <span class="role-chip role-coach">…Coach</span>."""
    if role is None:
        return mark_safe("")
    return _role_chip(_slug(role), str(getattr(role, "name", role)), outline)


@functools.lru_cache(maxsize=256)
def _role_chip(slug: str, name: str, outline: bool) -> SafeString:
    # The same few chips are drawn hundreds of times on a big board.
    extra = " role-chip-outline" if outline else ""
    return format_html('<span class="role-chip{} {}">{}{}</span>', extra, role_class(slug), role_icon(slug), name)


@register.simple_tag
def person_chip(person, roles=None) -> SafeString:
    """One person on the board picture: initials in a disc (solid active, dotted prospective, grey
    paused), the name beside it where there is room, and for a screen reader the status and roles.

    A tag rather than an included template: a big board draws dozens, and an include costs ten times as much.
    """
    status = person.Status(person.status).label.lower()
    held = " and ".join(role.name.lower() for role in roles or [])
    return format_html(
        '<a class="person-chip person-{}" href="{}" title="{} ({})">\n'
        '  <span class="person-initials" aria-hidden="true">{}</span>\n'
        '  <span class="person-name">{}</span><span class="visually-hidden">, {}{}</span>\n'
        "</a>",
        person.status,
        person.get_absolute_url(),
        person.name,
        status,
        person.initials(),
        person.name,
        status,
        f": {held}" if held else "",
    )


STATUS_CLASSES = {"prospective", "active", "paused", "concluded"}


@register.filter
def status_class(status) -> str:
    """'status status-active' for a board member's status (prospective outlined, active solid, paused grey,
    concluded muted)."""
    value = str(getattr(status, "value", status) or "").lower()
    return f"status status-{value}" if value in STATUS_CLASSES else "status"


# -- forms ---------------------------------------------------------------------------


def _bound_forms(items) -> list:
    found = []
    for item in items:
        if isinstance(item, BaseFormSet):
            if item.is_bound:
                found.append(item)
        elif isinstance(item, BaseForm) and item.is_bound:
            found.append(item)
    return found


def _field_anchor(bound_field) -> str:
    """The id to jump to for a field: the input itself, or the first of a group of radios or checkboxes."""
    widget = bound_field.field.widget
    auto_id = bound_field.auto_id
    if not auto_id:
        return ""
    if getattr(widget, "allow_multiple_selected", False) and not hasattr(widget, "option_template_name"):
        return auto_id
    if getattr(widget, "input_type", "") in ("radio", "checkbox") and hasattr(widget, "option_template_name"):
        return f"{auto_id}_0"
    return auto_id


def form_errors(form) -> list[tuple[str, str]]:
    """(anchor, message) for every error of a form, in the order the fields appear."""
    errors = []
    for message in form.non_field_errors():
        errors.append(("", message))
    for name, field in form.fields.items():
        if name in form.errors:
            bound = form[name]
            if field.widget.is_hidden:
                errors.extend(("", message) for message in form.errors[name])
            else:
                errors.extend((_field_anchor(bound), message) for message in form.errors[name])
    return errors


def _errors_of(item) -> list[tuple[str, str]]:
    if isinstance(item, BaseFormSet):
        errors = [("", message) for message in item.non_form_errors()]
        for form in item.forms:
            errors.extend(form_errors(form))
        return errors
    return form_errors(item)


@register.inclusion_tag("_error_summary.html", takes_context=True)
def error_summary(context, *forms):
    """GOV.UK-style "There is a problem" box linking to each field in error; pass the page's forms
    (or none: then every bound form in the page's context is used)."""
    items = _bound_forms(forms) if forms else _bound_forms(context.flatten().values())
    errors = []
    for item in items:
        errors.extend(_errors_of(item))
    if errors:
        # The summary takes the focus; a field's autofocus would pull it away again.
        for item in items:
            for form in item.forms if isinstance(item, BaseFormSet) else [item]:
                for field in form.fields.values():
                    field.widget.attrs.pop("autofocus", None)
    return {"errors": errors}


@register.simple_tag(takes_context=True)
def error_title_prefix(context) -> str:
    """'Error: ' when a form on the page has errors, for the start of the page title."""
    for item in _bound_forms(context.flatten().values()):
        if _errors_of(item):
            return "Error: "
    return ""
