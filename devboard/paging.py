"""Pages of a list that may grow without bound: a slice of the query, and links to the neighbours.

The count comes from the caller, so a page with several lists can count them all in one query
(`Count(..., filter=...)`) instead of one COUNT per list.
"""

from dataclasses import dataclass

from django.http import HttpRequest


@dataclass
class Page:
    items: list
    number: int
    count: int
    size: int
    previous_url: str
    next_url: str

    @property
    def pages(self) -> int:
        return max(1, -(-self.count // self.size))

    @property
    def first(self) -> int:
        return (self.number - 1) * self.size + 1 if self.count else 0

    @property
    def last(self) -> int:
        return min(self.number * self.size, self.count)

    @property
    def is_split(self) -> bool:
        return self.count > self.size


def _number(request: HttpRequest, param: str, pages: int) -> int:
    raw = request.GET.get(param, "")
    number = int(raw) if raw.isdigit() else 1
    return min(max(number, 1), pages)


def _url(request: HttpRequest, param: str, number: int) -> str:
    query = request.GET.copy()
    if number == 1:
        query.pop(param, None)
    else:
        query[param] = str(number)
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else request.path


def page_of(queryset, request: HttpRequest, *, param: str, count: int, size: int = 20) -> Page:
    """Page `?<param>=N` of `queryset` (already ordered), `size` rows read with one LIMIT/OFFSET query."""
    pages = max(1, -(-count // size))
    number = _number(request, param, pages)
    items = list(queryset[(number - 1) * size : number * size]) if count else []
    return Page(
        items=items,
        number=number,
        count=count,
        size=size,
        previous_url=_url(request, param, number - 1) if number > 1 else "",
        next_url=_url(request, param, number + 1) if number < pages else "",
    )
