import io

from django.core.management import call_command
from django.test import override_settings

from devboard.board.models import BoardMember
from devboard.models import User


@override_settings(DEBUG=True)
def test_the_demo_faculty_has_a_living_board_and_loading_twice_adds_nothing(db):
    call_command("load_demo", stdout=io.StringIO())
    faculty = User.objects.get(username="faculty")
    members = BoardMember.objects.for_owner(faculty)
    assert members.count() >= 5
    assert {m.status for m in members} == {"prospective", "active", "paused", "concluded"}
    roles = {role.slug for m in members for role in m.current_roles()}
    assert roles >= {"mentor", "sponsor", "coach", "advisor"}
    assert members.filter(agreement__isnull=False).count() >= 3
    assert members.filter(check_ins__isnull=False).distinct().count() >= 3
    before = (BoardMember.objects.count(), sum(m.check_ins.count() for m in members))
    call_command("load_demo", stdout=io.StringIO())
    assert (BoardMember.objects.count(), sum(m.check_ins.count() for m in members)) == before
