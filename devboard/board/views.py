"""The personal board: people, agreements, check-ins, the closing step, the calendar feed and exports.

Every view reaches a member through `_get_member_for_user`, so a board is only ever its owner's:
everyone else (program directors and staff included) gets a 404.
"""

from collections.abc import Callable, Iterator
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.db.models import F, Model, Window
from django.db.models.functions import RowNumber
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from devboard import once, pagecache
from devboard.audit import record
from devboard.pagecache import cached_page, guidance
from devboard.paging import page_of
from roles.models import Role
from roles.recommend import with_article
from worksheets.models import Worksheet

from .calendar import calendar_ics, feed_version
from .export import as_json, check_ins_csv, members_csv, worksheets_csv
from .forms import (
    AgreementForm,
    CheckInForm,
    ConcludeForm,
    LinkMemberForm,
    MemberEditForm,
    MemberForm,
    NextCheckInForm,
    ShareForm,
    StatusForm,
)
from .models import (
    Agreement,
    BoardMember,
    CalendarFeed,
    CheckIn,
    Share,
    StaleEdit,
    WorksheetLink,
    attach_roles,
    board_counts,
    board_seats,
    up_next,
)

CHECK_INS_PER_PAGE = 20
# Agreement versions, worksheet links, live shares and status changes shown on a member's page.
SIDE_LIST_LIMIT = 20

STALE_MESSAGE = (
    "This was changed in another tab or window after you opened this form, so your changes were not saved. "
    "What is saved now is shown below; your text is still in the form. Save again to replace the saved version."
)

CLOSING_GUIDE = [
    "Ask for a conversation rather than letting the meetings fade away; say in advance what it is about.",
    "Go back to the agreement together: which goals were reached, which were not, and why now is a good time to close.",
    "Thank them for something specific that changed because of them.",
    "Say how you would like to stay in touch, as a peer or a colleague you can still call on, "
    "and ask what they would like.",
    "If the relationship was damaged, keep it short and factual. A brief note can be kinder than a meeting, "
    "and it can help to talk it over first with someone else on your board.",
]


def _get_member_for_user(request: HttpRequest, pk: int) -> BoardMember:
    return get_object_or_404(BoardMember.objects.for_owner(request.user), pk=pk)


def _get_worksheet_for_user(request: HttpRequest, pk: int | str) -> Worksheet:
    if not str(pk).isdigit():  # e.g. a tampered ?worksheet= parameter
        raise Http404("No such worksheet")
    return get_object_or_404(Worksheet.objects.for_owner(request.user).select_related("chosen_role"), pk=pk)


def _get_check_in_for_user(request: HttpRequest, member_pk: int, pk: int) -> tuple[BoardMember, CheckIn]:
    member = _get_member_for_user(request, member_pk)
    return member, get_object_or_404(member.check_ins, pk=pk)


def _save_unless_stale(
    form, save: Callable[[], None], current: Callable[[], Model | None]
) -> tuple[bool, Model | None]:
    """Run `save()`, or refuse it if someone saved since the form was opened: the form keeps the typed
    text and is armed to overwrite on purpose. Returns (saved, what is saved now when refused)."""
    try:
        save()
    except StaleEdit:
        saved = current()
        form.add_error(None, STALE_MESSAGE)
        form.data = form.data.copy()
        form.data["version"] = saved.version if saved else 0
        return False, saved
    return True, None


PEOPLE_PER_STATUS = 50
PEOPLE_GROUPS = [
    (BoardMember.Status.ACTIVE, "Active"),
    (BoardMember.Status.PROSPECTIVE, "Prospective"),
    (BoardMember.Status.PAUSED, "Paused"),
    (BoardMember.Status.CONCLUDED, "Concluded: peers and former colleagues"),
]


