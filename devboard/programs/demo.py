"""Demo program: the director directs it; the resident and the faculty member belong to it."""

from .models import Membership, Program


def create(users: dict) -> None:
    program, _ = Program.objects.get_or_create(
        slug="internal-medicine", defaults={"name": "Internal Medicine Residency"}
    )
    program.add_member(users["resident"], Membership.Role.LEARNER)
    program.add_member(users["faculty"], Membership.Role.FACULTY)
    program.add_member(users["director"], Membership.Role.DIRECTOR)
