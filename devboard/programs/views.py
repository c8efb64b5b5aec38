import csv
import logging
from smtplib import SMTPException

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from devboard.models import User
from devboard.spreadsheet import safe_cell

from . import figures, invitations
from .forms import InviteForm, PeriodForm
from .models import Invitation, Program

log = logging.getLogger(__name__)


def _get_program_for_director(request: HttpRequest, slug: str) -> Program:
    """The program, if the signed-in user directs it; 404 otherwise, so nothing about other programs leaks."""
    return get_object_or_404(Program.objects.directed_by(request.user), slug=slug)


def _directed_programs(request: HttpRequest):
    programs = Program.objects.directed_by(request.user)
    if not programs.exists():
        raise PermissionDenied("Only program directors can open the program pages.")
    return programs


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    period = figures.Period.default()
    programs = [(p, figures.participation(p, period)) for p in _directed_programs(request)]
    return render(request, "programs/index.html", {"programs": programs, "period": period})


@require_GET
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    program = _get_program_for_director(request, slug)
    form, period = PeriodForm.period_from(request.GET)
    ctx = {
        "program": program,
        "form": form,
        "period": period,
        "tables": figures.for_program(program, period),
        "small_cell": figures.SMALL_CELL,
        "query": request.GET.urlencode(),
    }
    return render(request, "programs/dashboard.html", ctx)


@require_GET
def figures_csv(request: HttpRequest, slug: str) -> HttpResponse:
    program = _get_program_for_director(request, slug)
    _, period = PeriodForm.period_from(request.GET)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"{program.slug}-figures-{period.start}-to-{period.end}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(["Program", "From", "To", "Figure", "Item", "Measure", "Value"])
    for table in figures.for_program(program, period):
        for row in table.rows:
            for column, cell in zip(table.columns, row.cells, strict=False):
                values = [program.name, period.start, period.end, table.title, row.label, column, cell.display]
                writer.writerow([safe_cell(str(v)) for v in values])
    return response


@require_GET
def members(request: HttpRequest, slug: str) -> HttpResponse:
    program = _get_program_for_director(request, slug)
    return _members_page(request, program, InviteForm(program=program))


def _members_page(request: HttpRequest, program: Program, form: InviteForm, status: int = 200) -> HttpResponse:
    memberships = program.memberships.select_related("user").order_by("kind", "user__last_name", "user__username")
    pending = {i.user_id: i for i in program.invitations.filter(accepted_at__isnull=True).order_by("sent_at")}
    rows = [(m, pending.get(m.user_id) if not m.user.has_usable_password() else None) for m in memberships]
    ctx = {"program": program, "rows": rows, "form": form, "days": invitations.link_days()}
    return render(request, "programs/members.html", ctx, status=status)


@require_POST
def invite(request: HttpRequest, slug: str) -> HttpResponse:
    program = _get_program_for_director(request, slug)
    form = InviteForm(request.POST, request.FILES, program=program)
    if not form.is_valid():
        return _members_page(request, program, form, status=400)
    invited, problems = [], list(form.problems)
    for person in form.people:
        try:
            invited.append(invitations.invite(program, person, request.user))
        except (SMTPException, OSError):
            # invite() is atomic: without the email, the account and membership are not kept either.
            log.exception("Could not send an invitation to %s", person.email)
            problems.append((person.where, person.email, "the email could not be sent; try again later"))
    ctx = {"program": program, "invited": invited, "problems": problems}
    return render(request, "programs/invite_result.html", ctx)


@require_POST
def resend(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    program = _get_program_for_director(request, slug)
    old = get_object_or_404(program.invitations, pk=pk, accepted_at__isnull=True)
    invitation = Invitation.objects.create(program=program, user=old.user, kind=old.kind, invited_by=request.user)
    invitations.send(invitation)
    messages.success(request, f"A new invitation is on its way to {old.user.email}.")
    return redirect("programs:members", program.slug)


@require_POST
def remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    program = _get_program_for_director(request, slug)
    membership = get_object_or_404(program.memberships.select_related("user"), pk=pk)
    if membership.user == request.user:
        messages.error(request, "You cannot remove yourself; ask another director of the program.")
    else:
        membership.delete()
        messages.success(request, f"{membership.user.display_name()} is no longer a member of {program}.")
    return redirect("programs:members", program.slug)


def _user_from_uid(uidb64: str) -> User | None:
    try:
        return User.objects.get(pk=int(force_str(urlsafe_base64_decode(uidb64))))
    except (TypeError, ValueError, OverflowError, User.DoesNotExist):
        return None


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def welcome(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    user = _user_from_uid(uidb64)
    if user is None or not invitations.invitation_token.check_token(user, token):
        return render(request, "programs/welcome_invalid.html", status=400)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        user.invitations.filter(accepted_at__isnull=True).update(accepted_at=timezone.now())
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome to devboard, {user.display_name()}. Your password is set.")
        return redirect("worksheets:list")
    return render(request, "programs/welcome.html", {"form": form, "invited_user": user})
