from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from devboard import once
from devboard.board.models import StaleEdit
from devboard.pagecache import cached_page, guidance
from devboard.paging import page_of
from roles.models import Need, RefiningQuestion, Role
from roles.recommend import with_article

from . import forms, result
from .models import STEP_SLUGS, STEPS, Example, Worksheet

WORKSHEETS_PER_PAGE = 20


def _get_worksheet_for_user(request: HttpRequest, pk: int) -> Worksheet:
    return get_object_or_404(
        Worksheet.objects.for_owner(request.user).select_related("primary_need", "chosen_role", "recommended_role"),
        pk=pk,
    )


def _published_questions():
    return list(RefiningQuestion.objects.published().prefetch_related("options"))


def _bind(request: HttpRequest, worksheet: Worksheet, step: str):
    data = request.POST if request.method == "POST" else None
    if step == "problem":
        return forms.ProblemForm(data, instance=worksheet)
    if step == "outcome":
        return forms.OutcomeForm(data, instance=worksheet)
    if step == "need":
        return forms.NeedForm(data, instance=worksheet)
    if step == "refine":
        return forms.RefineForm(data, questions=_published_questions(), initial_answers=worksheet.answers)
    if step == "recommendation":
        initial = {} if worksheet.chosen_role_id else {"chosen_role": worksheet.recommended_role_id}
        return forms.ChoiceForm(data, instance=worksheet, initial=initial)
    if step == "questions":
        initial = {}
        if not worksheet.questions_to_ask and worksheet.chosen_role_id:
            snapshot = worksheet.chosen_snapshot()
            questions = snapshot["questions"] if snapshot else worksheet.chosen_role.question_list()
            initial = {"questions_to_ask": "\n".join(questions)}
        return forms.QuestionsForm(data, instance=worksheet, initial=initial)
    return forms.NextStepForm(data, instance=worksheet)


def _progress(worksheet: Worksheet | None, current: str) -> list[dict]:
    items = []
    for i, (slug, label) in enumerate(STEPS):
        other = worksheet is not None and slug != current
        items.append(
            {
                "slug": slug,
                "label": label,
                "number": i + 1,
                "current": slug == current,
                "done": other and (worksheet.is_completed or i < worksheet.step_index()),
                "reachable": other and worksheet.reached(slug),
            }
        )
    return items


def _role_cards(form, ranking: list[dict]) -> list[dict]:
    """The role choice as cards in ranked order: each ranked role with its radio button."""
    radios = {str(radio.data["value"]): radio for radio in form["chosen_role"]}
    slugs = dict(Role.objects.filter(pk__in=[int(pk) for pk in radios if pk.isdigit()]).values_list("slug", "pk"))
    cards = []
    for card in result.role_cards(ranking):
        radio = radios.pop(str(slugs.get(card["entry"]["role"])), None)
        if radio is not None:
            cards.append({**card, "radio": radio, "slug": card["entry"]["role"]})
    # a role published after this ranking was made: still a choice, with nothing said about its fit
    slug_of = {str(pk): slug for slug, pk in slugs.items()}
    cards += [{"radio": radio, "slug": slug_of.get(pk, ""), "entry": None} for pk, radio in radios.items()]
    return cards


def _render_step(request, worksheet, step, form, stale: bool = False) -> HttpResponse:
    index = STEP_SLUGS.index(step)
    context = {
        "worksheet": worksheet,
        "stale": stale,
        "saved_answers": worksheet.step_answers(step) if stale else [],
        "form": form,
        "step": step,
        "step_label": dict(STEPS)[step],
        "step_number": index + 1,
        "step_count": len(STEPS),
        "progress": _progress(worksheet, step),
        "previous": STEP_SLUGS[index - 1] if index else None,
        "is_last": index == len(STEPS) - 1,
    }
    if step == "need":
        context["needs"] = Need.objects.published()
    if step == "recommendation":
        ranking = worksheet.ranking()
        top = worksheet.top_role()
        context["top"] = top
        context["ranking"] = ranking
        context["top_reasons"] = result.strongest_reasons(top["reasons"]) if top else []
        context["top_fit"] = result.fit(top["score"], top["score"]) if top else None
        context["tie"] = result.tie_note(ranking, worksheet.recommendation.get("primary_need", ""))
        context["cards"] = _role_cards(form, ranking)
    return render(request, f"worksheets/step_{step}.html", context)


@require_GET
@cached_page(guidance)
def worksheet_list(request: HttpRequest) -> HttpResponse:
    """Drafts, completed and archived worksheets, a page of each, all searchable by title."""
    query = request.GET.get("q", "").strip()[:100]
    worksheets = Worksheet.objects.for_owner(request.user).matching(query)
    sections = {
        "drafts": worksheets.active().filter(status=Worksheet.Status.DRAFT),
        "completed": worksheets.active().filter(status=Worksheet.Status.COMPLETED),
        "archived": worksheets.archived(),
    }
    counts = worksheets.section_counts()
    pages = {
        name: page_of(
            qs.select_related("chosen_role", "primary_need").order_by("-updated_at", "-pk"),
            request,
            param=name,
            count=counts[name],
            size=WORKSHEETS_PER_PAGE,
        )
        for name, qs in sections.items()
    }
    return render(
        request,
        "worksheets/list.html",
        {**pages, "query": query, "examples": Example.objects.published()},
    )


@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    """The first step; the worksheet is created only when it is first saved."""
    worksheet = Worksheet(owner=request.user)
    form = forms.ProblemForm(request.POST if request.method == "POST" else None, instance=worksheet)
    if request.method == "POST" and form.is_valid():
        # A double submit (same one-time token) creates one worksheet and lands on it.
        url, created = once.create(request, lambda: _next_url(request, worksheet, worksheet.save_step("problem")))
        if created and "exit" in request.POST:
            messages.success(request, f"Saved “{worksheet.display_title()}”. Continue whenever you are ready.")
        return redirect(url)
    return _render_step(request, None, "problem", form)


