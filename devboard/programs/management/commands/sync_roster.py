"""Make a program's learners and faculty follow the institution's roster (see devboard/programs/README.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from devboard.programs import roster
from devboard.programs.models import Program


class Command(BaseCommand):
    help = (
        "Sync a program's learners and faculty with a roster CSV (columns: external_id, email, name, kind). "
        "Safe to run again: an unchanged roster changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The roster, a UTF-8 CSV file.")
        parser.add_argument("--program", required=True, help="The program's slug, as in /program/<slug>/.")
        parser.add_argument("--dry-run", action="store_true", help="Report what would change, change nothing.")
        parser.add_argument(
            "--deactivate",
            action="store_true",
            help="Also turn off sign-in for people removed who have no other membership and no institutional sign-in.",
        )

    def handle(self, *args, file, program, dry_run, deactivate, **options):
        try:
            program = Program.objects.get(slug=program)
        except Program.DoesNotExist:
            known = ", ".join(Program.objects.values_list("slug", flat=True)) or "none yet"
            raise CommandError(f"No program {program!r}. Programs: {known}.") from None
        try:
            text = Path(file).read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise CommandError(f"No such file: {file}") from None
        except UnicodeDecodeError:
            raise CommandError(f"{file} is not UTF-8 text: save the roster as 'CSV UTF-8'.") from None

        rows, problems = roster.read(text)
        result = (
            roster.Result(problems=problems)
            if problems
            else roster.sync(program, rows, deactivate=deactivate, dry_run=dry_run)
        )
        if not dry_run:
            roster.record(program, Path(file).name, result, deactivate=deactivate)
        if result.problems:
            for problem in result.problems:
                self.stderr.write(f"{file}, {problem}")
            raise CommandError(f"{len(result.problems)} problem(s) in {file}; nothing was changed.")

        counts = result.counts()
        self.stdout.write(
            f"{'Dry run, nothing changed. ' if dry_run else ''}{program} ({program.slug}): "
            f"{counts['created']} created, {counts['updated']} updated, {counts['unchanged']} unchanged, "
            f"{counts['removed']} removed from the program, {counts['deactivated']} deactivated."
        )
        if options["verbosity"] > 1:
            for name in ("created", "updated", "removed", "deactivated"):
                for who in getattr(result, name):
                    self.stdout.write(f"  {name}: {who}")
