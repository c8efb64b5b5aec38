"""Board helpers for templates, and the board panel shown inside worksheet pages."""

from django import template

from devboard.board.forms import LinkMemberForm
from devboard.board.models import BoardMember

register = template.Library()


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
    return {
        "show": True,
        "worksheet": worksheet,
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "recommended": wanted,
        "chosen": chosen,
        "holders": list(members.holding(wanted).order_by("name")) if wanted else [],
        "links": list(worksheet.board_links.select_related("member", "role")),
        "link_form": LinkMemberForm(owner=user, auto_id=f"board-link-{worksheet.pk}-%s") if chosen else None,
        "has_members": members.exists(),
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
