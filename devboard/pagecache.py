"""Signed-in pages kept whole in the cache until what they show changes.

A page's cache key carries version stamps of the data it shows: ("user", pk) for everything a
person owns (worksheets, board, memberships, invitations, their account), ("guidance",) for the
role guide and examples, ("program", slug) for a program's pages, ("programs",) for the admin's
lists of programs and memberships, ("device", id) for a second factor. Saving or deleting any of that
moves the stamp on (`bump`, from the signals below and from the few bulk updates), so the next
view builds the page afresh; an old page is never read again and expires on its own.

The key also carries the person, the browser's CSRF cookie (forms in a kept page post from the
browser that got them; a page that hands a browser its first CSRF cookie is not kept), the full
path, today's date (what is "due" changes at midnight) and a stamp of the code and templates (a
deploy starts afresh). A page is kept only for a GET answered 200 with no message waiting, no
cookie set but the CSRF one, and no one-time form token (`devboard.once`): those are for one view only. A kept page
lives PAGE_CACHE_SECONDS (10 minutes) at most, which bounds what only the clock changes (a share
that runs out at noon).

Off unless settings.PAGE_CACHE: the stamps must be shared by every worker, so production keeps
them in Redis; tests and `make run` (one process) use memory.
"""

import functools
import hashlib
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import caches
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

Scope = tuple  # ("user", 12), ("guidance",), ("program", "im")


def _cache():
    return caches["pages"]


def _stamp_key(scope: Scope) -> str:
    return "stamp:" + ":".join(str(part) for part in scope)


# Within a request the stamps are read once, in one round trip with those the request is expected
# to need (stamps_middleware), and then held: a kept page for a staff member read five stamps in three
# round trips, a third of its time. Held from the start of the request is safe: what changes after it
# moves the stamp on, and a page kept under the older stamp is never read again.
_request = threading.local()


def stamps_middleware(get_response):
    def middleware(request: HttpRequest) -> HttpResponse:
        _request.held, _request.expected = {}, [_stamp_key(("guidance",))]
        try:
            return get_response(request)
        finally:
            del _request.held, _request.expected

    return middleware


def expect(scope: Scope) -> None:
    """This request will ask for the scope's stamp: read it with the first ones asked for."""
    if hasattr(_request, "held"):
        _request.expected.append(_stamp_key(scope))


def stamps(scopes: Iterable[Scope]) -> str:
    """The current version stamps of these scopes, joined; a scope seen first gets a new one."""
    keys = [_stamp_key(scope) for scope in scopes]
    held = getattr(_request, "held", None)
    if held is None:
        found = _cache().get_many(keys)
    else:
        missing = [key for key in keys if key not in held]
        if missing:
            held.update(_cache().get_many(missing + [key for key in _request.expected if key not in held]))
        found = {key: held[key] for key in keys if key in held}
    for key in keys:
        if key not in found:
            # add, not set: a bump landing between our read and write must not be overwritten
            _cache().add(key, uuid.uuid4().hex, None)
            found[key] = _cache().get(key)
            if held is not None:
                held[key] = found[key]
    return ".".join(str(found[key]) for key in keys)


def bump(*scopes: Scope) -> None:
    """Move these scopes' stamps on now, and again once the transaction commits.

    Now, so this request and a test inside one transaction see the change; after the commit too,
    because a page built in between, from data read before the commit, was kept under the new stamp.
    """
    # Even where this process keeps no page: a worker's change must reach the web's kept pages.
    if not scopes:
        return

    def move() -> None:
        moved = {_stamp_key(scope): uuid.uuid4().hex for scope in scopes}
        _cache().set_many(moved, None)
        if hasattr(_request, "held"):
            _request.held.update(moved)

    move()
    transaction.on_commit(move)


# Settings every page draws (the bar, the footer, the sign-in buttons): changing one starts afresh.
DRAWN_SETTINGS = (
    "INSTITUTION_NAME",
    "INSTITUTION_LOGO_URL",
    "SUPPORT_EMAIL",
    "ACCESSIBILITY_URL",
    "LOCAL_LOGIN",
    "TIME_ZONE",
)


@functools.cache
def _code_stamp() -> str:
    """Changes whenever a template or a Python file of the project does (a new release starts
    afresh), or a setting every page draws."""
    drawn = [getattr(settings, name, None) for name in DRAWN_SETTINGS]
    drawn += [[(p.slug, p.name) for p in settings.SSO_OIDC_PROVIDERS], settings.SSO_SAML.enabled]
    digest = hashlib.sha1(repr(drawn).encode())
    root = Path(settings.BASE_DIR)
    for folder in ("templates", "devboard", "worksheets", "roles"):
        for path in sorted((root / folder).rglob("*")):
            if path.suffix in {".py", ".html", ".txt"}:
                stat = path.stat()
                digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:12]


