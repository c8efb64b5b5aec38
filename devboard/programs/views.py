import csv
import dataclasses
import io
import logging
import time
from smtplib import SMTPException

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Case, CharField, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Collate, Concat, Lower, NullIf
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from devboard import pagecache
from devboard.audit import record
from devboard.spreadsheet import safe_cell

from . import figures, invitations
from .forms import InviteForm
from .models import Invitation, InvitationBatch, Membership, Program, ProgramFigures
from .tasks import invite_batch

MEMBERS_PER_PAGE = 50
log = logging.getLogger(__name__)


def _get_program_for_director(request: HttpRequest, slug: str) -> Program:
    """The program, if the signed-in user directs it; 404 otherwise, so nothing about other programs leaks."""
    return get_object_or_404(Program.objects.directed_by(request.user), slug=slug)


def _directed_programs(request: HttpRequest) -> list[Program]:
    programs = list(Program.objects.directed_by(request.user))
    if not programs:
        raise PermissionDenied("Only program directors can open the program pages.")
    return programs


def periods_of(summary: ProgramFigures) -> tuple[list[figures.Period], dict[str, str]]:
    """The periods offered in the summary's month (see figures.offered_periods), and why others are not."""
    candidates = {p.key: p for p in figures.candidate_periods(timezone.localdate())}
    return [candidates[k] for k in summary.data["offered"]], summary.data["refused"]


def choose_period(summary: ProgramFigures, query) -> tuple[figures.Period, list[figures.Period], str]:
    """The period asked for in the query string, or the first one offered with a message saying why."""
    offered, refused = periods_of(summary)
    default = offered[0]
    if "start" in query or "end" in query:
        return default, offered, "Figures cover whole periods only, not chosen dates. Choose one of the periods below."
    if "period" not in query:
        return default, offered, ""
    asked = query.get("period", "")
    for period in offered:
        if period.key == asked:
            return period, offered, ""
    if asked in refused:
        return default, offered, refused[asked]
    return default, offered, "There are no figures for that period. Choose one of the periods below."


def _figures_of(program: Program, query) -> tuple[ProgramFigures, figures.Period, list, str, list[figures.Table]]:
    """The program's summary, the period chosen, the periods offered, any problem, and the tables."""
    needs, roles = figures.guidance()
    summary = figures.summaries_for([program], figures.guidance_key(needs, roles))[program.pk]
    period, offered, problem = choose_period(summary, query)
    tables = figures.tables_from(summary.data["periods"][period.key], period, needs, roles)
    return summary, period, offered, problem, tables


@require_GET
@pagecache.cached_page(pagecache.directed_programs, every=figures.refresh_after)
def index(request: HttpRequest) -> HttpResponse:
    programs = _directed_programs(request)
    summaries = figures.summaries_for(programs)
    rows = []
    for program in programs:
        summary = summaries[program.pk]
        period = periods_of(summary)[0][0]
        table = figures.participation(summary.data["periods"][period.key])
        rows.append((program, period, table, summary))
    return render(request, "programs/index.html", {"programs": rows})


@require_GET
@pagecache.cached_page(pagecache.program, every=figures.refresh_after)
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    program = _get_program_for_director(request, slug)
    summary, period, offered, problem, tables = _figures_of(program, request.GET)
    by_slug = {t.slug: t for t in tables}
    ctx = {
        "program": program,
        "summary": summary,
        "period": period,
        "offered": offered,
        "problem": problem,
        "period_errors": [("period", problem)] if problem else [],
        "tables": tables,
        "tiles": figures.headline(tables),
        "funnel": [by_slug["participation"].row(k) for k in ("members", "started", "completed")],
        "small_cell": figures.SMALL_CELL,
    }
    return render(request, "programs/dashboard.html", ctx, status=400 if problem and "period" in request.GET else 200)


