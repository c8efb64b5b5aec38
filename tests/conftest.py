import pytest

from devboard.models import User


def make_user(username: str, **extra) -> User:
    user = User(username=username, **{"email": f"{username}@example.org", **extra})
    user.set_password("password")
    user.save()
    return user


@pytest.fixture
def alice(db) -> User:
    """The owner: a resident who fills in worksheets and keeps a board."""
    return make_user("alice", first_name="Alice", last_name="Ames")


@pytest.fixture
def charlie(db) -> User:
    """A stranger: signed in, but owns nothing of Alice's."""
    return make_user("charlie", first_name="Charlie", last_name="Cole")


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def charlie_client(client, charlie):
    client.force_login(charlie)
    return client


def authenticator_for(user):
    """A confirmed authenticator app for `user`, as if they had set up two-step sign-in."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def code_from(device) -> str:
    """The code `device`'s app shows right now."""
    from django_otp.oath import TOTP

    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def sign_in_with_second_factor(client, user):
    """Sign `user` in as if through password and code: what staff need for the admin and program pages."""
    from django_otp import DEVICE_ID_SESSION_KEY

    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = authenticator_for(user).persistent_id
    session.save()
    return client