def _key(request: HttpRequest, scopes: list[Scope], every: int | None) -> str:
    person = [("user", request.user.pk)] if request.user.is_authenticated else []
    parts = [
        str(int(time.time() // every)) if every else "",
        _code_stamp(),
        str(request.user.pk),
        request.META.get("CSRF_COOKIE", ""),
        request.get_full_path(),
        timezone.localdate().isoformat(),
        stamps([*person, *scopes]),
    ]
    return "page:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def remember(name: Scope, scopes: list[Scope], build: Callable):
    """build(), kept until one of the scopes' stamps moves or the day changes."""
    if not settings.PAGE_CACHE:
        return build()
    parts = [_code_stamp(), *map(str, name), timezone.localdate().isoformat(), stamps(scopes)]
    key = "value:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()
    value = _cache().get(key)
    if value is None:
        value = build()
        _cache().set(key, value, settings.PAGE_CACHE_SECONDS)
    return value


def _keepable(request: HttpRequest, response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        # the CSRF cookie is sent again whenever a form uses it; the secret is checked to be the same below
        and not set(response.cookies) - {settings.CSRF_COOKIE_NAME}
        and not _shows_messages(request)
        and b'name="once"' not in response.content
    )


def _shows_messages(request: HttpRequest) -> bool:
    storage = get_messages(request)
    return bool(storage.used or len(storage))


def cached_page(
    scopes: Callable[..., list[Scope]] = lambda request, **kwargs: [],
    *,
    public: bool = False,
    every: Callable[[], int] | None = None,
):
    """Keep a signed-in GET page until a stamp it depends on moves (the person's own is always one).

    `scopes(request, **view_kwargs)` names the other scopes the page shows; a `public` page is kept
    for visitors who are not signed in as well; with `every` (seconds), a page is built afresh at
    least that often, for pages whose view does something as time passes.
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not (settings.PAGE_CACHE and request.method == "GET" and (public or request.user.is_authenticated)):
                return view(request, *args, **kwargs)
            if _shows_messages(request):  # a message to show once: build the page, keep nothing
                return view(request, *args, **kwargs)
            csrf_secret = request.META.get("CSRF_COOKIE")
            key = _key(request, list(scopes(request, **kwargs)), every and every())
            kept = _cache().get(key)
            if kept is not None:
                content, content_type = kept
                return HttpResponse(content, content_type=content_type)
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not response.is_rendered:  # the admin's TemplateResponse
                response.render()
            # A browser without a CSRF cookie yet gets a new secret with this page: its forms are its alone.
            if _keepable(request, response) and request.META.get("CSRF_COOKIE") == csrf_secret:
                _cache().set(key, (response.content, response["Content-Type"]), settings.PAGE_CACHE_SECONDS)
            return response

        return wrapper

    return decorator


def guidance(request: HttpRequest, **kwargs) -> list[Scope]:
    return [("guidance",)]


def program(request: HttpRequest, slug: str, **kwargs) -> list[Scope]:
    """A program's page: its memberships, figures and people, and the guidance its figures count by."""
    return [("guidance",), ("program", slug)]


class KeptChangelist:
    """ModelAdmin mixin: the changelist kept like a page, under `changelist_scopes`.

    Its filters, search and page are in the path; its actions and list edits are POSTs, never kept.
    """

    changelist_scopes: list[Scope] = [("guidance",)]

    def changelist_view(self, request, extra_context=None):
        scopes = self.changelist_scopes
        view = cached_page(lambda request, **kwargs: list(scopes))(super().changelist_view)
        return view(request, extra_context=extra_context)


def directed_programs(request: HttpRequest, **kwargs) -> list[Scope]:
    from devboard.programs.models import Program

    slugs = remember(
        ("directs", request.user.pk),
        [("user", request.user.pk)],
        lambda: list(Program.objects.directed_by(request.user).values_list("slug", flat=True)),
    )
    return [("guidance",), *(("program", slug) for slug in slugs)]


# What a saved or deleted row moves on. Rows of these apps belong to a person through one of
# these fields; the role guide's rows move the guidance.
OWNED_APPS = {"board", "worksheets", "programs"}
DEVICE_APPS = {"otp_totp", "otp_static"}  # a second factor's device: twofactor.middleware.OTPMiddleware
GUIDANCE = {"roles", "worksheets.example"}


def scopes_of(instance) -> list[Scope]:
    from devboard.board.models import BoardMember
    from devboard.models import User
    from devboard.programs.models import Membership, Program
    from worksheets.models import Worksheet

    meta = instance._meta
    if hasattr(instance, "history_id"):  # a history row: the save it records moved the stamps already
        return []
    if meta.app_label in DEVICE_APPS:  # a device, or one of its backup codes
        return [("device", instance.persistent_id)] if hasattr(instance, "persistent_id") else []
    if meta.app_label in GUIDANCE or meta.label_lower in GUIDANCE:
        return [("guidance",)]
    if isinstance(instance, User):  # their name shows on the pages of their programs too
        slugs = list(Membership.objects.filter(user=instance).values_list("program__slug", flat=True))
        return [("user", instance.pk), *(("program", slug) for slug in slugs), *([("programs",)] if slugs else [])]
    if meta.app_label not in OWNED_APPS:
        return []
    people = {getattr(instance, name, None) for name in ("owner_id", "user_id")}
    lookups = (("member_id", BoardMember, "owner_id"), ("worksheet_id", Worksheet, "owner_id"))
    lookups += (("membership_id", Membership, "user_id"),)
    for field, model, owner in lookups:
        pk = getattr(instance, field, None)
        if pk is not None:
            people.add(model.objects.filter(pk=pk).values_list(owner, flat=True).first())
    scopes = [("user", pk) for pk in people if pk is not None]
    if meta.app_label == "programs":
        scopes.append(("programs",))  # the admin's lists of programs and memberships
    if meta.label_lower == "programs.program":
        return [*scopes, ("program", instance.slug)]
    program = getattr(instance, "program_id", None)
    slug = program and Program.objects.filter(pk=program).values_list("slug", flat=True).first()
    return scopes + ([("program", slug)] if slug else [])


def _changed(sender, instance, **kwargs) -> None:
    if not kwargs.get("raw"):
        bump(*scopes_of(instance))


def _m2m_changed(sender, instance, action, **kwargs) -> None:
    if action.startswith("post_"):
        _changed(sender, instance)


def connect() -> None:
    from django.db.models.signals import m2m_changed, post_delete, post_save

    post_save.connect(_changed, dispatch_uid="pagecache-save")
    post_delete.connect(_changed, dispatch_uid="pagecache-delete")
    m2m_changed.connect(_m2m_changed, dispatch_uid="pagecache-m2m")
