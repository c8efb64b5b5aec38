"""Board helpers for templates, and the board panel shown inside worksheet pages."""

import datetime

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from devboard.board.forms import LinkMemberForm
from devboard.board.models import BoardMember
from devboard.templatetags.design import role_chip

register = template.Library()

# The panel names at most this many holders and links, and offers at most this many people to link.
PANEL_PEOPLE = 100


@register.inclusion_tag("board/_worksheet_panel.html", takes_context=True)
def board_panel(context, worksheet):
    """Who on my board already holds the recommended role, and a way to put the chosen role in someone's hands."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or worksheet.owner_id != user.pk:
        return {"show": False}
    members = BoardMember.objects.for_owner(user).current()
    chosen = worksheet.chosen_role
    # The role the person is about to act on: their choice once made, the recommendation before.
    wanted = chosen or worksheet.recommended_role
    people = list(members.order_by("name", "pk").values_list("pk", "name")[: PANEL_PEOPLE + 1]) if chosen else []
    return {
        "show": True,
        "worksheet": worksheet,
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "recommended": wanted,
        "chosen": chosen,
        "holders": list(members.holding(wanted).order_by("name")[:PANEL_PEOPLE]) if wanted else [],
        "links": list(worksheet.board_links.select_related("member", "role")[:PANEL_PEOPLE]),
        "link_form": LinkMemberForm(owner=user, auto_id=f"board-link-{worksheet.pk}-%s") if chosen else None,
        "people": people[:PANEL_PEOPLE],
        "more_people": len(people) > PANEL_PEOPLE,
    }


@register.filter
def attr_value(obj, name: str):
    """A model field's value as shown to people (choice labels, role names), for the 'what is saved now' panel."""
    if name == "roles":
        return ", ".join(role.name for role in obj.current_roles())
    display = getattr(obj, f"get_{name}_display", None)
    return display() if display else getattr(obj, name, "")


@register.inclusion_tag("board/_share_list.html", takes_context=True)
def share_list(context, worksheet):
    """On the owner's worksheet: the private links that work now, with their expiry, and the way to make one."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or worksheet.owner_id != user.pk:
        return {"show": False}
    return {"show": True, "worksheet": worksheet, "shares": list(worksheet.shares.live().select_related("member"))}


def _month(day: datetime.date) -> str:
    return f"{day:%b} {day.year}"


def _day(day: datetime.date) -> str:
    return f"{day.day} {day:%b} {day.year}"


@register.simple_tag
def person_row(member: BoardMember, today: datetime.date) -> SafeString:
    """One person in the board's list: name, title, roles held (or what they became), next and last check-in.

    A tag rather than template markup, with plain escaping rather than format_html: the board lists up
    to 200 people, and these rows took a third of the page's time in the template engine.
    """
    where = escape(", ".join(part for part in (member.title, member.institution) if part))
    if member.is_concluded:
        was = escape(", ".join(br.role.name.lower() for br in member.past_roles()))
        began = f"{_month(member.active_since)}–" if member.active_since else "until "
        became = escape(member.get_afterwards_display())
        held = f"{became}{' · was ' if was else ''}{was} · {began}{_month(member.concluded_on)}"
    else:
        held = "".join(f"{role_chip(role)} " for role in member.current_roles())
    next_on = member.next_check_in_on if member.is_open else None
    due = ' <span class="badge text-bg-danger">due</span>' if next_on and next_on <= today else ""
    last = member.last_check_in_on
    return mark_safe(
        '<li class="list-group-item"><div class="d-flex flex-wrap justify-content-between gap-2"><div>'
        f'<a class="fw-semibold" href="{escape(member.get_absolute_url())}">{escape(member.name)}</a>'
        + (f' <span class="text-body-secondary small">· {where}</span>' if where else "")
        + f'<div class="small">{held}</div></div><div class="small text-md-end">'
        + (f"Next check-in {_day(next_on)}{due}<br>" if next_on else "")
        + (f'<span class="text-body-secondary">Last {_day(last)}</span>' if last else "")
        + "</div></div></li>"
    )