@require_GET
def figures_csv(request: HttpRequest, slug: str) -> HttpResponse:
    program = _get_program_for_director(request, slug)
    # Kept like the dashboard it comes from (devboard/pagecache.py); every download is still recorded.
    made = pagecache.remember(
        ("figures.csv", program.slug, request.GET.urlencode(), int(time.time() // figures.refresh_after())),
        pagecache.program(request, program.slug),
        lambda: _figures_csv(program, request.GET),
    )
    if made is None:
        return redirect(f"{reverse('programs:dashboard', args=[program.slug])}?{request.GET.urlencode()}")
    filename, content = made
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    record("export", request, format="csv", what="program-figures", program=program.pk)
    return response


def _figures_csv(program: Program, query) -> tuple[str, str] | None:
    """The file name and the CSV of the figures asked for; None when the query asks for no period offered."""
    _, period, _, problem, tables = _figures_of(program, query)
    if problem:
        return None
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Program", "Period", "From", "To", "Figure", "Item", "Measure", "Value"])
    name = invitations.one_line(program.name)
    for table in tables:
        for row in table.rows:
            for column, cell in zip(table.columns, row.cells, strict=False):
                values = [name, period.label, period.start, period.end, table.title, row.label, column, cell.display]
                writer.writerow([safe_cell(str(v)) for v in values])
    return f"{program.slug}-figures-{period.start:%Y-%m}-to-{period.end:%Y-%m}.csv", out.getvalue()


# --- members ---------------------------------------------------------------------------------


def _member_rows(program: Program, query):
    """The program's members and pending invitations, searched, filtered and in natural name order.

    A pending row shows only what the director typed (address and name), never the account's
    name, and search looks only at that, so nothing tells whether the address had an account.
    """
    latest = Invitation.objects.filter(membership=OuterRef("pk"), answered_at__isnull=True, revoked_at__isnull=True)
    latest = latest.order_by("-sent_at")
    rows = (
        program.memberships.open()
        .select_related("user", "from_institution")
        .annotate(
            invite_pk=Subquery(latest.values("pk")[:1]),
            invite_email=Subquery(latest.values("email")[:1]),
            invite_name=Subquery(latest.values("name")[:1]),
            invite_sent=Subquery(latest.values("sent_at")[:1]),
        )
        .annotate(
            sort_name=Case(
                When(state=Membership.State.PENDING, then=Coalesce(NullIf("invite_name", Value("")), "invite_email")),
                When(~Q(user__last_name=""), then=Concat("user__last_name", Value(" "), "user__first_name")),
                default=F("user__username"),
                output_field=CharField(),
            )
        )
    )
    search = query.get("q", "").strip()[:100]
    if search:
        rows = rows.annotate(full_name=Concat("user__first_name", Value(" "), "user__last_name")).filter(
            Q(state=Membership.State.ACTIVE)
            & (Q(full_name__icontains=search) | Q(user__email__icontains=search) | Q(user__username__icontains=search))
            | Q(state=Membership.State.PENDING) & (Q(invite_name__icontains=search) | Q(invite_email__icontains=search))
        )
    kind = query.get("kind", "")
    kind = kind if kind in Membership.Kind.values else ""
    if kind:
        rows = rows.filter(kind=kind)
    state = query.get("state", "")
    state = state if state in Membership.State.values else ""
    if state:
        rows = rows.filter(state=state)
    order = Lower("sort_name")
    if connection.vendor == "postgresql":
        order = Collate("sort_name", "natural")  # "Participant 2" before "Participant 10"
    return rows.order_by(order, "pk"), {"q": search, "kind": kind, "state": state}


@require_GET
@pagecache.cached_page(pagecache.program)
def members(request: HttpRequest, slug: str) -> HttpResponse:
    program = _get_program_for_director(request, slug)
    return _members_page(request, program, InviteForm(program=program))


def _members_page(request: HttpRequest, program: Program, form: InviteForm, status: int = 200) -> HttpResponse:
    rows, filters = _member_rows(program, request.GET)
    kept = {k: v for k, v in filters.items() if v}
    paginator = Paginator(rows, MEMBERS_PER_PAGE)
    if not filters["q"]:
        # Counted without joining every member's account, which the search alone needs (9 of the
        # 2,000-member page's 45 ms went on that count); what is left to filter by is kind and state.
        paginator.count = program.memberships.open().filter(**kept).count()
    page = paginator.get_page(request.GET.get("page"))
    ctx = {
        "program": program,
        "page": page,
        "filters": filters,
        "filtered": bool(kept),
        "kept": urlencode(kept),
        "kinds": Membership.Kind.choices,
        "states": Membership.State.choices,
        "form": form,
        "days": invitations.link_days(),
    }
    return render(request, "programs/members.html", ctx, status=status)


@require_POST
def invite(request: HttpRequest, slug: str) -> HttpResponse:
    """Checks the list, then hands the inviting to the background and shows its progress."""
    program = _get_program_for_director(request, slug)
    form = InviteForm(request.POST, request.FILES, program=program)
    if not form.is_valid():
        return _members_page(request, program, form, status=400)
    batch = InvitationBatch.objects.create(
        program=program,
        sent_by=request.user,
        people=[dataclasses.asdict(person) for person in form.people],
        refused=form.problems,
    )
    invite_batch.enqueue(batch.pk)
    return redirect("programs:batch", program.slug, batch.pk)


@require_GET
def batch(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    program = _get_program_for_director(request, slug)
    batch = get_object_or_404(program.invitation_batches, pk=pk)
    if request.GET.get("format") == "json":
        return JsonResponse(batch.progress())
    ctx = {"program": program, "batch": batch, "problems": [*batch.refused, *batch.failures]}
    return render(request, "programs/invite_result.html", ctx)


@require_POST
def resend(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    program = _get_program_for_director(request, slug)
    old = get_object_or_404(
        program.invitations.filter(membership__state=Membership.State.PENDING, membership__left_at__isnull=True),
        pk=pk,
        answered_at__isnull=True,
    )
    address = old.email or old.user.email
    try:
        sent = invitations.send_again(old, request.user)
    except invitations.TooMany as limit:
        messages.error(request, f"Not sent to {address}: {limit}.")
    except (SMTPException, OSError):
        log.exception("Could not send an invitation again to %s", address)
        messages.error(request, f"The email to {address} could not be sent; try again later.")
    else:
        record("invitation_sent", request, program=program.pk, invitation=sent.pk, replaces=old.pk)
        messages.success(request, f"A new invitation is on its way to {address}. The earlier link no longer works.")
    return redirect("programs:members", program.slug)


@require_POST
def remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    program = _get_program_for_director(request, slug)
    membership = get_object_or_404(program.memberships.open().select_related("user"), pk=pk)
    if membership.user == request.user:
        messages.error(request, "You cannot remove yourself; ask another director of the program.")
    elif membership.is_pending:
        invitation = membership.invitations.order_by("-sent_at").first()
        membership.remove()
        record("membership_removed", request, program=program.pk, membership=pk, account=membership.user_id)
        address = invitation.email if invitation else "that address"
        messages.success(request, f"The invitation to {address} is withdrawn; its link no longer works.")
    else:
        membership.remove()
        record("membership_removed", request, program=program.pk, membership=pk, account=membership.user_id)
        messages.success(request, f"{membership.user.display_name()} is no longer a member of {program}.")
    return redirect("programs:members", program.slug)


# --- the invited person -----------------------------------------------------------------------


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the email: a new account sets its password (and joins); an existing one signs in first."""
    found = Invitation.objects.by_token(token)
    if found is None:
        return render(request, "programs/welcome_invalid.html", status=400)
    user = found.user
    if user.has_usable_password():
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if request.user != user:
            return render(request, "programs/invitation_other_account.html", status=403)
        return redirect("programs:my_invitations")
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and request.POST.get("answer") == "decline":
        found.decline()
        record("invitation_declined", request, user=user, program=found.program_id, invitation=found.pk)
        return render(request, "programs/invitation_declined.html", {"program": found.program})
    if request.method == "POST" and form.is_valid():
        form.save()
        found.accept()
        _record_joined(request, found, user)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome to devboard, {user.display_name()}. You have joined {found.program}.")
        return redirect("worksheets:list")
    return render(request, "programs/welcome.html", {"form": form, "invited_user": user, "program": found.program})


def _record_joined(request: HttpRequest, found: Invitation, user) -> None:
    record("invitation_accepted", request, user=user, program=found.program_id, invitation=found.pk)
    record("membership_added", request, user=user, program=found.program_id, membership=found.membership_id)


def _my_pending(request: HttpRequest):
    return Invitation.objects.usable().filter(user=request.user).select_related("program", "invited_by")


@require_GET
def my_invitations(request: HttpRequest) -> HttpResponse:
    """Invitations waiting for the signed-in person's answer."""
    pending = {}
    for found in _my_pending(request).order_by("-sent_at"):
        pending.setdefault(found.membership_id, found)
    return render(request, "programs/my_invitations.html", {"invitations": list(pending.values())})


@require_POST
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(_my_pending(request), pk=pk)
    if request.POST.get("answer") == "accept":
        found.accept()
        _record_joined(request, found, request.user)
        messages.success(request, f"You have joined {found.program}.")
    else:
        found.decline()
        record("invitation_declined", request, program=found.program_id, invitation=found.pk)
        messages.success(request, f"You declined the invitation to {found.program}. Nothing of yours is shared.")
    return redirect("programs:my_invitations")
