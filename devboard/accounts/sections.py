"""The account page is a list of sections. An app adds its own from its AppConfig.ready():

    from devboard.accounts.sections import add_section
    add_section("sso/_account_section.html", context=linked_sign_ins, order=30)

`context(request)` returns the extra template variables the section needs (or omit it).
Sections show in `order`; the built-in ones use 10, 20, 40, 60, 90.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest


@dataclass(frozen=True)
class Section:
    template: str
    order: int
    context: Callable[[HttpRequest], dict] | None = None


SECTIONS: list[Section] = []


def add_section(template: str, *, order: int = 50, context: Callable[[HttpRequest], dict] | None = None) -> None:
    if all(section.template != template for section in SECTIONS):
        SECTIONS.append(Section(template, order, context))
        SECTIONS.sort(key=lambda section: section.order)


def sections_for(request: HttpRequest) -> tuple[list[Section], dict]:
    ctx: dict = {}
    for section in SECTIONS:
        if section.context is not None:
            ctx.update(section.context(request))
    return list(SECTIONS), ctx
