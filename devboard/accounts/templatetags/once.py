from django import template
from django.utils.html import format_html

from devboard import once

register = template.Library()


@register.simple_tag(takes_context=True)
def once_field(context) -> str:
    """The hidden one-time token of a create form; a re-shown form (errors) keeps the one it was sent with."""
    request = context.get("request")
    token = (once.posted_token(request) if request is not None and request.method == "POST" else None) or (
        once.new_token()
    )
    return format_html('<input type="hidden" name="{}" value="{}">', once.FIELD, token)
