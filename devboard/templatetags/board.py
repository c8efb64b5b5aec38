"""Board panels shown inside worksheet pages (the board issue fills these in)."""

from django import template

register = template.Library()


@register.inclusion_tag("devboard/worksheet_board_panel.html", takes_context=True)
def board_panel(context, worksheet):
    return {"worksheet": worksheet, "request": context.get("request")}
