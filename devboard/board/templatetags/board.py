"""Board helpers for templates, and the board panel shown inside worksheet pages."""

from django import template

from devboard.board.forms import LinkMemberForm
from devboard.board.models import BoardMember

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
