from django.http import Http404, HttpRequest, HttpResponse


def _todo(request: HttpRequest, **kwargs) -> HttpResponse:
    raise Http404("being built")


worksheet_list = new = examples = example = detail = step = resume = print_view = duplicate = archive = restore = _todo
