from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from roles.models import Need, RefiningQuestion

from . import forms
from .models import STEP_SLUGS, STEPS, Example, Worksheet


def get_worksheet_for_user(request: HttpRequest, pk: int | str) -> Worksheet:
    """Every view of a worksheet (the board's too) fetches through here: another person's is a 404."""
    if not str(pk).isdigit():  # e.g. a tampered ?worksheet= parameter
        raise Http404("No such worksheet")
    return get_object_or_404(
        Worksheet.objects.select_related("primary_need", "chosen_role", "recommended_role"),
        pk=pk,
        owner=request.user,
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


def _save(worksheet: Worksheet, step: str, form, untouched_questions: bool = False) -> None:
    with transaction.atomic():
        if step == "refine":
            worksheet.answers = form.answers()
        else:
            form.save(commit=False)
        worksheet.save()
        if step == "need":
            form.save_m2m()
            if not _published_questions():
                worksheet.advance_past("refine")
        if step in ("need", "refine"):
            worksheet.refresh_recommendation()
        elif step == "recommendation":
            worksheet.refresh_choice_warnings()
            if untouched_questions:  # left as suggested: suggest the new role's questions instead
                worksheet.questions_to_ask = ""
        following = worksheet.advance_past(step)
        if following is None:
            worksheet.complete()
        worksheet.save()


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


def _render_step(request, worksheet, step, form) -> HttpResponse:
    index = STEP_SLUGS.index(step)
    context = {
        "worksheet": worksheet,
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
        context["top"] = worksheet.top_role()
        context["ranking"] = worksheet.ranking()
    return render(request, f"worksheets/step_{step}.html", context)


def worksheet_list(request: HttpRequest) -> HttpResponse:
    worksheets = Worksheet.objects.filter(owner=request.user).select_related("chosen_role", "primary_need")
    active = [w for w in worksheets if not w.is_archived]
    return render(
        request,
        "worksheets/list.html",
        {
            "drafts": [w for w in active if not w.is_completed],
            "completed": [w for w in active if w.is_completed],
            "archived": [w for w in worksheets if w.is_archived],
            "examples": Example.objects.published(),
        },
    )


def new(request: HttpRequest) -> HttpResponse:
    """The first step; the worksheet is created only when it is first saved."""
    worksheet = Worksheet(owner=request.user)
    form = forms.ProblemForm(request.POST if request.method == "POST" else None, instance=worksheet)
    if request.method == "POST" and form.is_valid():
        _save(worksheet, "problem", form)
        return _after_save(request, worksheet, "problem")
    return _render_step(request, None, "problem", form)


def _after_save(request: HttpRequest, worksheet: Worksheet, step: str) -> HttpResponse:
    if "exit" in request.POST:
        messages.success(request, f"Saved “{worksheet.display_title()}”. Continue whenever you are ready.")
        return redirect("worksheets:list")
    index = STEP_SLUGS.index(step)
    if index + 1 < len(STEP_SLUGS):
        following = STEP_SLUGS[index + 1]
        if following == "refine" and not _published_questions():
            following = "recommendation"
        return redirect("worksheets:step", pk=worksheet.pk, step=following)
    messages.success(request, "Your worksheet is complete.")
    return redirect(worksheet)


def step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    worksheet = get_worksheet_for_user(request, pk)
    if step not in STEP_SLUGS:
        raise Http404("No such step")
    if not worksheet.reached(step):
        return redirect("worksheets:step", pk=worksheet.pk, step=worksheet.step)
    if step == "recommendation" and not worksheet.ranking():
        messages.info(request, "Name your main need first; the recommendation follows from it.")
        return redirect("worksheets:step", pk=worksheet.pk, step="need")
    # read before binding: a bound ModelForm already puts the new choice on the worksheet
    untouched_questions = worksheet.questions_are_suggested()
    form = _bind(request, worksheet, step)
    if request.method == "POST" and form.is_valid():
        _save(worksheet, step, form, untouched_questions)
        return _after_save(request, worksheet, step)
    return _render_step(request, worksheet, step, form)


def resume(request: HttpRequest, pk: int) -> HttpResponse:
    worksheet = get_worksheet_for_user(request, pk)
    if worksheet.is_completed:
        return redirect(worksheet)
    return redirect("worksheets:step", pk=worksheet.pk, step=worksheet.step)


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    worksheet = get_worksheet_for_user(request, pk)
    return render(request, "worksheets/detail.html", {"worksheet": worksheet, "steps": STEPS})


def print_view(request: HttpRequest, pk: int) -> HttpResponse:
    worksheet = get_worksheet_for_user(request, pk)
    return render(request, "worksheets/print.html", {"worksheet": worksheet})


@require_POST
def duplicate(request: HttpRequest, pk: int) -> HttpResponse:
    original = get_worksheet_for_user(request, pk)
    title, other_needs = f"Copy of {original.display_title()}"[:120], list(original.other_needs.all())
    copy = original  # saved under a new primary key below; the original row is untouched
    copy.pk = None
    copy.title = title
    copy.status = Worksheet.Status.DRAFT
    copy.step = STEP_SLUGS[-1] if original.is_completed else original.step
    copy.completed_at = copy.archived_at = None
    with transaction.atomic():
        copy.save()
        copy.other_needs.set(other_needs)
    messages.success(request, "A copy was made. Change whatever you like; the original stays as it was.")
    return redirect("worksheets:step", pk=copy.pk, step="problem")


@require_POST
def archive(request: HttpRequest, pk: int) -> HttpResponse:
    worksheet = get_worksheet_for_user(request, pk)
    worksheet.archived_at = timezone.now()
    worksheet.save(update_fields=["archived_at", "updated_at"])
    messages.success(request, f"Archived “{worksheet.display_title()}”. You can restore it from the list.")
    return redirect("worksheets:list")


@require_POST
def restore(request: HttpRequest, pk: int) -> HttpResponse:
    worksheet = get_worksheet_for_user(request, pk)
    worksheet.archived_at = None
    worksheet.save(update_fields=["archived_at", "updated_at"])
    messages.success(request, f"Restored “{worksheet.display_title()}”.")
    return redirect(worksheet)


def examples(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "worksheets/examples.html",
        {"examples": Example.objects.published().select_related("role", "primary_need")},
    )


def example(request: HttpRequest, slug: str) -> HttpResponse:
    item = get_object_or_404(
        Example.objects.published().select_related("role", "primary_need").prefetch_related("other_needs"), slug=slug
    )
    return render(request, "worksheets/example.html", {"example": item})