def _people(request: HttpRequest, members, counts: dict, query: str, status: str) -> list[dict]:
    """The people listed by status: the first 50 of each, or with ?status= one status a page at a time."""
    found = members.for_board_page().filter(name__icontains=query) if query else members.for_board_page()
    if status:
        page = page_of(
            found.filter(status=status).order_by("name", "pk"),
            request,
            param="page",
            count=counts[f"{status}_found"],
            size=PEOPLE_PER_STATUS,
        )
        attach_roles(page.items)
        return [{"status": status, "label": dict(PEOPLE_GROUPS)[status], "people": page.items, "page": page}]
    first = found.annotate(
        place=Window(RowNumber(), partition_by=F("status"), order_by=[F("name").asc(), F("pk").asc()])
    ).filter(place__lte=PEOPLE_PER_STATUS)
    by_status: dict[str, list] = {}
    for member in attach_roles(list(first)):
        by_status.setdefault(member.status, []).append(member)
    more = request.GET.copy()
    groups = []
    for value, label in PEOPLE_GROUPS:
        more["status"] = value
        count = counts[f"{value}_found"]
        groups.append(
            {
                "status": value,
                "label": label,
                "people": by_status.get(value, []),
                "count": count,
                "more_url": f"?{more.urlencode()}" if count > PEOPLE_PER_STATUS else "",
            }
        )
    return groups


def _published_roles() -> list[Role]:
    return pagecache.remember(("roles",), [("guidance",)], lambda: list(Role.objects.published()))


