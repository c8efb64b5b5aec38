"""Count every program's dashboard figures again, so directors read fresh ones without waiting."""

from django.core.management.base import BaseCommand

from devboard.programs import figures
from devboard.programs.models import Program
from devboard.programs.tasks import refresh_figures


class Command(BaseCommand):
    help = "Count the dashboard figures of every program again (the scheduler runs this every hour)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue one background task per program instead of counting here (what the scheduler does).",
        )

    def handle(self, *args, enqueue: bool = False, **options):
        programs = list(Program.objects.order_by("pk"))
        for program in programs:
            if enqueue:
                refresh_figures.enqueue(program.pk)
            else:
                figures.refresh(program)
        self.stdout.write(f"{'Queued' if enqueue else 'Counted'} the figures of {len(programs)} program(s).")
