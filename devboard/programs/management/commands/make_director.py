"""Make someone the director of a program: the first step of a new installation."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.utils.text import slugify

from devboard.programs import invitations
from devboard.programs.models import Membership, Program


class Command(BaseCommand):
    help = (
        "Make EMAIL a director of PROGRAM (a program's name or slug; created if there is none). "
        "Creates the account if needed and emails them: a set-password link for a new account, the news otherwise."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("program", help='e.g. "Internal Medicine Residency"')

    def handle(self, *args, email: str, program: str, **options):
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"“{email}” is not a valid email address.") from None
        found = Program.objects.filter(slug=program).first() or Program.objects.filter(name__iexact=program).first()
        if found is None:
            slug = slugify(program)
            if not slug:
                raise CommandError("Give the program a name with letters or digits in it.")
            found = Program.objects.create(name=program, slug=slug)
            self.stdout.write(f"Created the program {found.name} (/program/{found.slug}/).")
        person = invitations.Person(where="make_director", name="", email=email.lower(), kind=Membership.Kind.DIRECTOR)
        invitation = invitations.invite(found, person, invited_by=None)
        found.add_member(invitation.user, Membership.Kind.DIRECTOR)  # the operator decides: active at once
        self.stdout.write(f"{invitation.user.email} now directs {found.name}; an email is on its way to them.")