@require_GET
@cached_page(guidance)
def board(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    query = request.GET.get("q", "").strip()[:100]
    status = request.GET.get("status", "")
    status = status if status in BoardMember.Status.values else ""
    members = BoardMember.objects.for_owner(request.user)
    counts = board_counts(members, today, query)
    items = up_next(members, today)
    ctx = {
        "today": today,
        "counts": counts,
        "query": query,
        "status": status,
        "picture": board_seats(members, _published_roles()),
        "up_next": items,
        "up_next_more": counts["up_next"] - len(items),
        "found": sum(counts[f"{value}_found"] for value in ([status] if status else BoardMember.Status.values)),
        "groups": _people(request, members, counts, query, status),
    }
    return render(request, "board/board.html", ctx)


@require_http_methods(["GET", "POST"])
def add(request: HttpRequest) -> HttpResponse:
    worksheet = _get_worksheet_for_user(request, request.GET["worksheet"]) if request.GET.get("worksheet") else None
    role = worksheet and (worksheet.chosen_role or worksheet.recommended_role)
    if request.method == "POST":
        form = MemberForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data

            def put_on_board() -> str:
                member = BoardMember.add(
                    owner=request.user,
                    roles=data["roles"],
                    status=data["status"],
                    **{name: data[name] for name in MemberForm.Meta.fields},
                )
                if worksheet and role and role in data["roles"]:
                    WorksheetLink.objects.create(worksheet=worksheet, member=member, role=role)
                return member.get_absolute_url()

            # A double submit (same one-time token) adds the person once and lands on them.
            url, created = once.create(request, put_on_board)
            if created:
                messages.success(request, f"{data['name']} is on your board.")
            return redirect(url)
    else:
        form = MemberForm(initial={"roles": [role.pk] if role else []})
    return render(request, "board/member_form.html", {"form": form, "worksheet": worksheet, "role": role})


def _reach_out(member: BoardMember, links: list[WorksheetLink], owner) -> dict:
    """What to ask a prospective person and a first message to send them, from the worksheets linked to them."""
    roles = [link.role for link in links] or member.current_roles()
    questions = []
    for link in links:
        questions += [q for q in link.worksheet.question_list() if q not in questions]
    from_guide = not questions
    if from_guide:
        for role in roles:
            questions += [q for q in role.question_list() if q not in questions]
    as_what = " and ".join(dict.fromkeys(with_article(role.name) for role in roles)) or "someone on my board"
    lines = [
        f"Dear {member.name},",
        "",
        f"I am building a small group of people who help me with my career, and I would value you as {as_what}.",
        "Would you have time for a short conversation in the next few weeks?",
    ]
    if questions:
        lines += ["", "A few things I would like to ask you:"] + [f"- {q}" for q in questions]
    lines += ["", "With thanks,", owner.display_name()]
    body = "\n".join(lines)
    subject = f"Would you be {as_what} for me?"
    mailto = ""
    if member.email:
        mailto = f"mailto:{quote(member.email, safe='@')}?subject={quote(subject)}&body={quote(body)}"
    return {"questions": questions, "from_guide": from_guide, "message": body, "subject": subject, "mailto": mailto}


def _latest(queryset, limit: int = SIDE_LIST_LIMIT) -> tuple[list, bool]:
    """The first `limit` rows of `queryset`, and whether there are more (one query: limit + 1 rows)."""
    rows = list(queryset[: limit + 1])
    return rows[:limit], len(rows) > limit


@require_GET
@cached_page(guidance)
def member(request: HttpRequest, pk: int) -> HttpResponse:
    return _member_page(request, pk)


def _member_page(request: HttpRequest, pk: int, next_form: NextCheckInForm | None = None) -> HttpResponse:
    """The member page; with `next_form` a refused next check-in date, shown with what was typed."""
    member = get_object_or_404(BoardMember.objects.for_owner(request.user).for_member_page(), pk=pk)
    today = timezone.localdate()
    agreement = member.agreement_or_none()
    role_rows = member.load_roles()
    links, more_links = _latest(member.worksheet_links.select_related("worksheet", "role"))
    history, earlier_changes = _latest(member.status_changes.order_by("-changed_on", "-created_at", "-pk"))
    shares, more_shares = _latest(member.shares.live().select_related("worksheet"))
    earlier, more_earlier = _latest(agreement.history.all()[1:]) if agreement else ([], False)
    ctx = {
        "member": member,
        "today": today,
        "roles": member.current_roles(),
        "past_roles": member.past_roles(),
        "role_history": sorted(role_rows, key=lambda br: (br.started_on, br.role.order)),
        "agreement": agreement,
        "earlier_agreements": earlier,
        "more_earlier_agreements": more_earlier,
        "check_ins": page_of(
            member.check_ins.order_by("-held_on", "-pk"),
            request,
            param="page",
            count=member.check_in_count,
            size=CHECK_INS_PER_PAGE,
        ),
        "history": history[::-1],
        "earlier_changes": earlier_changes,
        "worksheet_links": links,
        "more_links": more_links,
        "shares": shares,
        "more_shares": more_shares,
        "review_reasons": member.review_reasons(today),
        "paused_since": member.paused_since_on() if member.status == BoardMember.Status.PAUSED else None,
        "reach_out": _reach_out(member, links, request.user)
        if member.status == BoardMember.Status.PROSPECTIVE
        else None,
        "next_form": next_form or NextCheckInForm(initial={"next_check_in_on": member.next_check_in_on}),
    }
    return render(request, "board/member.html", ctx, status=400 if next_form else 200)


@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = _get_member_for_user(request, pk)
    saved = None
    form = MemberEditForm(request.POST if request.method == "POST" else None, instance=member)
    if request.method == "POST" and form.is_valid():
        done, saved = _save_unless_stale(
            form,
            lambda: member.save_details(
                form.cleaned_data["version"], MemberEditForm.Meta.fields, form.cleaned_data.get("roles")
            ),
            lambda: BoardMember.objects.get(pk=member.pk),
        )
        if done:
            messages.success(request, "Saved.")
            return redirect(member)
        member = saved  # the page around the form shows what is saved
    return render(request, "board/member_edit.html", {"member": member, "form": form, "saved": saved})


@require_http_methods(["GET", "POST"])
def agreement(request: HttpRequest, pk: int) -> HttpResponse:
    member = _get_member_for_user(request, pk)
    existing = member.agreement_or_none()
    instance = existing or Agreement(member=member, version=0)
    old_cadence = existing.cadence if existing else None
    saved = None
    form = AgreementForm(request.POST if request.method == "POST" else None, instance=instance)
    if request.method == "POST" and form.is_valid():
        done, saved = _save_unless_stale(
            form,
            lambda: instance.save_version(form.cleaned_data["version"], old_cadence),
            lambda: Agreement.objects.filter(member=member).first(),
        )
        if done:
            messages.success(request, "The agreement is saved.")
            return redirect(member)
    return render(request, "board/agreement_form.html", {"member": member, "form": form, "saved": saved})


@require_http_methods(["GET", "POST"])
def check_in_new(request: HttpRequest, pk: int) -> HttpResponse:
    member = _get_member_for_user(request, pk)
    if request.method == "POST":
        form = CheckInForm(request.POST)
        if form.is_valid():

            def log() -> str:
                member.log_check_in(form.save(commit=False), next_on=form.cleaned_data["next_check_in_on"])
                return member.get_absolute_url()

            url, created = once.create(request, log)  # a double submit logs it once
            if created:
                messages.success(request, "Check-in logged.")
            return redirect(url)
    else:
        form = CheckInForm()
    return render(request, "board/check_in_form.html", {"member": member, "form": form})


@require_http_methods(["GET", "POST"])
def check_in_delete(request: HttpRequest, pk: int, check_in_pk: int) -> HttpResponse:
    member, check_in = _get_check_in_for_user(request, pk, check_in_pk)
    if request.method == "POST":
        check_in.delete()
        messages.success(request, "The check-in was deleted.")
        return redirect(member)
    return render(request, "board/check_in_delete.html", {"member": member, "check_in": check_in})


@require_POST
def next_check_in(request: HttpRequest, pk: int) -> HttpResponse:
    member = _get_member_for_user(request, pk)
    form = NextCheckInForm(request.POST)
    if not form.is_valid():
        return _member_page(request, pk, next_form=form)
    member.set_next_check_in(form.cleaned_data["next_check_in_on"])
    messages.success(request, "The next check-in date is saved.")
    return redirect(member)


@require_POST
def status(request: HttpRequest, pk: int) -> HttpResponse:
    member = _get_member_for_user(request, pk)
    form = StatusForm(request.POST, member=member)
    if form.is_valid():
        member.set_status(form.cleaned_data["status"])
        messages.success(request, f"{member.name} is now {member.get_status_display().lower()}.")
    else:
        messages.error(request, "That change of status is not possible from here.")
    return redirect(member)


def _review_page(request: HttpRequest, member: BoardMember, form: ConcludeForm) -> HttpResponse:
    ctx = {
        "member": member,
        "form": form,
        "agreement": member.agreement_or_none(),
        "review_reasons": member.review_reasons(timezone.localdate()),
        "signs": BoardMember.Sign.choices,
        "closing_guide": CLOSING_GUIDE,
    }
    return render(request, "board/review.html", ctx)


@require_GET
def review(request: HttpRequest, pk: int) -> HttpResponse:
    member = _get_member_for_user(request, pk)
    if member.is_concluded:
        messages.info(request, "This relationship is already concluded.")
        return redirect(member)
    return _review_page(request, member, ConcludeForm())


@require_POST
def conclude(request: HttpRequest, pk: int) -> HttpResponse:
    member = _get_member_for_user(request, pk)
    if member.is_concluded:
        return redirect(member)
    form = ConcludeForm(request.POST)
    if not form.is_valid():
        return _review_page(request, member, form)
    data = form.cleaned_data
    member.conclude(afterwards=data["afterwards"], signs=data["signs"], note=data["note"], on=data["concluded_on"])
    messages.success(
        request,
        f"The relationship is closed. {member.name} stays on your record as {member.get_afterwards_display().lower()}.",
    )
    return redirect(member)


@require_POST
def keep(request: HttpRequest, pk: int) -> HttpResponse:
    member = _get_member_for_user(request, pk)
    member.mark_reviewed()
    messages.success(request, "Reviewed: the relationship goes on. The board will not ask again for a while.")
    return redirect(member)


@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    member = _get_member_for_user(request, pk)
    if request.method == "POST":
        member.delete()
        messages.success(request, f"{member.name} was removed from your board, with their agreement and check-ins.")
        return redirect("board:board")
    return render(request, "board/member_delete.html", {"member": member})


@require_POST
def link_worksheet(request: HttpRequest, pk: int) -> HttpResponse:
    worksheet = _get_worksheet_for_user(request, pk)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = worksheet.get_absolute_url()
    if worksheet.chosen_role is None:
        messages.error(request, "Choose a role in the worksheet first.")
        return redirect(back)
    form = LinkMemberForm(request.POST, owner=request.user)
    if not form.is_valid():
        messages.error(request, "Pick someone from your board.")
        return redirect(back)
    member, role = form.cleaned_data["member"], worksheet.chosen_role
    with transaction.atomic():
        member.add_role(role)
        WorksheetLink.objects.get_or_create(worksheet=worksheet, member=member, role=role)
    messages.success(request, f"{member.name} is linked to this worksheet as your {role.name.lower()}.")
    return redirect(back)


# -- sharing ----------------------------------------------------------------


def _share_page(request: HttpRequest, worksheet, form: ShareForm, status: int = 200) -> HttpResponse:
    shares = list(worksheet.shares.select_related("member"))
    ctx = {
        "worksheet": worksheet,
        "form": form,
        "live": [s for s in shares if s.is_live],
        "ended": [s for s in shares if not s.is_live],
        "site_url": settings.SITE_URL,
        "has_members": form.fields["member"].queryset.exists(),
    }
    return render(request, "board/share.html", ctx, status=status)


@require_http_methods(["GET", "POST"])
def share(request: HttpRequest, pk: int) -> HttpResponse:
    worksheet = _get_worksheet_for_user(request, pk)
    if request.method == "POST":
        form = ShareForm(request.POST, owner=request.user)
        if form.is_valid():
            data = form.cleaned_data
            item = Share.create(
                worksheet=worksheet, member=data["member"], days=data["days"], with_agreement=data["with_agreement"]
            )
            messages.success(
                request,
                f"A private link for {item.member.name} is ready below, until {item.expires_at:%-d %B %Y}. "
                "Copy it and send it to them.",
            )
            return redirect("board:share", pk=worksheet.pk)
        return _share_page(request, worksheet, form)
    return _share_page(request, worksheet, ShareForm(owner=request.user))


@require_POST
def share_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Share.objects.for_owner(request.user).select_related("member"), pk=pk)
    item.revoke()
    messages.success(request, f"The link for {item.member.name} no longer works.")
    return redirect("board:share", pk=item.worksheet_id)


