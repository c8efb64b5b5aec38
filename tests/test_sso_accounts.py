"""Who an institutional sign-in is, and the program memberships the institution asserts."""

import pytest

from devboard.models import User
from devboard.programs.models import Membership, Program, directors_group
from devboard.sso.accounts import Assertion, SignInRefused, account_for
from devboard.sso.models import Identity, ProgramRule
from tests.factories import make_user, sign_in_with_second_factor

pytestmark = pytest.mark.django_db


def assertion(subject="s-1", email="rosa@uni.example", groups=(), issuer="https://idp.uni.example"):
    return Assertion(
        protocol="oidc",
        provider="uni",
        provider_name="Test University",
        issuer=issuer,
        subject=subject,
        email=email,
        first_name="Rosa",
        last_name="Diaz",
        attributes={"groups": list(groups)},
    )


@pytest.fixture
def im():
    program = Program.objects.create(name="Internal Medicine", slug="im")
    ProgramRule.objects.create(program=program, attribute="groups", value="im-residents", kind="learner")
    ProgramRule.objects.create(program=program, attribute="groups", value="im-faculty", kind="faculty")
    return program


def test_the_same_subject_is_the_same_account_whatever_its_address():
    first = account_for(assertion(email="rosa@uni.example"))
    again = account_for(assertion(email="rosa.diaz@uni.example"))
    assert first == again
    assert User.objects.get().email == "rosa.diaz@uni.example"


def test_another_issuer_with_the_same_subject_and_address_is_refused():
    account_for(assertion())
    with pytest.raises(SignInRefused, match="already uses rosa@uni.example"):
        account_for(assertion(issuer="https://other.example"))
    assert Identity.objects.count() == 1


def test_an_address_belonging_to_a_local_account_is_not_taken_over():
    rosa = make_user("rosa")
    User.objects.filter(pk=rosa.pk).update(email="rosa@uni.example")
    with pytest.raises(SignInRefused):
        account_for(assertion())
    assert not Identity.objects.exists()


def test_a_disabled_account_cannot_sign_in():
    user = account_for(assertion())
    User.objects.filter(pk=user.pk).update(is_active=False)
    with pytest.raises(SignInRefused, match="disabled"):
        account_for(assertion())


def test_linking_an_identity_that_belongs_to_someone_else_is_refused():
    account_for(assertion())
    lee = make_user("lee")
    with pytest.raises(SignInRefused, match="another devboard account"):
        account_for(assertion(email="lee@uni.example"), linking=lee)


def test_an_attribute_makes_a_membership_from_the_institution(im):
    user = account_for(assertion(groups=["im-residents"]))
    membership = Membership.objects.get(user=user)
    assert (membership.program, membership.kind) == (im, "learner")
    assert membership.from_institution


def test_the_membership_follows_the_attribute_at_each_sign_in(im):
    user = account_for(assertion(groups=["im-residents"]))
    account_for(assertion(groups=["im-faculty"]))
    assert Membership.objects.get(user=user).kind == "faculty"
    account_for(assertion(groups=[]))
    assert not Membership.objects.open().filter(user=user).exists()


def test_a_membership_a_director_made_by_hand_is_left_alone(im):
    user = account_for(assertion())
    im.add_member(user, Membership.Kind.FACULTY)
    account_for(assertion(groups=["im-residents"]))
    account_for(assertion(groups=[]))
    membership = Membership.objects.get(user=user)
    assert membership.kind == "faculty"


def test_directors_may_map_attributes_in_the_admin(client, im):
    dana = make_user("dana")
    im.add_member(dana, Membership.Kind.DIRECTOR)
    assert dana.groups.filter(pk=directors_group().pk).exists()
    sign_in_with_second_factor(client, dana)
    page = client.get(f"/admin/programs/program/{im.pk}/change/").content.decode()
    assert "followed at each sign-in" in page
    assert 'name="institution_rules-TOTAL_FORMS"' in page
    assert "im-residents" in page


def test_the_members_page_marks_memberships_from_the_institution(client, im):
    dana = make_user("dana")
    im.add_member(dana, Membership.Kind.DIRECTOR)
    account_for(assertion(groups=["im-residents"]))
    # Signed in through the institution, whose own second factor counts.
    client.force_login(dana, backend="devboard.sso.oidc.ProviderBackend")
    page = client.get("/program/im/members/").content.decode()
    assert "from the institution" in page
