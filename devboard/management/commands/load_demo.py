from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from devboard.board import demo as board_demo
from devboard.models import User
from devboard.programs import demo as program_demo
from devboard.twofactor import demo as twofactor_demo
from worksheets import demo as worksheet_demo

DEMO_PASSWORD = "devboard-demo"

DEMO_USERS = [
    {"username": "resident", "first_name": "Riley", "last_name": "Chen"},
    {"username": "faculty", "first_name": "Farah", "last_name": "Okafor"},
    {"username": "director", "first_name": "Dana", "last_name": "Morales"},
]


class Command(BaseCommand):
    help = "Create the demo accounts and their content (development only; refuses when DEBUG is off)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Refusing to create demo accounts with DEBUG off: this is not a development site.")
        with transaction.atomic():
            users = {}
            for data in DEMO_USERS:
                user, created = User.objects.get_or_create(
                    username=data["username"],
                    defaults={**data, "email": f"{data['username']}@devboard.example"},
                )
                if created:
                    user.set_password(DEMO_PASSWORD)
                    user.save()
                users[user.username] = user
            worksheet_demo.create(users["resident"])
            board_demo.create(users)
            program_demo.create(users)
            codes = twofactor_demo.create(users["director"])
        self.stdout.write(
            self.style.SUCCESS(f"Demo accounts ready: resident, faculty, director (password: {DEMO_PASSWORD}).")
        )
        self.stdout.write(
            "The director has two-step sign-in on: after the password, enter one of these backup codes"
            f" (each works once; load_demo makes new ones): {' '.join(codes)}"
        )