@login_not_required
@require_GET
def shared(request: HttpRequest, token: str) -> HttpResponse:
    """The read-only page behind a private link: the one worksheet (and agreement) shared, nothing else."""
    item = get_object_or_404(
        Share.objects.live().select_related("worksheet__owner", "worksheet__chosen_role", "member"), token=token
    )
    worksheet = item.worksheet
    if not worksheet.owner.is_active:
        raise Http404
    agreement = item.member.agreement_or_none() if item.with_agreement else None
    response = render(request, "board/shared.html", {"share": item, "worksheet": worksheet, "agreement": agreement})
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "private, no-store"
    return response


# -- calendar ---------------------------------------------------------------


@require_GET
def calendar(request: HttpRequest) -> HttpResponse:
    feed = CalendarFeed.for_user(request.user)
    url = settings.SITE_URL + feed.private_path()
    webcal = "webcal://" + url.split("://", 1)[-1]
    return render(request, "board/calendar.html", {"feed_url": url, "webcal_url": webcal})


@require_POST
def calendar_reset(request: HttpRequest) -> HttpResponse:
    feed = CalendarFeed.for_user(request.user)
    feed.reset()
    record("feed_reset", request, feed=feed.pk)
    messages.success(
        request, "Your calendar has a new address. The old one no longer works: subscribe again with the new one."
    )
    return redirect("board:calendar")