def _next_url(request: HttpRequest, worksheet: Worksheet, following: str | None) -> str:
    if "exit" in request.POST:
        return worksheet.get_absolute_url() if worksheet.is_completed else reverse("worksheets:list")
    if following:
        return reverse("worksheets:step", kwargs={"pk": worksheet.pk, "step": following})
    return worksheet.get_absolute_url()


def _after_save(request: HttpRequest, worksheet: Worksheet, following: str | None) -> HttpResponse:
    moved_from = getattr(worksheet, "choice_moved_from", None)
    if moved_from:
        messages.info(
            request,
            f"With what you changed, the recommendation is now {with_article(worksheet.chosen_role.name)}. "
            f"Your choice had followed the recommendation, so it moved with it from {with_article(moved_from.name)}; "
            "you can choose again on the recommendation step.",
        )
    if "exit" in request.POST and worksheet.is_completed:
        messages.success(request, f"Saved your changes to “{worksheet.display_title()}”.")
    elif "exit" in request.POST:
        messages.success(request, f"Saved “{worksheet.display_title()}”. Continue whenever you are ready.")
    elif not following:
        messages.success(request, "Your worksheet is complete.")
    return redirect(_next_url(request, worksheet, following))


STALE_MESSAGE = (
    "This worksheet was saved in another tab or window after you opened this step, so this step was "
    "not saved. Your text is still in the form, and what is saved now is shown beside it. "
    "Save again to replace the saved version with yours."
)


def _posted_version(request: HttpRequest) -> int:
    """The version the step was opened at; a form without one counts as stale rather than overwriting."""
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return -1


def _apply(worksheet: Worksheet, step: str, form, previous_role_id: int | None, version: int) -> str | None:
    """Put a valid form's answers on the worksheet and save the step (StaleEdit if saved meanwhile)."""
    if step == "refine":
        worksheet.answers = form.answers()
    else:
        form.save(commit=False)
    other_needs = form.cleaned_data["other_needs"] if step == "need" else None
    return worksheet.save_step(
        step, expected_version=version, other_needs=other_needs, previous_role_id=previous_role_id
    )


@require_http_methods(["GET", "POST"])
@cached_page(guidance)
def step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    worksheet = _get_worksheet_for_user(request, pk)
    if step not in STEP_SLUGS:
        raise Http404("No such step")
    if not worksheet.reached(step):
        labels = dict(STEPS)
        messages.info(
            request,
            f"“{labels[step]}” opens once the steps before it are saved. "
            f"This worksheet is at “{labels[worksheet.step]}”, so you are here instead.",
        )
        return redirect("worksheets:step", pk=worksheet.pk, step=worksheet.step)
    if step == "recommendation" and not worksheet.ranking():
        messages.info(request, "Name your main need first; the recommendation follows from it.")
        return redirect("worksheets:step", pk=worksheet.pk, step="need")
    previous_role_id = worksheet.chosen_role_id  # a bound ModelForm puts the new choice on the worksheet
    form = _bind(request, worksheet, step)
    if request.method == "POST" and form.is_valid():
        try:
            following = _apply(worksheet, step, form, previous_role_id, _posted_version(request))
        except StaleEdit:
            saved = _get_worksheet_for_user(request, pk)
            form.add_error(None, STALE_MESSAGE)
            return _render_step(request, saved, step, form, stale=True)
        return _after_save(request, worksheet, following)
    return _render_step(request, worksheet, step, form)


@require_GET
def resume(request: HttpRequest, pk: int) -> HttpResponse:
    worksheet = _get_worksheet_for_user(request, pk)
    if worksheet.is_completed:
        return redirect(worksheet)
    return redirect("worksheets:step", pk=worksheet.pk, step=worksheet.step)


@require_GET
@cached_page(guidance)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    worksheet = _get_worksheet_for_user(request, pk)
    return render(request, "worksheets/detail.html", {"worksheet": worksheet, "steps": STEPS})


@require_GET
def print_view(request: HttpRequest, pk: int) -> HttpResponse:
    worksheet = _get_worksheet_for_user(request, pk)
    return render(request, "worksheets/print.html", {"worksheet": worksheet})


@require_POST
def duplicate(request: HttpRequest, pk: int) -> HttpResponse:
    copy = _get_worksheet_for_user(request, pk).duplicate()
    messages.success(request, "A copy was made. Change whatever you like; the original stays as it was.")
    return redirect("worksheets:step", pk=copy.pk, step="problem")


@require_POST
def archive(request: HttpRequest, pk: int) -> HttpResponse:
    worksheet = _get_worksheet_for_user(request, pk)
    worksheet.archive()
    messages.success(request, f"Archived “{worksheet.display_title()}”. You can restore it from the list.")
    return redirect("worksheets:list")


@require_POST
def restore(request: HttpRequest, pk: int) -> HttpResponse:
    worksheet = _get_worksheet_for_user(request, pk)
    worksheet.restore()
    messages.success(request, f"Restored “{worksheet.display_title()}”.")
    return redirect(worksheet)


@require_GET
def examples(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "worksheets/examples.html",
        {"examples": Example.objects.published().select_related("role", "primary_need")},
    )


@require_GET
def example(request: HttpRequest, slug: str) -> HttpResponse:
    item = get_object_or_404(
        Example.objects.published().select_related("role", "primary_need").prefetch_related("other_needs"), slug=slug
    )
    return render(request, "worksheets/example.html", {"example": item})
