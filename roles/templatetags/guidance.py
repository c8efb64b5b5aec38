from django import template

from roles.recommend import with_article

register = template.Library()


@register.filter
def a_an(name: str) -> str:
    """{{ "Advisor"|a_an }} -> "an advisor"."""
    return with_article(str(name)) if name else ""