@login_not_required
@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    if not CalendarFeed.looks_like_token(token):  # e.g. %00, which the database would refuse with an error
        raise Http404
    feed = get_object_or_404(CalendarFeed.objects.select_related("owner"), token=token)
    if not feed.owner.is_active:
        raise Http404
    # Calendar apps poll every few minutes: answer 304 unless a date in the feed changed.
    etag, last_modified = feed_version(feed)
    not_modified = get_conditional_response(request, etag=etag, last_modified=int(last_modified.timestamp()))
    if not_modified is not None:
        response = not_modified
    else:
        response = StreamingHttpResponse(calendar_ics(feed.owner), content_type="text/calendar; charset=utf-8")
        response["ETag"] = etag
        response["Last-Modified"] = http_date(last_modified.timestamp())
    # Never stored by a browser or proxy (the address is a secret); calendar apps that keep their own
    # copy of the events still revalidate with If-None-Match / If-Modified-Since.
    response["Cache-Control"] = "no-store, private"
    return response


# -- export -----------------------------------------------------------------


@require_GET
def export(request: HttpRequest) -> HttpResponse:
    return render(request, "board/export.html")


def _download(content: Iterator[str], content_type: str, filename: str) -> StreamingHttpResponse:
    # Streamed: a big board's export starts at once and never sits whole in a worker's memory.
    response = StreamingHttpResponse((chunk.encode() for chunk in content), content_type=content_type)
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="devboard-{filename}-{stamp}"'
    return response


@require_GET
def export_csv(request: HttpRequest, what: str) -> StreamingHttpResponse:
    writers = {
        "members": members_csv,
        "check-ins": check_ins_csv,
        "worksheets": worksheets_csv,
    }
    if what not in writers:
        raise Http404
    record("export", request, format="csv", what=what)
    return _download(writers[what](request.user), "text/csv; charset=utf-8", f"{what}.csv")


@require_GET
def export_json(request: HttpRequest) -> StreamingHttpResponse:
    record("export", request, format="json")
    return _download(as_json(request.user), "application/json", "export.json")
