"""The program members page's rows, drawn in Python."""

from django import template
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from devboard.reversing import address

register = template.Library()


@register.simple_tag(takes_context=True)
def member_rows(context, memberships, program) -> SafeString:
    """Each membership as a row: name, email, kind, state, and the director's actions.

    A tag rather than template markup: the rows were two thirds of the page's time.
    """
    token = context.get("csrf_token")
    csrf = f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(token)}">' if token else ""
    resend, remove = escape(address("programs:resend", program.slug)), escape(address("programs:remove", program.slug))
    me = context.get("user")
    rows = []
    for membership in memberships:
        pending = membership.is_pending
        kind = escape(membership.get_kind_display())
        if pending:
            name, email = escape(membership.invite_name or "No name given"), escape(membership.invite_email)
            sent = membership.invite_sent
            state = "Invitation sent" + (f" {timezone.localtime(sent):%-d %b %Y}" if sent else "")
            who = email
        else:
            name, email = escape(membership.user.display_name()), escape(membership.user.email)
            if hasattr(membership, "from_institution"):  # the template asked the same, swallowing the miss
                kind += ' <span class="badge text-bg-info">from the institution</span>'
            state = f"Member since {timezone.localtime(membership.joined_at):%b %Y}"
            who = name
        actions = ""
        if membership.user != me:
            again = (
                f'<form method="post" action="{resend.format(membership.invite_pk)}">{csrf}'
                '<button type="submit" class="btn btn-link btn-sm p-0">Send again</button></form>'
                if pending and membership.invite_pk
                else ""
            )
            label = "Withdraw the invitation" if pending else "Remove from the program"
            actions = (
                f'<details class="row-menu"><summary>Actions<span class="visually-hidden"> for {who}</span></summary>'
                f'<div class="row-menu-items">{again}<form method="post" action="{remove.format(membership.pk)}">'
                f'{csrf}<button type="submit" class="btn btn-link btn-sm p-0 link-danger">{label}</button></form>'
                "</div></details>"
            )
        rows.append(
            f'<li class="member-row"><span class="member-name">{name}</span><span class="member-email">{email}</span>'
            f'<span class="member-kind">{kind}</span><span class="member-state">{state}</span>'
            f'<span class="member-actions">{actions}</span></li>'
        )
    return mark_safe("\n".join(rows))
